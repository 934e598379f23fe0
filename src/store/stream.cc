#include "store/stream.h"

#include <cstring>

#include "util/numbers.h"

namespace zakros::store {

// ---- StreamID ---------------------------------------------------------------------------------

std::string StreamID::to_string() const {
  char buf[48];
  size_t n = util::format_uint64(ms, buf);
  buf[n++] = '-';
  n += util::format_uint64(seq, buf + n);
  return std::string(buf, n);
}

bool StreamID::increment() {
  if (seq == UINT64_MAX) {
    if (ms == UINT64_MAX) return false;
    ++ms;
    seq = 0;
  } else {
    ++seq;
  }
  return true;
}

bool StreamID::decrement() {
  if (seq == 0) {
    if (ms == 0) return false;
    --ms;
    seq = UINT64_MAX;
  } else {
    --seq;
  }
  return true;
}

bool parse_stream_id(std::string_view text, uint64_t missing_seq, StreamID* id, bool* seq_given) {
  // Redis copies the argument into a 128-byte C string first: longer ones are invalid, and an
  // embedded NUL ends the text.
  if (text.size() > 127) return false;
  if (size_t nul = text.find('\0'); nul != std::string_view::npos) text = text.substr(0, nul);
  if (seq_given != nullptr) *seq_given = true;
  size_t dash = text.find('-');
  uint64_t ms = 0, seq = missing_seq;
  if (!util::parse_uint64_like_redis_stream_id(text.substr(0, dash), &ms)) return false;
  if (dash != std::string_view::npos) {
    std::string_view rest = text.substr(dash + 1);
    if (seq_given != nullptr && rest == "*") {
      seq = 0;
      *seq_given = false;
    } else if (!util::parse_uint64_like_redis_stream_id(rest, &seq)) {
      return false;
    }
  }
  id->ms = ms;
  id->seq = seq;
  return true;
}

// ---- node helpers -----------------------------------------------------------------------------

namespace {

// A node opened for reading: where its master fields and first entry are.
struct NodeView {
  const Listpack& lp;
  StreamID master;
  int64_t live = 0;
  int64_t deleted = 0;
  int64_t master_fields = 0;
  size_t master_fields_pos = Listpack::kEnd;  // first master field
  size_t master_end = Listpack::kEnd;         // the master entry's 0 terminator
  size_t first_entry = Listpack::kEnd;        // flags of the first entry, kEnd if none

  NodeView(const StreamID& master_id, const Listpack& l) : lp(l), master(master_id) {
    size_t p = lp.first();
    live = lp.get(p).integer;
    p = lp.next(p);
    deleted = lp.get(p).integer;
    p = lp.next(p);
    master_fields = lp.get(p).integer;
    p = lp.next(p);
    master_fields_pos = p;
    for (int64_t i = 0; i < master_fields; ++i) p = lp.next(p);
    master_end = p;
    first_entry = lp.next(p);
  }

  // A node whose master entry was read before (the iterator caches it).
  NodeView(const StreamID& master_id, const Listpack& l, int64_t fields, size_t fields_pos,
           size_t end)
      : lp(l),
        master(master_id),
        master_fields(fields),
        master_fields_pos(fields_pos),
        master_end(end) {}

  int64_t integer(size_t pos) const { return lp.get(pos).integer; }

  // Reads the entry whose flags are at `pos`: flags, ID, and (when `fields` is not null) the
  // field/value strings. Returns the position of the entry's lp-count element.
  size_t read(size_t pos, int64_t* flags, StreamID* id, std::vector<std::string>* fields) const {
    *flags = integer(pos);
    pos = lp.next(pos);
    id->ms = master.ms + static_cast<uint64_t>(integer(pos));
    pos = lp.next(pos);
    id->seq = master.seq + static_cast<uint64_t>(integer(pos));
    pos = lp.next(pos);
    int64_t n = master_fields;
    bool same = (*flags & StreamObject::kFlagSameFields) != 0;
    if (!same) {
      n = integer(pos);
      pos = lp.next(pos);
    }
    if (fields != nullptr) {
      fields->resize(static_cast<size_t>(n) * 2);
      char buf[32];
      size_t mf = master_fields_pos;
      for (int64_t i = 0; i < n; ++i) {
        std::string& f = (*fields)[static_cast<size_t>(i) * 2];
        std::string& v = (*fields)[static_cast<size_t>(i) * 2 + 1];
        if (same) {
          f.assign(lp.get(mf).view(buf));
          mf = lp.next(mf);
        } else {
          f.assign(lp.get(pos).view(buf));
          pos = lp.next(pos);
        }
        v.assign(lp.get(pos).view(buf));
        pos = lp.next(pos);
      }
    } else {
      for (int64_t i = 0; i < (same ? n : n * 2); ++i) pos = lp.next(pos);
    }
    return pos;
  }

  // The flags position of the entry before the one at `flags_pos`; kEnd at the first.
  size_t prev_entry(size_t flags_pos) const {
    size_t p = lp.prev(flags_pos);
    if (p == master_end) return Listpack::kEnd;
    return entry_start_from_count(p);
  }
  // The flags position of the entry whose lp-count element is at `count_pos`.
  size_t entry_start_from_count(size_t count_pos) const {
    int64_t back = integer(count_pos);
    size_t p = count_pos;
    for (int64_t i = 0; i < back; ++i) p = lp.prev(p);
    return p;
  }
  size_t last_entry() const {
    size_t p = lp.last();
    if (p == master_end) return Listpack::kEnd;
    return entry_start_from_count(p);
  }
};

}  // namespace

// ---- StreamGroup ------------------------------------------------------------------------------

StreamConsumer* StreamGroup::find_consumer(std::string_view name) {
  auto it = consumers.find(std::string(name));
  return it == consumers.end() ? nullptr : it->second.get();
}

StreamConsumer* StreamGroup::create_consumer(std::string_view name, int64_t now_ms) {
  auto [it, inserted] = consumers.try_emplace(std::string(name));
  if (!inserted) return nullptr;
  it->second = std::make_unique<StreamConsumer>();
  it->second->name = std::string(name);
  it->second->seen_time = now_ms;
  return it->second.get();
}

size_t StreamGroup::delete_consumer(StreamConsumer* consumer) {
  size_t pending = consumer->pel.size();
  for (const auto& [id, nack] : consumer->pel) pel.erase(id);
  consumers.erase(consumer->name);
  return pending;
}

bool StreamGroup::ack(const StreamID& id) {
  auto it = pel.find(id);
  if (it == pel.end()) return false;
  it->second.consumer->pel.erase(id);
  pel.erase(it);
  return true;
}

// ---- StreamObject -----------------------------------------------------------------------------

StreamObject::StreamObject(const StreamObject& other)
    : Object(),
      length_(other.length_),
      last_id_(other.last_id_),
      first_id_(other.first_id_),
      max_deleted_id_(other.max_deleted_id_),
      entries_added_(other.entries_added_),
      nodes_(other.nodes_) {
  for (const auto& [name, g] : other.groups_) {
    auto copy = std::make_unique<StreamGroup>();
    copy->last_id = g->last_id;
    copy->entries_read = g->entries_read;
    for (const auto& [cname, c] : g->consumers) {
      StreamConsumer* nc = copy->create_consumer(cname, c->seen_time);
      for (const auto& [id, nack] : c->pel) {
        StreamNack& n = copy->pel[id];
        n = *nack;
        n.consumer = nc;
        nc->pel[id] = &n;
      }
    }
    groups_.emplace(name, std::move(copy));
  }
}

std::unique_ptr<Object> StreamObject::clone() const {
  return std::make_unique<StreamObject>(*this);
}

size_t StreamObject::memory_usage(size_t samples) const {
  (void)samples;
  // Rough equivalent of objectComputeSize: the stream header, a rax node per listpack, the
  // listpacks, and the groups with their PEL and consumers.
  size_t size = 96;
  for (const auto& [id, lp] : nodes_) size += lp.bytes() + 48;
  for (const auto& [name, g] : groups_) {
    size += 64 + name.size() + g->pel.size() * 80;
    for (const auto& [cname, c] : g->consumers) size += 64 + cname.size() + c->pel.size() * 48;
  }
  return size;
}

StreamObject::AddResult StreamObject::add(std::span<const std::string_view> fields_values,
                                          const StreamID* use_id, bool seq_given, int64_t now_ms,
                                          const EncodingLimits& limits, StreamID* added) {
  StreamID id;
  if (use_id != nullptr) {
    if (seq_given) {
      id = *use_id;
    } else if (last_id_.ms == use_id->ms) {
      if (last_id_.seq == UINT64_MAX) return AddResult::kIdTooSmall;
      id = last_id_;
      ++id.seq;
    } else {
      id = *use_id;
    }
  } else {
    uint64_t ms = now_ms > 0 ? static_cast<uint64_t>(now_ms) : 0;
    if (ms > last_id_.ms) {
      id = {ms, 0};
    } else {
      id = last_id_;
      if (!id.increment()) id = {0, 0};
    }
  }
  if (id <= last_id_) return AddResult::kIdTooSmall;

  size_t total = 0;
  for (std::string_view s : fields_values) total += s.size();
  if (total > kMaxEntryBytes) return AddResult::kTooLarge;
  int64_t numfields = static_cast<int64_t>(fields_values.size() / 2);

  Listpack* lp = nullptr;
  StreamID master;
  if (!nodes_.empty()) {
    auto tail = std::prev(nodes_.end());
    size_t max_bytes = limits.stream_node_max_bytes;
    if (max_bytes == 0 || max_bytes > kMaxEntryBytes) max_bytes = kMaxEntryBytes;
    bool new_node = false;
    if (tail->second.bytes() + total >= max_bytes) {
      new_node = true;
    } else if (limits.stream_node_max_entries > 0) {
      size_t p = tail->second.first();
      int64_t count = tail->second.get(p).integer + tail->second.get(tail->second.next(p)).integer;
      if (count >= limits.stream_node_max_entries) new_node = true;
    }
    if (!new_node) {
      lp = &tail->second;
      master = tail->first;
    }
  }

  int64_t flags = 0;
  if (lp == nullptr) {
    master = id;
    lp = &nodes_[id];
    lp->append_int(1);
    lp->append_int(0);
    lp->append_int(numfields);
    for (int64_t i = 0; i < numfields; ++i) lp->append(fields_values[static_cast<size_t>(i) * 2]);
    lp->append_int(0);
    flags |= kFlagSameFields;
  } else {
    size_t p = lp->first();
    int64_t count = lp->get(p).integer;
    p = lp->replace_int(p, count + 1);
    p = lp->next(lp->next(p));
    int64_t master_fields = lp->get(p).integer;
    p = lp->next(p);
    if (master_fields == numfields) {
      int64_t i = 0;
      for (; i < master_fields; ++i) {
        if (!lp->get(p).equals(fields_values[static_cast<size_t>(i) * 2])) break;
        p = lp->next(p);
      }
      if (i == master_fields) flags |= kFlagSameFields;
    }
  }
  bool same = (flags & kFlagSameFields) != 0;
  lp->append_int(flags);
  lp->append_int(static_cast<int64_t>(id.ms - master.ms));
  lp->append_int(static_cast<int64_t>(id.seq - master.seq));
  if (!same) lp->append_int(numfields);
  for (int64_t i = 0; i < numfields; ++i) {
    if (!same) lp->append(fields_values[static_cast<size_t>(i) * 2]);
    lp->append(fields_values[static_cast<size_t>(i) * 2 + 1]);
  }
  lp->append_int(numfields + 3 + (same ? 0 : numfields + 1));

  ++length_;
  ++entries_added_;
  last_id_ = id;
  if (length_ == 1) first_id_ = id;
  if (added != nullptr) *added = id;
  return AddResult::kOk;
}

bool StreamObject::erase(const StreamID& id) {
  auto it = nodes_.upper_bound(id);
  if (it == nodes_.begin()) return false;
  --it;
  Listpack& lp = it->second;
  size_t flags_pos = Listpack::kEnd;
  int64_t flags = 0;
  {
    NodeView node(it->first, lp);
    for (size_t p = node.first_entry; p != Listpack::kEnd;) {
      StreamID cur;
      size_t count_pos = node.read(p, &flags, &cur, nullptr);
      if (cur == id) {
        if (flags & kFlagDeleted) return false;
        flags_pos = p;
        break;
      }
      if (cur > id) return false;
      p = lp.next(count_pos);
    }
  }
  if (flags_pos == Listpack::kEnd) return false;
  size_t p = lp.first();
  int64_t live = lp.get(p).integer;
  if (live == 1) {
    nodes_.erase(it);
  } else {
    lp.replace_int(flags_pos, flags | kFlagDeleted);
    p = lp.replace_int(lp.first(), live - 1);
    p = lp.next(p);
    lp.replace_int(p, lp.get(p).integer + 1);
  }
  --length_;
  if (id > max_deleted_id_) max_deleted_id_ = id;
  if (length_ == 0) {
    first_id_ = {0, 0};
  } else if (id == first_id_) {
    edge_id(true, &first_id_);
  }
  return true;
}

int64_t StreamObject::trim(const StreamTrimArgs& args) {
  if (args.strategy == StreamTrimArgs::Strategy::kNone) return 0;
  const bool by_len = args.strategy == StreamTrimArgs::Strategy::kMaxLen;
  int64_t deleted = 0;
  auto it = nodes_.begin();
  while (it != nodes_.end()) {
    if (by_len && length_ <= args.maxlen) break;
    Listpack& lp = it->second;
    int64_t entries = lp.get(lp.first()).integer;
    if (args.limit && deleted + entries > args.limit) break;
    bool remove_node;
    if (by_len) {
      remove_node = length_ - static_cast<uint64_t>(entries) >= args.maxlen;
    } else {
      NodeView node(it->first, lp);
      StreamID last;
      int64_t flags;
      node.read(node.last_entry(), &flags, &last, nullptr);
      remove_node = last < args.minid;
    }
    if (remove_node) {
      it = nodes_.erase(it);
      length_ -= static_cast<uint64_t>(entries);
      deleted += entries;
      continue;
    }
    if (args.approx) break;

    // Mark entries of this node deleted one by one.
    int64_t deleted_here = 0;
    size_t p;
    {
      NodeView node(it->first, lp);
      p = node.first_entry;
    }
    while (p != Listpack::kEnd) {
      NodeView node(it->first, lp);
      int64_t flags;
      StreamID cur;
      size_t count_pos = node.read(p, &flags, &cur, nullptr);
      bool stop = by_len ? length_ <= args.maxlen : cur >= args.minid;
      if (stop) break;
      if (!(flags & kFlagDeleted)) {
        // Replacing the flags may change the element's size: continue from the returned
        // position, re-reading the entry to find the next one.
        size_t q = lp.replace_int(p, flags | kFlagDeleted);
        ++deleted_here;
        --length_;
        NodeView again(it->first, lp);
        count_pos = again.read(q, &flags, &cur, nullptr);
      }
      p = lp.next(count_pos);
    }
    deleted += deleted_here;
    size_t q = lp.replace_int(lp.first(), entries - deleted_here);
    q = lp.next(q);
    lp.replace_int(q, lp.get(q).integer + deleted_here);
    break;
  }
  if (length_ == 0) {
    first_id_ = {0, 0};
  } else if (deleted) {
    edge_id(true, &first_id_);
  }
  return deleted;
}

bool StreamObject::contains(const StreamID& id) const {
  Iterator it(*this, id, id, false);
  StreamID found;
  return it.next(&found, nullptr);
}

bool StreamObject::edge_id(bool first, StreamID* id) const {
  Iterator it(*this, StreamID::min(), StreamID::max(), !first);
  return it.next(id, nullptr);
}

bool StreamObject::range_has_tombstones(const StreamID* start, const StreamID* end) const {
  if (length_ == 0 || max_deleted_id_.is_zero()) return false;
  if (first_id_ > max_deleted_id_) return false;
  StreamID s = start != nullptr ? *start : StreamID::min();
  StreamID e = end != nullptr ? *end : StreamID::max();
  return s <= max_deleted_id_ && max_deleted_id_ <= e;
}

int64_t StreamObject::estimate_distance_from_first_ever_entry(const StreamID& id) const {
  if (entries_added_ == 0) return 0;
  if (length_ == 0 && id <= last_id_) return static_cast<int64_t>(entries_added_);
  if (id == last_id_) return static_cast<int64_t>(entries_added_);
  if (id > last_id_) return StreamGroup::kInvalidEntriesRead;
  if (max_deleted_id_.is_zero() || max_deleted_id_ < first_id_) {
    if (id < first_id_) return static_cast<int64_t>(entries_added_ - length_);
    if (id == first_id_) return static_cast<int64_t>(entries_added_ - length_ + 1);
  }
  return StreamGroup::kInvalidEntriesRead;
}

bool StreamObject::group_lag(const StreamGroup& group, int64_t* lag) const {
  if (entries_added_ == 0) {
    *lag = 0;
    return true;
  }
  if (group.entries_read != StreamGroup::kInvalidEntriesRead &&
      !range_has_tombstones(&group.last_id, nullptr)) {
    *lag = static_cast<int64_t>(entries_added_) - group.entries_read;
    return true;
  }
  int64_t read = estimate_distance_from_first_ever_entry(group.last_id);
  if (read == StreamGroup::kInvalidEntriesRead) return false;
  *lag = static_cast<int64_t>(entries_added_) - read;
  return true;
}

// ---- Iterator ---------------------------------------------------------------------------------

StreamObject::Iterator::Iterator(const StreamObject& stream, const StreamID& start,
                                 const StreamID& end, bool rev)
    : s_(stream), start_(start), end_(end), rev_(rev) {
  if (start_ > end_ || s_.nodes_.empty()) {
    done_ = true;
    return;
  }
  if (!rev_) {
    // The node that may hold `start`: the last one whose master ID is <= start.
    node_ = s_.nodes_.upper_bound(start_);
    if (node_ != s_.nodes_.begin()) --node_;
  } else {
    node_ = s_.nodes_.upper_bound(end_);
    if (node_ == s_.nodes_.begin()) {
      done_ = true;
      return;
    }
    --node_;
  }
}

bool StreamObject::Iterator::enter_node() {
  NodeView node(node_->first, node_->second);
  master_fields_ = node.master_fields;
  master_fields_pos_ = node.master_fields_pos;
  master_end_ = node.master_end;
  pos_ = rev_ ? node.last_entry() : node.first_entry;
  return pos_ != Listpack::kEnd;
}

bool StreamObject::Iterator::next(StreamID* id, std::vector<std::string>* fields) {
  while (!done_) {
    if (!in_node_) {
      if (!enter_node()) {
        // An empty node cannot exist, but be safe.
        in_node_ = false;
      } else {
        in_node_ = true;
      }
      if (!in_node_) {
        if (rev_) {
          if (node_ == s_.nodes_.begin()) {
            done_ = true;
          } else {
            --node_;
          }
        } else if (++node_ == s_.nodes_.end()) {
          done_ = true;
        }
        continue;
      }
    }
    NodeView node(node_->first, node_->second, master_fields_, master_fields_pos_, master_end_);
    int64_t flags;
    StreamID cur;
    size_t count_pos = node.read(pos_, &flags, &cur, nullptr);
    size_t this_pos = pos_;
    pos_ = rev_ ? node.prev_entry(pos_) : node.lp.next(count_pos);
    if (pos_ == Listpack::kEnd) {
      in_node_ = false;
      if (rev_) {
        if (node_ == s_.nodes_.begin()) {
          done_ = true;
        } else {
          --node_;
        }
      } else if (++node_ == s_.nodes_.end()) {
        done_ = true;
      }
    }
    if (!rev_) {
      if (cur > end_) {
        done_ = true;
        return false;
      }
      if (cur < start_) continue;
    } else {
      if (cur < start_) {
        done_ = true;
        return false;
      }
      if (cur > end_) continue;
    }
    if (flags & kFlagDeleted) continue;
    *id = cur;
    if (fields != nullptr) node.read(this_pos, &flags, &cur, fields);
    return true;
  }
  return false;
}

// ---- groups -----------------------------------------------------------------------------------

StreamGroup* StreamObject::find_group(std::string_view name) {
  auto it = groups_.find(std::string(name));
  return it == groups_.end() ? nullptr : it->second.get();
}

StreamGroup* StreamObject::create_group(std::string_view name, const StreamID& last_id,
                                        int64_t entries_read) {
  auto [it, inserted] = groups_.try_emplace(std::string(name));
  if (!inserted) return nullptr;
  it->second = std::make_unique<StreamGroup>();
  it->second->last_id = last_id;
  it->second->entries_read = entries_read;
  return it->second.get();
}

bool StreamObject::destroy_group(std::string_view name) {
  return groups_.erase(std::string(name)) > 0;
}

// ---- RDB support ------------------------------------------------------------------------------

void StreamObject::adopt_node(const StreamID& master, Listpack lp, uint64_t live) {
  (void)live;
  nodes_.insert_or_assign(master, std::move(lp));
}

bool StreamObject::validate_node(const StreamID& master, const Listpack& lp, uint64_t* live,
                                 StreamID* last) {
  auto int_at = [&](size_t pos, int64_t* v) {
    if (pos == Listpack::kEnd) return false;
    ListpackValue val = lp.get(pos);
    if (!val.is_int()) return false;
    *v = val.integer;
    return true;
  };
  size_t p = lp.first();
  int64_t count, deleted, master_fields, zero;
  if (!int_at(p, &count) || count < 0) return false;
  p = lp.next(p);
  if (!int_at(p, &deleted) || deleted < 0) return false;
  p = lp.next(p);
  if (!int_at(p, &master_fields) || master_fields < 0) return false;
  p = lp.next(p);
  for (int64_t i = 0; i < master_fields; ++i) {
    if (p == Listpack::kEnd) return false;
    p = lp.next(p);
  }
  if (!int_at(p, &zero) || zero != 0) return false;
  p = lp.next(p);
  int64_t seen_live = 0, seen_deleted = 0;
  bool have_prev = false;
  StreamID prev;
  while (p != Listpack::kEnd) {
    int64_t flags, ms_delta, seq_delta, n;
    size_t start = p;
    if (!int_at(p, &flags)) return false;
    p = lp.next(p);
    if (!int_at(p, &ms_delta)) return false;
    p = lp.next(p);
    if (!int_at(p, &seq_delta)) return false;
    p = lp.next(p);
    int64_t elements = 3;
    if (flags & kFlagSameFields) {
      n = master_fields;
      for (int64_t i = 0; i < n; ++i) {
        if (p == Listpack::kEnd) return false;
        p = lp.next(p);
      }
      elements += n;
    } else {
      if (!int_at(p, &n) || n < 0) return false;
      p = lp.next(p);
      for (int64_t i = 0; i < n * 2; ++i) {
        if (p == Listpack::kEnd) return false;
        p = lp.next(p);
      }
      elements += 1 + n * 2;
    }
    int64_t lp_count;
    if (!int_at(p, &lp_count) || lp_count != elements) return false;
    size_t back = p;
    for (int64_t i = 0; i < lp_count; ++i) back = lp.prev(back);
    if (back != start) return false;
    p = lp.next(p);
    StreamID id{master.ms + static_cast<uint64_t>(ms_delta),
                master.seq + static_cast<uint64_t>(seq_delta)};
    if (id < master || (have_prev && id <= prev)) return false;
    have_prev = true;
    prev = id;
    if (flags & kFlagDeleted) {
      ++seen_deleted;
    } else {
      ++seen_live;
    }
  }
  if (!have_prev || seen_live != count || seen_deleted != deleted || count == 0) return false;
  *live = static_cast<uint64_t>(count);
  *last = prev;
  return true;
}

}  // namespace zakros::store

// ListObject: see list_object.h. The node rules (when to fill a node, split, merge) follow
// Redis 7.0's quicklist.c so that the nodes, and hence DUMP payloads, come out the same.
#include "store/list_object.h"

#include <cassert>
#include <cstdint>
#include <iterator>

namespace zakros::store {

namespace {

constexpr size_t kDefaultPackedThreshold = size_t{1} << 30;
size_t g_packed_threshold = kDefaultPackedThreshold;

// quicklist.c: node size caps for fill -1..-5, the safety limit for count-based fills, and the
// per-element overhead estimate of a push.
constexpr size_t kOptimizationLevel[] = {4096, 8192, 16384, 32768, 65536};
constexpr size_t kSizeSafetyLimit = 8192;
constexpr size_t kSizeEstimateOverhead = 8;
constexpr int kFillMax = 1 << 15;

bool is_large(size_t sz) {
  return sz >= g_packed_threshold;
}

// _quicklistNodeSizeMeetsOptimizationRequirement.
bool meets_size_level(size_t sz, int fill) {
  if (fill >= 0) return false;
  size_t offset = static_cast<size_t>(-fill) - 1;
  return offset < std::size(kOptimizationLevel) && sz <= kOptimizationLevel[offset];
}

bool fits(size_t new_sz, size_t new_count, int fill, bool inclusive) {
  if (meets_size_level(new_sz, fill)) return true;
  if (new_sz > kSizeSafetyLimit) return false;
  long f = fill;
  long c = static_cast<long>(new_count);
  return inclusive ? c <= f : c < f;
}

std::string element_at(const Listpack& lp, size_t pos) {
  char buf[ListObject::kValueBufSize];
  return std::string(lp.get(pos).view(buf));
}

}  // namespace

size_t ListObject::packed_threshold() {
  return g_packed_threshold;
}

bool ListObject::set_packed_threshold(uint64_t bytes) {
  // quicklistisSetPackedThreshold: the value must fit the listpack's 32-bit lengths.
  if (bytes > (uint64_t{1} << 32) - (uint64_t{1} << 20)) return false;
  g_packed_threshold = bytes == 0 ? kDefaultPackedThreshold : static_cast<size_t>(bytes);
  return true;
}

std::unique_ptr<ListObject> ListObject::create(int fill) {
  return std::make_unique<ListObject>(fill);
}

ListObject::ListObject(int fill) : fill_(fill > kFillMax ? kFillMax : fill < -5 ? -5 : fill) {}

std::unique_ptr<Object> ListObject::clone() const {
  auto copy = std::make_unique<ListObject>(fill_);
  copy->nodes_ = nodes_;
  copy->count_ = count_;
  return copy;
}

size_t ListObject::memory_usage(size_t samples) const {
  // As objectComputeSize: the object, plus the average of the sampled nodes times the number
  // of nodes. A std::list node carries two pointers besides our Node.
  constexpr size_t kNodeOverhead = sizeof(Node) + 2 * sizeof(void*);
  size_t total = sizeof(*this);
  if (nodes_.empty()) return total;
  size_t sampled = 0, bytes = 0;
  for (const Node& n : nodes_) {
    bytes += kNodeOverhead + n.lp.bytes();
    if (++sampled == samples) break;
  }
  return total + static_cast<size_t>(static_cast<double>(bytes) / static_cast<double>(sampled) *
                                     static_cast<double>(nodes_.size()));
}

// ---- node rules ---------------------------------------------------------------------------------

bool ListObject::allow_insert(const Node& node, size_t sz) const {
  if (node.plain || is_large(sz)) return false;
  return fits(node.lp.bytes() + sz + kSizeEstimateOverhead, node.lp.size(), fill_, false);
}

bool ListObject::allow_merge(const Node& a, const Node& b) const {
  if (a.plain || b.plain) return false;
  // The merged size without one header and terminator (quicklist.c subtracts 11).
  size_t merged = a.lp.bytes() + b.lp.bytes() - 11;
  return fits(merged, a.lp.size() + b.lp.size(), fill_, true);
}

ListObject::Node ListObject::make_plain(std::string_view value) {
  Node n;
  n.plain = true;
  n.lp.append_string(value);
  return n;
}

ListObject::Node ListObject::make_packed(std::string_view value) {
  Node n;
  n.lp.append(value);
  return n;
}

// ---- the ends -----------------------------------------------------------------------------------

void ListObject::push_front(std::string_view value) {
  if (is_large(value.size())) {
    nodes_.push_front(make_plain(value));
  } else if (!nodes_.empty() && allow_insert(nodes_.front(), value.size())) {
    nodes_.front().lp.prepend(value);
  } else {
    nodes_.push_front(make_packed(value));
  }
  ++count_;
}

void ListObject::push_back(std::string_view value) {
  if (is_large(value.size())) {
    nodes_.push_back(make_plain(value));
  } else if (!nodes_.empty() && allow_insert(nodes_.back(), value.size())) {
    nodes_.back().lp.append(value);
  } else {
    nodes_.push_back(make_packed(value));
  }
  ++count_;
}

bool ListObject::pop_front(std::string* out) {
  if (nodes_.empty()) return false;
  NodeIt it = nodes_.begin();
  size_t pos = it->lp.first();
  *out = element_at(it->lp, pos);
  bool dropped;
  erase_at(it, pos, &dropped);
  return true;
}

bool ListObject::pop_back(std::string* out) {
  if (nodes_.empty()) return false;
  NodeIt it = std::prev(nodes_.end());
  size_t pos = it->lp.last();
  *out = element_at(it->lp, pos);
  bool dropped;
  erase_at(it, pos, &dropped);
  return true;
}

size_t ListObject::erase_at(NodeIt& node, size_t pos, bool* node_dropped) {
  --count_;
  if (node->plain || node->lp.size() == 1) {
    node = nodes_.erase(node);
    *node_dropped = true;
    return Listpack::kEnd;
  }
  *node_dropped = false;
  return node->lp.erase(pos);
}

// ---- by index -----------------------------------------------------------------------------------

ListObject::Position ListObject::locate(size_t index) {
  assert(index < count_);
  // Walk from the nearer end, as quicklistGetIteratorAtIdx does.
  if (index < count_ / 2 + 1) {
    NodeIt it = nodes_.begin();
    while (index >= it->lp.size()) index -= (it++)->lp.size();
    return Position{it, index};
  }
  size_t from_tail = count_ - 1 - index;
  NodeIt it = std::prev(nodes_.end());
  while (from_tail >= it->lp.size()) from_tail -= (it--)->lp.size();
  return Position{it, it->lp.size() - 1 - from_tail};
}

bool ListObject::get(long index, std::string* out) const {
  long n = static_cast<long>(count_);
  if (index < 0) index += n;
  if (index < 0 || index >= n) return false;
  const auto [it, offset] = const_cast<ListObject*>(this)->locate(static_cast<size_t>(index));
  *out = element_at(it->lp, it->lp.seek(static_cast<long>(offset)));
  return true;
}

bool ListObject::set(long index, std::string_view value) {
  long n = static_cast<long>(count_);
  if (index < 0) index += n;
  if (index < 0 || index >= n) return false;
  auto [it, offset] = locate(static_cast<size_t>(index));
  size_t pos = it->lp.seek(static_cast<long>(offset));
  bool large = is_large(value.size());
  if (!it->plain && !large) {
    it->lp.replace(pos, value);
  } else if (it->plain) {
    if (large) {
      *it = make_plain(value);
    } else {
      insert_at(it, 0, pos, value, true);
      nodes_.erase(it);
      --count_;
    }
  } else {
    // A large value into a packed node: insert it after (splitting the node so that the
    // replaced element ends it), then delete the node's last element.
    insert_at(it, offset, pos, value, true);
    bool dropped;
    erase_at(it, it->lp.last(), &dropped);
  }
  return true;
}

void ListObject::erase_range(long start, long count) {
  if (count <= 0) return;
  long n = static_cast<long>(count_);
  unsigned long extent = static_cast<unsigned long>(count);
  if (start >= 0 && extent > static_cast<unsigned long>(n - start)) {
    extent = static_cast<unsigned long>(n - start);
  } else if (start < 0 && extent > static_cast<unsigned long>(-start)) {
    extent = static_cast<unsigned long>(-start);
  }
  long index = start < 0 ? start + n : start;
  if (index < 0 || index >= n) return;
  auto [it, offset] = locate(static_cast<size_t>(index));
  while (extent > 0 && it != nodes_.end()) {
    size_t c = it->lp.size();
    size_t del = c - offset < extent ? c - offset : extent;
    if ((offset == 0 && del == c) || it->plain) {
      it = nodes_.erase(it);
    } else {
      it->lp.erase_range_index(static_cast<long>(offset), del);
      ++it;
    }
    count_ -= del;
    extent -= del;
    offset = 0;
  }
}

// ---- insertion in the middle (quicklist.c _quicklistInsert) ------------------------------------

ListObject::Node ListObject::split(Node& node, size_t offset, bool after) {
  Node other = node;
  if (after) {
    node.lp.erase_range_index(static_cast<long>(offset) + 1, SIZE_MAX);
    other.lp.erase_range_index(0, offset + 1);
  } else {
    node.lp.erase_range_index(0, offset);
    other.lp.erase_range_index(static_cast<long>(offset), SIZE_MAX);
  }
  return other;
}

ListObject::NodeIt ListObject::merge(NodeIt a, NodeIt b) {
  a->lp.append_all(b->lp);
  nodes_.erase(b);
  return a;
}

void ListObject::merge_around(NodeIt center) {
  auto has_prev = [&](NodeIt it) { return it != nodes_.end() && it != nodes_.begin(); };
  auto has_next = [&](NodeIt it) { return it != nodes_.end() && std::next(it) != nodes_.end(); };
  NodeIt end = nodes_.end();
  NodeIt prev = has_prev(center) ? std::prev(center) : end;
  NodeIt prev_prev = has_prev(prev) ? std::prev(prev) : end;
  NodeIt next = has_next(center) ? std::next(center) : end;
  NodeIt next_next = has_next(next) ? std::next(next) : end;

  if (prev != end && prev_prev != end && allow_merge(*prev, *prev_prev)) merge(prev_prev, prev);
  if (next != end && next_next != end && allow_merge(*next, *next_next)) merge(next, next_next);
  NodeIt target = center;
  if (has_prev(center) && allow_merge(*center, *std::prev(center))) {
    target = merge(std::prev(center), center);
  }
  if (has_next(target) && allow_merge(*target, *std::next(target))) {
    merge(target, std::next(target));
  }
}

void ListObject::insert_at(NodeIt node, size_t offset, size_t pos, std::string_view value,
                           bool after) {
  size_t sz = value.size();
  size_t node_count = node->lp.size();
  bool full = !allow_insert(*node, sz);
  bool at_tail = after && offset == node_count - 1;
  bool at_head = !after && offset == 0;
  NodeIt next = std::next(node);
  bool avail_next = at_tail && next != nodes_.end() && allow_insert(*next, sz);
  bool avail_prev = at_head && node != nodes_.begin() && allow_insert(*std::prev(node), sz);
  ++count_;

  if (is_large(sz)) {
    if (node->plain || at_tail || at_head) {
      nodes_.insert(after ? next : node, make_plain(value));
    } else {
      Node rest = split(*node, offset, after);
      if (after) {
        NodeIt plain = nodes_.insert(next, make_plain(value));
        nodes_.insert(std::next(plain), std::move(rest));
      } else {
        NodeIt plain = nodes_.insert(node, make_plain(value));
        nodes_.insert(plain, std::move(rest));
      }
    }
    return;
  }

  if (!full) {
    if (after) {
      node->lp.insert_after(pos, value);
    } else {
      node->lp.insert_before(pos, value);
    }
  } else if (at_tail && avail_next) {
    next->lp.prepend(value);
  } else if (at_head && avail_prev) {
    std::prev(node)->lp.append(value);
  } else if (at_tail || at_head) {
    nodes_.insert(after ? next : node, make_packed(value));
  } else {
    Node rest = split(*node, offset, after);
    if (after) {
      rest.lp.prepend(value);
      nodes_.insert(next, std::move(rest));
    } else {
      rest.lp.append(value);
      nodes_.insert(node, std::move(rest));
    }
    merge_around(node);
  }
}

// ---- by value -----------------------------------------------------------------------------------

bool ListObject::insert(std::string_view pivot, std::string_view value, bool after) {
  for (NodeIt it = nodes_.begin(); it != nodes_.end(); ++it) {
    size_t offset = 0;
    for (size_t p = it->lp.first(); p != Listpack::kEnd; p = it->lp.next(p), ++offset) {
      if (it->lp.get(p).equals(pivot)) {
        insert_at(it, offset, p, value, after);
        return true;
      }
    }
  }
  return false;
}

size_t ListObject::remove(std::string_view value, long count) {
  size_t removed = 0;
  size_t limit = count == 0 ? SIZE_MAX : static_cast<size_t>(count < 0 ? -count : count);
  if (count >= 0) {
    NodeIt it = nodes_.begin();
    while (it != nodes_.end()) {
      size_t p = it->lp.first();
      bool dropped = false;
      while (p != Listpack::kEnd) {
        if (it->lp.get(p).equals(value)) {
          p = erase_at(it, p, &dropped);
          if (++removed == limit) return removed;
          if (dropped) break;
        } else {
          p = it->lp.next(p);
        }
      }
      if (!dropped) ++it;
    }
  } else {
    NodeIt it = nodes_.end();
    while (it != nodes_.begin()) {
      --it;
      size_t p = it->lp.last();
      while (p != Listpack::kEnd) {
        size_t before = it->lp.prev(p);
        if (it->lp.get(p).equals(value)) {
          bool dropped;
          erase_at(it, p, &dropped);
          if (++removed == limit) return removed;
          if (dropped) break;  // `it` now points past the dropped node
        }
        p = before;
      }
    }
  }
  return removed;
}

// ---- nodes (RDB) --------------------------------------------------------------------------------

void ListObject::append_listpack_node(Listpack lp) {
  size_t n = lp.size();
  if (n == 0) return;
  Node node;
  node.lp = std::move(lp);
  nodes_.push_back(std::move(node));
  count_ += n;
}

void ListObject::append_plain_node(std::string_view element) {
  nodes_.push_back(make_plain(element));
  ++count_;
}

}  // namespace zakros::store

#include "store/rdb_stream.h"

#include <cstring>
#include <string>

namespace zakros::store::rdb {

namespace {

// streamEncodeID: the ID as a 128-bit big-endian number.
void encode_id(const StreamID& id, unsigned char out[16]) {
  for (int i = 0; i < 8; ++i) {
    out[i] = static_cast<unsigned char>(id.ms >> (56 - 8 * i));
    out[8 + i] = static_cast<unsigned char>(id.seq >> (56 - 8 * i));
  }
}

StreamID decode_id(const unsigned char in[16]) {
  StreamID id;
  for (int i = 0; i < 8; ++i) {
    id.ms = (id.ms << 8) | in[i];
    id.seq = (id.seq << 8) | in[8 + i];
  }
  return id;
}

void write_raw_id(RdbWriter& w, const StreamID& id) {
  unsigned char buf[16];
  encode_id(id, buf);
  w.write_raw(buf, sizeof(buf));
}

bool read_raw_id(RdbReader& r, StreamID* id) {
  unsigned char buf[16];
  if (!r.read_raw(buf, sizeof(buf))) return false;
  *id = decode_id(buf);
  return true;
}

}  // namespace

void save_stream(RdbWriter& w, const Object& object) {
  const auto& s = static_cast<const StreamObject&>(object);
  w.write_len(s.nodes().size());
  for (const auto& [master, lp] : s.nodes()) {
    unsigned char key[16];
    encode_id(master, key);
    w.write_blob(std::string_view(reinterpret_cast<const char*>(key), sizeof(key)));
    w.write_blob(lp.data());
  }
  w.write_len(s.length());
  w.write_len(s.last_id().ms);
  w.write_len(s.last_id().seq);
  w.write_len(s.first_id().ms);
  w.write_len(s.first_id().seq);
  w.write_len(s.max_deleted_id().ms);
  w.write_len(s.max_deleted_id().seq);
  w.write_len(s.entries_added());
  w.write_len(s.groups().size());
  for (const auto& [name, g] : s.groups()) {
    w.write_string(name);
    w.write_len(g->last_id.ms);
    w.write_len(g->last_id.seq);
    w.write_len(static_cast<uint64_t>(g->entries_read));
    w.write_len(g->pel.size());
    for (const auto& [id, nack] : g->pel) {
      write_raw_id(w, id);
      w.write_millis(nack.delivery_time);
      w.write_len(nack.delivery_count);
    }
    w.write_len(g->consumers.size());
    for (const auto& [cname, c] : g->consumers) {
      w.write_string(cname);
      w.write_millis(c->seen_time);
      w.write_len(c->pel.size());
      for (const auto& [id, nack] : c->pel) write_raw_id(w, id);
    }
  }
}

std::unique_ptr<Object> load_stream(RdbReader& r, uint8_t type, const EncodingLimits& limits) {
  (void)limits;
  const bool v2 = type == kTypeStreamListpacks2;
  auto s = std::make_unique<StreamObject>();
  auto fail = [&](std::string_view why) -> std::unique_ptr<Object> {
    r.fail(why);
    return nullptr;
  };
  uint64_t nodes;
  if (!r.read_len_checked(&nodes)) return fail("Stream listpacks len loading failed.");
  uint64_t live_total = 0;
  StreamID max_entry;
  bool have_entry = false;
  std::string key, blob;
  while (nodes--) {
    if (!r.read_string(&key)) return fail("Stream master ID loading failed");
    if (key.size() != 16) return fail("Stream node key entry is not the size of a stream ID");
    StreamID master = decode_id(reinterpret_cast<const unsigned char*>(key.data()));
    if (!r.read_string(&blob)) return fail("Stream listpacks loading failed.");
    size_t count = 0;
    if (!Listpack::validate(blob, true, &count)) {
      return fail("Stream listpack integrity check failed.");
    }
    if (count == 0) return fail("Empty listpack inside stream");
    Listpack lp = Listpack::from_bytes(blob);
    uint64_t live;
    StreamID last;
    if (!StreamObject::validate_node(master, lp, &live, &last)) {
      return fail("Stream listpack integrity check failed.");
    }
    if (s->nodes().count(master) != 0) return fail("Listpack re-added with existing key");
    live_total += live;
    if (!have_entry || last > max_entry) max_entry = last;
    have_entry = true;
    s->adopt_node(master, std::move(lp), live);
  }
  uint64_t length = r.read_len();
  StreamID last_id, first_id, max_deleted;
  last_id.ms = r.read_len();
  last_id.seq = r.read_len();
  uint64_t entries_added = length;
  if (v2) {
    first_id.ms = r.read_len();
    first_id.seq = r.read_len();
    max_deleted.ms = r.read_len();
    max_deleted.seq = r.read_len();
    entries_added = r.read_len();
  }
  if (!r.ok()) return fail("Stream object metadata loading failed.");
  if (length != live_total) return fail("Stream length inconsistent with rax entries");
  if (have_entry && last_id < max_entry) return fail("Stream last ID below its last entry");
  s->set_last_id(last_id);
  s->set_max_deleted_id(max_deleted);
  s->set_entries_added(entries_added);
  s->set_loaded_meta(length, first_id);
  if (!v2) {
    StreamID first;
    s->set_loaded_meta(length, s->edge_id(true, &first) ? first : StreamID::max());
  }

  uint64_t groups;
  if (!r.read_len_checked(&groups)) return fail("Stream cgroup count loading failed.");
  std::string name;
  while (groups--) {
    if (!r.read_string(&name)) return fail("Error reading the consumer group name from Stream");
    StreamID gid;
    gid.ms = r.read_len();
    gid.seq = r.read_len();
    int64_t entries_read;
    if (v2) {
      entries_read = static_cast<int64_t>(r.read_len());
    } else {
      entries_read = s->estimate_distance_from_first_ever_entry(gid);
    }
    if (!r.ok()) return fail("Stream cgroup ID loading failed.");
    StreamGroup* g = s->create_group(name, gid, entries_read);
    if (g == nullptr) return fail("Duplicated consumer group name");
    uint64_t pel;
    if (!r.read_len_checked(&pel)) return fail("Stream PEL size loading failed.");
    while (pel--) {
      StreamID id;
      if (!read_raw_id(r, &id)) return fail("Stream PEL ID loading failed.");
      StreamNack nack;
      nack.delivery_time = r.read_millis();
      nack.delivery_count = r.read_len();
      nack.consumer = nullptr;
      if (!r.ok()) return fail("Stream PEL NACK loading failed.");
      if (!g->pel.emplace(id, nack).second) {
        return fail("Duplicated global PEL entry loading stream consumer group");
      }
    }
    uint64_t consumers;
    if (!r.read_len_checked(&consumers)) return fail("Stream consumers num loading failed.");
    while (consumers--) {
      if (!r.read_string(&name)) {
        return fail("Error reading the consumer name from Stream group.");
      }
      StreamConsumer* c = g->create_consumer(name, 0);
      if (c == nullptr) return fail("Duplicate stream consumer detected.");
      c->seen_time = r.read_millis();
      if (!r.ok()) return fail("Stream short read reading seen time.");
      uint64_t cpel;
      if (!r.read_len_checked(&cpel)) return fail("Stream consumer PEL num loading failed.");
      while (cpel--) {
        StreamID id;
        if (!read_raw_id(r, &id)) return fail("Stream short read reading PEL streamID.");
        auto it = g->pel.find(id);
        if (it == g->pel.end()) return fail("Consumer entry not found in group global PEL");
        if (it->second.consumer != nullptr) {
          return fail("Stream consumer PEL entry already has a consumer assigned");
        }
        it->second.consumer = c;
        c->pel.emplace(id, &it->second);
      }
    }
    for (const auto& [id, nack] : g->pel) {
      if (nack.consumer == nullptr) return fail("Stream CG PEL entry without consumer");
    }
  }
  return s;
}

}  // namespace zakros::store::rdb

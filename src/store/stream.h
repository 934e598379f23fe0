// Stream: Redis 7.0's append-only log of field/value entries with consumer groups (t_stream.c).
//
// Storage is Redis's own, so that RDB (RDB_TYPE_STREAM_LISTPACKS_2) copies nodes as opaque blobs
// and MAXLEN ~ / MINID ~ trim at exactly the node boundaries Redis would:
//
//   nodes_: ordered map master-ID -> Listpack (Redis keeps a rax keyed by the 128-bit big-endian
//   ID, the same order). A node holds at most stream-node-max-entries entries (live + deleted)
//   and stream-node-max-bytes bytes; XADD opens a new node when the tail node is full.
//
//   Node layout (every number an integer element of the listpack):
//     master entry: <count> <deleted> <num-fields> <field-1> ... <field-N> <0>
//       count/deleted = live / deleted-flagged entries of the node; the master fields are the
//       fields of the node's first entry, kept even after that entry is deleted.
//     entry:        <flags> <ms-delta> <seq-delta> [<num-fields> <field-1>] <value-1> ...
//                   [<field-N>] <value-N> <lp-count>
//       flags: 1 = deleted, 2 = same fields as the master entry (then only the values are
//       stored); deltas are relative to the master ID (seq-delta as a wrapped int64);
//       lp-count = elements of the entry before itself, so the node can be walked backwards.
//   Deleting an entry only sets its deleted flag; a node whose live count reaches 0 is removed.
//
// Consumer groups (ordered by name as Redis's rax), each with its last-delivered ID, its logical
// entries-read counter, the PEL (pending entries: delivery time and count, owning consumer) and
// the consumers (ordered by name), each with its own PEL view and seen-time.
//
// Who calls it: commands/streams*.cc (all X* commands) and store/rdb_stream.cc. Times are always
// passed in by the caller (ExecContext::now_ms); nothing here reads a clock.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/encoding_limits.h"
#include "store/listpack.h"
#include "store/object.h"

namespace zakros::store {

struct StreamID {
  uint64_t ms = 0;
  uint64_t seq = 0;

  auto operator<=>(const StreamID&) const = default;
  bool is_zero() const { return ms == 0 && seq == 0; }
  static constexpr StreamID min() { return {0, 0}; }
  static constexpr StreamID max() { return {UINT64_MAX, UINT64_MAX}; }
  // "ms-seq".
  std::string to_string() const;
  // streamIncrID / streamDecrID: false (and unchanged) at the maximum / minimum.
  bool increment();
  bool decrement();
};

// Parses "<ms>-<seq>" or "<ms>" (seq = missing_seq) with Redis's string2ull, as
// streamGenericParseIDOrReply does after its "-"/"+" special cases (which callers handle). When
// `seq_given` is not null, "<ms>-*" is accepted and sets *seq_given false. False on bad input.
bool parse_stream_id(std::string_view text, uint64_t missing_seq, StreamID* id,
                     bool* seq_given = nullptr);

struct StreamConsumer;

// A pending entry of a group's PEL (streamNACK).
struct StreamNack {
  int64_t delivery_time = 0;  // ms, last time delivered
  uint64_t delivery_count = 1;
  StreamConsumer* consumer = nullptr;  // the owner
};

struct StreamConsumer {
  std::string name;
  int64_t seen_time = 0;  // ms, last time the consumer was active
  // The consumer's pending entries; the NACKs are owned by the group's PEL.
  std::map<StreamID, StreamNack*> pel;
};

struct StreamGroup {
  static constexpr int64_t kInvalidEntriesRead = -1;  // SCG_INVALID_ENTRIES_READ

  StreamID last_id;  // last delivered ID
  int64_t entries_read = kInvalidEntriesRead;
  std::map<StreamID, StreamNack> pel;
  std::map<std::string, std::unique_ptr<StreamConsumer>> consumers;

  StreamConsumer* find_consumer(std::string_view name);
  // Creates the consumer unless it exists; null when it exists.
  StreamConsumer* create_consumer(std::string_view name, int64_t now_ms);
  // Deletes the consumer and its pending entries (from the group PEL too). Returns how many
  // entries it had pending.
  size_t delete_consumer(StreamConsumer* consumer);
  // Removes one entry from the group PEL and its owner's PEL; false if not pending.
  bool ack(const StreamID& id);
};

// The trimming part of XADD / XTRIM (streamAddTrimArgs).
struct StreamTrimArgs {
  enum class Strategy : uint8_t { kNone, kMaxLen, kMinId };
  Strategy strategy = Strategy::kNone;
  uint64_t maxlen = 0;
  StreamID minid;
  bool approx = false;
  int64_t limit = 0;  // 0 = no limit
};

class StreamObject : public Object {
 public:
  static constexpr int64_t kFlagDeleted = 1;
  static constexpr int64_t kFlagSameFields = 2;
  // STREAM_LISTPACK_MAX_SIZE: the largest total of field/value bytes one entry may have.
  static constexpr size_t kMaxEntryBytes = size_t{1} << 30;

  StreamObject() = default;
  StreamObject(const StreamObject& other);
  ValueType type() const override { return ValueType::kStream; }
  Encoding encoding() const override { return Encoding::kStream; }
  std::unique_ptr<Object> clone() const override;
  size_t memory_usage(size_t samples) const override;

  // ---- metadata ----
  uint64_t length() const { return length_; }
  const StreamID& last_id() const { return last_id_; }
  const StreamID& first_id() const { return first_id_; }
  const StreamID& max_deleted_id() const { return max_deleted_id_; }
  uint64_t entries_added() const { return entries_added_; }
  void set_last_id(const StreamID& id) { last_id_ = id; }
  void set_max_deleted_id(const StreamID& id) { max_deleted_id_ = id; }
  void set_entries_added(uint64_t n) { entries_added_ = n; }

  // ---- entries ----
  enum class AddResult : uint8_t {
    kOk,
    kIdTooSmall,  // the ID is not greater than the last ID (or its sequence would overflow)
    kTooLarge,    // the entry's bytes exceed kMaxEntryBytes
  };
  // streamAppendItem. `fields_values` alternates field, value. `use_id` null = "*" (next ID
  // from now_ms); with !seq_given, "<ms>-*". Sets *added on success; updates last_id,
  // first_id (when it was empty), entries_added.
  AddResult add(std::span<const std::string_view> fields_values, const StreamID* use_id,
                bool seq_given, int64_t now_ms, const EncodingLimits& limits, StreamID* added);
  // XDEL of one ID: true if it was a live entry. Updates length, max_deleted_id and first_id.
  bool erase(const StreamID& id);
  // streamTrim: returns the number of entries removed; updates first_id.
  int64_t trim(const StreamTrimArgs& args);
  // True when `id` is a live entry.
  bool contains(const StreamID& id) const;
  // streamGetEdgeID skipping tombstones: the first (or last) live ID; false when empty.
  bool edge_id(bool first, StreamID* id) const;

  // streamRangeHasTombstones / streamEstimateDistanceFromFirstEverEntry (null = unknown, -1).
  bool range_has_tombstones(const StreamID* start, const StreamID* end) const;
  int64_t estimate_distance_from_first_ever_entry(const StreamID& id) const;
  // The lag XINFO reports for a group; false when it cannot be computed (null reply).
  bool group_lag(const StreamGroup& group, int64_t* lag) const;

  // Iterates the live entries with start <= ID <= end, forwards or backwards. The stream must
  // not change while an iterator is in use.
  class Iterator {
   public:
    Iterator(const StreamObject& stream, const StreamID& start, const StreamID& end, bool rev);
    // The next entry: its ID and, if `fields` is not null, field1, value1, field2, ...
    bool next(StreamID* id, std::vector<std::string>* fields);

   private:
    bool enter_node();  // positions pos_ on the first (or last) entry of node_; false if none
    const StreamObject& s_;
    StreamID start_, end_;
    bool rev_;
    bool done_ = false;
    bool in_node_ = false;
    std::map<StreamID, Listpack>::const_iterator node_;
    size_t pos_ = Listpack::kEnd;  // flags element of the current entry
    // The current node's master entry, read once per node (not once per entry).
    int64_t master_fields_ = 0;
    size_t master_fields_pos_ = Listpack::kEnd;
    size_t master_end_ = Listpack::kEnd;
  };

  // ---- consumer groups ----
  StreamGroup* find_group(std::string_view name);
  const std::map<std::string, std::unique_ptr<StreamGroup>>& groups() const { return groups_; }
  // Null when the group exists.
  StreamGroup* create_group(std::string_view name, const StreamID& last_id, int64_t entries_read);
  bool destroy_group(std::string_view name);

  // ---- raw nodes (RDB) ----
  const std::map<StreamID, Listpack>& nodes() const { return nodes_; }
  // Adds a node read from an RDB file after validate_node() accepted it; `live` is its count.
  void adopt_node(const StreamID& master, Listpack lp, uint64_t live);
  // Sets length/first_id after loading (RDB stores length, last ID, first ID ...).
  void set_loaded_meta(uint64_t length, const StreamID& first_id) {
    length_ = length;
    first_id_ = first_id;
  }
  // Deep check of a node from untrusted bytes (streamValidateListpackIntegrity): the master
  // entry, every entry's flags, fields, lp-count, IDs strictly increasing and > `after` and
  // within the node's master. Stores the live count and the last ID. False if malformed.
  static bool validate_node(const StreamID& master, const Listpack& lp, uint64_t* live,
                            StreamID* last);

 private:
  uint64_t length_ = 0;
  StreamID last_id_;
  StreamID first_id_;
  StreamID max_deleted_id_;
  uint64_t entries_added_ = 0;
  std::map<StreamID, Listpack> nodes_;
  std::map<std::string, std::unique_ptr<StreamGroup>> groups_;
};

}  // namespace zakros::store

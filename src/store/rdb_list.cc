// RDB lists: RDB_TYPE_LIST_QUICKLIST_2 (written), and the older RDB_TYPE_LIST,
// RDB_TYPE_LIST_ZIPLIST and RDB_TYPE_LIST_QUICKLIST (read), as Redis 7.0's rdbLoadObject.
//
// A quicklist-2 value is <node count> { <container: 1 plain, 2 packed> <blob> }*: a packed blob
// is the node's listpack (adopted as the node after deep validation, so node boundaries are
// kept as written), a plain blob is one element.
// Built only once the list type exists (rdb_value.cc detects the same header).
#if __has_include("store/list_object.h")
#include <vector>

#include "store/list_object.h"
#include "store/rdb.h"

namespace zakros::store::rdb {

using detail::mark_empty;

void save_list(RdbWriter& w, const Object& o) {
  const auto& list = static_cast<const ListObject&>(o);
  w.write_len(list.node_count());
  list.for_each_node([&](bool plain, std::string_view bytes) {
    w.write_len(plain ? kQuicklistNodePlain : kQuicklistNodePacked);
    w.write_string(bytes);
  });
}

namespace {

bool finish(std::unique_ptr<ListObject> list, LoadedValue* out) {
  if (list->empty()) return mark_empty(out);
  out->is_string = false;
  out->object = std::move(list);
  return true;
}

// Converts ziplist elements to listpack nodes (one node per ziplist, as Redis does).
bool append_ziplist_node(RdbReader& r, ListObject& list, const std::string& blob) {
  std::vector<std::string> elements;
  if (!detail::decode_ziplist(blob, &elements))
    return r.fail("list ziplist integrity check failed");
  Listpack lp;
  for (const std::string& e : elements) {
    if (!lp.safe_to_add(e.size() + 16)) return r.fail("ziplist too large");
    lp.append(e);
  }
  list.append_listpack_node(std::move(lp));
  return true;
}

}  // namespace

bool load_list(RdbReader& r, uint8_t type, const EncodingLimits& limits, LoadedValue* out) {
  auto list = ListObject::create(limits.list_max_listpack_size);
  std::string blob;
  if (type == kTypeListZiplist) {
    if (!r.read_string(&blob)) return false;
    std::vector<std::string> elements;
    if (!detail::decode_ziplist(blob, &elements)) {
      return r.fail("list ziplist integrity check failed");
    }
    for (const std::string& e : elements) list->push_back(e);
    return finish(std::move(list), out);
  }
  uint64_t len = r.read_len();
  if (!r.ok()) return false;
  if (len == 0) return mark_empty(out);
  for (uint64_t i = 0; i < len; ++i) {
    if (type == kTypeList) {
      if (!r.read_string(&blob)) return false;
      list->push_back(blob);
      continue;
    }
    uint64_t container = kQuicklistNodePacked;
    if (type == kTypeListQuicklist2) {
      container = r.read_len();
      if (!r.ok()) return false;
      if (container != kQuicklistNodePacked && container != kQuicklistNodePlain) {
        return r.fail("quicklist integrity check failed");
      }
    }
    if (!r.read_string(&blob)) return false;
    if (blob.empty()) return r.fail("empty quicklist node");
    if (container == kQuicklistNodePlain) {
      list->append_plain_node(blob);
    } else if (type == kTypeListQuicklist2) {
      if (!Listpack::validate(blob, true)) return r.fail("listpack integrity check failed");
      list->append_listpack_node(Listpack::from_bytes(blob));
    } else if (!append_ziplist_node(r, *list, blob)) {
      return false;
    }
  }
  return finish(std::move(list), out);
}

}  // namespace zakros::store::rdb

#endif  // __has_include("store/list_object.h")

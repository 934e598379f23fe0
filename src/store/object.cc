#include "store/object.h"

namespace zakros::store {

std::string_view type_name(ValueType type) {
  switch (type) {
    case ValueType::kString:
      return "string";
    case ValueType::kList:
      return "list";
    case ValueType::kSet:
      return "set";
    case ValueType::kZset:
      return "zset";
    case ValueType::kHash:
      return "hash";
    case ValueType::kModule:
      return "module";
    case ValueType::kStream:
      return "stream";
  }
  return "unknown";
}

std::string_view encoding_name(Encoding encoding) {
  switch (encoding) {
    case Encoding::kRaw:
      return "raw";
    case Encoding::kInt:
      return "int";
    case Encoding::kHashtable:
      return "hashtable";
    case Encoding::kZipmap:
      return "zipmap";
    case Encoding::kLinkedlist:
      return "linkedlist";
    case Encoding::kZiplist:
      return "ziplist";
    case Encoding::kIntset:
      return "intset";
    case Encoding::kSkiplist:
      return "skiplist";
    case Encoding::kEmbstr:
      return "embstr";
    case Encoding::kQuicklist:
      return "quicklist";
    case Encoding::kStream:
      return "stream";
    case Encoding::kListpack:
      return "listpack";
  }
  return "unknown";
}

bool parse_type_name(std::string_view name, ValueType* type) {
  // SCAN's TYPE filter compares case-insensitively against the names TYPE replies.
  static constexpr ValueType kTypes[] = {ValueType::kString, ValueType::kList, ValueType::kSet,
                                         ValueType::kZset,   ValueType::kHash, ValueType::kStream};
  for (ValueType t : kTypes) {
    std::string_view n = type_name(t);
    if (n.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < n.size() && same; ++i) {
      char c = name[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      same = c == n[i];
    }
    if (same) {
      *type = t;
      return true;
    }
  }
  return false;
}

}  // namespace zakros::store

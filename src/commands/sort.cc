// SORT and SORT_RO (Redis's sort.c): sorts the elements of a list, set or sorted set, numerically
// (strtod of each element or of its BY weight) or with ALPHA byte-wise, with LIMIT, ASC/DESC,
// BY pattern (no sorting when the pattern has no '*'), GET patterns ('#' is the element,
// "key*->field" reads a hash field) and STORE (the result becomes a list; 'l' sortstore).
//
// Determinism (design.md): SORT ... STORE is replicated by execution, so ties (equal ALPHA BY
// weights, which Redis leaves to qsort) keep the element's native order (std::stable_sort), and
// a set's native order is its deterministic position order. ALPHA compares bytes (Redis uses
// strcoll when not storing: the same under the C locale). Unlike Redis, SORT_RO does not convert
// a listpack sorted set to a skiplist as a side effect of reading it (SORT does).
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "commands/command_table.h"
#include "commands/command_util.h"
#include "commands/errors.h"
#include "store/hash_object.h"
#include "store/set_object.h"
#include "store/zset_object.h"

#if __has_include("store/list_object.h")
#include "store/list_object.h"
#define ZAKROS_SORT_HAS_LISTS 1
#endif

namespace zakros::commands {

namespace {

using store::Entry;

struct SortItem {
  std::string element;
  double score = 0;
  std::optional<std::string> cmp;  // ALPHA with BY: the weight (none when missing)
};

// Redis's lookupKeyByPattern: the value `pattern` designates for element `subst`, or nothing.
std::optional<std::string> lookup_by_pattern(CommandContext& ctx, std::string_view pattern,
                                             std::string_view subst) {
  if (pattern == "#") return std::string(subst);
  size_t star = pattern.find('*');
  if (star == std::string_view::npos) return std::nullopt;
  std::string_view field;
  size_t arrow = pattern.find("->", star + 1);
  if (arrow != std::string_view::npos && arrow + 2 < pattern.size()) {
    field = pattern.substr(arrow + 2);
  }
  std::string key(pattern.substr(0, star));
  key.append(subst);
  size_t postfix_end = field.empty() ? pattern.size() : arrow;
  key.append(pattern.substr(star + 1, postfix_end - star - 1));
  Entry* e = lookup_read(ctx, key);
  if (e == nullptr) return std::nullopt;
  if (!field.empty()) {
    if (e->type() != store::ValueType::kHash) return std::nullopt;
    char buf[store::HashObject::kValueBufSize];
    std::string_view value;
    if (!static_cast<const store::HashObject*>(e->object())->get(field, buf, &value)) {
      return std::nullopt;
    }
    return std::string(value);
  }
  if (!e->is_string()) return std::nullopt;
  char buf[Entry::kIntMaxChars];
  return std::string(e->string_value(buf));
}

// compareStringObjects: bytes, then length.
int compare_bytes(std::string_view a, std::string_view b) {
  int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
  if (c != 0) return c;
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

// Redis scores an element with strtod of its text (up to a NUL byte) and rejects trailing
// bytes, ERANGE and NaN.
bool parse_score(const std::string& text, double* score) {
  char* end = nullptr;
  errno = 0;
  *score = std::strtod(text.c_str(), &end);
  return *end == '\0' && errno != ERANGE && !std::isnan(*score);
}

// Stores `items` as a list at `key` (SORT ... STORE); false when lists are not available.
bool store_list(CommandContext& ctx, std::string_view key, const std::vector<std::string>& items);

void sort_generic(CommandContext& ctx, bool readonly) {
  bool desc = false, alpha = false, dontsort = false;
  int64_t limit_start = 0, limit_count = -1;
  std::optional<std::string_view> sortby, storekey;
  std::vector<std::string_view> gets;
  for (size_t j = 2; j < ctx.argc(); ++j) {
    size_t left = ctx.argc() - j - 1;
    std::string_view opt = ctx.arg(j);
    if (iequals(opt, "asc")) {
      desc = false;
    } else if (iequals(opt, "desc")) {
      desc = true;
    } else if (iequals(opt, "alpha")) {
      alpha = true;
    } else if (iequals(opt, "limit") && left >= 2) {
      if (!parse_int_arg(ctx, ctx.arg(j + 1), &limit_start) ||
          !parse_int_arg(ctx, ctx.arg(j + 2), &limit_count)) {
        return;
      }
      j += 2;
    } else if (!readonly && iequals(opt, "store") && left >= 1) {
      storekey = ctx.arg(j + 1);
      ++j;
    } else if (iequals(opt, "by") && left >= 1) {
      sortby = ctx.arg(j + 1);
      // A BY pattern without '*' is a constant: nothing to sort by.
      dontsort = sortby->find('*') == std::string_view::npos;
      ++j;
    } else if (iequals(opt, "get") && left >= 1) {
      gets.push_back(ctx.arg(j + 1));
      ++j;
    } else {
      ctx.out.error(kSyntaxError);
      return;
    }
  }

  Entry* e = lookup_read(ctx, ctx.arg(1));
  store::ValueType type = e != nullptr ? e->type() : store::ValueType::kList;
  if (type != store::ValueType::kSet && type != store::ValueType::kList &&
      type != store::ValueType::kZset) {
    ctx.out.error(kWrongType);
    return;
  }
#ifndef ZAKROS_SORT_HAS_LISTS
  if (e != nullptr && type == store::ValueType::kList) {
    ctx.out.error("ERR SORT of lists is not available yet");
    return;
  }
#endif
  // A set has no native order a script or a replica could rely on: sort it when storing.
  if (dontsort && type == store::ValueType::kSet && storekey) {
    dontsort = false;
    alpha = true;
    sortby.reset();
  }

  // Redis converts a listpack sorted set to a skiplist before sorting it (zsetConvert). SORT
  // does the same, on every node since it is a replicated write; SORT_RO, a read served by one
  // node only, leaves the encoding alone so that replicas never differ.
  if (!readonly && e != nullptr && type == store::ValueType::kZset) {
    auto* z = static_cast<store::ZsetObject*>(e->object());
    if (z->is_listpack()) z->convert_to_skiplist();
  }
  const store::Object* obj = e != nullptr ? e->object() : nullptr;
  int64_t vectorlen = 0;
  if (obj != nullptr) {
    if (type == store::ValueType::kSet) {
      vectorlen = static_cast<int64_t>(static_cast<const store::SetObject*>(obj)->size());
    } else if (type == store::ValueType::kZset) {
      vectorlen = static_cast<int64_t>(static_cast<const store::ZsetObject*>(obj)->size());
#ifdef ZAKROS_SORT_HAS_LISTS
    } else {
      vectorlen = static_cast<int64_t>(static_cast<const store::ListObject*>(obj)->size());
#endif
    }
  }

  // LIMIT sanity checks, exactly as Redis clamps them.
  int64_t start = std::min(std::max(limit_start, int64_t{0}), vectorlen);
  limit_count = std::min(std::max(limit_count, int64_t{-1}), vectorlen);
  int64_t end = limit_count < 0 ? vectorlen - 1 : start + limit_count - 1;
  if (start >= vectorlen) {
    start = vectorlen - 1;
    end = vectorlen - 2;
  }
  if (end >= vectorlen) end = vectorlen - 1;

  std::vector<SortItem> items;
  bool ranged = false;  // the load below already applied LIMIT and DESC
  if (obj != nullptr && type == store::ValueType::kSet) {
    items.reserve(static_cast<size_t>(vectorlen));
    static_cast<const store::SetObject*>(obj)->for_each([&](std::string_view m) {
      items.push_back(SortItem{std::string(m), 0, std::nullopt});
    });
  } else if (obj != nullptr && type == store::ValueType::kZset) {
    auto* z = static_cast<const store::ZsetObject*>(obj);
    if (dontsort) {
      // Native (score) order, only the LIMIT range, reversed for DESC.
      ranged = true;
      if (end >= start) {
        int64_t n = end - start + 1;
        auto c = z->at_rank(static_cast<size_t>(desc ? vectorlen - 1 - start : start));
        for (; n > 0 && c.valid(); --n) {
          items.push_back(SortItem{std::string(c.member()), 0, std::nullopt});
          if (desc) {
            c.prev();
          } else {
            c.next();
          }
        }
      }
    } else {
      items.reserve(static_cast<size_t>(vectorlen));
      z->for_each([&](std::string_view m, double) {
        items.push_back(SortItem{std::string(m), 0, std::nullopt});
      });
    }
#ifdef ZAKROS_SORT_HAS_LISTS
  } else if (obj != nullptr) {
    auto* l = static_cast<const store::ListObject*>(obj);
    if (dontsort) {
      ranged = true;
      if (end >= start) {
        int64_t n = end - start + 1;
        long first = static_cast<long>(desc ? vectorlen - 1 - start : start);
        l->walk(first, !desc, [&](std::string_view v) {
          items.push_back(SortItem{std::string(v), 0, std::nullopt});
          return --n > 0;
        });
      }
    } else {
      items.reserve(static_cast<size_t>(vectorlen));
      l->for_each([&](std::string_view v) {
        items.push_back(SortItem{std::string(v), 0, std::nullopt});
      });
    }
#endif
  }
  if (ranged) {
    end -= start;
    start = 0;
  }

  bool conversion_error = false;
  if (!dontsort) {
    for (SortItem& item : items) {
      std::optional<std::string> weight;
      if (sortby) {
        weight = lookup_by_pattern(ctx, *sortby, item.element);
        if (!weight) continue;
      }
      if (alpha) {
        if (sortby) item.cmp = std::move(weight);
      } else if (!parse_score(sortby ? *weight : item.element, &item.score)) {
        conversion_error = true;
      }
    }
    bool bypattern = sortby.has_value();
    std::stable_sort(items.begin(), items.end(), [&](const SortItem& a, const SortItem& b) {
      int cmp;
      if (!alpha) {
        if (a.score != b.score) {
          cmp = a.score > b.score ? 1 : -1;
        } else {
          cmp = compare_bytes(a.element, b.element);
        }
      } else if (bypattern) {
        if (!a.cmp || !b.cmp) {
          cmp = a.cmp.has_value() == b.cmp.has_value() ? 0 : (!a.cmp ? -1 : 1);
        } else {
          cmp = compare_bytes(*a.cmp, *b.cmp);
        }
      } else {
        cmp = compare_bytes(a.element, b.element);
      }
      return desc ? cmp > 0 : cmp < 0;
    });
  }

  int64_t count = end - start + 1;
  if (count < 0) count = 0;
  size_t outputlen = static_cast<size_t>(count) * (gets.empty() ? 1 : gets.size());
  if (conversion_error) {
    ctx.out.error("ERR One or more scores can't be converted into double");
    return;
  }
  if (!storekey) {
    ctx.out.array(outputlen);
    for (int64_t j = start; j <= end; ++j) {
      const std::string& element = items[static_cast<size_t>(j)].element;
      if (gets.empty()) ctx.out.bulk(element);
      for (std::string_view pattern : gets) {
        auto value = lookup_by_pattern(ctx, pattern, element);
        if (value) {
          ctx.out.bulk(*value);
        } else {
          ctx.out.null();
        }
      }
    }
    return;
  }
  std::vector<std::string> result;
  result.reserve(outputlen);
  for (int64_t j = start; j <= end; ++j) {
    const std::string& element = items[static_cast<size_t>(j)].element;
    if (gets.empty()) result.push_back(element);
    for (std::string_view pattern : gets) {
      auto value = lookup_by_pattern(ctx, pattern, element);
      result.push_back(value ? std::move(*value) : std::string());
    }
  }
  if (!result.empty()) {
    if (!store_list(ctx, *storekey, result)) {
      ctx.out.error("ERR SORT STORE is not available yet");
      return;
    }
    ctx.events.key_modified(ctx.db_index, *storekey);
    ctx.events.notify('l', "sortstore", *storekey, ctx.db_index);
  } else if (lookup_write(ctx, *storekey) != nullptr) {
    ctx.db().erase(*storekey);
    ctx.events.key_modified(ctx.db_index, *storekey);
    ctx.events.notify('g', "del", *storekey, ctx.db_index);
  }
  ctx.out.integer(static_cast<long long>(outputlen));
}

bool store_list(CommandContext& ctx, std::string_view key, const std::vector<std::string>& items) {
#ifdef ZAKROS_SORT_HAS_LISTS
  auto list = store::ListObject::create(ctx.keyspace.limits());
  for (const std::string& item : items) list->push_back(item, ctx.keyspace.limits());
  ctx.db().set_object(key, std::move(list), store::kPersist, time_context(ctx));
  return true;
#else
  (void)ctx;
  (void)key;
  (void)items;
  return false;
#endif
}

void sort_command(CommandContext& ctx) {
  sort_generic(ctx, false);
}
void sort_ro_command(CommandContext& ctx) {
  sort_generic(ctx, true);
}

// sortGetKeys: the sorted key, and the last STORE destination.
std::vector<int> sort_keys(std::span<const std::string_view> argv) {
  std::vector<int> keys{1};
  int store = 0;
  for (size_t i = 2; i < argv.size(); ++i) {
    if (iequals(argv[i], "limit")) {
      i += 2;
    } else if (iequals(argv[i], "get") || iequals(argv[i], "by")) {
      i += 1;
    } else if (iequals(argv[i], "store") && i + 1 < argv.size()) {
      store = static_cast<int>(i + 1);
    }
  }
  if (store != 0) keys.push_back(store);
  return keys;
}

constexpr uint64_t kSortAcl = kAclSet | kAclSortedSet | kAclList | kAclDangerous | kAclSlow;

}  // namespace

void register_sort_commands(CommandTable& table) {
  CommandSpec sort = make_spec("sort", -2, kWrite | kDenyOom, kSortAcl | kAclWrite, 1, 1, 1,
                               CommandGroup::kGeneric, sort_command,
                               "Sort the elements in a list, set or sorted set", "1.0.0");
  sort.get_keys = sort_keys;
  table.add(std::move(sort));
  table.add(make_spec("sort_ro", -2, kReadonly | kMovableKeys, kSortAcl | kAclRead, 1, 1, 1,
                      CommandGroup::kGeneric, sort_ro_command,
                      "Sort the elements in a list, set or sorted set. Read-only variant of SORT.",
                      "7.0.0"));
}

}  // namespace zakros::commands

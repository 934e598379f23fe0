// ZsetObject: see zset_object.h. The skip list follows the algorithm Redis uses (Pugh's skip
// list with a span per link and a backward link on level 0), written for this node layout.
#include "store/zset_object.h"

#include <cassert>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>

#include "store/dict.h"
#include "util/numbers.h"

namespace zakros::store {

// ---- ranges ---------------------------------------------------------------------------------

bool zscore_gte_min(double value, const ZScoreRange& r) {
  return r.minex ? value > r.min : value >= r.min;
}
bool zscore_lte_max(double value, const ZScoreRange& r) {
  return r.maxex ? value < r.max : value <= r.max;
}

bool zlex_gte_min(std::string_view value, const ZLexRange& r) {
  switch (r.min_kind) {
    case ZLexRange::Bound::kNegInf:
      return true;
    case ZLexRange::Bound::kPosInf:
      return false;
    case ZLexRange::Bound::kInclusive:
      return value.compare(r.min) >= 0;
    case ZLexRange::Bound::kExclusive:
      return value.compare(r.min) > 0;
  }
  return false;
}

bool zlex_lte_max(std::string_view value, const ZLexRange& r) {
  switch (r.max_kind) {
    case ZLexRange::Bound::kNegInf:
      return false;
    case ZLexRange::Bound::kPosInf:
      return true;
    case ZLexRange::Bound::kInclusive:
      return value.compare(r.max) <= 0;
    case ZLexRange::Bound::kExclusive:
      return value.compare(r.max) < 0;
  }
  return false;
}

bool ZLexRange::parse_bound(std::string_view text, std::string* value, Bound* kind) {
  if (text.empty()) return false;
  switch (text[0]) {
    case '+':
      if (text.size() != 1) return false;
      *kind = Bound::kPosInf;
      value->clear();
      return true;
    case '-':
      if (text.size() != 1) return false;
      *kind = Bound::kNegInf;
      value->clear();
      return true;
    case '(':
      *kind = Bound::kExclusive;
      value->assign(text.substr(1));
      return true;
    case '[':
      *kind = Bound::kInclusive;
      value->assign(text.substr(1));
      return true;
    default:
      return false;
  }
}

bool ZLexRange::parse(std::string_view min, std::string_view max, ZLexRange* out) {
  return parse_bound(min, &out->min, &out->min_kind) && parse_bound(max, &out->max, &out->max_kind);
}

namespace {

// Redis's zslIsInRange / zslIsInLexRange preconditions: an empty interval matches nothing.
bool score_range_empty(const ZScoreRange& r) {
  return r.min > r.max || (r.min == r.max && (r.minex || r.maxex));
}

bool lex_range_empty(const ZLexRange& r) {
  using B = ZLexRange::Bound;
  if (r.min_kind == B::kPosInf || r.max_kind == B::kNegInf) return true;
  if (r.min_kind == B::kNegInf || r.max_kind == B::kPosInf) return false;
  int c = r.min.compare(r.max);
  return c > 0 || (c == 0 && (r.min_kind == B::kExclusive || r.max_kind == B::kExclusive));
}

// The score stored in a listpack, as zzlInsertAt writes it: an integral score within
// +-LLONG_MAX/2 becomes a listpack integer (so -0 is stored as 0), anything else d2string's text.
std::string score_text(double score) {
  constexpr double kHalf = static_cast<double>(LLONG_MAX / 2);
  if (score >= -kHalf && score <= kHalf) {
    auto ll = static_cast<long long>(score);
    if (static_cast<double>(ll) == score) return util::int64_to_string(ll);
  }
  return util::format_double_shortest(score);
}

// zzlGetScore: a listpack score entry as a double; false if it is not a number.
bool listpack_score(const ListpackValue& v, double* out) {
  if (v.is_int()) {
    *out = static_cast<double>(v.integer);
    return true;
  }
  char buf[128];
  if (v.len == 0 || v.len >= sizeof(buf)) return false;
  std::memcpy(buf, v.str, v.len);
  buf[v.len] = '\0';
  char* end = nullptr;
  double d = std::strtod(buf, &end);
  if (end != buf + v.len || std::isnan(d)) return false;
  *out = d;
  return true;
}

double listpack_score(const ListpackValue& v) {
  double d = 0;
  listpack_score(v, &d);
  return d;
}

}  // namespace

// ---- the skip list --------------------------------------------------------------------------

namespace zset_detail {

constexpr int kMaxLevel = 32;

// One element. Variable part after the fixed fields: Node* forward[level], uint32 span[level],
// then the member bytes. span[i] is the number of level-0 steps forward[i] jumps over.
struct Node {
  Node* next;  // the index's chain link (store::Dict); must stay first
  double score;
  Node* backward;
  uint32_t len;
  uint8_t level;

  Node** forward() { return reinterpret_cast<Node**>(this + 1); }
  Node* const* forward() const { return reinterpret_cast<Node* const*>(this + 1); }
  uint32_t* span() { return reinterpret_cast<uint32_t*>(forward() + level); }
  const uint32_t* span() const { return reinterpret_cast<const uint32_t*>(forward() + level); }
  char* bytes() { return reinterpret_cast<char*>(span() + level); }
  const char* bytes() const { return reinterpret_cast<const char*>(span() + level); }
  std::string_view member() const { return {bytes(), len}; }

  static size_t alloc_size(int level, size_t len) {
    return sizeof(Node) + static_cast<size_t>(level) * (sizeof(Node*) + sizeof(uint32_t)) + len;
  }
  size_t alloc_size() const { return alloc_size(level, len); }

  static Node* make(int level, double score, std::string_view member) {
    void* mem = std::malloc(alloc_size(level, member.size()));
    if (mem == nullptr) throw std::bad_alloc();
    Node* n = static_cast<Node*>(mem);
    n->next = nullptr;
    n->score = score;
    n->backward = nullptr;
    n->len = static_cast<uint32_t>(member.size());
    n->level = static_cast<uint8_t>(level);
    for (int i = 0; i < level; ++i) {
      n->forward()[i] = nullptr;
      n->span()[i] = 0;
    }
    if (!member.empty()) std::memcpy(n->bytes(), member.data(), member.size());
    return n;
  }
};

struct NodeTraits {
  using Node = zset_detail::Node;
  static Node** next_field(Node* n) { return &n->next; }
  static std::string_view key(const Node* n) { return n->member(); }
};

// Is `n` before (score, member) in the set's order?
inline bool before(const Node* n, double score, std::string_view member) {
  return n->score < score || (n->score == score && n->member().compare(member) < 0);
}

// Level of a new node: 1, then +1 with probability 1/4 each. The generator only shapes the
// list, and no reply or write depends on the shape (see Skiplist::search_levels), so one
// process-wide stream is enough even though replicas draw different levels.
int random_level() {
  static uint64_t state = 0x5a17c0de5eedULL;
  int level = 1;
  while (level < kMaxLevel) {
    uint64_t r = Dict<NodeTraits>::next_random(state);
    if ((r & 3) != 0) break;
    ++level;
  }
  return level;
}

struct Skiplist {
  Node* header;
  Node* tail = nullptr;
  size_t length = 0;
  int level = 1;
  Dict<NodeTraits> dict;

  Skiplist() : header(Node::make(kMaxLevel, 0, {})) {}
  ~Skiplist() {
    // Every node is in the index: freeing through it reads each link before freeing its node.
    dict.clear([](Node* n) { std::free(n); });
    std::free(header);
  }
  Skiplist(const Skiplist&) = delete;
  Skiplist& operator=(const Skiplist&) = delete;

  // Links a node (not in the list) at its place; keeps its level.
  void link(Node* x) {
    Node* update[kMaxLevel];
    uint64_t rank[kMaxLevel];
    Node* h = header;
    std::string_view member = x->member();
    for (int i = level - 1; i >= 0; --i) {
      rank[i] = i == level - 1 ? 0 : rank[i + 1];
      while (h->forward()[i] != nullptr && before(h->forward()[i], x->score, member)) {
        rank[i] += h->span()[i];
        h = h->forward()[i];
      }
      update[i] = h;
    }
    if (x->level > level) {
      for (int i = level; i < x->level; ++i) {
        rank[i] = 0;
        update[i] = header;
        header->span()[i] = static_cast<uint32_t>(length);
      }
      level = x->level;
    }
    for (int i = 0; i < x->level; ++i) {
      x->forward()[i] = update[i]->forward()[i];
      update[i]->forward()[i] = x;
      x->span()[i] = static_cast<uint32_t>(update[i]->span()[i] - (rank[0] - rank[i]));
      update[i]->span()[i] = static_cast<uint32_t>(rank[0] - rank[i] + 1);
    }
    for (int i = x->level; i < level; ++i) update[i]->span()[i]++;
    x->backward = update[0] == header ? nullptr : update[0];
    if (x->forward()[0] != nullptr) {
      x->forward()[0]->backward = x;
    } else {
      tail = x;
    }
    ++length;
  }

  // Unlinks x given the predecessors at every level (zslDeleteNode).
  void unlink(Node* x, Node** update) {
    for (int i = 0; i < level; ++i) {
      if (update[i]->forward()[i] == x) {
        update[i]->span()[i] += x->span()[i] - 1;
        update[i]->forward()[i] = x->forward()[i];
      } else {
        update[i]->span()[i] -= 1;
      }
    }
    if (x->forward()[0] != nullptr) {
      x->forward()[0]->backward = x->backward;
    } else {
      tail = x->backward;
    }
    while (level > 1 && header->forward()[level - 1] == nullptr) --level;
    --length;
  }

  // Fills update[] with the predecessors of (score, member) at every level.
  void predecessors(double score, std::string_view member, Node** update) {
    Node* h = header;
    for (int i = level - 1; i >= 0; --i) {
      while (h->forward()[i] != nullptr && before(h->forward()[i], score, member)) {
        h = h->forward()[i];
      }
      update[i] = h;
    }
  }

  Node* insert(double score, std::string_view member) {
    if (length >= UINT32_MAX - 1) throw std::bad_alloc();  // spans are 32-bit
    Node* x = Node::make(random_level(), score, member);
    link(x);
    dict.insert(x);
    return x;
  }

  // Removes and frees a node of the list.
  void erase(Node* x) {
    Node* update[kMaxLevel];
    predecessors(x->score, x->member(), update);
    assert(update[0]->forward()[0] == x);
    unlink(x, update);
    dict.remove(x->member());
    std::free(x);
  }

  // zslUpdateScore: moves the node only when its place changes.
  void update_score(Node* x, double score) {
    if ((x->backward == nullptr || x->backward->score < score) &&
        (x->forward()[0] == nullptr || x->forward()[0]->score > score)) {
      x->score = score;
      return;
    }
    Node* update[kMaxLevel];
    predecessors(x->score, x->member(), update);
    unlink(x, update);
    x->score = score;
    link(x);
  }

  // 1-based rank of a node (zslGetRank).
  size_t rank_of(double score, std::string_view member) const {
    size_t rank = 0;
    const Node* x = header;
    for (int i = level - 1; i >= 0; --i) {
      while (x->forward()[i] != nullptr &&
             (x->forward()[i]->score < score || (x->forward()[i]->score == score &&
                                                 x->forward()[i]->member().compare(member) <= 0))) {
        rank += x->span()[i];
        x = x->forward()[i];
      }
      if (x != header && x->member() == member) return rank;
    }
    return 0;
  }

  // The node of 1-based rank `rank`, or null.
  Node* by_rank(size_t rank) const {
    size_t traversed = 0;
    Node* x = header;
    for (int i = level - 1; i >= 0; --i) {
      while (x->forward()[i] != nullptr && traversed + x->span()[i] <= rank) {
        traversed += x->span()[i];
        x = x->forward()[i];
      }
      if (traversed == rank) return x == header ? nullptr : x;
    }
    return nullptr;
  }

  // How many levels a range search descends. A lex range over members of different scores is not
  // ordered along the list (Redis leaves the answer undefined), so what a descent from the top
  // finds depends on the nodes' random levels, which differ between replicas and after a
  // snapshot is loaded. Such a search walks level 0 alone: the same answer on every node.
  int search_levels(bool lex) const {
    return lex && tail != nullptr && header->forward()[0]->score != tail->score ? 1 : level;
  }

  template <class GteMin, class LteMax>
  Node* first_where(GteMin gte_min, LteMax lte_max, int levels) const {
    if (tail == nullptr || !gte_min(tail) || !lte_max(header->forward()[0])) return nullptr;
    Node* x = header;
    for (int i = levels - 1; i >= 0; --i) {
      while (x->forward()[i] != nullptr && !gte_min(x->forward()[i])) x = x->forward()[i];
    }
    x = x->forward()[0];
    return x != nullptr && lte_max(x) ? x : nullptr;
  }

  template <class GteMin, class LteMax>
  Node* last_where(GteMin gte_min, LteMax lte_max, int levels) const {
    if (tail == nullptr || !gte_min(tail) || !lte_max(header->forward()[0])) return nullptr;
    Node* x = header;
    for (int i = levels - 1; i >= 0; --i) {
      while (x->forward()[i] != nullptr && lte_max(x->forward()[i])) x = x->forward()[i];
    }
    return x != header && gte_min(x) ? x : nullptr;
  }

  // Removes the run of nodes starting after the first node failing gte_min and ending before
  // the first failing lte_max (zslDeleteRangeByScore / ByLex).
  template <class GteMin, class LteMax>
  size_t erase_where(GteMin gte_min, LteMax lte_max, int levels) {
    Node* update[kMaxLevel];
    Node* x = header;
    for (int i = levels - 1; i >= 0; --i) {
      while (x->forward()[i] != nullptr && !gte_min(x->forward()[i])) x = x->forward()[i];
      update[i] = x;
    }
    x = x->forward()[0];
    if (levels < level && x != nullptr) predecessors(x->score, x->member(), update);
    size_t removed = 0;
    while (x != nullptr && lte_max(x)) {
      Node* next = x->forward()[0];
      unlink(x, update);
      dict.remove(x->member());
      std::free(x);
      ++removed;
      x = next;
    }
    return removed;
  }

  // Removes 1-based ranks [start, end] (zslDeleteRangeByRank).
  size_t erase_ranks(size_t start, size_t end) {
    Node* update[kMaxLevel];
    size_t traversed = 0;
    Node* x = header;
    for (int i = level - 1; i >= 0; --i) {
      while (x->forward()[i] != nullptr && traversed + x->span()[i] < start) {
        traversed += x->span()[i];
        x = x->forward()[i];
      }
      update[i] = x;
    }
    ++traversed;
    x = x->forward()[0];
    size_t removed = 0;
    while (x != nullptr && traversed <= end) {
      Node* next = x->forward()[0];
      unlink(x, update);
      dict.remove(x->member());
      std::free(x);
      ++removed;
      ++traversed;
      x = next;
    }
    return removed;
  }

  Node* find(std::string_view member) const {
    // Dict::find performs a rehash step, which changes no element: the set stays logically
    // unchanged, so lookups are const for callers.
    return const_cast<Dict<NodeTraits>&>(dict).find(member);
  }
};

}  // namespace zset_detail

using zset_detail::Node;
using zset_detail::Skiplist;

// ---- representation -------------------------------------------------------------------------

static_assert(sizeof(Listpack) == sizeof(void*), "ZsetObject keeps a Listpack in one word");

namespace {
uintptr_t word_of(const unsigned char* repr) {
  uintptr_t w;
  std::memcpy(&w, repr, sizeof(w));
  return w;
}
}  // namespace

bool ZsetObject::is_listpack() const {
  return (word_of(repr_) & 1) == 0;
}

Listpack& ZsetObject::lp() {
  return *std::launder(reinterpret_cast<Listpack*>(repr_));
}
const Listpack& ZsetObject::lp() const {
  return *std::launder(reinterpret_cast<const Listpack*>(repr_));
}
const Listpack& ZsetObject::listpack() const {
  return lp();
}

Skiplist* ZsetObject::sl() const {
  return reinterpret_cast<Skiplist*>(word_of(repr_) & ~uintptr_t{1});
}

void ZsetObject::set_skiplist(Skiplist* s) {
  uintptr_t w = reinterpret_cast<uintptr_t>(s) | 1;
  std::memcpy(repr_, &w, sizeof(w));
}

void ZsetObject::destroy_repr() {
  if (is_listpack()) {
    lp().~Listpack();
  } else {
    delete sl();
  }
}

ZsetObject::ZsetObject() {
  new (repr_) Listpack();
}

ZsetObject::~ZsetObject() {
  destroy_repr();
}

std::unique_ptr<ZsetObject> ZsetObject::create_for(size_t first_member_len,
                                                   const EncodingLimits& limits) {
  if (limits.zset_max_listpack_entries == 0 || first_member_len > limits.zset_max_listpack_value) {
    return create_skiplist();
  }
  return std::make_unique<ZsetObject>();
}

std::unique_ptr<ZsetObject> ZsetObject::create_skiplist() {
  auto z = std::make_unique<ZsetObject>();
  z->convert_to_skiplist();
  return z;
}

std::unique_ptr<ZsetObject> ZsetObject::from_listpack(Listpack list) {
  size_t pos = list.first();
  bool have_prev = false;
  double prev_score = 0;
  std::string prev_member;
  char buf[24];
  while (pos != Listpack::kEnd) {
    size_t spos = list.next(pos);
    if (spos == Listpack::kEnd) return nullptr;
    double s;
    if (!listpack_score(list.get(spos), &s)) return nullptr;
    std::string_view m = list.get(pos).view(buf);
    if (have_prev && (s < prev_score || (s == prev_score && m.compare(prev_member) <= 0))) {
      return nullptr;  // out of order or a duplicate next to its twin
    }
    // Order by (score, member) does not exclude the same member under two scores.
    if (have_prev && list.find(list.first(), m, 1) != pos) return nullptr;
    have_prev = true;
    prev_score = s;
    prev_member.assign(m);
    pos = list.next(spos);
  }
  auto z = std::make_unique<ZsetObject>();
  z->lp() = std::move(list);
  return z;
}

Encoding ZsetObject::encoding() const {
  return is_listpack() ? Encoding::kListpack : Encoding::kSkiplist;
}

size_t ZsetObject::size() const {
  return is_listpack() ? lp().size() / 2 : sl()->length;
}

std::unique_ptr<Object> ZsetObject::clone() const {
  auto z = std::make_unique<ZsetObject>();
  if (is_listpack()) {
    z->lp() = lp();
    return z;
  }
  z->convert_to_skiplist();
  Skiplist* dst = z->sl();
  for (const Node* x = sl()->header->forward()[0]; x != nullptr; x = x->forward()[0]) {
    dst->insert(x->score, x->member());
  }
  return z;
}

size_t ZsetObject::memory_usage(size_t samples) const {
  size_t total = sizeof(*this);
  if (is_listpack()) return total + lp().bytes();
  const Skiplist* s = sl();
  total += sizeof(Skiplist) + s->header->alloc_size() + s->dict.bucket_count() * sizeof(void*);
  size_t seen = 0, bytes = 0;
  for (const Node* x = s->header->forward()[0]; x != nullptr && (samples == 0 || seen < samples);
       x = x->forward()[0]) {
    bytes += x->alloc_size();
    ++seen;
  }
  if (seen > 0) total += static_cast<size_t>(static_cast<double>(bytes) / seen * s->length);
  return total;
}

// ---- listpack helpers -----------------------------------------------------------------------

size_t ZsetObject::lp_find(std::string_view member, double* score) const {
  const Listpack& l = lp();
  size_t pos = l.find(l.first(), member, 1);
  if (pos != Listpack::kEnd && score != nullptr) *score = listpack_score(l.get(l.next(pos)));
  return pos;
}

void ZsetObject::lp_insert(std::string_view member, double score) {
  Listpack& l = lp();
  std::string text = score_text(score);
  char buf[24];
  for (size_t pos = l.first(); pos != Listpack::kEnd;) {
    size_t spos = l.next(pos);
    double s = listpack_score(l.get(spos));
    if (s > score || (s == score && l.get(pos).view(buf).compare(member) > 0)) {
      size_t m = l.insert_before(pos, member);
      l.insert_after(m, text);
      return;
    }
    pos = l.next(spos);
  }
  l.append(member);
  l.append(text);
}

void ZsetObject::lp_delete(size_t pos) {
  lp().erase_range(pos, 2);
}

// ---- single members -------------------------------------------------------------------------

ZsetObject::AddResult ZsetObject::add(std::string_view member, double score, unsigned flags,
                                      const EncodingLimits& limits, double* new_score) {
  bool incr = flags & kAddIncr, nx = flags & kAddNx, xx = flags & kAddXx;
  bool gt = flags & kAddGt, lt = flags & kAddLt;
  if (std::isnan(score)) return AddResult::kNan;

  double cur = 0;
  bool found;
  size_t pos = Listpack::kEnd;
  Node* node = nullptr;
  if (is_listpack()) {
    pos = lp_find(member, &cur);
    found = pos != Listpack::kEnd;
  } else {
    node = sl()->find(member);
    found = node != nullptr;
    if (found) cur = node->score;
  }

  if (found) {
    if (nx) return AddResult::kNop;
    if (incr) {
      score += cur;
      if (std::isnan(score)) return AddResult::kNan;
    }
    if ((lt && score >= cur) || (gt && score <= cur)) return AddResult::kNop;
    if (new_score != nullptr) *new_score = score;
    if (score == cur) return AddResult::kUnchanged;
    if (is_listpack()) {
      // The member's bytes may point into the listpack only if the caller passed such a view;
      // callers pass their own arguments.
      lp_delete(pos);
      lp_insert(member, score);
    } else {
      sl()->update_score(node, score);
    }
    return AddResult::kUpdated;
  }
  if (xx) return AddResult::kNop;
  if (is_listpack() &&
      (size() + 1 > limits.zset_max_listpack_entries ||
       member.size() > limits.zset_max_listpack_value || !lp().safe_to_add(member.size()))) {
    convert_to_skiplist();
  }
  if (is_listpack()) {
    lp_insert(member, score);
  } else {
    sl()->insert(score, member);
  }
  if (new_score != nullptr) *new_score = score;
  return AddResult::kAdded;
}

void ZsetObject::insert_new(std::string_view member, double score, const EncodingLimits& limits) {
  if (is_listpack() &&
      (size() + 1 > limits.zset_max_listpack_entries ||
       member.size() > limits.zset_max_listpack_value || !lp().safe_to_add(member.size()))) {
    convert_to_skiplist();
  }
  if (is_listpack()) {
    lp_insert(member, score);
  } else {
    sl()->insert(score, member);
  }
}

bool ZsetObject::remove(std::string_view member) {
  if (is_listpack()) {
    size_t pos = lp_find(member, nullptr);
    if (pos == Listpack::kEnd) return false;
    lp_delete(pos);
    return true;
  }
  Node* x = sl()->find(member);
  if (x == nullptr) return false;
  sl()->erase(x);
  return true;
}

bool ZsetObject::score(std::string_view member, double* out) const {
  if (is_listpack()) return lp_find(member, out) != Listpack::kEnd;
  const Node* x = sl()->find(member);
  if (x == nullptr) return false;
  *out = x->score;
  return true;
}

bool ZsetObject::contains(std::string_view member) const {
  double s;
  return score(member, &s);
}

bool ZsetObject::rank(std::string_view member, bool reverse, size_t* out, double* score) const {
  size_t n = size();
  if (is_listpack()) {
    const Listpack& l = lp();
    size_t r = 0;
    for (size_t pos = l.first(); pos != Listpack::kEnd; pos = l.next(l.next(pos)), ++r) {
      if (l.get(pos).equals(member)) {
        if (score != nullptr) *score = listpack_score(l.get(l.next(pos)));
        *out = reverse ? n - 1 - r : r;
        return true;
      }
    }
    return false;
  }
  const Node* x = sl()->find(member);
  if (x == nullptr) return false;
  size_t r = sl()->rank_of(x->score, x->member());
  assert(r != 0);
  if (score != nullptr) *score = x->score;
  *out = reverse ? n - r : r - 1;
  return true;
}

// ---- cursors --------------------------------------------------------------------------------

void ZsetObject::Cursor::load() {
  if (pos_ == kNone) return;
  if (!set_->is_listpack()) {
    const Node* x = reinterpret_cast<const Node*>(pos_);
    mptr_ = x->bytes();
    mlen_ = x->len;
    score_ = x->score;
    return;
  }
  const Listpack& l = set_->lp();
  ListpackValue v = l.get(pos_);
  if (v.is_int()) {
    mptr_ = nullptr;
    mlen_ = util::format_int64(v.integer, buf_);
  } else {
    mptr_ = reinterpret_cast<const char*>(v.str);
    mlen_ = v.len;
  }
  score_ = listpack_score(l.get(l.next(pos_)));
}

std::string_view ZsetObject::Cursor::member() const {
  return {mptr_ != nullptr ? mptr_ : buf_, mlen_};
}
double ZsetObject::Cursor::score() const {
  return score_;
}

void ZsetObject::Cursor::next() {
  if (pos_ == kNone) return;
  if (set_->is_listpack()) {
    const Listpack& l = set_->lp();
    size_t p = l.next(l.next(pos_));
    pos_ = p == Listpack::kEnd ? kNone : p;
  } else {
    const Node* x = reinterpret_cast<const Node*>(pos_)->forward()[0];
    pos_ = x == nullptr ? kNone : reinterpret_cast<uintptr_t>(x);
  }
  load();
}

void ZsetObject::Cursor::prev() {
  if (pos_ == kNone) return;
  if (set_->is_listpack()) {
    const Listpack& l = set_->lp();
    size_t p = l.prev(pos_);
    if (p != Listpack::kEnd) p = l.prev(p);
    pos_ = p == Listpack::kEnd ? kNone : p;
  } else {
    const Node* x = reinterpret_cast<const Node*>(pos_)->backward;
    pos_ = x == nullptr ? kNone : reinterpret_cast<uintptr_t>(x);
  }
  load();
}

ZsetObject::Cursor ZsetObject::at_rank(size_t rank) const {
  Cursor c;
  c.set_ = this;
  if (rank >= size()) return c;
  if (is_listpack()) {
    size_t p = lp().seek(static_cast<long>(rank * 2));
    c.pos_ = p == Listpack::kEnd ? Cursor::kNone : p;
  } else {
    Node* x = sl()->by_rank(rank + 1);
    c.pos_ = x == nullptr ? Cursor::kNone : reinterpret_cast<uintptr_t>(x);
  }
  c.load();
  return c;
}

ZsetObject::Cursor ZsetObject::last() const {
  size_t n = size();
  if (n == 0) {
    Cursor c;
    c.set_ = this;
    return c;
  }
  if (!is_listpack()) {
    Cursor c;
    c.set_ = this;
    c.pos_ = reinterpret_cast<uintptr_t>(sl()->tail);
    c.load();
    return c;
  }
  return at_rank(n - 1);
}

ZsetObject::Cursor ZsetObject::first_in_range(const ZScoreRange& range) const {
  Cursor c;
  c.set_ = this;
  if (score_range_empty(range)) return c;
  if (is_listpack()) {
    for (c = first(); c.valid(); c.next()) {
      if (zscore_gte_min(c.score(), range)) {
        if (!zscore_lte_max(c.score(), range)) break;
        return c;
      }
    }
    c.pos_ = Cursor::kNone;
    return c;
  }
  Node* x = sl()->first_where([&](const Node* n) { return zscore_gte_min(n->score, range); },
                              [&](const Node* n) { return zscore_lte_max(n->score, range); },
                              sl()->search_levels(false));
  if (x != nullptr) c.pos_ = reinterpret_cast<uintptr_t>(x);
  c.load();
  return c;
}

ZsetObject::Cursor ZsetObject::last_in_range(const ZScoreRange& range) const {
  Cursor c;
  c.set_ = this;
  if (score_range_empty(range)) return c;
  if (is_listpack()) {
    for (c = last(); c.valid(); c.prev()) {
      if (zscore_lte_max(c.score(), range)) {
        if (!zscore_gte_min(c.score(), range)) break;
        return c;
      }
    }
    c.pos_ = Cursor::kNone;
    return c;
  }
  Node* x = sl()->last_where([&](const Node* n) { return zscore_gte_min(n->score, range); },
                             [&](const Node* n) { return zscore_lte_max(n->score, range); },
                             sl()->search_levels(false));
  if (x != nullptr) c.pos_ = reinterpret_cast<uintptr_t>(x);
  c.load();
  return c;
}

ZsetObject::Cursor ZsetObject::first_in_lex_range(const ZLexRange& range) const {
  Cursor c;
  c.set_ = this;
  if (lex_range_empty(range)) return c;
  if (is_listpack()) {
    for (c = first(); c.valid(); c.next()) {
      if (zlex_gte_min(c.member(), range)) {
        if (!zlex_lte_max(c.member(), range)) break;
        return c;
      }
    }
    c.pos_ = Cursor::kNone;
    return c;
  }
  Node* x = sl()->first_where([&](const Node* n) { return zlex_gte_min(n->member(), range); },
                              [&](const Node* n) { return zlex_lte_max(n->member(), range); },
                              sl()->search_levels(true));
  if (x != nullptr) c.pos_ = reinterpret_cast<uintptr_t>(x);
  c.load();
  return c;
}

ZsetObject::Cursor ZsetObject::last_in_lex_range(const ZLexRange& range) const {
  Cursor c;
  c.set_ = this;
  if (lex_range_empty(range)) return c;
  if (is_listpack()) {
    for (c = last(); c.valid(); c.prev()) {
      if (zlex_lte_max(c.member(), range)) {
        if (!zlex_gte_min(c.member(), range)) break;
        return c;
      }
    }
    c.pos_ = Cursor::kNone;
    return c;
  }
  Node* x = sl()->last_where([&](const Node* n) { return zlex_gte_min(n->member(), range); },
                             [&](const Node* n) { return zlex_lte_max(n->member(), range); },
                             sl()->search_levels(true));
  if (x != nullptr) c.pos_ = reinterpret_cast<uintptr_t>(x);
  c.load();
  return c;
}

size_t ZsetObject::count_in_range(const ZScoreRange& range) const {
  Cursor a = first_in_range(range);
  if (!a.valid()) return 0;
  if (is_listpack()) {
    size_t n = 0;
    for (; a.valid() && zscore_lte_max(a.score(), range); a.next()) ++n;
    return n;
  }
  Cursor b = last_in_range(range);
  size_t ra = sl()->rank_of(a.score(), a.member());
  size_t rb = sl()->rank_of(b.score(), b.member());
  return rb - ra + 1;
}

size_t ZsetObject::count_in_lex_range(const ZLexRange& range) const {
  Cursor a = first_in_lex_range(range);
  if (!a.valid()) return 0;
  if (is_listpack()) {
    size_t n = 0;
    for (; a.valid() && zlex_lte_max(a.member(), range); a.next()) ++n;
    return n;
  }
  Cursor b = last_in_lex_range(range);
  size_t ra = sl()->rank_of(a.score(), a.member());
  size_t rb = sl()->rank_of(b.score(), b.member());
  return rb - ra + 1;
}

// ---- bulk removal ---------------------------------------------------------------------------

size_t ZsetObject::remove_range_by_rank(size_t start, size_t end) {
  if (start > end || start >= size()) return 0;
  if (end >= size()) end = size() - 1;
  if (is_listpack()) {
    lp().erase_range_index(static_cast<long>(start * 2), (end - start + 1) * 2);
    return end - start + 1;
  }
  return sl()->erase_ranks(start + 1, end + 1);
}

size_t ZsetObject::remove_range_by_score(const ZScoreRange& range) {
  if (is_listpack()) {
    Cursor c = first_in_range(range);
    if (!c.valid()) return 0;
    size_t start = c.pos_, n = 0;
    for (; c.valid() && zscore_lte_max(c.score(), range); c.next()) ++n;
    lp().erase_range(start, n * 2);
    return n;
  }
  if (score_range_empty(range)) return 0;
  return sl()->erase_where([&](const Node* n) { return zscore_gte_min(n->score, range); },
                           [&](const Node* n) { return zscore_lte_max(n->score, range); },
                           sl()->search_levels(false));
}

size_t ZsetObject::remove_range_by_lex(const ZLexRange& range) {
  if (is_listpack()) {
    Cursor c = first_in_lex_range(range);
    if (!c.valid()) return 0;
    size_t start = c.pos_, n = 0;
    for (; c.valid() && zlex_lte_max(c.member(), range); c.next()) ++n;
    lp().erase_range(start, n * 2);
    return n;
  }
  if (lex_range_empty(range)) return 0;
  return sl()->erase_where([&](const Node* n) { return zlex_gte_min(n->member(), range); },
                           [&](const Node* n) { return zlex_lte_max(n->member(), range); },
                           sl()->search_levels(true));
}

// ---- encoding -------------------------------------------------------------------------------

void ZsetObject::convert_to_skiplist() {
  if (!is_listpack()) return;
  auto s = std::make_unique<Skiplist>();
  for (Cursor c = first(); c.valid(); c.next()) s->insert(c.score(), c.member());
  lp().~Listpack();
  set_skiplist(s.release());
}

void ZsetObject::shrink_if_fits(size_t max_member_len, size_t total_member_len,
                                const EncodingLimits& limits) {
  if (is_listpack()) return;
  if (size() > limits.zset_max_listpack_entries ||
      max_member_len > limits.zset_max_listpack_value ||
      total_member_len > Listpack::kMaxSafeSize) {
    return;
  }
  Listpack l;
  for (const Node* x = sl()->header->forward()[0]; x != nullptr; x = x->forward()[0]) {
    l.append(x->member());
    l.append(score_text(x->score));
  }
  delete sl();
  new (repr_) Listpack(std::move(l));
}

uint64_t ZsetObject::scan_skiplist(uint64_t cursor, const ScanFn& fn) const {
  auto& dict = const_cast<Dict<zset_detail::NodeTraits>&>(sl()->dict);
  return dict.scan(cursor, [&](Node* n) { fn(n->member(), n->score); });
}

}  // namespace zakros::store

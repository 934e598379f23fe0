#include "linearizability.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <unordered_set>

namespace zakros::sim {

namespace {

struct KeyOp {
  std::uint64_t invoke;
  std::uint64_t complete;
  bool is_write;
  int value;  // interned value id; 0 = absent
};

struct StateHash {
  std::size_t operator()(const std::pair<std::vector<std::uint64_t>, int>& s) const {
    std::size_t h = std::hash<int>()(s.second);
    for (auto w : s.first) h = h * 1000003u ^ std::hash<std::uint64_t>()(w);
    return h;
  }
};

// Returns 1 linearizable, 0 not, -1 budget exhausted.
int search(const std::vector<KeyOp>& ops, std::uint64_t budget) {
  const std::size_t n = ops.size();
  std::size_t required = 0;
  for (const auto& o : ops) required += o.complete != kNeverReturned;
  std::vector<std::uint64_t> done((n + 63) / 64, 0);
  std::unordered_set<std::pair<std::vector<std::uint64_t>, int>, StateHash> seen;
  struct Frame {
    std::size_t next_candidate;
    std::size_t chosen;  // op linearized to reach this frame (n for the root)
    int prev_value;
  };
  std::vector<Frame> stack;
  stack.push_back({0, n, 0});
  int value = 0;
  std::size_t completed_done = 0;
  std::uint64_t steps = 0;
  auto is_done = [&](std::size_t i) { return (done[i / 64] >> (i % 64)) & 1; };
  while (!stack.empty()) {
    if (++steps > budget) return -1;
    if (completed_done == required) return 1;
    Frame& f = stack.back();
    // The earliest response among pending completed ops bounds who may go next.
    std::uint64_t horizon = kNeverReturned;
    for (std::size_t i = 0; i < n; ++i) {
      if (!is_done(i) && ops[i].complete < horizon) horizon = ops[i].complete;
    }
    bool advanced = false;
    for (std::size_t i = f.next_candidate; i < n; ++i) {
      if (is_done(i)) continue;
      if (ops[i].invoke > horizon) break;  // ops are sorted by invoke
      const KeyOp& o = ops[i];
      if (!o.is_write && o.value != value) continue;
      const int new_value = o.is_write ? o.value : value;
      done[i / 64] |= 1ull << (i % 64);
      if (!seen.insert({done, new_value}).second) {
        done[i / 64] &= ~(1ull << (i % 64));
        continue;
      }
      f.next_candidate = i + 1;
      stack.push_back({0, i, value});
      value = new_value;
      if (o.complete != kNeverReturned) ++completed_done;
      advanced = true;
      break;
    }
    if (advanced) continue;
    // Backtrack.
    const Frame back = stack.back();
    stack.pop_back();
    if (back.chosen < n) {
      done[back.chosen / 64] &= ~(1ull << (back.chosen % 64));
      if (ops[back.chosen].complete != kNeverReturned) --completed_done;
      value = back.prev_value;
    }
  }
  return 0;
}

}  // namespace

LinearizabilityResult check_linearizable(const std::vector<Operation>& history,
                                         std::uint64_t budget) {
  LinearizabilityResult result;
  std::map<std::string, std::vector<const Operation*>> by_key;
  for (const auto& op : history) by_key[op.key].push_back(&op);
  for (auto& [key, ops] : by_key) {
    std::map<std::string, int> ids{{"", 0}};
    std::set<std::string> read_values;
    for (const Operation* op : ops) {
      if (!op->is_write) read_values.insert(op->value);
    }
    std::vector<KeyOp> kops;
    std::vector<const Operation*> kept;
    for (const Operation* op : ops) {
      // An unknown-outcome write nobody observed may simply never have happened.
      if (op->is_write && op->complete == kNeverReturned && !read_values.count(op->value)) continue;
      auto [it, inserted] = ids.emplace(op->value, static_cast<int>(ids.size()));
      kops.push_back({op->invoke, op->complete, op->is_write, it->second});
      kept.push_back(op);
    }
    std::vector<std::size_t> order(kops.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return kops[a].invoke < kops[b].invoke; });
    std::vector<KeyOp> sorted;
    std::vector<const Operation*> sorted_ops;
    for (auto i : order) {
      sorted.push_back(kops[i]);
      sorted_ops.push_back(kept[i]);
    }
    // A read of a value never written is an immediate failure.
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      if (sorted[i].is_write || sorted[i].value == 0) continue;
      bool written = false;
      for (const auto& w : sorted) written |= w.is_write && w.value == sorted[i].value;
      if (!written) {
        result.ok = false;
        result.detail = "key " + key + ": read of a value never written: " + sorted_ops[i]->value;
        return result;
      }
    }
    const int r = search(sorted, budget);
    if (r == -1) {
      result.inconclusive = true;
      continue;
    }
    if (r == 0) {
      result.ok = false;
      std::ostringstream os;
      os << "key " << key << " is not linearizable; history (invoke..complete op value client):\n";
      for (const Operation* op : sorted_ops) {
        os << "  " << op->invoke << ".."
           << (op->complete == kNeverReturned ? std::string("?") : std::to_string(op->complete))
           << (op->is_write ? " write " : " read  ") << (op->value.empty() ? "<nil>" : op->value)
           << " c" << op->client << "\n";
      }
      result.detail = os.str();
      return result;
    }
  }
  return result;
}

}  // namespace zakros::sim

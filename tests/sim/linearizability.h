// Linearizability checker for the simulator's key-value register workload.
//
// Each key is an independent register (linearizability is compositional, so keys are checked
// separately). Writes carry values unique across the run, which lets the checker drop pointless
// work: a write whose outcome is unknown (the client timed out or its node crashed) and whose
// value nobody read can always be left out of the linearization.
//
// The search is Wing & Gong's, with Lowe's memoization of (set of linearized operations, register
// value): at each point any operation invoked before the earliest pending response may take
// effect next.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zakros::sim {

inline constexpr std::uint64_t kNeverReturned = ~0ull;

struct Operation {
  std::uint64_t invoke = 0;                 // logical time of the call
  std::uint64_t complete = kNeverReturned;  // logical time of the answer (or never: unknown)
  bool is_write = false;
  std::string key;
  std::string value;  // written, or read ("" = absent)
  int client = 0;
};

struct LinearizabilityResult {
  bool ok = true;
  bool inconclusive = false;  // search budget exhausted (counted, not a failure)
  std::string detail;         // the offending key and its history when !ok
};

LinearizabilityResult check_linearizable(const std::vector<Operation>& history,
                                         std::uint64_t budget = 2'000'000);

}  // namespace zakros::sim

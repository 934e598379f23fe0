// The deterministic cluster simulator: a whole Raft cluster in one process, driven by one seeded
// scheduler, so any run replays exactly from its seed.
//
// Model (one "unit" of simulated time; a node ticks every 10 units, election timeout 10 ticks):
//   * network: every message is delayed (1-5 units, sometimes up to 60: reordering), may be
//     dropped or duplicated, and is lost if a partition separates its ends (symmetric,
//     one-directional, or a "bridge" where one node sees both halves);
//   * disk: each Ready is written asynchronously (1-3 units); the node keeps working meanwhile and
//     the leader's appends leave before its own write completes. A crash loses everything not yet
//     written, and a crash during a write may tear it (keep only a prefix of its entries);
//   * nodes crash and restart from their "disk" (MemoryStorage), take snapshots and install them;
//   * a nemesis changes membership (learners added, promoted, voters removed, the leader
//     included) and transfers leadership while all of that happens;
//   * clients write and read (ReadIndex) a few keys all the time.
// Checks: after every step, Election Safety, Leader Append-Only, Log Matching, Leader
// Completeness, State Machine Safety and that nothing committed is lost; at the end, the clients'
// history must be linearizable and, once faults stop, the cluster must make progress within a
// bounded time, keep a stable leader when only one leader-follower link is cut, and an isolated
// leader must step down.
#pragma once

#include <cstdint>
#include <string>

#include "raft/core/config.h"

namespace zakros::sim {

struct SimOptions {
  std::uint64_t seed = 1;
  int nodes = 3;                // initial voters; two spare nodes exist for membership changes
  std::uint64_t steps = 20000;  // events processed during the fault phase
  raft::Broken broken = raft::Broken::kNone;
  bool verbose = false;
};

struct SimResult {
  bool ok = true;
  std::string violation;          // what broke, when !ok
  std::uint64_t steps = 0;        // events processed in total
  std::uint64_t time = 0;         // simulated time units
  std::uint64_t elections = 0;    // leaders elected
  std::uint64_t committed = 0;    // highest committed index
  std::uint64_t ops_ok = 0;       // client operations that completed
  std::uint64_t ops_unknown = 0;  // writes whose outcome stayed unknown
  std::uint64_t crashes = 0;
  std::uint64_t snapshots_sent = 0;
  std::uint64_t conf_changes = 0;
  bool lin_inconclusive = false;
};

SimResult run_simulation(const SimOptions& options);

// Names accepted by --broken, and back.
bool parse_broken(const std::string& name, raft::Broken* out);
const char* broken_name(raft::Broken b);

}  // namespace zakros::sim

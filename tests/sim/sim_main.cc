// sim: runs the deterministic Raft cluster simulator.
//
//   sim --seed N [--steps M] [--nodes 3|5|7] [--broken VARIANT] [--verbose]
//       one run; replays exactly (same seed, same options => same run)
//   sim --seeds N [--first S] [--steps M] [--nodes K] [--broken VARIANT] [--expect-violation]
//       runs seeds S..S+N-1 and reports throughput; exits 1 on the first violation (printing the
//       seed and the command that replays it), or, with --expect-violation, exits 0 as soon as a
//       violation is found and 1 if none is.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "simulation.h"

using zakros::sim::SimOptions;
using zakros::sim::SimResult;

namespace {

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: sim [--seed N | --seeds N [--first S]] [--steps M] [--nodes 3|5|7]\n"
               "           [--broken VARIANT] [--expect-violation] [--verbose]\n"
               "variants: none commit-previous-term skip-noop read-without-heartbeat no-prevote\n"
               "          no-check-quorum vote-before-persist no-log-check-on-vote\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  SimOptions base;
  std::uint64_t seeds = 0;
  std::uint64_t first = 1;
  bool single = false;
  bool expect_violation = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage();
      return argv[++i];
    };
    if (a == "--seed") {
      base.seed = std::stoull(value());
      single = true;
    } else if (a == "--seeds") {
      seeds = std::stoull(value());
    } else if (a == "--first") {
      first = std::stoull(value());
    } else if (a == "--steps") {
      base.steps = std::stoull(value());
    } else if (a == "--nodes") {
      base.nodes = std::stoi(value());
      if (base.nodes < 1 || base.nodes > 9) usage();
    } else if (a == "--broken") {
      if (!zakros::sim::parse_broken(value(), &base.broken)) usage();
    } else if (a == "--expect-violation") {
      expect_violation = true;
    } else if (a == "--verbose") {
      base.verbose = true;
    } else {
      usage();
    }
  }
  if (!single && seeds == 0) seeds = 1;
  if (single) {
    first = base.seed;
    seeds = 1;
  }
  const auto t0 = std::chrono::steady_clock::now();
  std::uint64_t total_steps = 0, elections = 0, ops = 0, crashes = 0, confs = 0, snaps = 0;
  std::uint64_t inconclusive = 0;
  for (std::uint64_t s = first; s < first + seeds; ++s) {
    SimOptions o = base;
    o.seed = s;
    const SimResult r = zakros::sim::run_simulation(o);
    total_steps += r.steps;
    elections += r.elections;
    ops += r.ops_ok;
    crashes += r.crashes;
    confs += r.conf_changes;
    snaps += r.snapshots_sent;
    inconclusive += r.lin_inconclusive;
    if (single || base.verbose) {
      std::printf(
          "seed %llu: %s steps=%llu time=%llu elections=%llu committed=%llu ops=%llu unknown=%llu "
          "crashes=%llu snapshots_sent=%llu conf_changes=%llu\n",
          static_cast<unsigned long long>(s), r.ok ? "ok" : "VIOLATION",
          static_cast<unsigned long long>(r.steps), static_cast<unsigned long long>(r.time),
          static_cast<unsigned long long>(r.elections),
          static_cast<unsigned long long>(r.committed), static_cast<unsigned long long>(r.ops_ok),
          static_cast<unsigned long long>(r.ops_unknown),
          static_cast<unsigned long long>(r.crashes),
          static_cast<unsigned long long>(r.snapshots_sent),
          static_cast<unsigned long long>(r.conf_changes));
    }
    if (!r.ok) {
      std::printf("seed %llu (nodes %d, broken %s): %s\n", static_cast<unsigned long long>(s),
                  o.nodes, zakros::sim::broken_name(o.broken), r.violation.c_str());
      std::printf("replay: sim --seed %llu --steps %llu --nodes %d --broken %s\n",
                  static_cast<unsigned long long>(s), static_cast<unsigned long long>(o.steps),
                  o.nodes, zakros::sim::broken_name(o.broken));
      if (expect_violation) {
        std::printf("expected violation found after %llu seed(s)\n",
                    static_cast<unsigned long long>(s - first + 1));
        return 0;
      }
      return 1;
    }
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf(
      "%llu seed(s) ok (nodes %d, broken %s): %llu steps in %.2fs (%.0f steps/s), elections=%llu "
      "ops=%llu crashes=%llu conf_changes=%llu snapshots_sent=%llu lin_inconclusive=%llu\n",
      static_cast<unsigned long long>(seeds), base.nodes, zakros::sim::broken_name(base.broken),
      static_cast<unsigned long long>(total_steps), secs, total_steps / (secs > 0 ? secs : 1),
      static_cast<unsigned long long>(elections), static_cast<unsigned long long>(ops),
      static_cast<unsigned long long>(crashes), static_cast<unsigned long long>(confs),
      static_cast<unsigned long long>(snaps), static_cast<unsigned long long>(inconclusive));
  if (expect_violation) {
    std::printf("FAIL: expected a violation with --broken %s, none found\n",
                zakros::sim::broken_name(base.broken));
    return 1;
  }
  return 0;
}

// Clocks. Wall time is what TIME, expiry deadlines (EXPIREAT, PXAT) and the log use; monotonic
// time is for measuring durations (SLOWLOG, LATENCY, timeouts) and never jumps.
//
// Who calls it: the server's event loop (to stamp each command's `now`, see design.md
// "Determinism"), INFO/TIME, the logger. Commands never call these directly: they read `now`
// from their execution context so that every Raft node computes the same result.
#pragma once

#include <cstdint>

namespace zakros::util {

// Milliseconds since the Unix epoch (CLOCK_REALTIME).
int64_t wall_ms();
// Microseconds since the Unix epoch (CLOCK_REALTIME).
int64_t wall_us();
// Microseconds since an arbitrary fixed point (CLOCK_MONOTONIC); only differences are meaningful.
int64_t monotonic_us();

}  // namespace zakros::util

#include "util/clock.h"

#include <ctime>

namespace zakros::util {

namespace {

int64_t read_us(clockid_t id) {
  timespec ts;
  clock_gettime(id, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

}  // namespace

int64_t wall_ms() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

int64_t wall_us() {
  return read_us(CLOCK_REALTIME);
}

int64_t monotonic_us() {
  return read_us(CLOCK_MONOTONIC);
}

}  // namespace zakros::util

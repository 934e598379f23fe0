// InstantaneousMetric: Redis's instantaneous_ops_per_sec / instantaneous_input_kbps style rate,
// the average rate over the last ~1.6 seconds of a monotonically growing counter.
//
// Redis samples in serverCron every 100 ms into a ring of 16 samples; zakros samples whenever
// someone looks (after commands, INFO) but at most every 100 ms, which gives the same figure on
// a busy server and 0 on an idle one. Owned by the Server; event-loop thread only.
#pragma once

#include <array>
#include <cstdint>

namespace zakros::server {

class InstantaneousMetric {
 public:
  static constexpr int64_t kSamplePeriodMs = 100;
  static constexpr size_t kSamples = 16;

  // Records `value` at `now_ms` unless the previous sample is less than 100 ms old.
  void sample(int64_t now_ms, uint64_t value) {
    const Sample& last = samples_[(next_ + kSamples - 1) % kSamples];
    if (last.time_ms != 0 && now_ms - last.time_ms < kSamplePeriodMs) return;
    samples_[next_] = Sample{now_ms, value};
    next_ = (next_ + 1) % kSamples;
  }
  // Units per second between the oldest sample of the window and (now_ms, value).
  double per_second(int64_t now_ms, uint64_t value) const {
    const int64_t window_ms = static_cast<int64_t>(kSamples) * kSamplePeriodMs;
    const Sample* oldest = nullptr;
    for (const Sample& s : samples_) {
      if (s.time_ms == 0 || now_ms - s.time_ms > window_ms || s.time_ms >= now_ms) continue;
      if (oldest == nullptr || s.time_ms < oldest->time_ms) oldest = &s;
    }
    if (oldest == nullptr || value < oldest->value) return 0;
    return static_cast<double>(value - oldest->value) * 1000.0 /
           static_cast<double>(now_ms - oldest->time_ms);
  }
  void reset() { *this = InstantaneousMetric{}; }

 private:
  struct Sample {
    int64_t time_ms = 0;
    uint64_t value = 0;
  };
  std::array<Sample, kSamples> samples_{};
  size_t next_ = 0;
};

}  // namespace zakros::server

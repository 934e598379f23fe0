// LatencyMonitor: the LATENCY command's event time series (Redis's latency.c), and the per-
// command latency histogram behind LATENCY HISTOGRAM and INFO latencystats.
//
// Events: when something measured takes at least latency-monitor-threshold milliseconds (and
// the threshold is not 0), the caller adds a sample to the event's series ("command" and
// "fast-command" from the after-command hook, "expire-cycle" from the expiry cron, ...). A
// series keeps the last 160 samples, one per second (two samples in the same second keep the
// larger), plus the all-time maximum, exactly as Redis does.
//
// Histogram: a cumulative log2 histogram of command durations, kept per command in
// CommandStats (stats.h) so CONFIG RESETSTAT clears it. Bucket i counts durations of at most
// 2^i microseconds; LATENCY HISTOGRAM reports it in Redis's shape (bucket upper bound in
// microseconds -> cumulative count, only where the count grows).
//
// Owned by the Server; event-loop thread only.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace zakros::server {

class LatencyMonitor {
 public:
  static constexpr size_t kSeriesLength = 160;  // Redis's LATENCY_TS_LEN

  struct Sample {
    int64_t time_sec = 0;  // 0 = unused slot
    uint64_t latency_ms = 0;
  };
  struct Series {
    size_t next = 0;
    uint64_t max_ms = 0;
    std::array<Sample, kSeriesLength> samples{};

    // The most recently added sample.
    const Sample& last() const { return samples[(next + kSeriesLength - 1) % kSeriesLength]; }
    // Used samples, oldest first.
    std::vector<Sample> history() const;
  };
  // Statistics of one series for LATENCY DOCTOR (Redis's analyzeLatencyForEvent).
  struct Analysis {
    uint64_t samples = 0, avg = 0, min = 0, max = 0, mad = 0, period = 0, all_time_high = 0;
  };

  // Adds a sample if `threshold_ms` is not 0 and `latency_ms` >= it.
  void add_if_needed(std::string_view event, uint64_t latency_ms, long long threshold_ms,
                     int64_t now_sec);
  void add(std::string_view event, uint64_t latency_ms, int64_t now_sec);

  const std::map<std::string, Series, std::less<>>& events() const { return events_; }
  const Series* find(std::string_view event) const;
  // LATENCY RESET: with no names, all events; returns how many events were removed.
  size_t reset(const std::vector<std::string>& names);

  Analysis analyze(const Series& series, int64_t now_sec) const;
  // LATENCY DOCTOR's report (a brief form of Redis's).
  std::string doctor(long long threshold_ms, long long slowlog_slower_than_us,
                     int64_t now_sec) const;
  // LATENCY GRAPH's text for one event (header, ruler and one column per sample).
  std::string graph(std::string_view event, const Series& series) const;

 private:
  std::map<std::string, Series, std::less<>> events_;
};

// Log2 latency histogram of one command (see the header comment).
struct LatencyHistogram {
  static constexpr size_t kBuckets = 40;
  std::array<uint64_t, kBuckets> buckets{};
  uint64_t count = 0;

  void record(int64_t duration_us);
  // Percentile p (0..100) in microseconds, as the upper bound of the bucket that holds it.
  double percentile(double p) const;
};

}  // namespace zakros::server

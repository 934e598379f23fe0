#include "server/admin/latency.h"

#include <bit>
#include <cstdio>

namespace zakros::server {

std::vector<LatencyMonitor::Sample> LatencyMonitor::Series::history() const {
  std::vector<Sample> out;
  for (size_t j = 0; j < kSeriesLength; ++j) {
    const Sample& s = samples[(next + j) % kSeriesLength];
    if (s.time_sec != 0) out.push_back(s);
  }
  return out;
}

void LatencyMonitor::add_if_needed(std::string_view event, uint64_t latency_ms,
                                   long long threshold_ms, int64_t now_sec) {
  if (threshold_ms > 0 && latency_ms >= static_cast<uint64_t>(threshold_ms)) {
    add(event, latency_ms, now_sec);
  }
}

void LatencyMonitor::add(std::string_view event, uint64_t latency_ms, int64_t now_sec) {
  auto it = events_.find(event);
  if (it == events_.end()) it = events_.emplace(std::string(event), Series{}).first;
  Series& series = it->second;
  if (latency_ms > series.max_ms) series.max_ms = latency_ms;
  // One sample per second: a second spike in the same second keeps the larger value.
  Sample& prev = series.samples[(series.next + kSeriesLength - 1) % kSeriesLength];
  if (prev.time_sec == now_sec) {
    if (latency_ms > prev.latency_ms) prev.latency_ms = latency_ms;
    return;
  }
  series.samples[series.next] = Sample{now_sec, latency_ms};
  series.next = (series.next + 1) % kSeriesLength;
}

const LatencyMonitor::Series* LatencyMonitor::find(std::string_view event) const {
  auto it = events_.find(event);
  return it == events_.end() ? nullptr : &it->second;
}

size_t LatencyMonitor::reset(const std::vector<std::string>& names) {
  if (names.empty()) {
    size_t n = events_.size();
    events_.clear();
    return n;
  }
  size_t removed = 0;
  for (const std::string& name : names) removed += events_.erase(name);
  return removed;
}

LatencyMonitor::Analysis LatencyMonitor::analyze(const Series& series, int64_t now_sec) const {
  Analysis a;
  a.all_time_high = series.max_ms;
  uint64_t sum = 0;
  int64_t oldest = 0;
  for (const Sample& s : series.samples) {
    if (s.time_sec == 0) continue;
    a.samples++;
    if (a.samples == 1) {
      a.min = a.max = s.latency_ms;
    } else {
      a.min = std::min(a.min, s.latency_ms);
      a.max = std::max(a.max, s.latency_ms);
    }
    sum += s.latency_ms;
    if (oldest == 0 || s.time_sec < oldest) oldest = s.time_sec;
  }
  if (a.samples == 0) return a;
  a.avg = sum / a.samples;
  a.period = static_cast<uint64_t>(std::max<int64_t>(now_sec - oldest, 1));
  uint64_t dev = 0;
  for (const Sample& s : series.samples) {
    if (s.time_sec == 0) continue;
    dev += s.latency_ms > a.avg ? s.latency_ms - a.avg : a.avg - s.latency_ms;
  }
  a.mad = dev / a.samples;
  return a;
}

std::string LatencyMonitor::doctor(long long threshold_ms, long long slowlog_slower_than_us,
                                   int64_t now_sec) const {
  if (events_.empty() && threshold_ms == 0) {
    return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis "
           "instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in "
           "order to enable it. If we weren't in a deep space mission I'd suggest to take a look "
           "at https://redis.io/topics/latency-monitor.\n";
  }
  if (events_.empty()) {
    return "Dave, no latency spike was observed during the lifetime of this Redis instance, not "
           "in the slightest bit. I honestly think you ought to sit down calmly, take a stress "
           "pill, and think things over.\n";
  }
  std::string report =
      "Dave, I have observed latency spikes in this Redis instance. You don't mind talking "
      "about it, do you Dave?\n\n";
  int eventnum = 0;
  bool command_events = false;
  char line[512];
  for (const auto& [name, series] : events_) {
    Analysis a = analyze(series, now_sec);
    std::snprintf(line, sizeof(line),
                  "%d. %s: %llu latency spikes (average %llums, mean deviation %llums, period "
                  "%.2f sec). Worst all time event %llums.",
                  ++eventnum, name.c_str(), static_cast<unsigned long long>(a.samples),
                  static_cast<unsigned long long>(a.avg), static_cast<unsigned long long>(a.mad),
                  a.samples ? static_cast<double>(a.period) / static_cast<double>(a.samples) : 0.0,
                  static_cast<unsigned long long>(series.max_ms));
    report += line;
    report += "\n";
    if (name == "command" || name == "fast-command") command_events = true;
  }
  if (!command_events) {
    report +=
        "\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please "
        "use the Redis community to get some help, providing this report in your help "
        "request.\n";
    return report;
  }
  report += "\nI have a few advices for you:\n\n";
  if (slowlog_slower_than_us < 0) {
    std::snprintf(line, sizeof(line),
                  "- There are latency issues with potentially slow commands you are using. Try "
                  "to enable the Slow Log Redis feature using the command 'CONFIG SET "
                  "slowlog-log-slower-than %llu'. If the Slow log is disabled Redis is not able "
                  "to log slow commands execution for you.\n",
                  static_cast<unsigned long long>(threshold_ms) * 1000);
    report += line;
  } else if (slowlog_slower_than_us / 1000 > threshold_ms) {
    std::snprintf(line, sizeof(line),
                  "- Your current Slow Log configuration only logs events that are slower than "
                  "your configured latency monitor threshold. Please use 'CONFIG SET "
                  "slowlog-log-slower-than %llu'.\n",
                  static_cast<unsigned long long>(threshold_ms) * 1000);
    report += line;
  }
  report +=
      "- Check your Slow Log to understand what are the commands you are running which are too "
      "slow to execute. Please check https://redis.io/commands/slowlog for more information.\n";
  report +=
      "- Deleting, expiring or evicting (because of maxmemory policy) large objects is a "
      "blocking operation. If you have very large objects that are often deleted, expired, or "
      "evicted, try to fragment those objects into multiple smaller objects.\n";
  return report;
}

std::string LatencyMonitor::graph(std::string_view event, const Series& series) const {
  std::vector<Sample> samples = series.history();
  uint64_t high = 0, low = 0;
  for (size_t i = 0; i < samples.size(); ++i) {
    if (i == 0 || samples[i].latency_ms > high) high = samples[i].latency_ms;
    if (i == 0 || samples[i].latency_ms < low) low = samples[i].latency_ms;
  }
  char header[256];
  std::snprintf(
      header, sizeof(header), "%.*s - high %llu ms, low %llu ms (all time high %llu ms)\n",
      static_cast<int>(event.size()), event.data(), static_cast<unsigned long long>(high),
      static_cast<unsigned long long>(low), static_cast<unsigned long long>(series.max_ms));
  std::string out = header;
  out += std::string(80, '-') + "\n";
  // A compact sparkline: one column per sample, 4 rows of height scaled to the range, then
  // the sample's latency. (Redis draws a finer sparkline; the data is the same.)
  constexpr int kRows = 4;
  for (int row = kRows; row >= 1; --row) {
    std::string line;
    for (const Sample& s : samples) {
      uint64_t range = high - low;
      int height =
          range == 0 ? kRows : 1 + static_cast<int>((s.latency_ms - low) * (kRows - 1) / range);
      line += height >= row ? '#' : ' ';
    }
    out += line + "\n";
  }
  std::string labels;
  for (const Sample& s : samples) labels += std::to_string(s.latency_ms) + " ";
  out += labels + "\n";
  return out;
}

void LatencyHistogram::record(int64_t duration_us) {
  uint64_t d = duration_us <= 1 ? 1 : static_cast<uint64_t>(duration_us);
  size_t bucket = static_cast<size_t>(std::bit_width(d - 1));  // ceil(log2(d))
  if (bucket >= kBuckets) bucket = kBuckets - 1;
  buckets[bucket]++;
  count++;
}

double LatencyHistogram::percentile(double p) const {
  if (count == 0) return 0;
  double target = p / 100.0 * static_cast<double>(count);
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    cumulative += buckets[i];
    if (static_cast<double>(cumulative) >= target && cumulative > 0) {
      return static_cast<double>(uint64_t{1} << i);
    }
  }
  return static_cast<double>(uint64_t{1} << (kBuckets - 1));
}

}  // namespace zakros::server

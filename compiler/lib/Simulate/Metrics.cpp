//===- Metrics.cpp - accuracy over time, recovery, mean and std -----------===//
#include "tnas/Simulate/Metrics.h"

#include <algorithm>
#include <cmath>

using namespace tnas::simulate;

static bool correct(const RunTrace &t, size_t i) {
  return t.labels[i] == t.predicted[i];
}

std::vector<double> tnas::simulate::windowedAccuracy(const RunTrace &trace,
                                                     int64_t window) {
  size_t n = trace.labels.size(), w = size_t(std::max<int64_t>(window, 1));
  std::vector<double> out(n);
  size_t hits = 0;
  for (size_t i = 0; i < n; ++i) {
    hits += correct(trace, i);
    if (i >= w)
      hits -= correct(trace, i - w);
    out[i] = double(hits) / double(std::min(i + 1, w));
  }
  return out;
}

std::optional<double> tnas::simulate::rangeAccuracy(const RunTrace &trace,
                                                    int64_t begin,
                                                    int64_t end) {
  begin = std::max<int64_t>(begin, 0);
  end = std::min<int64_t>(end, int64_t(trace.labels.size()));
  if (end <= begin)
    return std::nullopt;
  int64_t hits = 0;
  for (int64_t i = begin; i < end; ++i)
    hits += correct(trace, size_t(i));
  return double(hits) / double(end - begin);
}

std::optional<int64_t> tnas::simulate::recoverySamples(const RunTrace &trace,
                                                       int64_t eventAt,
                                                       int64_t window,
                                                       double target) {
  int64_t n = int64_t(trace.labels.size());
  int64_t least = std::min<int64_t>(window, 20);
  // The samples after the recovering window that must confirm it: a window
  // (half the post-event stream if that is shorter), so that a model whose
  // last window strays above the target is not called recovered.
  int64_t confirm = std::max<int64_t>(
      1, std::min<int64_t>(window, (n - eventAt) / 2));
  for (int64_t end = eventAt + least; end + confirm <= n; ++end) {
    int64_t begin = std::max(eventAt, end - window);
    std::optional<double> acc = rangeAccuracy(trace, begin, end);
    if (!acc || *acc < target)
      continue;
    std::optional<double> after = rangeAccuracy(trace, end, n);
    if (after && *after >= target)
      return end - eventAt;
  }
  return std::nullopt;
}

std::optional<double> tnas::simulate::testAccuracyAt(const RunTrace &trace,
                                                     size_t set,
                                                     int64_t index) {
  std::optional<double> found;
  for (const Checkpoint &c : trace.checkpoints)
    if (c.index <= index && set < c.accuracy.size())
      found = c.accuracy[set];
  return found;
}

MeanStd tnas::simulate::meanStd(llvm::ArrayRef<double> values) {
  MeanStd m;
  m.count = int64_t(values.size());
  if (values.empty())
    return m;
  for (double v : values)
    m.mean += v;
  m.mean /= double(values.size());
  if (values.size() > 1) {
    double ss = 0;
    for (double v : values)
      ss += (v - m.mean) * (v - m.mean);
    m.std = std::sqrt(ss / double(values.size() - 1));
  }
  return m;
}

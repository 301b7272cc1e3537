//===- Metrics.h - accuracy over time, recovery, mean and std ---*- C++ -*-===//
#ifndef TNAS_SIMULATE_METRICS_H
#define TNAS_SIMULATE_METRICS_H

#include "tnas/Simulate/HostBuild.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace tnas::simulate {

/// Prequential accuracy of the `window` samples that end at each index
/// (fewer at the start): result[i] covers (i - window, i].
std::vector<double> windowedAccuracy(const RunTrace &trace, int64_t window);

/// Mean correctness of the stream samples in [begin, end); nullopt when
/// empty.
std::optional<double> rangeAccuracy(const RunTrace &trace, int64_t begin,
                                    int64_t end);

/// Samples after `eventAt` until the accuracy of the trailing window (only
/// samples from the event on, at least min(window, 20) of them) reaches
/// `target` and holds: the accuracy of the samples after that window, to the
/// end of the stream and at least a window of them (half the post-event
/// stream if shorter), is at least `target` too, so that a lucky window of a
/// model that stays below, early or in the last samples, does not count;
/// nullopt if it never does.
std::optional<int64_t> recoverySamples(const RunTrace &trace, int64_t eventAt,
                                       int64_t window, double target);

/// Test accuracy of set `set` at the last checkpoint at or before `index`.
std::optional<double> testAccuracyAt(const RunTrace &trace, size_t set,
                                     int64_t index);

struct MeanStd {
  double mean = 0, std = 0; ///< sample standard deviation (0 for one value)
  int64_t count = 0;        ///< values it summarizes
};
MeanStd meanStd(llvm::ArrayRef<double> values);

} // namespace tnas::simulate

#endif // TNAS_SIMULATE_METRICS_H

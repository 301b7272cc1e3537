//===- Report.h - simulate.json and simulate.html ---------------*- C++ -*-===//
#ifndef TNAS_SIMULATE_REPORT_H
#define TNAS_SIMULATE_REPORT_H

#include "tnas/Simulate/Metrics.h"
#include "tnas/Simulate/Simulate.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/JSON.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tnas::simulate {

/// One scheme of one scenario, summarized over the repetitions.
struct SchemeSummary {
  const SchemeResult *result = nullptr;
  /// Drift: prequential accuracy of the window before the event.
  /// Incremental / transfer: test accuracy on the pre-trained classes at
  /// deployment. The recovery target is 90% of it.
  std::optional<MeanStd> preEvent;
  MeanStd postEvent; ///< prequential accuracy of the stream's last window
  MeanStd recovery;  ///< samples, over the repetitions that recovered
  int64_t recovered = 0;
  /// Per test set: at deployment, just before the event (drift), at the end.
  std::vector<MeanStd> testStart, testBeforeEvent, testEnd;
  std::vector<int64_t> curveIndex; ///< stream positions (1-based)
  std::vector<double> curve;       ///< windowed accuracy, mean over seeds
};

SchemeSummary summarize(const ScenarioResult &scenario,
                        const SchemeResult &scheme);

/// The figures of one repetition (what summarize averages).
struct RunFigures {
  std::optional<double> preEvent;  ///< as SchemeSummary::preEvent
  std::optional<int64_t> recovery; ///< samples; none if not recovered
  std::optional<double> postEvent; ///< the stream's last window
  /// Per test set: at deployment, just before the event, at the end.
  std::vector<std::optional<double>> testStart, testBeforeEvent, testEnd;
};
RunFigures runFigures(const ScenarioResult &scenario, const RunTrace &run);

/// "swap(0, 6) at 2000", "classes 8, 9 from the start", ...
std::string eventDescription(const ScenarioResult &scenario);

/// `pending`: the scenarios of the run not finished yet (the report is
/// written after each scenario, so that an interrupted run keeps those
/// done); "pending_scenarios" in the JSON.
llvm::json::Value reportJson(const Spec &spec,
                             const std::vector<ScenarioResult> &results,
                             llvm::ArrayRef<std::string> pending = {});

/// A self-contained page: per scenario, an SVG of the windowed accuracy
/// (one line per scheme, the event marked) and a table of the figures;
/// the pending scenarios are named at the top.
std::string reportHtml(const Spec &spec,
                       const std::vector<ScenarioResult> &results,
                       llvm::ArrayRef<std::string> pending = {});

} // namespace tnas::simulate

#endif // TNAS_SIMULATE_REPORT_H

//===- ReportJson.cpp - summaries and simulate.json -----------------------===//
#include "tnas/Simulate/Report.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

using namespace tnas;
using namespace tnas::simulate;

/// Points of the accuracy curve kept in the report.
constexpr int64_t kCurvePoints = 200;

RunFigures tnas::simulate::runFigures(const ScenarioResult &scenario,
                                      const RunTrace &run) {
  const ScenarioPlan &plan = scenario.plan;
  const int64_t window = scenario.window;
  const int64_t n = int64_t(run.labels.size());
  RunFigures f;
  f.preEvent = plan.spec->kind == ScenarioKind::Drift
                   ? rangeAccuracy(run, plan.eventAt - window, plan.eventAt)
                   : testAccuracyAt(run, 0, 0);
  if (f.preEvent)
    f.recovery = recoverySamples(run, plan.eventAt, window, 0.9 * *f.preEvent);
  f.postEvent = rangeAccuracy(run, n - window, n);
  for (size_t t = 0; t < scenario.testSets.size(); ++t) {
    f.testStart.push_back(testAccuracyAt(run, t, 0));
    f.testBeforeEvent.push_back(testAccuracyAt(run, t, plan.eventAt));
    f.testEnd.push_back(testAccuracyAt(run, t, n));
  }
  return f;
}

SchemeSummary tnas::simulate::summarize(const ScenarioResult &scenario,
                                        const SchemeResult &scheme) {
  const size_t sets = scenario.testSets.size();
  SchemeSummary s;
  s.result = &scheme;
  std::vector<double> pre, post, recovery;
  std::vector<std::vector<double>> start(sets), before(sets), end(sets);
  std::vector<std::vector<double>> curves;
  auto keep = [](std::vector<double> &to, std::optional<double> v) {
    if (v)
      to.push_back(*v);
  };
  for (const RunTrace &run : scheme.runs) {
    RunFigures f = runFigures(scenario, run);
    keep(pre, f.preEvent);
    if (f.recovery)
      recovery.push_back(double(*f.recovery));
    keep(post, f.postEvent);
    for (size_t t = 0; t < sets; ++t) {
      keep(start[t], f.testStart[t]);
      keep(before[t], f.testBeforeEvent[t]);
      keep(end[t], f.testEnd[t]);
    }
    curves.push_back(windowedAccuracy(run, scenario.window));
  }
  if (!pre.empty())
    s.preEvent = meanStd(pre);
  s.postEvent = meanStd(post);
  s.recovery = meanStd(recovery);
  s.recovered = int64_t(recovery.size());
  for (size_t t = 0; t < sets; ++t) {
    s.testStart.push_back(meanStd(start[t]));
    s.testBeforeEvent.push_back(meanStd(before[t]));
    s.testEnd.push_back(meanStd(end[t]));
  }
  size_t n = curves.empty() ? 0 : curves.front().size();
  for (const std::vector<double> &c : curves)
    n = std::min(n, c.size());
  size_t stride = std::max<size_t>(1, (n + kCurvePoints - 1) / kCurvePoints);
  for (size_t i = stride - 1; i < n; i += stride) {
    double sum = 0;
    for (const std::vector<double> &c : curves)
      sum += c[i];
    s.curveIndex.push_back(int64_t(i + 1));
    s.curve.push_back(sum / double(curves.size()));
  }
  return s;
}

static std::string classList(llvm::ArrayRef<int64_t> ids) {
  std::string s;
  for (int64_t id : ids)
    s += (s.empty() ? "" : ", ") + std::to_string(id);
  return s;
}

std::string tnas::simulate::eventDescription(const ScenarioResult &scenario) {
  const ScenarioPlan &plan = scenario.plan;
  const ScenarioSpec &s = *plan.spec;
  switch (s.kind) {
  case ScenarioKind::Drift:
    switch (s.event) {
    case DriftEvent::SwapLabels:
      return llvm::formatv("labels {0} and {1} swapped at sample {2}", s.swapA,
                           s.swapB, s.eventAt);
    case DriftEvent::Invert:
      return llvm::formatv("inputs inverted at sample {0}", s.eventAt);
    case DriftEvent::Rotate:
      return llvm::formatv("inputs rotated by {0} degrees at sample {1}",
                           s.rotateDegrees, s.eventAt);
    case DriftEvent::None:
      return "no event";
    }
    break;
  case ScenarioKind::Incremental:
  case ScenarioKind::Transfer: {
    std::vector<int64_t> added;
    for (int64_t c : plan.deviceClasses)
      if (!llvm::is_contained(plan.pretrainClasses, c))
        added.push_back(c);
    return (added.size() == 1 ? "class " : "classes ") + classList(added) +
           " learned on the device from the first sample";
  }
  }
  return "";
}

static llvm::json::Value toJson(const MeanStd &m) {
  if (m.count == 0)
    return nullptr;
  return llvm::json::Object{{"mean", m.mean}, {"std", m.std}, {"n", m.count}};
}

static llvm::json::Object perSet(const ScenarioResult &scenario,
                                 const std::vector<MeanStd> &values) {
  llvm::json::Object o;
  for (size_t t = 0; t < values.size(); ++t)
    o[scenario.testSets[t]] = toJson(values[t]);
  return o;
}

static llvm::json::Value schemeJson(const ScenarioResult &scenario,
                                    const SchemeResult &scheme) {
  SchemeSummary s = summarize(scenario, scheme);
  const SchemeVariant &v = scheme.variant;
  const MemoryFigures &m = scheme.memory;
  llvm::json::Object o;
  o["name"] = v.name;
  o["scheme"] = v.learns ? v.scheme : "static";
  if (v.scheme == "tybox" && v.learns)
    o["policy"] = v.policy;
  if (v.scheme == "knn")
    o["adaptation"] = v.adaptation;
  o["memory"] =
      llvm::json::Object{{"ram_bytes", m.ramBytes()},
                         {"arena_bytes", m.arenaBytes},
                         {"scratch_bytes", m.scratchBytes},
                         {"trainer_bytes", m.trainerBytes},
                         {"buffer_samples", m.bufferCapacity},
                         {"flash_parameter_bytes", m.flashParameterBytes}};
  // Instructions of one tnas_learn / tnas_predict of this model's cortex-m4
  // library under QEMU (scripts/learn-cost.sh), or null with the reason.
  auto cost = scenario.learnCost.perScheme.find(v.name);
  bool measured = cost != scenario.learnCost.perScheme.end();
  o["instructions_per_update"] =
      measured ? llvm::json::Value(cost->second.learn) : nullptr;
  o["instructions_per_predict"] =
      measured ? llvm::json::Value(cost->second.predict) : nullptr;
  o["instructions_note"] = measured ? scenario.learnCost.note
                           : scenario.learnCost.note.empty()
                               ? std::string("not measured")
                               : scenario.learnCost.note;
  o["pre_event_accuracy"] = s.preEvent ? toJson(*s.preEvent) : nullptr;
  o["post_event_accuracy"] = toJson(s.postEvent);
  o["recovery_samples"] = toJson(s.recovery);
  o["recovered_runs"] = s.recovered;
  o["test_accuracy_start"] = perSet(scenario, s.testStart);
  o["test_accuracy_before_event"] = perSet(scenario, s.testBeforeEvent);
  o["test_accuracy_end"] = perSet(scenario, s.testEnd);
  llvm::json::Array index, acc;
  for (size_t i = 0; i < s.curve.size(); ++i) {
    index.push_back(s.curveIndex[i]);
    acc.push_back(std::round(s.curve[i] * 1e4) / 1e4);
  }
  o["curve"] = llvm::json::Object{{"index", std::move(index)},
                                  {"accuracy", std::move(acc)}};
  llvm::json::Array checkpoints;
  if (!scheme.runs.empty())
    for (const Checkpoint &c : scheme.runs.front().checkpoints) {
      std::vector<MeanStd> at;
      for (size_t t = 0; t < scenario.testSets.size(); ++t) {
        std::vector<double> values;
        for (const RunTrace &run : scheme.runs)
          if (auto a = testAccuracyAt(run, t, c.index))
            values.push_back(*a);
        at.push_back(meanStd(values));
      }
      checkpoints.push_back(llvm::json::Object{
          {"index", c.index}, {"accuracy", perSet(scenario, at)}});
    }
  o["checkpoints"] = std::move(checkpoints);
  // Each repetition's own figures, for comparisons paired by seed (two
  // schemes on one seed saw the same stream).
  auto optional = [](auto v) -> llvm::json::Value {
    return v ? llvm::json::Value(*v) : llvm::json::Value(nullptr);
  };
  llvm::json::Array runs;
  for (size_t i = 0; i < scheme.runs.size(); ++i) {
    RunFigures f = runFigures(scenario, scheme.runs[i]);
    llvm::json::Object end;
    for (size_t t = 0; t < scenario.testSets.size(); ++t)
      end[scenario.testSets[t]] = optional(f.testEnd[t]);
    runs.push_back(llvm::json::Object{
        {"seed", i < scenario.seeds.size() ? llvm::json::Value(
                                                 int64_t(scenario.seeds[i]))
                                           : llvm::json::Value(nullptr)},
        {"pre_event_accuracy", optional(f.preEvent)},
        {"post_event_accuracy", optional(f.postEvent)},
        {"recovery_samples", optional(f.recovery)},
        {"test_accuracy_end", std::move(end)}});
  }
  o["runs"] = std::move(runs);
  return o;
}

llvm::json::Value
tnas::simulate::reportJson(const Spec &spec,
                           const std::vector<ScenarioResult> &results,
                           llvm::ArrayRef<std::string> pending) {
  llvm::json::Array scenarios;
  for (const ScenarioResult &r : results) {
    const ScenarioSpec &s = *r.plan.spec;
    llvm::json::Array schemes;
    for (const SchemeResult &scheme : r.schemes)
      schemes.push_back(schemeJson(r, scheme));
    scenarios.push_back(llvm::json::Object{
        {"name", s.name},
        {"kind", toString(s.kind)},
        {"event", eventDescription(r)},
        {"event_at", r.plan.eventAt},
        {"stream_samples", s.streamSamples},
        {"window", r.window},
        {"repetitions",
         r.schemes.empty() ? 0 : int64_t(r.schemes.front().runs.size())},
        {"seeds", llvm::json::Array(std::vector<int64_t>(r.seeds.begin(),
                                                         r.seeds.end()))},
        {"pretrain_classes", llvm::json::Array(r.plan.pretrainClasses)},
        {"device_classes", llvm::json::Array(r.plan.deviceClasses)},
        {"test_sets", llvm::json::Array(r.testSets)},
        {"schemes", std::move(schemes)}});
  }
  return llvm::json::Object{{"spec", spec.file},
                            {"scenarios", std::move(scenarios)},
                            {"pending_scenarios", llvm::json::Array(pending)}};
}

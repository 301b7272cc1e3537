//===- Simulate.h - tnasc simulate: on-device learning on the host -*- C++
//-*-===//
//
// For each selected scenario of the spec: the search's pick (resumed from
// <out>/checkpoint.jsonl, or searched), trained on the scenario's
// pre-training classes only, compressed to int8, emitted once per scheme for
// the host into <out>/simulate/<scenario>/<scheme>/ and built with the
// harness of runtime/sim; then every repetition's stream is run through
// tnas_predict / tnas_learn. Results: <out>/simulate.json and
// <out>/simulate.html (see docs/simulate.md).
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_SIMULATE_SIMULATE_H
#define TNAS_SIMULATE_SIMULATE_H

#include "tnas/Frontend/Spec.h"
#include "tnas/Simulate/HostBuild.h"
#include "tnas/Simulate/LearnCost.h"
#include "tnas/Simulate/Scenario.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace tnas::simulate {

struct SimulateOptions {
  std::string outDir = "out";
  /// A scenario name, a kind (drift | incremental | transfer: every
  /// scenario of that kind) or "all".
  std::string scenario = "all";
  std::string schemes = "all";   ///< see parseSchemes
  std::optional<int64_t> repeat; ///< overrides the scenarios' `repeat`
  /// The first repetition's stream seed (then +1 per repetition); default
  /// the spec's search seed. Other seeds check a figure on streams that did
  /// not choose a setting.
  std::optional<int64_t> firstSeed;
  int64_t testSamples = 1000;    ///< per test set and checkpoint
  int64_t checkpoints = 10;      ///< test-set checkpoints per stream
  bool quick = false;            ///< the search's and final training's --quick
  /// What trained and priced the cached pre-trained models: another build
  /// of the compiler may train, compress or size (a `fit` buffer) them
  /// differently, so its cache entries are not reused. tnasc passes a hash
  /// of its own executable.
  std::string compilerIdentity;
  /// Instructions per update: the cortex-m4 library under QEMU.
  LearnCostOptions learnCost;
  unsigned threads = 2;
  const std::atomic<bool> *interrupt = nullptr;
  llvm::raw_ostream *log = &llvm::errs();
  bool logIsTerminal = false;
};

/// One scheme of one scenario over the repetitions.
struct SchemeResult {
  SchemeVariant variant;
  MemoryFigures memory;
  std::vector<RunTrace> runs; ///< one per repetition
};

struct ScenarioResult {
  ScenarioPlan plan;
  std::vector<std::string> testSets;
  std::vector<uint64_t> seeds; ///< the streams' seeds, one per repetition
  int64_t window = 0;
  std::vector<SchemeResult> schemes;
  LearnCostResult learnCost; ///< per scheme, or why not measured
};

/// The scenarios `selector` names; an error lists the spec's scenarios.
llvm::Expected<std::vector<const ScenarioSpec *>>
selectScenarios(const Spec &spec, llvm::StringRef selector);

/// Runs the simulation and writes simulate.json / simulate.html.
llvm::Error runSimulation(const Spec &spec, const SimulateOptions &options);

} // namespace tnas::simulate

#endif // TNAS_SIMULATE_SIMULATE_H

//===- Scenario.h - a spec's scenario as data for the device ----*- C++ -*-===//
//
// A `scenario` block of the spec (drift, incremental, transfer) becomes:
//  - the pre-training selection: which dataset classes the host trains on,
//    relabelled to device labels 0..P-1 (the classifier keeps P outputs);
//  - a labelled stream of device inputs, classes drawn uniformly from the
//    scenario's device classes, each class from a pool of samples the final
//    training did not see (the validation split, plus the training samples
//    of classes left out of pre-training), with the drift event applied
//    from its sample on;
//  - held-out test sets (from the test split) scored at checkpoints.
// Classes the device meets that pre-training left out get the next device
// labels in order of first appearance: the device adds them with
// tnas_add_class.
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_SIMULATE_SCENARIO_H
#define TNAS_SIMULATE_SCENARIO_H

#include "tnas/Driver/SpecData.h"
#include "tnas/Frontend/Spec.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tnas::simulate {

/// A scenario resolved against its spec (defaults filled in, labels mapped).
struct ScenarioPlan {
  const ScenarioSpec *spec = nullptr;
  std::vector<int64_t> pretrainClasses; ///< sorted dataset classes
  std::vector<int64_t> deviceClasses;   ///< sorted dataset classes
  /// Dataset class -> device label; -1 for classes the scenario never uses.
  std::vector<int32_t> deviceLabel;
  int64_t initialClasses = 0; ///< device labels the pre-trained model has
  int64_t totalClasses = 0;   ///< device labels after every added class
  /// Stream index of the event: the drift's `at`, 0 when new classes arrive
  /// from the start (incremental, transfer).
  int64_t eventAt = 0;
};

ScenarioPlan planScenario(const Spec &spec, const ScenarioSpec &scenario);

/// Keeps only the pre-training classes in train, validation and test, with
/// device labels.
void selectPretrainData(const ScenarioPlan &plan, driver::SpecData &data);

/// Normalized inputs with device labels, as the device receives them.
struct SampleSet {
  std::string name;
  int64_t elements = 0; ///< per sample
  std::vector<float> inputs;
  std::vector<int32_t> labels;
  size_t size() const { return labels.size(); }
};

struct ScenarioStreams {
  SampleSet stream;
  /// Drift: "before" (the original concept) and "after" (the event
  /// applied). Incremental / transfer: "pretrained" (the pre-training
  /// classes) and "new" (the classes the device adds).
  std::vector<SampleSet> tests;
};

/// The stream and test sets of one repetition. `full` is the whole data
/// (before selectPretrainData); at most `testLimit` samples per test set.
llvm::Expected<ScenarioStreams> buildStreams(const ScenarioPlan &plan,
                                             const Spec &spec,
                                             const driver::SpecData &full,
                                             uint64_t seed, int64_t testLimit);

/// Writes a set as the harness reads it (runtime/sim/sim_main.cpp):
/// "TSIM", u32 version 1, u32 count, u32 elements, count * elements f32,
/// count i32 labels; little-endian.
llvm::Error writeSampleSet(const SampleSet &set, llvm::StringRef path);

} // namespace tnas::simulate

#endif // TNAS_SIMULATE_SCENARIO_H

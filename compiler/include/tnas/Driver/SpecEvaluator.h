//===- SpecEvaluator.h - price and train the candidates of a spec -*- C++ -*-===//
//
// Bridges a checked Spec to the search: a choice of the space becomes a
// Network (front end), is priced on the spec's device (cost model) and
// checked against every bound; only candidates within all bounds are handed
// to the trainer. Pricing takes microseconds, so the whole space can be
// priced before any training to detect bounds that nothing can meet.
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_DRIVER_SPECEVALUATOR_H
#define TNAS_DRIVER_SPECEVALUATOR_H

#include "tnas/Frontend/Spec.h"
#include "tnas/Search/CostModel.h"
#include "tnas/Search/SearchRunner.h"

#include <functional>

namespace tnas::driver {

/// What training one candidate produced.
struct TrainOutcome {
  bool ok = false;
  std::string failure;  ///< why it failed (NaN loss, compile error, ...)
  double accuracy = 0;  ///< validation accuracy in [0, 1]
  double seconds = 0;
};

using TrainCandidateFn = std::function<TrainOutcome(const Network &)>;

/// The cost model's view of the spec's target.
cost::Device deviceFor(const TargetSpec &target);

/// The spec's bounds by resource name (ram, flash, macs, latency).
std::map<std::string, double> boundsOf(const TargetSpec &target);

/// A priced candidate: its network, its costs and the bound it breaks.
struct PricedCandidate {
  search::CandidateRecord record; ///< status Rejected or (so far) Trained
  std::optional<Network> network;
  std::optional<cost::CostReport> cost;
  /// The TyBox / kNN buffer: the spec's size, or for `buffer = fit` what the
  /// RAM bound leaves. tnasc emits this capacity (TNAS_BUFFER_CAPACITY).
  int64_t trainerSamples = 0;
  bool withinBounds = false;
};

class SpecEvaluator : public search::Evaluator {
public:
  SpecEvaluator(const Spec &spec, std::vector<search::SpaceVariable> space,
                const cost::KernelSizeTable &kernels, TrainCandidateFn train);

  /// Instantiates and prices a choice without training it.
  PricedCandidate price(const search::Choice &choice) const;
  /// Prices a network against the spec's device and bounds (e.g. the pick
  /// after pruning); the record has no choice.
  PricedCandidate priceNetwork(Network network) const;

  search::CandidateRecord evaluate(const search::Choice &choice) override;

  /// Prices every point of the space (when it has at most `limit` points)
  /// and fails, before any training, when none fits: the error names the
  /// bound that blocks the closest candidate and that candidate's figure.
  llvm::Error checkSomeCandidateFits(uint64_t limit = 100000) const;

private:
  const Spec &spec;
  std::vector<search::SpaceVariable> space;
  const cost::KernelSizeTable &kernels;
  TrainCandidateFn train;
  cost::Device device;
};

/// The search variables of a spec's space.
std::vector<search::SpaceVariable> searchSpace(const Spec &spec);

} // namespace tnas::driver

#endif // TNAS_DRIVER_SPECEVALUATOR_H

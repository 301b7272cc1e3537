//===- SpecEvaluator.cpp - price and train the candidates of a spec -------===//
#include "tnas/Driver/SpecEvaluator.h"
#include "tnas/Frontend/Frontend.h"

#include "llvm/Support/FormatVariadic.h"

#include <chrono>
#include <cmath>

using namespace tnas;
using namespace tnas::driver;
using search::CandidateStatus;

cost::Device tnas::driver::deviceFor(const TargetSpec &target) {
  cost::Device d;
  switch (target.core) {
  case Core::CortexM0Plus: d.core = cost::Core::CortexM0Plus; break;
  case Core::CortexM7: d.core = cost::Core::CortexM7; break;
  // A Cortex-M33 with the DSP extension runs the same SMLAD kernels as an
  // M4 at a similar rate: price it as one.
  case Core::CortexM33:
  case Core::CortexM4: d.core = cost::Core::CortexM4; break;
  }
  d.name = toString(target.core);
  d.clockHz = target.clockHz;
  d.hasFpu = target.fpu;
  d.hasDsp = target.dsp;
  return d;
}

std::map<std::string, double> tnas::driver::boundsOf(const TargetSpec &t) {
  std::map<std::string, double> b;
  if (t.ramBytes > 0)
    b["ram"] = double(t.ramBytes);
  if (t.flashBytes > 0)
    b["flash"] = double(t.flashBytes);
  if (t.macs)
    b["macs"] = double(*t.macs);
  if (t.latencySeconds)
    b["latency"] = *t.latencySeconds;
  return b;
}

std::vector<search::SpaceVariable> tnas::driver::searchSpace(const Spec &spec) {
  std::vector<search::SpaceVariable> space;
  for (const SpaceVariable &v : spaceVariables(spec))
    space.push_back({v.name, v.domain});
  return space;
}

SpecEvaluator::SpecEvaluator(const Spec &spec,
                             std::vector<search::SpaceVariable> space,
                             const cost::KernelSizeTable &kernels,
                             TrainCandidateFn train)
    : spec(spec), space(std::move(space)), kernels(kernels),
      train(std::move(train)), device(deviceFor(spec.target)) {}

namespace {

std::string humanBytes(double b) {
  if (b >= 1024)
    return llvm::formatv("{0:F1} KiB", b / 1024).str();
  return llvm::formatv("{0} B", int64_t(b)).str();
}

/// "needs 71.2 KiB of RAM; the bound is 64.0 KiB" for the first bound a
/// record breaks, or "".
std::string brokenBound(const search::CandidateRecord &r,
                        const std::map<std::string, double> &bounds) {
  for (const auto &[name, limit] : bounds) {
    double v = r.resource(name).value_or(0);
    if (v <= limit)
      continue;
    if (name == "ram" || name == "flash")
      return llvm::formatv("needs {0} of {1}; the bound is {2}", humanBytes(v),
                           name == "ram" ? "RAM" : "Flash", humanBytes(limit));
    if (name == "latency")
      return llvm::formatv("needs {0:F1} ms; the latency bound is {1:F1} ms",
                           v * 1e3, limit * 1e3);
    return llvm::formatv("needs {0} MACs; the bound is {1}", int64_t(v),
                         int64_t(limit));
  }
  return "";
}

} // namespace

PricedCandidate SpecEvaluator::price(const search::Choice &choice) const {
  PricedCandidate p;
  search::CandidateRecord &r = p.record;
  r.choice = choice;
  r.choiceKey = search::choiceKey(space, choice);
  r.status = CandidateStatus::Rejected;

  llvm::Expected<Network> net = instantiate(spec, search::choiceMap(space, choice));
  if (!net) {
    r.reason = llvm::toString(net.takeError());
    return p;
  }
  PricedCandidate priced = priceNetwork(std::move(*net));
  priced.record.choice = r.choice;
  priced.record.choiceKey = r.choiceKey;
  return priced;
}

PricedCandidate SpecEvaluator::priceNetwork(Network network) const {
  PricedCandidate p;
  search::CandidateRecord &r = p.record;
  r.status = CandidateStatus::Rejected;
  r.architecture = network.key();

  const IncrementalSpec &inc = spec.incremental;
  // TyBox and kNN keep a buffer of feature vectors (the emitted trainer's
  // layout for both); TinyOL none.
  bool buffered = inc.scheme != Scheme::TinyOl;
  bool fitBuffer = buffered && inc.bufferFit;
  cost::CostOptions options;
  if (buffered && !inc.bufferFit)
    options.trainerSamples = inc.bufferSamples;
  llvm::Expected<cost::CostReport> report =
      cost::estimateCost(network, device, kernels, options);
  if (!report) {
    r.reason = llvm::toString(report.takeError());
    return p;
  }
  p.trainerSamples = options.trainerSamples;
  if (fitBuffer && spec.target.ramBytes > 0)
    p.trainerSamples = cost::trainerSamplesThatFit(*report, spec.target.ramBytes);

  r.macs = report->macs;
  r.params = report->params;
  r.flashBytes = report->flash.total();
  r.ramBytes = report->ram.total();
  r.latencySeconds = report->latencyMs / 1e3;
  r.reason = brokenBound(r, boundsOf(spec.target));
  if (r.reason.empty() && fitBuffer && p.trainerSamples < 1)
    r.reason = "the RAM bound leaves no room for one buffered sample";
  p.withinBounds = r.reason.empty();
  if (p.withinBounds)
    r.status = CandidateStatus::Trained; // pending: evaluate() trains it
  p.network = std::move(network);
  p.cost = std::move(*report);
  return p;
}

search::CandidateRecord SpecEvaluator::evaluate(const search::Choice &choice) {
  PricedCandidate p = price(choice);
  if (!p.withinBounds)
    return p.record;
  TrainOutcome t = train(*p.network);
  search::CandidateRecord &r = p.record;
  r.trainSeconds = t.seconds;
  if (!t.ok || !std::isfinite(t.accuracy)) {
    r.status = CandidateStatus::Failed;
    r.reason = t.failure.empty() ? "training produced no accuracy" : t.failure;
    return r;
  }
  r.status = CandidateStatus::Trained;
  r.accuracy = t.accuracy;
  return r;
}

llvm::Error SpecEvaluator::checkSomeCandidateFits(uint64_t limit) const {
  uint64_t size = search::spaceSize(space);
  if (size > limit)
    return llvm::Error::success(); // too large to price exhaustively
  std::map<std::string, double> bounds = boundsOf(spec.target);
  // The closest candidate: the one whose worst bound overshoot is smallest.
  double bestOvershoot = INFINITY;
  std::optional<PricedCandidate> closest;
  for (uint64_t i = 0; i < size; ++i) {
    PricedCandidate p = price(search::choiceAt(space, i));
    if (p.withinBounds)
      return llvm::Error::success();
    if (!p.cost)
      continue; // did not instantiate: reported per candidate later
    double overshoot = 0;
    for (const auto &[name, limit] : bounds)
      overshoot = std::max(overshoot,
                           p.record.resource(name).value_or(0) / limit);
    if (overshoot < bestOvershoot) {
      bestOvershoot = overshoot;
      closest = std::move(p);
    }
  }
  if (!closest)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "no candidate of the space can be built; see the errors above");
  const search::CandidateRecord &r = closest->record;
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(),
      llvm::formatv("no candidate of the space fits the target: the closest "
                    "({0}) {1}; relax that bound or shrink the space",
                    r.choiceKey, r.reason));
}

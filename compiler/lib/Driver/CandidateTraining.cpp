//===- CandidateTraining.cpp - train networks the way the spec says -------===//
#include "tnas/Driver/CandidateTraining.h"

#include <chrono>

using namespace tnas;
using namespace tnas::driver;

TrainOptions tnas::driver::trainOptionsFor(const Spec &spec, int64_t epochs,
                                           unsigned threads) {
  const TrainRecipe &recipe = spec.search.train;
  TrainOptions o;
  o.epochs = epochs;
  o.step.batch = recipe.batch;
  // The step splits a batch evenly across threads.
  o.step.threads = recipe.batch % int64_t(threads) == 0 ? threads : 1;
  o.step.optimizer = recipe.optimizer == Optimizer::Adam
                         ? OptimizerKind::Adam
                         : OptimizerKind::SgdMomentum;
  o.learningRate = recipe.learningRate;
  o.momentum = recipe.momentum;
  o.seed = uint64_t(spec.search.seed);
  return o;
}

int64_t tnas::driver::finalEpochs(const Spec &spec) {
  if (spec.search.finalTrain.epochs)
    return *spec.search.finalTrain.epochs;
  return std::max<int64_t>(1, spec.search.train.epochs * 3);
}

TrainOptions tnas::driver::finalTrainOptions(const Spec &spec, bool quick,
                                             unsigned threads) {
  const FinalRecipe &recipe = spec.search.finalTrain;
  TrainOptions o = trainOptionsFor(spec, quick ? 2 : finalEpochs(spec), threads);
  if (recipe.optimizer) {
    o.step.optimizer = *recipe.optimizer == Optimizer::Adam
                           ? OptimizerKind::Adam
                           : OptimizerKind::SgdMomentum;
    o.momentum = recipe.momentum;
  }
  if (recipe.learningRate)
    o.learningRate = *recipe.learningRate;
  switch (recipe.schedule) {
  case LrScheduleKind::Constant:
    o.schedule = LrSchedule::Constant;
    break;
  case LrScheduleKind::Step:
    o.schedule = LrSchedule::Step;
    o.stepEvery = recipe.stepEvery;
    o.stepGamma = recipe.stepGamma;
    break;
  case LrScheduleKind::Cosine:
    o.schedule = LrSchedule::Cosine;
    break;
  }
  return o;
}

TrainCandidateFn tnas::driver::makeCandidateTrainer(
    const Spec &spec, const SpecData &data, unsigned threads,
    const std::atomic<bool> *interrupt, llvm::raw_ostream *progress,
    std::string jitCacheDir) {
  return [&spec, &data, threads, interrupt, progress,
          jitCacheDir](const Network &net) {
    auto start = std::chrono::steady_clock::now();
    TrainOutcome outcome;
    size_t n = data.train.size();
    if (spec.search.train.subset)
      n = std::min<size_t>(n, size_t(*spec.search.train.subset));
    TrainingData train{llvm::ArrayRef<float>(data.train.images)
                           .take_front(n * data.train.pixelsPerSample()),
                       llvm::ArrayRef<int32_t>(data.train.labels).take_front(n)};
    TrainingData validation{data.validation.images, data.validation.labels};
    TrainOptions options =
        trainOptionsFor(spec, spec.search.train.epochs, threads);
    options.step.objectCacheDir = jitCacheDir;
    options.interrupt = interrupt;
    options.progress = progress;
    llvm::Expected<TrainResult> result =
        trainNetwork(net, train, &validation, options);
    outcome.seconds = std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - start)
                          .count();
    if (!result) {
      outcome.failure = llvm::toString(result.takeError());
      return outcome;
    }
    if (result->failed) {
      outcome.failure = result->failureReason;
      return outcome;
    }
    if (result->interrupted || result->epochs.empty()) {
      outcome.failure = "interrupted";
      return outcome;
    }
    outcome.ok = true;
    outcome.accuracy = result->epochs.back().validationAccuracy;
    return outcome;
  };
}

llvm::Expected<Weights> tnas::driver::toModelWeights(const Network &net,
                                                     const TrainedWeights &t,
                                                     float bnEpsilon) {
  auto shapes = net.inferShapes();
  if (!shapes)
    return shapes.takeError();
  if (t.layout.layers.size() != net.layers.size())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "trained weights do not match the network");
  Weights w;
  w.layers.resize(net.layers.size());
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const LayerSlots &slots = t.layout.layers[i];
    LayerWeights &lw = w.layers[i];
    if (net.layers[i].kind == LayerKind::BatchNorm) {
      auto gamma = t.paramSlot(slots.weight), beta = t.paramSlot(slots.bias);
      auto mean = t.bufferSlot(slots.runningMean);
      auto var = t.bufferSlot(slots.runningVar);
      lw.gamma.assign(gamma.begin(), gamma.end());
      lw.beta.assign(beta.begin(), beta.end());
      lw.mean.assign(mean.begin(), mean.end());
      lw.variance.assign(var.begin(), var.end());
      lw.epsilon = bnEpsilon;
      continue;
    }
    if (!slots.hasParams)
      continue;
    // The training layout and the dialect's agree on element order (HWCF,
    // HWC, [Cin, Cout]); only the pointwise filter's rank differs.
    lw.filterShape = expectedFilterShape(net, i, *shapes);
    auto filter = t.paramSlot(slots.weight), bias = t.paramSlot(slots.bias);
    lw.filter.assign(filter.begin(), filter.end());
    lw.bias.assign(bias.begin(), bias.end());
  }
  if (llvm::Error e = checkWeights(net, w))
    return std::move(e);
  return w;
}

llvm::Expected<TrainedWeights>
tnas::driver::toTrainedWeights(const Network &net, const Weights &weights,
                               OptimizerKind optimizer) {
  if (llvm::Error e = checkWeights(net, weights))
    return std::move(e);
  auto layout = ParameterLayout::compute(net, optimizer);
  if (!layout)
    return layout.takeError();
  TrainedWeights t;
  t.layout = std::move(*layout);
  t.params.assign(t.layout.numParams, 0.0f);
  t.running.assign(t.layout.numBuffers, 0.0f);
  auto put = [](std::vector<float> &flat, const FlatSlot &slot,
                const std::vector<float> &values) {
    std::copy(values.begin(), values.end(), flat.begin() + slot.offset);
  };
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const LayerSlots &slots = t.layout.layers[i];
    const LayerWeights &lw = weights.layers[i];
    if (net.layers[i].kind == LayerKind::BatchNorm) {
      put(t.params, slots.weight, lw.gamma);
      put(t.params, slots.bias, lw.beta);
      put(t.running, slots.runningMean, lw.mean);
      put(t.running, slots.runningVar, lw.variance);
    } else if (slots.hasParams) {
      // Same element order in both layouts (see toModelWeights).
      put(t.params, slots.weight, lw.filter);
      put(t.params, slots.bias, lw.bias);
    }
  }
  return t;
}

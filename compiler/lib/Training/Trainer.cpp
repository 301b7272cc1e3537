//===- Trainer.cpp - the host training loop -------------------------------===//
//
// Threads: with T threads the batch is split into T slices; each thread runs
// the compiled forward+backward on its slice (batchnorm uses the slice's
// statistics, as PyTorch's DistributedDataParallel without SyncBatchNorm
// does), then the calling thread runs the compiled update, which sums the T
// gradients in a fixed order. With one thread the fused step does it all.
// Either way the arithmetic order is fixed, hence bit-for-bit determinism
// for a seed and a thread count.
//
//===----------------------------------------------------------------------===//
#include "tnas/Training/Trainer.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <numeric>
#include <random>
#include <thread>

using namespace tnas;

/// Persistent helper threads that run one job per step.
class Trainer::Workers {
public:
  explicit Workers(int count) {
    for (int i = 0; i < count; ++i)
      threads.emplace_back([this, i] { loop(i + 1); });
  }
  ~Workers() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stop = true;
      ++generation;
    }
    wake.notify_all();
    for (std::thread &t : threads)
      t.join();
  }
  /// Runs job(1..count) on the helpers and job(0) on the caller.
  void run(const std::function<void(int)> &fn) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      job = fn;
      pending = int(threads.size());
      ++generation;
    }
    wake.notify_all();
    fn(0);
    std::unique_lock<std::mutex> lock(mutex);
    done.wait(lock, [this] { return pending == 0; });
  }

private:
  void loop(int index) {
    uint64_t seen = 0;
    for (;;) {
      std::function<void(int)> fn;
      {
        std::unique_lock<std::mutex> lock(mutex);
        wake.wait(lock, [&] { return generation != seen; });
        seen = generation;
        if (stop)
          return;
        fn = job;
      }
      fn(index);
      std::lock_guard<std::mutex> lock(mutex);
      if (--pending == 0)
        done.notify_one();
    }
  }
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::condition_variable wake, done;
  std::function<void(int)> job;
  uint64_t generation = 0;
  int pending = 0;
  bool stop = false;
};

Trainer::~Trainer() = default;

llvm::Expected<std::unique_ptr<Trainer>>
Trainer::create(const Network &net, const TrainOptions &options) {
  if (options.epochs < 0)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the number of epochs must be >= 0");
  TrainingStepConfig cfg = options.step;
  cfg.useF64 = false;
  auto kernels = TrainingKernels::compile(net, cfg);
  if (!kernels)
    return kernels.takeError();
  std::unique_ptr<Trainer> t(new Trainer());
  t->options_ = options;
  t->kernels_ = std::move(*kernels);
  const ParameterLayout &l = t->kernels_->layout();
  int64_t threads = cfg.threads;
  t->params_.assign(l.numParams, 0.0f);
  t->state_.assign(l.stateSize, 0.0f);
  t->running_.assign(l.numBuffers, 0.0f);
  int64_t slices = cfg.numSlices();
  t->grads_.assign(slices * l.numParams, 0.0f);
  t->batchStats_.assign(slices * l.numBuffers, 0.0f);
  t->sliceMetrics_.assign(slices * 2, 0.0f);
  t->batchX_.assign(cfg.batch * t->kernels_->sampleElements(), 0.0f);
  t->batchLabels_.assign(cfg.batch, 0);
  if (threads > 1)
    t->workers_ = std::make_unique<Workers>(int(threads - 1));
  t->initialize(options.seed);
  return std::move(t);
}

void Trainer::initialize(uint64_t seed) {
  const Network &net = kernels_->network();
  const ParameterLayout &l = kernels_->layout();
  std::mt19937_64 rng(seed * 0x9e3779b97f4a7c15ull + 1);
  auto uniform = [&](double bound) {
    // 53 random bits -> [0, 1), independent of the standard library.
    double u = double(rng() >> 11) * (1.0 / 9007199254740992.0);
    return float((2.0 * u - 1.0) * bound);
  };
  std::fill(params_.begin(), params_.end(), 0.0f);
  std::fill(running_.begin(), running_.end(), 0.0f);
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const LayerSlots &s = l.layers[i];
    if (!s.hasParams)
      continue;
    if (net.layers[i].kind == LayerKind::BatchNorm) {
      std::fill_n(params_.begin() + s.weight.offset, s.weight.size(), 1.0f);
      std::fill_n(running_.begin() + s.runningVar.offset, s.runningVar.size(),
                  1.0f);
      continue;
    }
    // Every weight shape ends with the outputs; fan-in is the rest.
    int64_t fanIn = s.weight.size() / s.weight.shape.back();
    if (net.layers[i].kind == LayerKind::DepthwiseConv)
      fanIn = s.weight.shape[0] * s.weight.shape[1];
    double bound = 1.0 / std::sqrt(double(fanIn));
    for (int64_t j = 0; j < s.weight.size(); ++j)
      params_[s.weight.offset + j] = uniform(bound);
    for (int64_t j = 0; j < s.bias.size(); ++j)
      params_[s.bias.offset + j] = uniform(bound);
  }
  std::fill(state_.begin(), state_.end(), 0.0f);
  step_ = 0;
  failed_ = interrupted_ = false;
  failure_.clear();
}

void Trainer::setWeights(const TrainedWeights &w) {
  params_ = w.params;
  running_ = w.running;
}

TrainedWeights Trainer::weights() const {
  return {kernels_->layout(), params_, running_};
}

double Trainer::learningRateAt(int64_t epoch, int64_t stepInEpoch,
                               int64_t stepsPerEpoch) const {
  double lr = options_.learningRate;
  switch (options_.schedule) {
  case LrSchedule::Constant:
    return lr;
  case LrSchedule::Step:
    return lr *
           std::pow(options_.stepGamma,
                    double(epoch / std::max<int64_t>(1, options_.stepEvery)));
  case LrSchedule::Cosine: {
    double total =
        double(std::max<int64_t>(1, options_.epochs * stepsPerEpoch));
    double done = double(epoch * stepsPerEpoch + stepInEpoch);
    return 0.5 * lr * (1.0 + std::cos(M_PI * std::min(1.0, done / total)));
  }
  }
  return lr;
}

void Trainer::runStep(const float *x, const int32_t *labels, double lr,
                      float metrics[2]) {
  const TrainingStepConfig &cfg = kernels_->config();
  int64_t t1 = step_ + 1;
  bool adam = cfg.optimizer == OptimizerKind::Adam;
  float hyper[8] = {
      float(lr),
      float(adam ? options_.beta1 : options_.momentum),
      float(options_.beta2),
      float(options_.epsilon),
      float(adam ? 1.0 / (1.0 - std::pow(options_.beta1, double(t1))) : 1.0),
      float(adam ? 1.0 / (1.0 - std::pow(options_.beta2, double(t1))) : 1.0),
      float(options_.weightDecay),
      0.0f};
  int32_t seed = int32_t(uint32_t(options_.seed));
  if (cfg.threads == 1) {
    int32_t ctrl[4] = {seed, int32_t(step_), 0, 0};
    kernels_->trainStep(params_.data(), state_.data(), running_.data(), x,
                        labels, ctrl, hyper, metrics);
  } else {
    const ParameterLayout &l = kernels_->layout();
    int64_t slice = kernels_->sliceBatch();
    int64_t elems = kernels_->sampleElements();
    // Thread t runs the consecutive slices t*k .. t*k+k-1 (k > 1 with
    // micro-batches); each slice has its own gradient row, so the sum in
    // tnas_update has the same order whatever thread ran which slice.
    int64_t perThread = cfg.numSlices() / cfg.threads;
    workers_->run([&](int t) {
      for (int64_t j = t * perThread; j < (t + 1) * perThread; ++j) {
        int32_t ctrl[4] = {seed, int32_t(step_), int32_t(j * slice), 0};
        kernels_->forwardBackward(
            params_.data(), running_.data(), x + j * slice * elems,
            labels + j * slice, ctrl, grads_.data() + j * l.numParams,
            batchStats_.data() + j * l.numBuffers,
            sliceMetrics_.data() + 2 * j);
      }
    });
    kernels_->update(params_.data(), state_.data(), running_.data(),
                     grads_.data(), batchStats_.data(), hyper);
    metrics[0] = metrics[1] = 0.0f;
    for (int64_t j = 0; j < cfg.numSlices(); ++j) {
      metrics[0] += sliceMetrics_[2 * j];
      metrics[1] += sliceMetrics_[2 * j + 1];
    }
  }
  ++step_;
}

EpochStats Trainer::runEpoch(const TrainingData &data, int64_t epoch) {
  EpochStats stats;
  stats.epoch = epoch;
  int64_t batch = kernels_->config().batch;
  int64_t elems = kernels_->sampleElements();
  int64_t steps = int64_t(data.size()) / batch;
  std::vector<size_t> order(data.size());
  std::iota(order.begin(), order.end(), size_t(0));
  std::mt19937_64 rng(options_.seed ^
                      (uint64_t(epoch + 1) * 0xd1b54a32d192ed03ull));
  for (size_t i = order.size(); i > 1; --i)
    std::swap(order[i - 1], order[rng() % i]);

  auto start = std::chrono::steady_clock::now();
  double lossSum = 0, correct = 0;
  int64_t seen = 0;
  for (int64_t s = 0; s < steps; ++s) {
    if (options_.interrupt && options_.interrupt->load()) {
      interrupted_ = true;
      break;
    }
    for (int64_t i = 0; i < batch; ++i) {
      size_t src = order[s * batch + i];
      std::copy_n(data.images.begin() + src * elems, elems,
                  batchX_.begin() + i * elems);
      batchLabels_[i] = data.labels[src];
    }
    double lr = learningRateAt(epoch, s, steps);
    stats.learningRate = lr;
    float metrics[2];
    runStep(batchX_.data(), batchLabels_.data(), lr, metrics);
    if (!std::isfinite(metrics[0])) {
      failed_ = true;
      failure_ = llvm::formatv("the loss became {0} at epoch {1}, step {2} "
                               "(learning rate {3})",
                               std::isnan(metrics[0]) ? "NaN" : "Inf",
                               epoch + 1, s + 1, lr)
                     .str();
      break;
    }
    lossSum += metrics[0];
    correct += metrics[1];
    seen += batch;
  }
  stats.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (seen > 0) {
    stats.loss = lossSum / double(seen);
    stats.accuracy = correct / double(seen);
    stats.samplesPerSecond = double(seen) / std::max(stats.seconds, 1e-9);
  }
  return stats;
}

EvalStats Trainer::evaluate(const TrainingData &data) {
  int64_t slice = kernels_->sliceBatch();
  int64_t elems = kernels_->sampleElements();
  int64_t threads = kernels_->config().threads;
  int64_t chunks = (int64_t(data.size()) + slice - 1) / slice;
  std::vector<double> loss(threads, 0.0), hits(threads, 0.0);
  auto work = [&](int t) {
    std::vector<float> x(slice * elems);
    std::vector<int32_t> labels(slice);
    float metrics[2];
    for (int64_t c = t; c < chunks; c += threads) {
      int64_t first = c * slice;
      int64_t count = std::min<int64_t>(slice, int64_t(data.size()) - first);
      std::copy_n(data.images.begin() + first * elems, count * elems,
                  x.begin());
      std::fill(x.begin() + count * elems, x.end(), 0.0f);
      std::copy_n(data.labels.begin() + first, count, labels.begin());
      std::fill(labels.begin() + count, labels.end(), -1); // padding
      kernels_->evaluate(params_.data(), running_.data(), x.data(),
                         labels.data(), metrics);
      loss[t] += metrics[0];
      hits[t] += metrics[1];
    }
  };
  if (workers_)
    workers_->run(work);
  else
    work(0);
  EvalStats e;
  e.samples = int64_t(data.size());
  double l = 0, h = 0;
  for (int64_t t = 0; t < threads; ++t) {
    l += loss[t];
    h += hits[t];
  }
  if (e.samples > 0) {
    e.loss = l / double(e.samples);
    e.accuracy = h / double(e.samples);
  }
  return e;
}

llvm::Expected<TrainResult> tnas::trainNetwork(const Network &net,
                                               const TrainingData &train,
                                               const TrainingData *validation,
                                               const TrainOptions &options) {
  if (int64_t(train.size()) < options.step.batch)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("{0} training samples are fewer than one batch of {1}",
                      train.size(), options.step.batch));
  auto trainer = Trainer::create(net, options);
  if (!trainer)
    return trainer.takeError();
  Trainer &t = **trainer;
  if (options.initialWeights) {
    if (options.initialWeights->params.size() != t.weights().params.size())
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "the initial weights do not match the network's parameters");
    t.setWeights(*options.initialWeights);
  }
  TrainResult result;
  result.compileSeconds = t.kernels().compileSeconds();
  for (int64_t e = 0; e < options.epochs; ++e) {
    EpochStats s = t.runEpoch(train, e);
    if (t.interrupted()) {
      // A partial epoch: its loss and accuracy describe nothing.
      result.epochs.push_back(s);
      if (options.progress)
        *options.progress << llvm::formatv("epoch {0}/{1}: interrupted\n",
                                           e + 1, options.epochs);
      break;
    }
    if (validation && validation->size() > 0 && !t.failed())
      s.validationAccuracy = t.evaluate(*validation).accuracy;
    result.epochs.push_back(s);
    if (options.progress) {
      *options.progress << llvm::formatv(
          "epoch {0}/{1}: {2} samples/s, loss {3}, accuracy {4}%", e + 1,
          options.epochs, llvm::format("%.0f", s.samplesPerSecond),
          llvm::format("%.4f", s.loss),
          llvm::format("%.2f", 100.0 * s.accuracy));
      if (s.validationAccuracy >= 0)
        *options.progress << llvm::formatv(
            ", validation {0}%",
            llvm::format("%.2f", 100.0 * s.validationAccuracy));
      *options.progress << "\n";
    }
    if (t.failed() || t.interrupted())
      break;
  }
  result.failed = t.failed();
  result.failureReason = t.failureReason();
  result.interrupted = t.interrupted();
  result.weights = t.weights();
  if (result.failed && options.progress)
    *options.progress << "training failed: " << result.failureReason << "\n";
  return result;
}

//===- TrainerTest.cpp - the training loop --------------------------------===//
#include "tnas/Training/Trainer.h"
#include "tnas/Data/Readers.h"

#include "gtest/gtest.h"

#include <cstring>

using namespace tnas;

namespace {

Network smallNet(int64_t classes) {
  Network net;
  net.name = "small";
  net.input = {16, 16, 1, false};
  net.numClasses = classes;
  net.layers = {Layer::conv(8, 3),
                Layer::of(LayerKind::Relu),
                Layer::maxPool(2, 2),
                Layer::of(LayerKind::BatchNorm),
                Layer::conv(16, 3),
                Layer::of(LayerKind::Relu),
                Layer::of(LayerKind::GlobalAvgPool),
                Layer::dropout(0.1),
                Layer::dense(classes)};
  return net;
}

struct Synthetic {
  data::Dataset train, validation;
};

Synthetic synthetic() {
  data::SyntheticOptions so;
  so.count = 2048;
  so.seed = 3;
  auto all = data::makeSynthetic(so);
  EXPECT_TRUE(bool(all));
  auto split = data::splitValidation(*all, 0.25, 3);
  EXPECT_TRUE(bool(split));
  data::Normalization norm;
  norm.standardize = true;
  auto [mean, sd] = split->train.normalize(norm);
  norm.mean = mean;
  norm.stddev = sd;
  split->validation.normalize(norm);
  return {std::move(split->train), std::move(split->validation)};
}

TrainOptions options(int64_t threads) {
  TrainOptions o;
  o.step.batch = 32;
  o.step.threads = threads;
  o.step.optLevel = 1;
  o.epochs = 2;
  o.learningRate = 3e-3;
  o.seed = 11;
  return o;
}

// A small net learns the synthetic set within a bounded number of steps
// (2 epochs of 48 steps).
TEST(Trainer, LearnsSyntheticWithinBoundedSteps) {
  Synthetic s = synthetic();
  TrainingData train{s.train.images, s.train.labels};
  TrainingData val{s.validation.images, s.validation.labels};
  auto r = trainNetwork(smallNet(s.train.numClasses), train, &val, options(2));
  ASSERT_TRUE(bool(r)) << llvm::toString(r.takeError());
  ASSERT_FALSE(r->failed) << r->failureReason;
  ASSERT_EQ(r->epochs.size(), 2u);
  EXPECT_LT(r->epochs[1].loss, r->epochs[0].loss);
  EXPECT_GE(r->epochs.back().validationAccuracy, 0.9);
}

// Same seed and thread count: the same weights bit for bit (a fresh
// trainer and a re-initialised one); another initialisation seed: different
// weights.
TEST(Trainer, DeterministicForSeedAndThreads) {
  Synthetic s = synthetic();
  TrainingData train{s.train.images, s.train.labels};
  for (int64_t threads : {1, 2}) {
    TrainOptions o = options(threads);
    o.epochs = 1;
    o.schedule = LrSchedule::Cosine;
    auto a = trainNetwork(smallNet(4), train, nullptr, o);
    ASSERT_TRUE(bool(a)) << llvm::toString(a.takeError());
    auto trainer = Trainer::create(smallNet(4), o);
    ASSERT_TRUE(bool(trainer)) << llvm::toString(trainer.takeError());
    Trainer &t = **trainer;
    t.initialize(o.seed);
    t.runEpoch(train, 0);
    TrainedWeights b = t.weights();
    t.initialize(o.seed + 1);
    t.runEpoch(train, 0);
    TrainedWeights c = t.weights();
    ASSERT_EQ(a->weights.params.size(), b.params.size());
    EXPECT_EQ(0, std::memcmp(a->weights.params.data(), b.params.data(),
                             b.params.size() * sizeof(float)))
        << threads << " threads";
    EXPECT_EQ(0, std::memcmp(a->weights.running.data(), b.running.data(),
                             b.running.size() * sizeof(float)));
    EXPECT_NE(b.params, c.params);
  }
}

// The fused one-thread step and the split step (forward+backward, then
// update) compute the same update when the split has one slice.
TEST(Trainer, FusedStepEqualsSplitStep) {
  Network net = smallNet(4);
  TrainingStepConfig cfg;
  cfg.batch = 8;
  cfg.optLevel = 1;
  cfg.entryPoints = StepEntryPoints::All;
  auto k = TrainingKernels::compile(net, cfg);
  ASSERT_TRUE(bool(k)) << llvm::toString(k.takeError());
  const ParameterLayout &l = (*k)->layout();
  std::vector<float> p1(l.numParams), s1(l.stateSize, 0.f),
      r1(l.numBuffers, 1.f);
  for (int64_t i = 0; i < l.numParams; ++i)
    p1[i] = 0.01f * float((i * 37) % 23) - 0.1f;
  std::vector<float> p2 = p1, s2 = s1, r2 = r1;
  std::vector<float> x(8 * 256);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = float((i * 7919) % 101) / 50.f - 1.f;
  std::vector<int32_t> labels = {0, 1, 2, 3, 3, 2, 1, 0};
  int32_t ctrl[4] = {1, 0, 0, 0};
  float hyper[8] = {1e-2f, 0.9f, 0.999f, 1e-8f, 10.f, 1000.f, 0.f, 0.f};
  float m1[2], m2[2];
  (*k)->trainStep(p1.data(), s1.data(), r1.data(), x.data(), labels.data(),
                  ctrl, hyper, m1);
  std::vector<float> g(l.numParams), st(l.numBuffers);
  (*k)->forwardBackward(p2.data(), r2.data(), x.data(), labels.data(), ctrl,
                        g.data(), st.data(), m2);
  (*k)->update(p2.data(), s2.data(), r2.data(), g.data(), st.data(), hyper);
  EXPECT_FLOAT_EQ(m1[0], m2[0]);
  for (int64_t i = 0; i < l.numParams; ++i)
    ASSERT_NEAR(p1[i], p2[i], 1e-6f) << i;
  EXPECT_NE(p1, std::vector<float>(l.numParams, 0.f));
  for (int64_t i = 0; i < l.numBuffers; ++i)
    ASSERT_NEAR(r1[i], r2[i], 1e-6f) << i;
}

// The step's temporaries come from a per-thread cache: after one step the
// cache holds them, a second step of the same network takes every block from
// it and gives it back (no growth), and destroying the kernels empties it.
TEST(Trainer, StepReusesItsTemporaries) {
  TrainingStepConfig cfg;
  cfg.batch = 8;
  cfg.optLevel = 1;
  auto k = TrainingKernels::compile(smallNet(4), cfg);
  ASSERT_TRUE(bool(k)) << llvm::toString(k.takeError());
  const ParameterLayout &l = (*k)->layout();
  std::vector<float> p(l.numParams, 0.01f), s(l.stateSize, 0.f),
      r(l.numBuffers, 1.f), x(8 * 256, 0.5f);
  std::vector<int32_t> labels = {0, 1, 2, 3, 3, 2, 1, 0};
  int32_t ctrl[4] = {1, 0, 0, 0};
  float hyper[8] = {1e-2f, 0.9f, 0.999f, 1e-8f, 10.f, 1000.f, 0.f, 0.f};
  float m[2];
  size_t before = cachedStepBufferBytes();
  (*k)->trainStep(p.data(), s.data(), r.data(), x.data(), labels.data(), ctrl,
                  hyper, m);
  size_t afterOne = cachedStepBufferBytes();
  // At least the padded input of the first conv: 8 x 18 x 18 floats.
  EXPECT_GE(afterOne, before + 8 * 18 * 18 * sizeof(float));
  (*k)->trainStep(p.data(), s.data(), r.data(), x.data(), labels.data(), ctrl,
                  hyper, m);
  EXPECT_EQ(cachedStepBufferBytes(), afterOne);
  k->reset();
  EXPECT_EQ(cachedStepBufferBytes(), 0u);
}

// A diverging learning rate stops training with a reason instead of
// producing NaN weights silently.
TEST(Trainer, StopsOnNonFiniteLoss) {
  Synthetic s = synthetic();
  TrainingData train{s.train.images, s.train.labels};
  TrainOptions o = options(1);
  o.step.optimizer = OptimizerKind::SgdMomentum;
  o.learningRate = 1e30;
  auto r = trainNetwork(smallNet(4), train, nullptr, o);
  ASSERT_TRUE(bool(r));
  EXPECT_TRUE(r->failed);
  EXPECT_NE(r->failureReason.find("the loss became"), std::string::npos)
      << r->failureReason;
  EXPECT_EQ(r->epochs.size(), 1u);
}

TEST(Trainer, InterruptStopsBetweenBatches) {
  Synthetic s = synthetic();
  TrainingData train{s.train.images, s.train.labels};
  std::atomic<bool> stop{true};
  TrainOptions o = options(1);
  o.interrupt = &stop;
  auto r = trainNetwork(smallNet(4), train, nullptr, o);
  ASSERT_TRUE(bool(r));
  EXPECT_TRUE(r->interrupted);
  EXPECT_EQ(r->epochs.size(), 1u);
  EXPECT_EQ(r->epochs[0].samplesPerSecond, 0.0);
}

// Micro-batches: 2 threads running their 16 samples as 2 slices of 8 train
// exactly like 4 threads of 8 samples (same slices, same gradient rows, same
// summation order), bit for bit, and unlike 2 threads of 16 (batchnorm
// statistics per 8 samples instead of 16).
TEST(Trainer, MicroBatchesAreSlicesOfTheirOwn) {
  Synthetic s = synthetic();
  TrainingData train{s.train.images, s.train.labels};
  auto run = [&](int64_t threads, int64_t micro) {
    TrainOptions o = options(threads);
    o.epochs = 1;
    o.step.microBatch = micro;
    auto r = trainNetwork(smallNet(4), train, nullptr, o);
    EXPECT_TRUE(bool(r)) << llvm::toString(r.takeError());
    return r ? r->weights : TrainedWeights();
  };
  TrainedWeights micro = run(2, 8), four = run(4, 0), two = run(2, 0);
  ASSERT_EQ(micro.params.size(), four.params.size());
  ASSERT_FALSE(micro.params.empty());
  EXPECT_EQ(0, std::memcmp(micro.params.data(), four.params.data(),
                           four.params.size() * sizeof(float)));
  EXPECT_EQ(0, std::memcmp(micro.running.data(), four.running.data(),
                           four.running.size() * sizeof(float)));
  EXPECT_NE(micro.params, two.params);
  // Same seed, same configuration: same weights.
  TrainedWeights again = run(2, 8);
  EXPECT_EQ(0, std::memcmp(micro.params.data(), again.params.data(),
                           again.params.size() * sizeof(float)));
}

TEST(Trainer, RejectsUnevenMicroBatches) {
  TrainOptions o = options(2);
  o.step.microBatch = 5; // 16 samples per thread
  auto k = TrainingKernels::compile(smallNet(4), o.step);
  ASSERT_FALSE(bool(k));
  EXPECT_NE(llvm::toString(k.takeError()).find("micro-batches of 5"),
            std::string::npos);
}

TEST(Trainer, RejectsNetworkWithoutLogits) {
  Network net = smallNet(4);
  net.layers.pop_back(); // ends with dropout over 16 channels
  TrainOptions o = options(1);
  auto k = TrainingKernels::compile(net, o.step);
  ASSERT_FALSE(bool(k));
  EXPECT_NE(llvm::toString(k.takeError()).find("4 flat logits"),
            std::string::npos);
}

TEST(Trainer, RejectsUnevenThreadSplit) {
  TrainOptions o = options(2);
  o.step.batch = 33;
  auto k = TrainingKernels::compile(smallNet(4), o.step);
  ASSERT_FALSE(bool(k));
  EXPECT_NE(llvm::toString(k.takeError()).find("does not split evenly"),
            std::string::npos);
}

} // namespace

namespace {
// The trained parameters convert to the per-layer Weights of the inference
// builder, slot for slot.
TEST(Trainer, ConvertsToModelWeights) {
  Synthetic s = synthetic();
  TrainingData train{s.train.images, s.train.labels};
  TrainOptions o = options(1);
  o.epochs = 1;
  Network net = smallNet(4);
  auto r = trainNetwork(net, train, nullptr, o);
  ASSERT_TRUE(bool(r)) << llvm::toString(r.takeError());
  auto w = toWeights(net, r->weights, o.step.bnEpsilon);
  ASSERT_TRUE(bool(w)) << llvm::toString(w.takeError());
  const LayerSlots &conv = r->weights.layout.layers[0];
  EXPECT_EQ(w->layers[0].filterShape, (std::vector<int64_t>{3, 3, 1, 8}));
  EXPECT_EQ(w->layers[0].filter[5], r->weights.params[conv.weight.offset + 5]);
  const LayerSlots &bn = r->weights.layout.layers[3];
  ASSERT_EQ(w->layers[3].variance.size(), 8u);
  EXPECT_EQ(w->layers[3].variance[2],
            r->weights.running[bn.runningVar.offset + 2]);
  EXPECT_NE(w->layers[3].mean[0], 0.0f); // running stats were updated
  TrainedWeights wrong = r->weights;
  wrong.params.pop_back();
  auto bad = toWeights(net, wrong, 1e-5);
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("do not belong"),
            std::string::npos);
}
} // namespace

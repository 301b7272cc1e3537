//===- TrainerTest.cpp - the incremental trainer and its saved state -----===//
#include "tnas_rt/trainer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "gtest/gtest.h"

using namespace tnas_rt;

namespace {

constexpr int32_t kFeatures = 6, kClasses = 3, kMaxClasses = 5, kCap = 8;

/// A trainer with its storage, as the emitted code lays it out statically.
struct Harness {
  std::vector<float> weight, bias, initWeight, initBias, scratch;
  std::vector<int8_t> bufferFeatures;
  std::vector<int32_t> bufferLabels;
  Trainer trainer;
  TrainerConfig config;

  explicit Harness(Scheme scheme, BufferPolicy policy = BufferPolicy::Fifo,
                   KnnAdaptation adaptation = KnnAdaptation::Passive)
      : weight(kMaxClasses * kFeatures), bias(kMaxClasses),
        initWeight(kClasses * kFeatures), initBias(kClasses),
        scratch(trainerScratchElements(kFeatures, kMaxClasses)),
        bufferFeatures(kCap * kFeatures), bufferLabels(kCap) {
    for (size_t i = 0; i < initWeight.size(); ++i)
      initWeight[i] = 0.01f * (float)((int)(i * 7 % 11) - 5);
    for (int c = 0; c < kClasses; ++c)
      initBias[c] = 0.1f * c;
    config =
        TrainerConfig{scheme, 0.1f, 1,     policy, kCap,   adaptation, 3, 4,
                      0.05f,  2.0f, 0.05f, -3,     12345u, nullptr,    0};
    TrainerMemory memory{weight.data(), bias.data(), bufferFeatures.data(),
                         bufferLabels.data(), scratch.data()};
    EXPECT_EQ(trainerInit(&trainer, &config, &memory, kFeatures, kClasses,
                          kMaxClasses, initWeight.data(), initBias.data()),
              StatusOk);
  }
};

std::vector<int8_t> sample(std::mt19937 &rng, int32_t label) {
  std::vector<int8_t> x(kFeatures);
  std::uniform_int_distribution<int> noise(-20, 20);
  for (int i = 0; i < kFeatures; ++i)
    x[i] = (int8_t)(noise(rng) + (i % kClasses == label ? 60 : -30));
  return x;
}

/// The trainer's saved state in a blob of the largest size; its length in
/// *written.
std::vector<uint8_t> savedState(Harness &h, size_t *written) {
  std::vector<uint8_t> blob(
      trainerStateBytes(kFeatures, kFeatures, kMaxClasses, kCap));
  EXPECT_EQ(trainerSaveState(&h.trainer, 42, blob.data(), blob.size(), written),
            StatusOk);
  return blob;
}

double crossEntropy(Harness &h, const std::vector<int8_t> &x, int label) {
  std::vector<float> p(kClasses);
  denseForward(&h.trainer, x.data(), p.data());
  return -std::log((double)p[label]);
}

TEST(Trainer, SgdStepIsTheCrossEntropyGradient) {
  Harness h(Scheme::TinyOL);
  std::mt19937 rng(3);
  auto x = sample(rng, 1);
  std::vector<float> w0 = h.weight, b0 = h.bias;
  denseSgdStep(&h.trainer, x.data(), 1);
  const float lr = h.config.learningRate;
  // Compare each applied step with a central finite difference of the loss.
  for (int c = 0; c < kClasses; ++c) {
    for (int i = 0; i <= kFeatures; ++i) {
      float *param = i < kFeatures ? &h.weight[c * kFeatures + i] : &h.bias[c];
      float applied = i < kFeatures ? (w0[c * kFeatures + i] - *param) / lr
                                    : (b0[c] - *param) / lr;
      std::vector<float> w1 = h.weight, b1 = h.bias;
      std::copy(w0.begin(), w0.end(), h.weight.begin());
      std::copy(b0.begin(), b0.end(), h.bias.begin());
      float *p = i < kFeatures ? &h.weight[c * kFeatures + i] : &h.bias[c];
      const float eps = 1e-2f;
      *p += eps;
      double up = crossEntropy(h, x, 1);
      *p -= 2 * eps;
      double down = crossEntropy(h, x, 1);
      EXPECT_NEAR(applied, (up - down) / (2 * eps), 2e-3) << c << "," << i;
      h.weight = w1;
      h.bias = b1;
    }
  }
}

TEST(Trainer, EverySchemeLearnsASeparableStream) {
  struct Case {
    Scheme scheme;
    BufferPolicy policy;
    KnnAdaptation adaptation;
  } cases[] = {
      {Scheme::TinyOL, BufferPolicy::Fifo, KnnAdaptation::Passive},
      {Scheme::TyBox, BufferPolicy::Fifo, KnnAdaptation::Passive},
      {Scheme::TyBox, BufferPolicy::Reservoir, KnnAdaptation::Passive},
      {Scheme::TyBox, BufferPolicy::Misclassified, KnnAdaptation::Passive},
      {Scheme::TyBox, BufferPolicy::Conflict, KnnAdaptation::Passive},
      {Scheme::Knn, BufferPolicy::Fifo, KnnAdaptation::Passive},
      {Scheme::Knn, BufferPolicy::Fifo, KnnAdaptation::Active},
      {Scheme::Knn, BufferPolicy::Fifo, KnnAdaptation::Hybrid}};
  for (const Case &c : cases) {
    Harness h(c.scheme, c.policy, c.adaptation);
    std::mt19937 rng(5);
    for (int i = 0; i < 60; ++i)
      ASSERT_EQ(trainerLearn(&h.trainer, sample(rng, i % kClasses).data(),
                             i % kClasses),
                StatusOk);
    int correct = 0;
    for (int i = 0; i < 30; ++i) {
      int32_t predicted = -1;
      std::vector<float> scores(kClasses);
      ASSERT_EQ(trainerPredict(&h.trainer, sample(rng, i % kClasses).data(),
                               scores.data(), &predicted),
                StatusOk);
      correct += predicted == i % kClasses;
      float sum = scores[0] + scores[1] + scores[2];
      EXPECT_NEAR(sum, 1.0f, 1e-5f);
    }
    EXPECT_GE(correct, 27) << (int)c.scheme << " " << (int)c.policy << " "
                           << (int)c.adaptation;
  }
}

TEST(Trainer, BufferPoliciesKeepTheRightSamples) {
  std::mt19937 rng(7);
  Harness fifo(Scheme::TyBox, BufferPolicy::Fifo);
  fifo.config.epochs = 0;
  Harness reservoir(Scheme::TyBox, BufferPolicy::Reservoir);
  for (int i = 0; i < 20; ++i) {
    auto x = sample(rng, i % kClasses);
    x[0] = (int8_t)i; // tag each sample
    trainerLearn(&fifo.trainer, x.data(), i % kClasses);
    trainerLearn(&reservoir.trainer, x.data(), i % kClasses);
  }
  EXPECT_EQ(fifo.trainer.bufferCount, kCap);
  // FIFO holds the last kCap samples: 12..19, oldest overwritten in order.
  for (int s = 0; s < kCap; ++s)
    EXPECT_GE(fifo.bufferFeatures[s * kFeatures], 12);
  EXPECT_EQ(reservoir.trainer.seen, 20u);
  EXPECT_EQ(reservoir.trainer.bufferCount, kCap);
  int early = 0; // a reservoir keeps some samples from before the last kCap
  for (int s = 0; s < kCap; ++s)
    early += reservoir.bufferFeatures[s * kFeatures] < 12;
  EXPECT_GT(early, 0);
}

TEST(Trainer, ConflictPolicyReplacesTheContradictedNeighbour) {
  std::mt19937 rng(11);
  Harness conflict(Scheme::TyBox, BufferPolicy::Conflict);
  conflict.config.epochs = 0;
  // While the buffer fills it is a FIFO, even where labels disagree.
  for (int i = 0; i < kCap; ++i) {
    auto x = sample(rng, i % kClasses);
    x[kFeatures - 1] = (int8_t)(100 + i); // tag: the insertion order
    trainerLearn(&conflict.trainer, x.data(), i % kClasses);
  }
  ASSERT_EQ(conflict.trainer.bufferCount, kCap);
  ASSERT_EQ(conflict.trainer.bufferNext, 0);
  // The labels of classes 0 and 1 swap: a sample that looks like class 0,
  // now labelled 1, overwrites its nearest neighbour (a class-0 sample
  // labelled 0), not the oldest slot.
  // Slot 3's sample (class 0) seen again, a little changed.
  std::vector<int8_t> swapped(&conflict.bufferFeatures[3 * kFeatures],
                              &conflict.bufferFeatures[4 * kFeatures]);
  swapped[1] += 2;
  const int32_t nearest = nearestBuffered(&conflict.trainer, swapped.data());
  ASSERT_EQ(nearest, 3);
  ASSERT_EQ(conflict.bufferLabels[nearest], 0);
  trainerLearn(&conflict.trainer, swapped.data(), 1);
  EXPECT_EQ(conflict.bufferLabels[nearest], 1);
  EXPECT_EQ(conflict.bufferFeatures[nearest * kFeatures], swapped[0]);
  EXPECT_EQ(conflict.trainer.bufferNext, 0); // the oldest sample stays
  EXPECT_EQ(conflict.trainer.bufferCount, kCap);
  // A sample that agrees with its nearest neighbour goes to the oldest slot.
  auto agreeing = sample(rng, 2);
  ASSERT_EQ(conflict.bufferLabels[nearestBuffered(&conflict.trainer,
                                                  agreeing.data())],
            2);
  trainerLearn(&conflict.trainer, agreeing.data(), 2);
  EXPECT_EQ(conflict.trainer.bufferNext, 1);
  EXPECT_EQ(conflict.bufferLabels[0], 2);
  // A FIFO overwrites the oldest slot with the swapped sample.
  Harness fifo(Scheme::TyBox, BufferPolicy::Fifo);
  fifo.config.epochs = 0;
  std::mt19937 rng2(11);
  for (int i = 0; i < kCap; ++i) {
    auto x = sample(rng2, i % kClasses);
    trainerLearn(&fifo.trainer, x.data(), i % kClasses);
  }
  trainerLearn(&fifo.trainer, swapped.data(), 1);
  EXPECT_EQ(fifo.bufferLabels[0], 1);
  EXPECT_EQ(fifo.bufferLabels[nearest], 0); // the stale label stays
}

TEST(Trainer, CusumDetectsAChangeAndActiveKnnForgets) {
  Harness h(Scheme::Knn, BufferPolicy::Fifo, KnnAdaptation::Active);
  std::mt19937 rng(9);
  for (int i = 0; i < 40; ++i)
    trainerLearn(&h.trainer, sample(rng, i % kClasses).data(), i % kClasses);
  EXPECT_EQ(h.trainer.changes, 0);
  // The concept changes: every class now looks like its successor.
  for (int i = 0; i < 40; ++i)
    trainerLearn(&h.trainer, sample(rng, (i + 1) % kClasses).data(),
                 i % kClasses);
  EXPECT_GE(h.trainer.changes, 1);
  int correct = 0;
  for (int i = 0; i < 30; ++i) {
    int32_t predicted;
    trainerPredict(&h.trainer, sample(rng, (i + 1) % kClasses).data(), nullptr,
                   &predicted);
    correct += predicted == i % kClasses;
  }
  EXPECT_GE(correct, 27);
}

// The detector's base error rate comes from the complete knowledge set, not
// from the first samples, which a set of one or two samples gets mostly
// wrong: a change that makes one class of three wrong is then still seen.
TEST(Trainer, CusumBaseRateIsTheCompleteSetsErrorRate) {
  for (KnnAdaptation adaptation :
       {KnnAdaptation::Active, KnnAdaptation::Hybrid}) {
    Harness h(Scheme::Knn, BufferPolicy::Fifo, adaptation);
    std::mt19937 rng(21);
    for (int i = 0; i < 40; ++i)
      trainerLearn(&h.trainer, sample(rng, i % kClasses).data(), i % kClasses);
    EXPECT_EQ(h.trainer.changes, 0);
    // Class 0's samples are now labelled 1.
    for (int i = 0; i < 60; ++i) {
      const int32_t looks = i % kClasses;
      trainerLearn(&h.trainer, sample(rng, looks).data(),
                   looks == 0 ? 1 : looks);
    }
    EXPECT_GE(h.trainer.changes, 1);
    int relabelled = 0;
    for (int i = 0; i < 10; ++i) {
      int32_t predicted;
      trainerPredict(&h.trainer, sample(rng, 0).data(), nullptr, &predicted);
      relabelled += predicted == 1;
    }
    EXPECT_GE(relabelled, 9);
  }
}

/// A frozen hidden layer: inputs = relu(2 * feature) for the first four
/// features, then their sum.
void doubledRelu(const int8_t *features, float *inputs) {
  float sum = 0.0f;
  for (int i = 0; i < 4; ++i) {
    inputs[i] = features[i] > 0 ? 2.0f * features[i] : 0.0f;
    sum += inputs[i];
  }
  inputs[4] = sum;
}

TEST(Trainer, FeatureTransformFeedsTheTrainedLayer) {
  constexpr int32_t kInputs = 5;
  std::vector<float> weight(kClasses * kInputs), bias(kClasses),
      scratch(trainerScratchElements(kInputs, kClasses)),
      init(kClasses * kInputs), initBias(kClasses);
  std::vector<int8_t> buffer(kCap * kFeatures);
  std::vector<int32_t> labels(kCap);
  TrainerConfig config{Scheme::TyBox,
                       0.01f,
                       1,
                       BufferPolicy::Fifo,
                       kCap,
                       KnnAdaptation::Passive,
                       3,
                       4,
                       0.05f,
                       2.0f,
                       1.0f,
                       0,
                       1u,
                       doubledRelu,
                       kInputs};
  TrainerMemory memory{weight.data(), bias.data(), buffer.data(), labels.data(),
                       scratch.data()};
  Trainer t;
  ASSERT_EQ(trainerInit(&t, &config, &memory, kFeatures, kClasses, kClasses,
                        init.data(), initBias.data()),
            StatusOk);
  EXPECT_EQ(t.inputs, kInputs);
  const int8_t x[kFeatures] = {1, -3, 2, 0, 100, 100};
  denseSgdStep(&t, x, 2);
  // All weights start at 0: p is uniform, so class 2's weights move by
  // lr * (1 - 1/3) * input, with inputs {2, 0, 4, 0, 6}; the buffer keeps int8.
  const float step = 0.01f * (2.0f / 3.0f);
  EXPECT_FLOAT_EQ(weight[2 * kInputs + 0], step * 2.0f);
  EXPECT_FLOAT_EQ(weight[2 * kInputs + 1], 0.0f);
  EXPECT_FLOAT_EQ(weight[2 * kInputs + 4], step * 6.0f);
  EXPECT_FLOAT_EQ(weight[0], -0.01f / 3.0f * 2.0f);
  ASSERT_EQ(trainerLearn(&t, x, 1), StatusOk);
  EXPECT_EQ(buffer[4], 100);
  // A transform without outputs is a bad configuration.
  config.transformOutputs = 0;
  EXPECT_EQ(trainerInit(&t, &config, &memory, kFeatures, kClasses, kClasses,
                        init.data(), initBias.data()),
            StatusBadConfig);
}

TEST(Trainer, AnchorPullsEachStepTowardTheFlashedClassifier) {
  // Two trainers in the same state, away from the flashed classifier and
  // with an added class; one step on the same sample differs by exactly
  // lr * anchor * (theta - theta0) for the flashed classes, and not at all
  // for the added one, which has no flashed value.
  Harness plain(Scheme::TinyOL), anchored(Scheme::TinyOL);
  std::mt19937 rng(11);
  for (Harness *h : {&plain, &anchored}) {
    int32_t added = -1;
    ASSERT_EQ(trainerAddClass(&h->trainer, &added), StatusOk);
    std::mt19937 same(4);
    for (int i = 0; i < 6; ++i)
      ASSERT_EQ(trainerLearn(&h->trainer, sample(same, i % 2).data(),
                             i % 2 ? added : 2),
                StatusOk);
  }
  const float a = 0.5f, lr = plain.config.learningRate;
  anchored.trainer.config.anchor = a;
  ASSERT_EQ(plain.weight, anchored.weight);
  const std::vector<float> before = anchored.weight, biasBefore = anchored.bias;
  auto x = sample(rng, 0);
  denseSgdStep(&plain.trainer, x.data(), 0);
  denseSgdStep(&anchored.trainer, x.data(), 0);
  for (int c = 0; c <= kClasses; ++c) {
    const bool flashed = c < kClasses;
    for (int i = 0; i < kFeatures; ++i) {
      const size_t k = (size_t)c * kFeatures + i;
      const float pull =
          flashed ? lr * a * (before[k] - plain.initWeight[k]) : 0.0f;
      EXPECT_NEAR(anchored.weight[k], plain.weight[k] - pull, 1e-6f)
          << c << "," << i;
    }
    const float pull =
        flashed ? lr * a * (biasBefore[c] - plain.initBias[c]) : 0.0f;
    EXPECT_NEAR(anchored.bias[c], plain.bias[c] - pull, 1e-6f);
  }
  // Neither check is vacuous: class 2 had moved off its flashed weights (so
  // it is pulled), the added class off zero (so a pull toward zero would
  // show).
  EXPECT_NE(before[2 * kFeatures], plain.initWeight[2 * kFeatures]);
  EXPECT_NE(before[kClasses * kFeatures], 0.0f);
  EXPECT_NE(anchored.weight, plain.weight);
  // A negative anchor is a bad configuration.
  TrainerConfig bad = anchored.config;
  bad.anchor = -0.1f;
  TrainerMemory memory = anchored.trainer.memory;
  Trainer t;
  EXPECT_EQ(trainerInit(&t, &bad, &memory, kFeatures, kClasses, kMaxClasses,
                        anchored.initWeight.data(), anchored.initBias.data()),
            StatusBadConfig);
}

/// The flashed classifier's argmax on x, computed here from its definition.
int32_t flashedArgmaxOf(const Harness &h, const std::vector<int8_t> &x) {
  int32_t best = 0;
  double bestLogit = -1e30;
  for (int c = 0; c < kClasses; ++c) {
    double z = h.initBias[c];
    for (int i = 0; i < kFeatures; ++i)
      z += (double)h.initWeight[(size_t)c * kFeatures + i] *
           ((x[i] - h.config.featureZp) * h.config.featureScale);
    if (z > bestLogit) {
      bestLogit = z;
      best = c;
    }
  }
  return best;
}

TEST(Trainer, AgreedAnchorPullsOnlyTheLabelsRowWhereTheFlashAgrees) {
  // Pairs of trainers in the same state, away from the flash; one step each.
  // With scope Agreed, a sample the flashed classifier labels as its label
  // pulls that label's row, by lr * anchor * flashedClasses * (theta -
  // theta0), and no other row; a sample it labels otherwise pulls nothing.
  std::mt19937 rng(5);
  const float a = 0.5f;
  for (bool agree : {true, false}) {
    Harness plain(Scheme::TinyOL), agreed(Scheme::TinyOL);
    for (Harness *h : {&plain, &agreed}) {
      std::mt19937 same(9);
      for (int i = 0; i < 6; ++i)
        ASSERT_EQ(trainerLearn(&h->trainer, sample(same, i % 3).data(), i % 3),
                  StatusOk);
    }
    agreed.trainer.config.anchor = a;
    agreed.trainer.config.anchorScope = AnchorScope::Agreed;
    const std::vector<float> before = agreed.weight, biasBefore = agreed.bias;
    auto x = sample(rng, 1);
    const int32_t flashed = flashedArgmaxOf(agreed, x);
    const int32_t label = agree ? flashed : (flashed + 1) % kClasses;
    denseSgdStep(&plain.trainer, x.data(), label);
    denseSgdStep(&agreed.trainer, x.data(), label);
    const float lr = plain.config.learningRate, strength = a * kClasses;
    for (int c = 0; c < kClasses; ++c) {
      const bool pulled = agree && c == label;
      for (int i = 0; i < kFeatures; ++i) {
        const size_t k = (size_t)c * kFeatures + i;
        const float pull =
            pulled ? lr * strength * (before[k] - agreed.initWeight[k]) : 0.0f;
        EXPECT_NEAR(agreed.weight[k], plain.weight[k] - pull, 1e-6f)
            << agree << ": " << c << "," << i;
      }
      const float pull =
          pulled ? lr * strength * (biasBefore[c] - agreed.initBias[c]) : 0.0f;
      EXPECT_NEAR(agreed.bias[c], plain.bias[c] - pull, 1e-6f);
    }
    // The pulled row had moved off the flash, so the pull shows.
    if (agree)
      EXPECT_NE(agreed.weight, plain.weight);
  }
  // An unknown scope is a bad configuration.
  Harness h(Scheme::TinyOL);
  TrainerConfig bad = h.config;
  bad.anchorScope = (AnchorScope)7;
  TrainerMemory memory = h.trainer.memory;
  Trainer t;
  EXPECT_EQ(trainerInit(&t, &bad, &memory, kFeatures, kClasses, kMaxClasses,
                        h.initWeight.data(), h.initBias.data()),
            StatusBadConfig);
}

TEST(Trainer, AddClassAtRunTime) {
  Harness h(Scheme::TinyOL);
  int32_t label = -1;
  ASSERT_EQ(trainerAddClass(&h.trainer, &label), StatusOk);
  EXPECT_EQ(label, kClasses);
  EXPECT_EQ(h.trainer.numClasses, kClasses + 1);
  std::vector<int8_t> x(kFeatures, 50);
  EXPECT_EQ(trainerLearn(&h.trainer, x.data(), label), StatusOk);
  EXPECT_GT(h.bias[label], 0.0f);
  ASSERT_EQ(trainerAddClass(&h.trainer, &label), StatusOk);
  EXPECT_EQ(trainerAddClass(&h.trainer, &label), StatusNoRoom);
  EXPECT_EQ(trainerReset(&h.trainer), StatusOk);
  EXPECT_EQ(h.trainer.numClasses, kClasses);
  EXPECT_EQ(h.bias[1], h.initBias[1]);
}

TEST(Trainer, BadInputsChangeNothing) {
  Harness h(Scheme::TyBox);
  std::vector<int8_t> x(kFeatures, 10);
  std::vector<float> w = h.weight, b = h.bias;
  EXPECT_EQ(trainerLearn(&h.trainer, x.data(), kClasses), StatusBadLabel);
  EXPECT_EQ(trainerLearn(&h.trainer, x.data(), -1), StatusBadLabel);
  EXPECT_EQ(trainerLearn(&h.trainer, nullptr, 0), StatusNullPointer);
  EXPECT_EQ(trainerLearn(nullptr, x.data(), 0), StatusNullPointer);
  int32_t predicted;
  EXPECT_EQ(trainerPredict(&h.trainer, x.data(), nullptr, nullptr),
            StatusNullPointer);
  EXPECT_EQ(trainerPredict(&h.trainer, nullptr, nullptr, &predicted),
            StatusNullPointer);
  EXPECT_EQ(trainerAddClass(&h.trainer, nullptr), StatusNullPointer);
  EXPECT_EQ(h.weight, w);
  EXPECT_EQ(h.bias, b);
  EXPECT_EQ(h.trainer.bufferCount, 0);
  EXPECT_EQ(h.trainer.numClasses, kClasses);
}

TEST(TrainerState, RoundTripsAndRefusesCorruptOrForeignState) {
  Harness h(Scheme::TyBox);
  std::mt19937 rng(11);
  for (int i = 0; i < 12; ++i)
    trainerLearn(&h.trainer, sample(rng, i % kClasses).data(), i % kClasses);
  int32_t extra;
  trainerAddClass(&h.trainer, &extra);
  std::vector<uint8_t> blob(
      trainerStateBytes(kFeatures, kFeatures, kMaxClasses, kCap));
  size_t written = 0;
  ASSERT_EQ(
      trainerSaveState(&h.trainer, 42, blob.data(), blob.size(), &written),
      StatusOk);
  EXPECT_LE(written, blob.size());
  EXPECT_EQ(trainerSaveState(&h.trainer, 42, blob.data(), 10, &written),
            StatusNoRoom);
  ASSERT_EQ(
      trainerSaveState(&h.trainer, 42, blob.data(), blob.size(), &written),
      StatusOk);

  Harness other(Scheme::TyBox);
  std::vector<float> w = other.weight;
  // A flipped payload bit is refused and changes nothing.
  std::vector<uint8_t> corrupt = blob;
  corrupt[sizeof(StateHeader) + 5] ^= 0x10;
  EXPECT_EQ(trainerLoadState(&other.trainer, 42, corrupt.data(), written),
            StatusBadChecksum);
  // Another model's state, a truncated blob, a wrong version.
  EXPECT_EQ(trainerLoadState(&other.trainer, 43, blob.data(), written),
            StatusForeignState);
  EXPECT_EQ(trainerLoadState(&other.trainer, 42, blob.data(), written - 1),
            StatusForeignState);
  std::vector<uint8_t> newer = blob;
  uint32_t version = kStateVersion + 1;
  std::memcpy(newer.data() + offsetof(StateHeader, version), &version, 4);
  EXPECT_EQ(trainerLoadState(&other.trainer, 42, newer.data(), written),
            StatusForeignState);
  EXPECT_EQ(trainerLoadState(&other.trainer, 42, nullptr, written),
            StatusNullPointer);
  EXPECT_EQ(other.weight, w);
  EXPECT_EQ(other.trainer.numClasses, kClasses);

  ASSERT_EQ(trainerLoadState(&other.trainer, 42, blob.data(), written),
            StatusOk);
  EXPECT_EQ(other.weight, h.weight);
  EXPECT_EQ(other.bias, h.bias);
  EXPECT_EQ(other.trainer.numClasses, kClasses + 1);
  EXPECT_EQ(other.trainer.bufferCount, h.trainer.bufferCount);
  EXPECT_EQ(other.bufferLabels, h.bufferLabels);
}

// A device that saves its state, reboots and restores it must go on as if
// it had not rebooted: the FIFO evicts the oldest sample (not slot 0) and
// the reservoir keeps its odds and random sequence.
TEST(TrainerState, RestoredTrainerGoesOnAsTheSavedOne) {
  for (BufferPolicy policy : {BufferPolicy::Fifo, BufferPolicy::Reservoir}) {
    SCOPED_TRACE(policy == BufferPolicy::Fifo ? "fifo" : "reservoir");
    Harness saved(Scheme::TyBox, policy);
    std::mt19937 rng(5);
    for (int i = 0; i < kCap + 3; ++i) // full, FIFO position 3
      trainerLearn(&saved.trainer, sample(rng, i % kClasses).data(),
                   i % kClasses);
    size_t written = 0;
    std::vector<uint8_t> blob = savedState(saved, &written);
    Harness restored(Scheme::TyBox, policy);
    ASSERT_EQ(trainerLoadState(&restored.trainer, 42, blob.data(), written),
              StatusOk);
    for (int i = 0; i < 2 * kCap; ++i) {
      std::vector<int8_t> x = sample(rng, i % kClasses);
      trainerLearn(&saved.trainer, x.data(), i % kClasses);
      trainerLearn(&restored.trainer, x.data(), i % kClasses);
    }
    EXPECT_EQ(restored.bufferLabels, saved.bufferLabels);
    EXPECT_EQ(restored.bufferFeatures, saved.bufferFeatures);
    EXPECT_EQ(restored.weight, saved.weight);
    EXPECT_EQ(restored.trainer.bufferNext, saved.trainer.bufferNext);
  }
}

// A FIFO position that cannot belong to the buffer it comes with (a
// filling buffer writes at its end) is another writer's state.
TEST(TrainerState, RefusesAnInconsistentFifoPosition) {
  Harness h(Scheme::TyBox);
  std::mt19937 rng(9);
  for (int i = 0; i < 3; ++i)
    trainerLearn(&h.trainer, sample(rng, i % kClasses).data(), i % kClasses);
  size_t written = 0;
  std::vector<uint8_t> blob = savedState(h, &written);
  StateHeader header;
  std::memcpy(&header, blob.data(), sizeof(header));
  header.bufferNext = 1; // three samples held: the next write is slot 3
  header.checksum = 0;
  header.checksum = crc32(blob.data() + sizeof(header),
                          written - sizeof(header),
                          crc32(&header, sizeof(header), 0));
  std::memcpy(blob.data(), &header, sizeof(header));
  Harness other(Scheme::TyBox);
  EXPECT_EQ(trainerLoadState(&other.trainer, 42, blob.data(), written),
            StatusForeignState);
}

TEST(TrainerState, Crc32OfAKnownString) {
  EXPECT_EQ(crc32("123456789", 9, 0), 0xcbf43926u);
}

} // namespace

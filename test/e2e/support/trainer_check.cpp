//===- trainer_check.cpp - the trainer on a fixed stream, host and MCU ----===//
//
// Every scheme learns the same deterministic stream of labelled int8 feature
// vectors; the program prints the classifier weights afterwards. The lit
// test compares the Cortex-M4 output with the host's within 1e-5.
//
//===----------------------------------------------------------------------===//
#include "tnas_rt/trainer.h"

#include <stdio.h>

using namespace tnas_rt;

namespace {

constexpr int32_t kFeatures = 16, kClasses = 4, kMaxClasses = 5, kCap = 12;

uint32_t rngState = 88172645u;
int32_t uniform(int32_t lo, int32_t hi) {
  rngState ^= rngState << 13;
  rngState ^= rngState >> 17;
  rngState ^= rngState << 5;
  return lo + (int32_t)(rngState % (uint32_t)(hi - lo + 1));
}

float weight[kMaxClasses * kFeatures], bias[kMaxClasses];
float initWeight[kClasses * kFeatures], initBias[kClasses];
float scratch[trainerScratchElements(kFeatures, kMaxClasses)];
int8_t bufferFeatures[kCap * kFeatures];
int32_t bufferLabels[kCap];
int8_t sample[kFeatures];

void makeSample(int32_t label, bool drifted) {
  for (int32_t i = 0; i < kFeatures; ++i) {
    const int32_t owner = drifted ? (label + 1) % kClasses : label;
    sample[i] = (int8_t)(uniform(-25, 25) + (i % kClasses == owner ? 50 : -20));
  }
}

int run(const char *name, Scheme scheme, BufferPolicy policy,
        KnnAdaptation adaptation, float anchor = 0.0f,
        AnchorScope scope = AnchorScope::All) {
  for (int32_t i = 0; i < kClasses * kFeatures; ++i)
    initWeight[i] = 0.02f * (float)(uniform(-50, 50)) / 50.0f;
  for (int32_t c = 0; c < kClasses; ++c)
    initBias[c] = 0.0f;
  TrainerConfig config{scheme, 0.05f,   2,     policy, kCap,  adaptation,
                       3,      10,      0.05f, 3.0f,   0.04f, -5,
                       777u,   nullptr, 0,     anchor, scope};
  TrainerMemory memory{weight, bias, bufferFeatures, bufferLabels, scratch};
  Trainer t;
  if (trainerInit(&t, &config, &memory, kFeatures, kClasses, kMaxClasses,
                  initWeight, initBias) != StatusOk)
    return 1;
  int32_t correct = 0;
  for (int32_t i = 0; i < 120; ++i) {
    const int32_t label = uniform(0, kClasses - 1);
    makeSample(label, i >= 80);
    int32_t predicted = -1;
    trainerPredict(&t, sample, nullptr, &predicted);
    correct += predicted == label;
    if (trainerLearn(&t, sample, label) != StatusOk)
      return 1;
  }
  printf("%s correct=%d buffer=%d changes=%d\n", name, (int)correct,
         (int)t.bufferCount, (int)t.changes);
  for (int32_t c = 0; c < t.numClasses; ++c) {
    printf("%s w%d", name, (int)c);
    for (int32_t i = 0; i < kFeatures; ++i)
      printf(" %.7f", (double)weight[c * kFeatures + i]);
    printf(" b %.7f\n", (double)bias[c]);
  }
  return 0;
}

} // namespace

int main() {
  int failures = 0;
  failures +=
      run("tinyol", Scheme::TinyOL, BufferPolicy::Fifo, KnnAdaptation::Passive);
  failures += run("tybox-fifo", Scheme::TyBox, BufferPolicy::Fifo,
                  KnnAdaptation::Passive);
  failures += run("tybox-reservoir", Scheme::TyBox, BufferPolicy::Reservoir,
                  KnnAdaptation::Passive);
  failures += run("tybox-misclassified", Scheme::TyBox,
                  BufferPolicy::Misclassified, KnnAdaptation::Passive);
  failures += run("tybox-conflict", Scheme::TyBox, BufferPolicy::Conflict,
                  KnnAdaptation::Passive);
  failures += run("tybox-anchored", Scheme::TyBox, BufferPolicy::Fifo,
                  KnnAdaptation::Passive, 0.5f);
  failures += run("tybox-agreed", Scheme::TyBox, BufferPolicy::Fifo,
                  KnnAdaptation::Passive, 0.5f, AnchorScope::Agreed);
  failures += run("knn-passive", Scheme::Knn, BufferPolicy::Fifo,
                  KnnAdaptation::Passive);
  failures +=
      run("knn-active", Scheme::Knn, BufferPolicy::Fifo, KnnAdaptation::Active);
  failures +=
      run("knn-hybrid", Scheme::Knn, BufferPolicy::Fifo, KnnAdaptation::Hybrid);
  printf("failures=%d\n", failures);
  return failures;
}

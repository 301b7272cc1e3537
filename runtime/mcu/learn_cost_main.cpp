//===- learn_cost_main.cpp - instructions per tnas_learn / tnas_predict ---===//
//
// Firmware for QEMU's mps2-an386 under `-icount shift=0` (one instruction
// per ns, the CMSDK timer counts 40 per tick, see bench/mcu_conv) that
// prices one tnas_learn and one tnas_predict of an emitted library for every
// on-device learning scheme. scripts/learn-cost.sh builds it with
//   -DTNAS_LIBRARY_SOURCE='"<name>.cpp"' -I<out> [-DLEARN_COST_CHECK_DATA]
//
// The scheme is a compile-time constant of the emitted library, so this file
// includes the library's source: tnas_learn is `runExtractor` then
// `trainerLearn` on the library's trainer, and tnas_predict is
// `runExtractor` then `trainerPredict`. For each scheme the harness binds its
// own tnas_rt::Trainer to a copy of the library's kTrainerConfig (learning
// rate, epochs, k, CUSUM, classifier head as emitted) with the scheme,
// policy and adaptation changed, and times the same two steps. The
// library's own scheme is also timed through the real API on the same
// stream; the script fails unless the two agree.
//
// The stream: the reference images of <out>/check/check_data.h when there
// are (tnasc writes them), else pseudo-random class-dependent inputs. Each
// timed sample is predicted (prequential, as `tnasc simulate` does) and then
// learned; the first bufferCapacity + 8 samples are not timed, so that the
// buffer is full: the steady state a device sees. The first bufferCapacity
// of them are learned with `epochs` 0 (inserted by the scheme's policy, no
// SGD pass): a TyBox warm-up with its passes over the growing buffer would
// cost bufferCapacity^2 / 2 SGD steps (minutes in QEMU), and what fills the
// buffer does not depend on them for fifo, reservoir and conflict. The
// misclassified policy keeps what the classifier gets wrong, so its buffer
// can stay short of full; `buffer=` reports the samples it holds.
//
// LEARN_COST_SCHEMES: a bit mask over the rows of `cases` in main (bit 0
// static, 1 tinyol, ...), the schemes to time; the library's own scheme is
// always timed. Default: all.
//
// Output: one line per timed scheme
//   learn-cost: <scheme> learn=<N> predict=<M> buffer=<B>
// and `learn-cost: api <scheme> learn=<N> predict=<M> buffer=<B>`.
//
//===----------------------------------------------------------------------===//
#include TNAS_LIBRARY_SOURCE

#include "mcu_harness.h"

#ifdef LEARN_COST_CHECK_DATA
#include "check_data.h"
#endif

#include <stdio.h>
#include <string.h>

/* Buffer of the buffered schemes when the library has none (tinyol). */
#ifndef LEARN_COST_BUFFER
#define LEARN_COST_BUFFER (TNAS_BUFFER_CAPACITY > 0 ? TNAS_BUFFER_CAPACITY : 16)
#endif

namespace {

#ifndef LEARN_COST_SCHEMES
#define LEARN_COST_SCHEMES 0x1ffu
#endif

constexpr int32_t kBuffer = LEARN_COST_BUFFER;
constexpr int32_t kFill = kBuffer, kWarm = kBuffer + 8, kTimed = 16;

float costWeight[TNAS_MAX_CLASSES * TNAS_CLASSIFIER_INPUTS];
float costBias[TNAS_MAX_CLASSES];
float costScratch[tnas_rt::trainerScratchElements(TNAS_CLASSIFIER_INPUTS,
                                                  TNAS_MAX_CLASSES)];
int8_t costBufferFeatures[kBuffer * TNAS_FEATURES];
int32_t costBufferLabels[kBuffer];
int8_t costInput[TNAS_INPUT_ELEMENTS];

uint32_t rngState = 12345u;
#ifndef LEARN_COST_CHECK_DATA
int8_t nextByte() {
  rngState ^= rngState << 13;
  rngState ^= rngState >> 17;
  rngState ^= rngState << 5;
  return (int8_t)(rngState >> 24);
}
#endif

/* Sample i of the stream into costInput; returns its label. */
int32_t streamSample(int32_t i) {
#ifdef LEARN_COST_CHECK_DATA
  const int32_t n = i % kCheckSamples;
  tnas_quantize_input(kCheckImages[n], costInput);
  return kCheckLabels[n] % TNAS_NUM_CLASSES;
#else
  // Class-dependent structure plus noise, so that learning has a signal.
  const int32_t cls = i % TNAS_NUM_CLASSES;
  for (int32_t e = 0; e < TNAS_INPUT_ELEMENTS; ++e) {
    int32_t v = nextByte() / 4 + (cls % 4) * 70 - 110 + ((e + cls) % 3) * 20;
    costInput[e] = (int8_t)(v > 127 ? 127 : (v < -128 ? -128 : v));
  }
  return cls;
#endif
}

struct Cost {
  uint32_t learn = 0, predict = 0;
  int32_t buffer = 0; /* samples in the buffer at the end */
};

/* The two steps of a sample, timed; `learn` false: the static model.
 * `trainer`: the one `learn` updates; its epochs are 0 while the buffer
 * fills. */
template <typename Predict, typename Learn>
Cost timeStream(Predict predict, Learn learn, bool learns,
                tnas_rt::Trainer *trainer) {
  rngState = 12345u;
  uint64_t learnTotal = 0, predictTotal = 0;
  const int32_t epochs = trainer->config.epochs;
  for (int32_t i = 0; i < kWarm + kTimed; ++i) {
    const int32_t label = streamSample(i);
    const bool timed = i >= kWarm;
    trainer->config.epochs = i < kFill ? 0 : epochs;
    mcu_timer_start();
    predict();
    const uint32_t p = mcu_timer_ticks() * 40u;
    uint32_t l = 0;
    if (learns) {
      mcu_timer_start();
      learn(label);
      l = mcu_timer_ticks() * 40u;
    }
    if (timed) {
      predictTotal += p;
      learnTotal += l;
    }
  }
  trainer->config.epochs = epochs;
  Cost c;
  c.buffer = trainer->bufferCount;
  c.learn = (uint32_t)(learnTotal / kTimed);
  c.predict = (uint32_t)(predictTotal / kTimed);
  return c;
}

struct SchemeCase {
  const char *name;
  tnas_rt::Scheme scheme;
  tnas_rt::BufferPolicy policy;
  tnas_rt::KnnAdaptation adaptation;
  bool learns;
};

int failures = 0;

Cost harnessCost(const SchemeCase &s) {
  tnas_rt::TrainerConfig config = kTrainerConfig;
  config.scheme = s.scheme;
  config.policy = s.policy;
  config.adaptation = s.adaptation;
  config.bufferCapacity = s.scheme == tnas_rt::Scheme::TinyOL ? 0 : kBuffer;
  const tnas_rt::TrainerMemory memory = {
      costWeight, costBias, costBufferFeatures, costBufferLabels, costScratch};
  static tnas_rt::Trainer t;
  if (tnas_rt::trainerInit(&t, &config, &memory, TNAS_FEATURES,
                           TNAS_NUM_CLASSES, TNAS_MAX_CLASSES,
                           kClassifierWeight,
                           kClassifierBias) != tnas_rt::StatusOk) {
    printf("learn-cost: trainerInit failed for %s\n", s.name);
    ++failures;
    return Cost();
  }
  static float scores[TNAS_MAX_CLASSES];
  return timeStream(
      [] {
        int32_t predicted;
        if (tnas_rt::trainerPredict(&t, runExtractor(costInput), scores,
                                    &predicted) != tnas_rt::StatusOk)
          ++failures;
      },
      [](int32_t label) {
        if (tnas_rt::trainerLearn(&t, runExtractor(costInput), label) !=
            tnas_rt::StatusOk)
          ++failures;
      },
      s.learns, &t);
}

const char *schemeName(const tnas_rt::TrainerConfig &c) {
  using tnas_rt::BufferPolicy;
  using tnas_rt::KnnAdaptation;
  using tnas_rt::Scheme;
  if (c.scheme == Scheme::TinyOL)
    return "tinyol";
  if (c.scheme == Scheme::TyBox)
    return c.policy == BufferPolicy::Fifo        ? "tybox-fifo"
           : c.policy == BufferPolicy::Reservoir ? "tybox-reservoir"
           : c.policy == BufferPolicy::Misclassified ? "tybox-misclassified"
                                                     : "tybox-conflict";
  return c.adaptation == KnnAdaptation::Passive  ? "knn-passive"
         : c.adaptation == KnnAdaptation::Active ? "knn-active"
                                                 : "knn-hybrid";
}

} // namespace

int main() {
  using tnas_rt::BufferPolicy;
  using tnas_rt::KnnAdaptation;
  using tnas_rt::Scheme;
  // The names are `tnasc simulate`'s (compiler/lib/Simulate/HostBuild.cpp).
  static const SchemeCase cases[] = {
      {"static", Scheme::TinyOL, BufferPolicy::Fifo, KnnAdaptation::Passive,
       false},
      {"tinyol", Scheme::TinyOL, BufferPolicy::Fifo, KnnAdaptation::Passive,
       true},
      {"tybox-fifo", Scheme::TyBox, BufferPolicy::Fifo, KnnAdaptation::Passive,
       true},
      {"tybox-reservoir", Scheme::TyBox, BufferPolicy::Reservoir,
       KnnAdaptation::Passive, true},
      {"tybox-misclassified", Scheme::TyBox, BufferPolicy::Misclassified,
       KnnAdaptation::Passive, true},
      {"tybox-conflict", Scheme::TyBox, BufferPolicy::Conflict,
       KnnAdaptation::Passive, true},
      {"knn-passive", Scheme::Knn, BufferPolicy::Fifo, KnnAdaptation::Passive,
       true},
      {"knn-active", Scheme::Knn, BufferPolicy::Fifo, KnnAdaptation::Active,
       true},
      {"knn-hybrid", Scheme::Knn, BufferPolicy::Fifo, KnnAdaptation::Hybrid,
       true},
  };
  const char *own = schemeName(kTrainerConfig);
  for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); ++k) {
    const SchemeCase &s = cases[k];
    if (!(LEARN_COST_SCHEMES & (1u << k)) && strcmp(s.name, own) != 0)
      continue;
    const Cost c = harnessCost(s);
    printf("learn-cost: %s learn=%lu predict=%lu buffer=%d\n", s.name,
           (unsigned long)c.learn, (unsigned long)c.predict, (int)c.buffer);
  }
  // The library's own scheme through its API, on the same stream.
  if (tnas_init() != TNAS_OK) {
    printf("learn-cost: tnas_init failed\n");
    return 2;
  }
  static tnas_prediction_t prediction;
  const Cost api = timeStream(
      [] {
        if (tnas_predict(costInput, &prediction) != TNAS_OK)
          ++failures;
      },
      [](int32_t label) {
        if (tnas_learn(costInput, label) != TNAS_OK)
          ++failures;
      },
      true, &gTrainer);
  printf("learn-cost: api %s learn=%lu predict=%lu buffer=%d\n", own,
         (unsigned long)api.learn, (unsigned long)api.predict,
         (int)api.buffer);
  printf("learn-cost: failures=%d\n", failures);
  return failures ? 1 : 0;
}

//===- conv_bench.cpp - instructions per MAC of the int8 convs on QEMU ----===//
//
// Firmware for mps2-an386 run under `qemu -icount shift=0`: one instruction
// per ns of virtual time, read through the 25 MHz CMSDK timer (40
// instructions per tick). For each conv layer of the example network (and
// the CMSIS-NN reference shapes) it times the DSP path and the portable path
// on random data, checks that both agree, and prints instructions per MAC;
// then instructions per trainerLearn call for every scheme.
// With -DBENCH_SKIP_WORK the timed calls are left out: run_bench.sh uses it
// to validate the timer against an exact `-singlestep -d exec` count.
//
//===----------------------------------------------------------------------===//
#include "mcu_harness.h"
#include "tnas_rt/conv_s8.h"
#include "tnas_rt/pointwise_s8.h"
#include "tnas_rt/trainer.h"

#include <stdio.h>
#include <string.h>

using namespace tnas_rt;

namespace {

uint32_t rngState = 1u;
int8_t nextByte() {
  rngState ^= rngState << 13;
  rngState ^= rngState >> 17;
  rngState ^= rngState << 5;
  return (int8_t)(rngState >> 24);
}

int8_t input[28 * 28 * 16], filter[3 * 3 * 32 * 32];
int8_t outDsp[28 * 28 * 32], outPortable[28 * 28 * 32];
int32_t bias[64], multiplier[64], shift[64];
alignas(4) int16_t scratch[4 * 3 * 3 * 32];

struct Layer {
  const char *name;
  int32_t h, w, inC, outC, k;
};

uint32_t measure(void (*fn)(const Layer &), const Layer &l) {
  mcu_timer_start();
  fn(l);
  return mcu_timer_ticks() * 40u;
}

WindowShape shapeOf(const Layer &l) {
  const int32_t pad = l.k / 2;
  return WindowShape{l.h, l.w, l.inC, l.h, l.w, l.outC,
                     l.k, l.k, 1,     1,   pad, pad};
}

QuantParams quant() {
  return QuantParams{-128, -128, -128, 127, multiplier, shift};
}

void runDsp(const Layer &l) {
#ifndef BENCH_SKIP_WORK
  if (l.k == 1)
    pointwiseS8(l.h * l.w, l.inC, l.outC, quant(), input, filter, bias, outDsp,
                scratch);
  else
    convS8(shapeOf(l), quant(), input, filter, bias, outDsp, scratch);
#else
  (void)l;
#endif
}

void runPortable(const Layer &l) {
#ifndef BENCH_SKIP_WORK
  if (l.k == 1)
    pointwiseS8Portable(l.h * l.w, l.inC, l.outC, quant(), input, filter, bias,
                        outPortable);
  else
    convS8Portable(shapeOf(l), quant(), input, filter, bias, outPortable);
#else
  (void)l;
#endif
}

constexpr int32_t kFeatures = 32, kClasses = 10, kCap = 32;
float weight[kClasses * kFeatures], biasF[kClasses];
float initWeight[kClasses * kFeatures], initBias[kClasses];
float trainerScratch[trainerScratchElements(kFeatures, kClasses)];
int8_t bufferFeatures[kCap * kFeatures];
int32_t bufferLabels[kCap];
int8_t sample[kFeatures];

uint32_t learnInstructions(Scheme scheme, BufferPolicy policy,
                           KnnAdaptation adaptation) {
  TrainerConfig config{scheme, 0.01f, 1,     policy, kCap, adaptation, 3, 20,
                       0.05f,  3.0f,  0.05f, 0,      1u,   nullptr,    0};
  TrainerMemory memory{weight, biasF, bufferFeatures, bufferLabels,
                       trainerScratch};
  Trainer t;
  trainerInit(&t, &config, &memory, kFeatures, kClasses, kClasses, initWeight,
              initBias);
  // Fill the buffer first: the steady state is what a device sees.
  uint32_t total = 0;
  const int32_t warm = kCap + 8, timed = 16;
  for (int32_t i = 0; i < warm + timed; ++i) {
    for (int32_t f = 0; f < kFeatures; ++f)
      sample[f] = nextByte();
    if (i >= warm)
      mcu_timer_start();
    trainerLearn(&t, sample, i % kClasses);
    if (i >= warm)
      total += mcu_timer_ticks() * 40u;
  }
  return total / timed;
}

} // namespace

int main() {
  for (int32_t c = 0; c < 64; ++c) {
    multiplier[c] = 1518500250; // ~0.707 * 2^31
    shift[c] = -9;
    bias[c] = 100 * c - 3000;
  }
  for (auto &x : input)
    x = nextByte();
  for (auto &x : filter)
    x = nextByte();
  // The example network's conv layers (fashion_mnist: 28x28x1 stem, then
  // NanoNAS cells) and the CMSIS-NN reference shapes of the issue.
  static const Layer layers[] = {
      {"stem_28x28_1to8_3x3", 28, 28, 1, 8, 3},
      {"cell_14x14_8to16_3x3", 14, 14, 8, 16, 3},
      {"cell_14x14_16to16_3x3", 14, 14, 16, 16, 3},
      {"cell_7x7_16to32_3x3", 7, 7, 16, 32, 3},
      {"pointwise_7x7_32to32", 7, 7, 32, 32, 1},
  };
  uint64_t macsAll = 0, dspAll = 0, portableAll = 0;
  int32_t mismatches = 0;
  for (const Layer &l : layers) {
    const uint64_t macs =
        (uint64_t)l.h * l.w * l.outC * l.k * l.k * (uint64_t)l.inC;
    const uint32_t dsp = measure(runDsp, l);
    const uint32_t portable = measure(runPortable, l);
    const int32_t bytes = l.h * l.w * l.outC;
    mismatches += memcmp(outDsp, outPortable, (size_t)bytes) != 0;
    printf("layer %s macs=%lu instr_dsp=%lu instr_portable=%lu "
           "instr_per_mac_dsp=%.3f instr_per_mac_portable=%.3f\n",
           l.name, (unsigned long)macs, (unsigned long)dsp,
           (unsigned long)portable, (double)dsp / (double)macs,
           (double)portable / (double)macs);
    macsAll += macs;
    dspAll += dsp;
    portableAll += portable;
  }
  printf("learn tinyol instructions=%lu\n",
         (unsigned long)learnInstructions(Scheme::TinyOL, BufferPolicy::Fifo,
                                          KnnAdaptation::Passive));
  printf("learn tybox-fifo instructions=%lu\n",
         (unsigned long)learnInstructions(Scheme::TyBox, BufferPolicy::Fifo,
                                          KnnAdaptation::Passive));
  printf("learn tybox-reservoir instructions=%lu\n",
         (unsigned long)learnInstructions(
             Scheme::TyBox, BufferPolicy::Reservoir, KnnAdaptation::Passive));
  printf("learn knn-hybrid instructions=%lu\n",
         (unsigned long)learnInstructions(Scheme::Knn, BufferPolicy::Fifo,
                                          KnnAdaptation::Hybrid));
  printf("mismatches=%d\n", (int)mismatches);
  printf("bench: mcu_conv instr_per_mac_dsp=%.3f instr_per_mac_portable=%.3f "
         "floor=0.5\n",
         (double)dspAll / (double)macsAll,
         (double)portableAll / (double)macsAll);
  return mismatches;
}

//===- kernel_check.cpp - the int8 kernels on random inputs, host and MCU -===//
//
// Built twice from this one source: for the host (portable kernels) and for
// the Cortex-M4 in QEMU (the DSP path). Both print one CRC-32 per random
// case; the lit test diffs the two outputs, so every output byte of every
// kernel must agree. The MCU build also compares its DSP kernels with its
// own portable ones output by output.
//
//===----------------------------------------------------------------------===//
#include "tnas_rt/avg_pool_s8.h"
#include "tnas_rt/conv_s8.h"
#include "tnas_rt/dense_s8.h"
#include "tnas_rt/depthwise_s8.h"
#include "tnas_rt/global_avg_pool_s8.h"
#include "tnas_rt/max_pool_s8.h"
#include "tnas_rt/pointwise_s8.h"
#include "tnas_rt/quant_math.h"
#include "tnas_rt/trainer.h"

#include <stdio.h>
#include <string.h>

using namespace tnas_rt;

namespace {

uint32_t rngState = 2463534242u;
int32_t uniform(int32_t lo, int32_t hi) {
  rngState ^= rngState << 13;
  rngState ^= rngState >> 17;
  rngState ^= rngState << 5;
  return lo + (int32_t)(rngState % (uint32_t)(hi - lo + 1));
}

constexpr int32_t kMaxAct = 16 * 16 * 32, kMaxFilter = 5 * 5 * 32 * 32;
int8_t input[kMaxAct], filter[kMaxFilter], output[kMaxAct], other[kMaxAct];
int32_t bias[64], multiplier[64], shift[64];
alignas(4) int16_t scratch[4 * 5 * 5 * 32];
int32_t mismatches = 0;

void fill(int8_t *p, int32_t n) {
  for (int32_t i = 0; i < n; ++i)
    p[i] = (int8_t)uniform(-128, 127);
}

QuantParams randomQuant(int32_t channels) {
  for (int32_t c = 0; c < channels; ++c) {
    multiplier[c] = uniform(1 << 30, 0x7fffffff);
    // Mostly typical layer scales; one channel in four takes any exponent,
    // so the requantization's reference path (shift > -2 or < -23) runs too.
    shift[c] = uniform(0, 3) == 0 ? uniform(-31, 0) : uniform(-12, -6);
    bias[c] = uniform(-30000, 30000);
  }
  return QuantParams{uniform(-128, 127),
                     uniform(-128, 127),
                     uniform(0, 1) ? -128 : uniform(-128, 0),
                     127,
                     multiplier,
                     shift};
}

WindowShape randomWindow(int32_t inC, int32_t outC, int32_t maxKernel) {
  WindowShape s{};
  s.inH = uniform(1, 14);
  s.inW = uniform(1, 14);
  s.inC = inC;
  s.outC = outC;
  s.kernelH = uniform(1, maxKernel);
  s.kernelW = uniform(1, maxKernel);
  s.strideH = uniform(1, 2);
  s.strideW = uniform(1, 2);
  s.padTop = uniform(0, s.kernelH - 1);
  s.padLeft = uniform(0, s.kernelW - 1);
  int32_t padBottom = uniform(0, s.kernelH - 1);
  int32_t padRight = uniform(0, s.kernelW - 1);
  s.outH = (s.inH + s.padTop + padBottom - s.kernelH) / s.strideH + 1;
  s.outW = (s.inW + s.padLeft + padRight - s.kernelW) / s.strideW + 1;
  if (s.inH + s.padTop + padBottom < s.kernelH)
    s.outH = 0;
  if (s.inW + s.padLeft + padRight < s.kernelW)
    s.outW = 0;
  return s;
}

void report(const char *kernel, int32_t index, int32_t bytes) {
  printf("%s %d bytes=%d crc=%08lx\n", kernel, (int)index, (int)bytes,
         (unsigned long)crc32(output, (size_t)bytes, 0));
}

void compareWithPortable(int32_t bytes) {
  for (int32_t i = 0; i < bytes; ++i)
    mismatches += output[i] != other[i];
}

} // namespace

int main() {
  static const int32_t channelChoices[] = {1, 2, 3, 4, 5, 8, 12, 16, 32};
  for (int32_t i = 0; i < 60; ++i) {
    int32_t inC = channelChoices[uniform(0, 8)];
    int32_t outC = channelChoices[uniform(0, 7)];
    WindowShape s = randomWindow(inC, outC, i < 40 ? 3 : 5);
    QuantParams q = randomQuant(outC);
    fill(input, s.inH * s.inW * inC);
    fill(filter, s.kernelH * s.kernelW * inC * outC);
    const int32_t bytes = s.outH * s.outW * outC;
    convS8(s, q, input, filter, bias, output, scratch);
    convS8Portable(s, q, input, filter, bias, other);
    compareWithPortable(bytes);
    report("conv", i, bytes);
  }
  for (int32_t i = 0; i < 30; ++i) {
    int32_t pixels = uniform(1, 100), inC = channelChoices[uniform(0, 8)];
    int32_t outC = channelChoices[uniform(0, 7)];
    QuantParams q = randomQuant(outC);
    fill(input, pixels * inC);
    fill(filter, inC * outC);
    pointwiseS8(pixels, inC, outC, q, input, filter, bias, output, scratch);
    pointwiseS8Portable(pixels, inC, outC, q, input, filter, bias, other);
    compareWithPortable(pixels * outC);
    report("pointwise", i, pixels * outC);
  }
  for (int32_t i = 0; i < 30; ++i) {
    int32_t c = channelChoices[uniform(0, 8)];
    WindowShape s = randomWindow(c, c, 3);
    QuantParams q = randomQuant(c);
    fill(input, s.inH * s.inW * c);
    fill(filter, s.kernelH * s.kernelW * c);
    depthwiseS8(s, q, input, filter, bias, output);
    report("depthwise", i, s.outH * s.outW * c);
    maxPoolS8(s, input, output);
    report("maxpool", i, s.outH * s.outW * c);
    avgPoolS8(s, input, output);
    report("avgpool", i, s.outH * s.outW * c);
    globalAvgPoolS8(s.inH, s.inW, c, input, output);
    report("globalavgpool", i, c);
    int32_t k = uniform(1, 300), m = uniform(1, 32);
    q = randomQuant(m);
    fill(input, k);
    fill(filter, k * m);
    denseS8(k, m, q, input, filter, bias, output);
    report("dense", i, m);
  }
  /* One input channel: 3x3 filters with stride 1 take the DSP path's
   * 4-pixel blocks (read straight from the input rows, or from a zero-point
   * padded copy at the border), others the position table. Wider rows,
   * strides 1 and 2, 3x3, 5x5 and random filters, every activation range. */
  for (int32_t i = 0; i < 45; ++i) {
    WindowShape s = randomWindow(1, channelChoices[uniform(0, 7)], 5);
    if (i % 3 != 2) {
      s.kernelH = s.kernelW = i % 3 == 0 ? 3 : 5;
      s.padTop = uniform(0, s.kernelH - 1);
      s.padLeft = uniform(0, s.kernelW - 1);
    }
    s.inW = uniform(1, 24);
    const int32_t padBottom = uniform(0, s.kernelH - 1);
    const int32_t padRight = uniform(0, s.kernelW - 1);
    s.outH = s.inH + s.padTop + padBottom < s.kernelH
                 ? 0
                 : (s.inH + s.padTop + padBottom - s.kernelH) / s.strideH + 1;
    s.outW = s.inW + s.padLeft + padRight < s.kernelW
                 ? 0
                 : (s.inW + s.padLeft + padRight - s.kernelW) / s.strideW + 1;
    QuantParams q = randomQuant(s.outC);
    fill(input, s.inH * s.inW);
    fill(filter, s.kernelH * s.kernelW * s.outC);
    const int32_t bytes = s.outH * s.outW * s.outC;
    convS8(s, q, input, filter, bias, output, scratch);
    convS8Portable(s, q, input, filter, bias, other);
    compareWithPortable(bytes);
    report("conv-cin1", i, bytes);
  }
  printf("dsp-vs-portable mismatches=%d\n", (int)mismatches);
  return mismatches == 0 ? 0 : 1;
}

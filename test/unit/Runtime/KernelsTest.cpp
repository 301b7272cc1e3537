//===- KernelsTest.cpp - int8 kernels against a naive reference ----------===//
//
// The reference below follows TnasOps.td literally, in the IR's layouts
// (HWCF, [Cin, Cout], [K, M]); the kernels read transposed filters, so the
// tests also check tnas_rt/layout.h.
//
//===----------------------------------------------------------------------===//
#include "tnas_rt/avg_pool_s8.h"
#include "tnas_rt/conv_s8.h"
#include "tnas_rt/dense_s8.h"
#include "tnas_rt/depthwise_s8.h"
#include "tnas_rt/global_avg_pool_s8.h"
#include "tnas_rt/layout.h"
#include "tnas_rt/max_pool_s8.h"
#include "tnas_rt/pointwise_s8.h"
#include "tnas_rt/quant_math.h"
#include "tnas_rt/requantize_fast.h"
#include "tnas_rt/requantize_s8.h"

#include <random>
#include <vector>

#include "gtest/gtest.h"

using namespace tnas_rt;

namespace {

struct Rng {
  std::mt19937 gen;
  explicit Rng(unsigned seed) : gen(seed) {}
  int32_t uniform(int32_t lo, int32_t hi) {
    return std::uniform_int_distribution<int32_t>(lo, hi)(gen);
  }
  std::vector<int8_t> int8s(size_t n) {
    std::vector<int8_t> v(n);
    for (auto &x : v)
      x = (int8_t)uniform(-128, 127);
    return v;
  }
};

struct Quant {
  std::vector<int32_t> multiplier, shift, bias;
  QuantParams params;
};

Quant randomQuant(Rng &rng, int32_t channels, int32_t fanIn) {
  Quant q;
  std::uniform_real_distribution<double> logScale(-14.0, -6.0);
  for (int32_t c = 0; c < channels; ++c) {
    int32_t m, s;
    quantizeMultiplier(std::exp2(logScale(rng.gen)) * 64.0 / fanIn, &m, &s);
    q.multiplier.push_back(m);
    q.shift.push_back(s);
    q.bias.push_back(rng.uniform(-20000, 20000));
  }
  int32_t actMin = rng.uniform(0, 1) ? -128 : rng.uniform(-128, 0);
  q.params = {rng.uniform(-128, 127), rng.uniform(-128, 127), actMin, 127,
              q.multiplier.data(),    q.shift.data()};
  return q;
}

/// Window shape with TF "same" or "valid" padding.
WindowShape randomWindow(Rng &rng, int32_t inC, int32_t outC) {
  WindowShape s{};
  s.inH = rng.uniform(1, 9);
  s.inW = rng.uniform(1, 9);
  s.inC = inC;
  s.outC = outC;
  s.kernelH = rng.uniform(1, 3);
  s.kernelW = rng.uniform(1, 3);
  s.strideH = rng.uniform(1, 2);
  s.strideW = rng.uniform(1, 2);
  bool same = rng.uniform(0, 1);
  auto size = [&](int32_t in, int32_t k, int32_t st, int32_t *pad) {
    if (!same) {
      *pad = 0;
      return in >= k ? (in - k) / st + 1 : 0;
    }
    int32_t out = (in + st - 1) / st;
    int32_t total = std::max((out - 1) * st + k - in, 0);
    *pad = total / 2;
    return out;
  };
  s.outH = size(s.inH, s.kernelH, s.strideH, &s.padTop);
  s.outW = size(s.inW, s.kernelW, s.strideW, &s.padLeft);
  return s;
}

/// tnas.qconv2d on an HWCF filter; depthwise when `depthwise`.
std::vector<int8_t> referenceConv(const WindowShape &s, const QuantParams &q,
                                  const std::vector<int8_t> &in,
                                  const std::vector<int8_t> &filter,
                                  const std::vector<int32_t> &bias,
                                  bool depthwise) {
  std::vector<int8_t> out;
  for (int oh = 0; oh < s.outH; ++oh)
    for (int ow = 0; ow < s.outW; ++ow)
      for (int f = 0; f < s.outC; ++f) {
        int64_t acc = bias[f];
        for (int kh = 0; kh < s.kernelH; ++kh)
          for (int kw = 0; kw < s.kernelW; ++kw)
            for (int c = 0; c < s.inC; ++c) {
              if (depthwise && c != f)
                continue;
              int ih = oh * s.strideH + kh - s.padTop;
              int iw = ow * s.strideW + kw - s.padLeft;
              int32_t x = (ih < 0 || ih >= s.inH || iw < 0 || iw >= s.inW)
                              ? q.inputZp
                              : in[(ih * s.inW + iw) * s.inC + c];
              int32_t w =
                  depthwise
                      ? filter[(kh * s.kernelW + kw) * s.inC + c]
                      : filter[((kh * s.kernelW + kw) * s.inC + c) * s.outC +
                               f];
              acc += (int64_t)(x - q.inputZp) * w;
            }
        out.push_back(requantizeToInt8((int32_t)acc, q.multiplier[f],
                                       q.shift[f], q.outputZp, q.actMin,
                                       q.actMax));
      }
  return out;
}

TEST(Kernels, ConvMatchesReference) {
  Rng rng(11);
  for (int trial = 0; trial < 300; ++trial) {
    WindowShape s = randomWindow(rng, rng.uniform(1, 9), rng.uniform(1, 9));
    Quant q = randomQuant(rng, s.outC, s.kernelH * s.kernelW * s.inC);
    auto in = rng.int8s(s.inH * s.inW * s.inC);
    auto hwcf = rng.int8s(s.kernelH * s.kernelW * s.inC * s.outC);
    std::vector<int8_t> ohwi(hwcf.size());
    hwcfToOhwi(hwcf.data(), s.kernelH, s.kernelW, s.inC, s.outC, ohwi.data());
    std::vector<int8_t> out(s.outH * s.outW * s.outC, 99);
    std::vector<int16_t> scratch(
        convScratchElements(s.kernelH, s.kernelW, s.inC) + 1);
    convS8(s, q.params, in.data(), ohwi.data(), q.bias.data(), out.data(),
           scratch.data());
    ASSERT_EQ(out, referenceConv(s, q.params, in, hwcf, q.bias, false))
        << "trial " << trial;
  }
}

TEST(Kernels, ConvClampsToTheActivationRange) {
  // One 1x1 conv whose accumulator is huge: the output saturates at actMax,
  // and a negative one at actMin (a fused ReLU with zero point -128).
  WindowShape s{1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 0, 0};
  int32_t m, sh;
  quantizeMultiplier(1.0, &m, &sh);
  int32_t mult[2] = {m, m}, shift[2] = {sh, sh}, bias[2] = {0, 0};
  QuantParams q{0, -128, -128, 127, mult, shift};
  int8_t in = 100, filter[2] = {100, -100}, out[2];
  convS8Portable(s, q, &in, filter, bias, out);
  EXPECT_EQ(out[0], 127);
  EXPECT_EQ(out[1], -128);
}

TEST(Kernels, DepthwiseMatchesReference) {
  Rng rng(12);
  for (int trial = 0; trial < 300; ++trial) {
    int32_t c = rng.uniform(1, 9);
    WindowShape s = randomWindow(rng, c, c);
    Quant q = randomQuant(rng, c, s.kernelH * s.kernelW);
    auto in = rng.int8s(s.inH * s.inW * c);
    auto filter = rng.int8s(s.kernelH * s.kernelW * c);
    std::vector<int8_t> out(s.outH * s.outW * c);
    depthwiseS8(s, q.params, in.data(), filter.data(), q.bias.data(),
                out.data());
    ASSERT_EQ(out, referenceConv(s, q.params, in, filter, q.bias, true));
  }
}

TEST(Kernels, PointwiseAndDenseMatchReference) {
  Rng rng(13);
  for (int trial = 0; trial < 200; ++trial) {
    int32_t pixels = rng.uniform(1, 20), cin = rng.uniform(1, 33),
            cout = rng.uniform(1, 17);
    Quant q = randomQuant(rng, cout, cin);
    auto in = rng.int8s(pixels * cin);
    auto km = rng.int8s(cin * cout);
    std::vector<int8_t> mk(km.size());
    transposeKM(km.data(), cin, cout, mk.data());
    WindowShape s{1, pixels, cin, 1, pixels, cout, 1, 1, 1, 1, 0, 0};
    auto expected = referenceConv(s, q.params, in, km, q.bias, false);
    std::vector<int8_t> out(pixels * cout);
    std::vector<int16_t> scratch(pointwiseScratchElements(cin) + 1);
    pointwiseS8(pixels, cin, cout, q.params, in.data(), mk.data(),
                q.bias.data(), out.data(), scratch.data());
    ASSERT_EQ(out, expected);
    // A dense layer is the pointwise product of one pixel.
    std::vector<int8_t> dense(cout);
    denseS8(cin, cout, q.params, in.data(), mk.data(), q.bias.data(),
            dense.data());
    ASSERT_EQ(dense,
              std::vector<int8_t>(expected.begin(), expected.begin() + cout));
  }
}

TEST(Kernels, PoolsMatchReference) {
  Rng rng(14);
  for (int trial = 0; trial < 300; ++trial) {
    int32_t c = rng.uniform(1, 6);
    WindowShape s = randomWindow(rng, c, c);
    auto in = rng.int8s(s.inH * s.inW * c);
    std::vector<int8_t> mx(s.outH * s.outW * c), av(mx.size());
    maxPoolS8(s, in.data(), mx.data());
    avgPoolS8(s, in.data(), av.data());
    size_t i = 0;
    for (int oh = 0; oh < s.outH; ++oh)
      for (int ow = 0; ow < s.outW; ++ow)
        for (int ch = 0; ch < c; ++ch, ++i) {
          int best = -1000, sum = 0, n = 0;
          for (int kh = 0; kh < s.kernelH; ++kh)
            for (int kw = 0; kw < s.kernelW; ++kw) {
              int ih = oh * s.strideH + kh - s.padTop;
              int iw = ow * s.strideW + kw - s.padLeft;
              if (ih < 0 || ih >= s.inH || iw < 0 || iw >= s.inW)
                continue;
              int v = in[(ih * s.inW + iw) * c + ch];
              best = std::max(best, v);
              sum += v;
              ++n;
            }
          ASSERT_GT(n, 0);
          EXPECT_EQ(mx[i], best);
          // Half away from zero, computed in floating point.
          double mean = (double)sum / n;
          int rounded =
              (int)(mean >= 0 ? std::floor(mean + 0.5) : std::ceil(mean - 0.5));
          EXPECT_EQ(av[i], rounded) << sum << "/" << n;
        }
  }
}

TEST(Kernels, GlobalAvgPoolRoundsHalfAwayFromZero) {
  const int8_t in[4] = {1, -1, 2, -2}; // 2x1 pixels, 2 channels
  int8_t out[2];
  globalAvgPoolS8(2, 1, 2, in, out); // 3/2 -> 2, -3/2 -> -2
  EXPECT_EQ(out[0], 2);
  EXPECT_EQ(out[1], -2);
}

TEST(Kernels, QuantizeDequantizeRequantize) {
  const float x[4] = {0.0f, 0.5f, -0.5f, 10.0f};
  int8_t q[4];
  quantizeF32(4, x, 0.25f, 3, q);
  EXPECT_EQ(q[0], 3);
  EXPECT_EQ(q[1], 5);
  EXPECT_EQ(q[2], 1);
  EXPECT_EQ(q[3], 43);
  float back[4];
  dequantizeS8(4, q, 0.25f, 3, back);
  EXPECT_FLOAT_EQ(back[3], 10.0f);
  int32_t m, s;
  quantizeMultiplier(0.5, &m, &s);
  int8_t r[4];
  requantizeS8(4, q, 3, m, s, -10, r);
  EXPECT_EQ(r[0], -10);
  EXPECT_EQ(r[3], 10);
}

TEST(Kernels, FastRequantizeIsTheReferenceBitForBit) {
  // The DSP kernels' requantizeFast against quant_math.h's requantize, on
  // random values and on the extremes of every shift.
  Rng rng(15);
  const int32_t extremes[] = {INT32_MIN, INT32_MIN + 1, -1, 0, 1, INT32_MAX};
  for (int32_t shift = -31; shift <= 30; ++shift) {
    for (int32_t m : {1 << 30, 0x7fffffff, 1518500250}) {
      for (int32_t acc : extremes)
        ASSERT_EQ(requantizeFast(acc, m, shift), requantize(acc, m, shift))
            << acc << " " << m << " " << shift;
      for (int i = 0; i < 2000; ++i) {
        int32_t acc = (int32_t)rng.gen() >> rng.uniform(0, 30);
        ASSERT_EQ(requantizeFast(acc, m, shift), requantize(acc, m, shift))
            << acc << " " << m << " " << shift;
      }
    }
  }
}

TEST(Kernels, PerChannelRequantizeIsTheReferenceBitForBit) {
  // prepareRequant / applyRequant (the DSP matmul's requantization, with the
  // output zero point folded into the rounding constant) against
  // requantizeToInt8 on every shift, both zero-point extremes and clamps.
  Rng rng(16);
  const int32_t extremes[] = {INT32_MIN, INT32_MIN + 1, -1, 0, 1, INT32_MAX};
  for (int32_t shift = -31; shift <= 30; ++shift) {
    for (int32_t m : {0, 1 << 30, 0x7fffffff, 1518500250}) {
      for (int32_t zp : {-128, -5, 0, 127}) {
        const int32_t lo = zp == 127 ? -128 : zp, hi = 127;
        const ChannelRequant c = prepareRequant(m, shift, zp);
        for (int32_t acc : extremes)
          ASSERT_EQ(applyRequant(c, acc, zp, lo, hi),
                    requantizeToInt8(acc, m, shift, zp, lo, hi))
              << acc << " " << m << " " << shift << " " << zp;
        for (int i = 0; i < 300; ++i) {
          int32_t acc = (int32_t)rng.gen() >> rng.uniform(0, 30);
          ASSERT_EQ(applyRequant(c, acc, zp, lo, hi),
                    requantizeToInt8(acc, m, shift, zp, lo, hi))
              << acc << " " << m << " " << shift << " " << zp;
        }
      }
    }
  }
}

} // namespace

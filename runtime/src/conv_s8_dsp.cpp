//===- conv_s8_dsp.cpp - int8 2-D convolution, Cortex-M4/M7 SIMD path ----===//
//
// im2col of dsp::kColumns (4) consecutive output pixels into int16 scratch,
// then dsp::matMul4Cols (see dsp_matmul.h for the data layout).
//
//===----------------------------------------------------------------------===//
#include "tnas_rt/conv_s8.h"
#include "tnas_rt/dsp_matmul.h"

#if TNAS_RT_HAS_DSP
namespace tnas_rt {

namespace {

constexpr int32_t kGroupStride = 4 * dsp::kColumns; // int16 per group

/* Column `column` of the block from output pixel (oh, ow) when Cin % 4 == 0:
 * every filter tap is whole groups of 4 channels. */
void fillGroupedColumn(const WindowShape &s, uint32_t zp2, const int8_t *input,
                       int32_t oh, int32_t ow, int16_t *cols, int32_t column) {
  const int32_t ih0 = oh * s.strideH - s.padTop;
  const int32_t iw0 = ow * s.strideW - s.padLeft;
  int16_t *col = cols + 4 * column;
  if (ih0 >= 0 && ih0 + s.kernelH <= s.inH && iw0 >= 0 &&
      iw0 + s.kernelW <= s.inW) {
    /* Interior pixel: each filter row is KW*Cin contiguous input bytes. */
    for (int32_t kh = 0; kh < s.kernelH; ++kh)
      col = dsp::appendGroups(input + ((ih0 + kh) * s.inW + iw0) * s.inC,
                              s.kernelW * s.inC, zp2, col);
    return;
  }
  for (int32_t kh = 0; kh < s.kernelH; ++kh) {
    const int32_t ih = ih0 + kh;
    for (int32_t kw = 0; kw < s.kernelW; ++kw) {
      const int32_t iw = iw0 + kw;
      if (ih < 0 || ih >= s.inH || iw < 0 || iw >= s.inW) {
        for (int32_t c = 0; c < s.inC; c += 4, col += kGroupStride) {
          dsp::write4(col, 0);
          dsp::write4(col + 2, 0);
        }
      } else {
        col = dsp::appendGroups(input + (ih * s.inW + iw) * s.inC, s.inC, zp2,
                                col);
      }
    }
  }
}

/* The same when Cin % 4 != 0, element by element to the positions of this
 * column listed in `pos` (positions of the padded taps get zeros, the value
 * of a padded input minus the zero point). */
void fillColumnByTable(const WindowShape &s, int32_t inputZp,
                       const int8_t *input, int32_t oh, int32_t ow,
                       int16_t *cols, const int16_t *pos) {
  const int32_t ih0 = oh * s.strideH - s.padTop;
  const int32_t iw0 = ow * s.strideW - s.padLeft;
  const int32_t rowElements = s.kernelW * s.inC;
  if (ih0 >= 0 && ih0 + s.kernelH <= s.inH && iw0 >= 0 &&
      iw0 + s.kernelW <= s.inW) {
    for (int32_t kh = 0; kh < s.kernelH; ++kh) {
      const int8_t *x = input + ((ih0 + kh) * s.inW + iw0) * s.inC;
      for (int32_t n = 0; n < rowElements; ++n)
        cols[*pos++] = (int16_t)((int32_t)x[n] - inputZp);
    }
    return;
  }
  for (int32_t kh = 0; kh < s.kernelH; ++kh) {
    const int32_t ih = ih0 + kh;
    if (ih < 0 || ih >= s.inH) {
      for (int32_t n = 0; n < rowElements; ++n)
        cols[*pos++] = 0;
      continue;
    }
    const int8_t *row = input + ih * s.inW * s.inC;
    for (int32_t kw = 0; kw < s.kernelW; ++kw) {
      const int32_t iw = iw0 + kw;
      if (iw < 0 || iw >= s.inW) {
        for (int32_t c = 0; c < s.inC; ++c)
          cols[*pos++] = 0;
        continue;
      }
      const int8_t *x = row + iw * s.inC;
      for (int32_t c = 0; c < s.inC; ++c)
        cols[*pos++] = (int16_t)((int32_t)x[c] - inputZp);
    }
  }
}

/* The same for large filters with Cin % 4 != 0, computing each position. */
void fillColumnDirect(const WindowShape &s, int32_t inputZp,
                      const int8_t *input, int32_t oh, int32_t ow,
                      int16_t *cols, int32_t column) {
  const int32_t ih0 = oh * s.strideH - s.padTop;
  const int32_t iw0 = ow * s.strideW - s.padLeft;
  const int32_t k4 = (s.kernelH * s.kernelW * s.inC) & ~3;
  int32_t i = 0;
  for (int32_t kh = 0; kh < s.kernelH; ++kh) {
    const int32_t ih = ih0 + kh;
    const bool rowInside = ih >= 0 && ih < s.inH;
    for (int32_t kw = 0; kw < s.kernelW; ++kw) {
      const int32_t iw = iw0 + kw;
      const bool inside = rowInside && iw >= 0 && iw < s.inW;
      const int8_t *x = input + (ih * s.inW + iw) * s.inC;
      for (int32_t c = 0; c < s.inC; ++c, ++i)
        cols[dsp::interleavedIndex(i, k4, column)] =
            (int16_t)(inside ? (int32_t)x[c] - inputZp : 0);
    }
  }
}

} // namespace

void convS8Dsp(const WindowShape &s, const QuantParams &q, const int8_t *input,
               const int8_t *filter, const int32_t *bias, int8_t *output,
               int16_t *scratch) {
  const int32_t k = s.kernelH * s.kernelW * s.inC;
  const bool grouped = (s.inC & 3) == 0;
  /* Small filters with Cin % 4 != 0 (first layers): look the interleaved
   * positions up instead of recomputing them for every pixel. */
  constexpr int32_t kMaxTable = 64;
  int16_t table[dsp::kColumns][kMaxTable];
  const bool useTable = !grouped && k <= kMaxTable;
  if (useTable)
    for (int32_t j = 0; j < dsp::kColumns; ++j)
      for (int32_t i = 0; i < k; ++i)
        table[j][i] = (int16_t)dsp::interleavedIndex(i, k & ~3, j);
  const uint32_t zp2 = dsp::pairOf(q.inputZp);
  int32_t filled = 0;
  int8_t *blockOut = output;
  for (int32_t oh = 0; oh < s.outH; ++oh) {
    for (int32_t ow = 0; ow < s.outW; ++ow) {
      if (grouped)
        fillGroupedColumn(s, zp2, input, oh, ow, scratch, filled);
      else if (useTable)
        fillColumnByTable(s, q.inputZp, input, oh, ow, scratch, table[filled]);
      else
        fillColumnDirect(s, q.inputZp, input, oh, ow, scratch, filled);
      if (++filled == dsp::kColumns) {
        dsp::matMul4Cols(filter, scratch, k, s.outC, bias, q, blockOut,
                         dsp::kColumns);
        blockOut += dsp::kColumns * s.outC;
        filled = 0;
      }
    }
  }
  if (filled) {
    for (int32_t j = filled; j < dsp::kColumns; ++j)
      dsp::clearColumn(scratch, k, j);
    dsp::matMul4Cols(filter, scratch, k, s.outC, bias, q, blockOut, filled);
  }
}

} // namespace tnas_rt
#endif

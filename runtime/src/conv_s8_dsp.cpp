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
    const int8_t *x = input + (ih0 * s.inW + iw0) * s.inC;
    const int32_t rowStride = s.inW * s.inC, rowBytes = s.kernelW * s.inC;
    for (int32_t kh = s.kernelH; kh > 0; --kh, x += rowStride)
      col = dsp::appendGroups(x, rowBytes, zp2, col);
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

/* Input bytes of one filter row for a block of 4 pixels (Cin = 1) that the
 * stack copy of a partly padded row can hold. */
constexpr int32_t kMaxBlockSpan = 32;

/* Cin == 1 and strideW 1 or 2 (first layers): the four columns of output
 * pixels (oh, ow .. ow+3) of one output row at once, with no position
 * table. For filter tap (kh, kw), the four pixels' inputs are 4 consecutive
 * bytes (stride 1: one LDR; SXTB16 gives pixels 0 and 2, the rotated word
 * 1 and 3) or every second one of 8 (stride 2: SXTB16 of each word gives
 * pixels 0, 1 and 2, 3), so one load serves the four columns. Four taps make
 * a group: PKHBT / PKHTB (packLow, packHigh) pair them per column, one word
 * store per pair. A filter row that is partly outside the input is first
 * copied to `padded` (kernelW + 4 * strideW - 1 bytes, the bytes the loads
 * touch) with the zero point in the outside positions, whose value minus the
 * zero point is 0.
 *
 * The copy is out of line: only the rows at the border need it. */
__attribute__((noinline)) const int8_t *
cin1PaddedRow(const WindowShape &s, int32_t inputZp, const int8_t *input,
              int32_t ih, int32_t iw0, int32_t span, int8_t *padded) {
  const bool rowInside = ih >= 0 && ih < s.inH;
  const int8_t *source = input + ih * s.inW + iw0;
  for (int32_t i = 0; i < span; ++i) {
    const int32_t iw = iw0 + i;
    padded[i] =
        rowInside && iw >= 0 && iw < s.inW ? source[i] : (int8_t)inputZp;
  }
  return padded;
}

/* Where filter row `ih` of the block reads: the input, or `padded`. */
inline const int8_t *cin1Row(const WindowShape &s, int32_t inputZp,
                             const int8_t *input, int32_t ih, int32_t iw0,
                             int32_t span, int8_t *padded) {
  if ((uint32_t)ih < (uint32_t)s.inH && iw0 >= 0 && iw0 + span <= s.inW)
    return input + ih * s.inW + iw0;
  return cin1PaddedRow(s, inputZp, input, ih, iw0, span, padded);
}

/* The block's taps in filter order (kh, kw), each as the four pixels'
 * inputs minus the zero point: (pixel 0, pixel 2) and (pixel 1, pixel 3). */
template <int32_t StrideW> class Cin1Taps {
public:
  Cin1Taps(const WindowShape &s, int32_t inputZp, uint32_t zp2,
           const int8_t *input, int32_t oh, int32_t ow, int8_t *padded)
      : s(s), input(input), padded(padded), zp2(zp2), inputZp(inputZp),
        ih0(oh * s.strideH - s.padTop), iw0(ow * StrideW - s.padLeft) {
    x = cin1Row(s, inputZp, input, ih0, iw0, span(), padded);
  }

  inline void next(uint32_t &v02, uint32_t &v13) {
    if (StrideW == 1) {
      const uint32_t w = dsp::read4(x + kw);
      v02 = (uint32_t)__sxtb16((int8x4_t)w);
      v13 = dsp::sxtb16Ror8(w);
    } else {
      const uint32_t p01 = (uint32_t)__sxtb16((int8x4_t)dsp::read4(x + kw));
      const uint32_t p23 = (uint32_t)__sxtb16((int8x4_t)dsp::read4(x + kw + 4));
      v02 = dsp::packLow(p01, p23);
      v13 = dsp::packHigh(p01, p23);
    }
    v02 = (uint32_t)__ssub16((int16x2_t)v02, (int16x2_t)zp2);
    v13 = (uint32_t)__ssub16((int16x2_t)v13, (int16x2_t)zp2);
    if (++kw == s.kernelW) {
      kw = 0;
      if (++kh < s.kernelH)
        x = cin1Row(s, inputZp, input, ih0 + kh, iw0, span(), padded);
    }
  }

private:
  /* Bytes the loads touch per filter row: the pixels' offsets (3 * stride)
   * and the load width beyond kernelW - 1. */
  int32_t span() const { return s.kernelW + 4 * StrideW - 1; }

  const WindowShape &s;
  const int8_t *const input;
  int8_t *const padded;
  const uint32_t zp2;
  const int32_t inputZp, ih0, iw0;
  const int8_t *x;
  int32_t kh = 0, kw = 0;
};

template <int32_t StrideW>
void fillCin1Block(const WindowShape &s, int32_t inputZp, uint32_t zp2,
                   const int8_t *input, int32_t oh, int32_t ow, int16_t *cols) {
  int8_t padded[kMaxBlockSpan];
  Cin1Taps<StrideW> taps(s, inputZp, zp2, input, oh, ow, padded);
  const int32_t k = s.kernelH * s.kernelW;
  int16_t *group = cols;
  for (int32_t g = k >> 2; g > 0; --g, group += 4 * dsp::kColumns) {
    uint32_t a02, a13, b02, b13, c02, c13, d02, d13;
    taps.next(a02, a13);
    taps.next(b02, b13);
    taps.next(c02, c13);
    taps.next(d02, d13);
    /* Column j's group: taps (a, c) then (b, d) of pixel j (x0 x2 x1 x3). */
    dsp::write4(group, dsp::packLow(a02, c02));
    dsp::write4(group + 2, dsp::packLow(b02, d02));
    dsp::write4(group + 4, dsp::packLow(a13, c13));
    dsp::write4(group + 6, dsp::packLow(b13, d13));
    dsp::write4(group + 8, dsp::packHigh(a02, c02));
    dsp::write4(group + 10, dsp::packHigh(b02, d02));
    dsp::write4(group + 12, dsp::packHigh(a13, c13));
    dsp::write4(group + 14, dsp::packHigh(b13, d13));
  }
  /* The K % 4 tail: the four columns' values side by side. */
  for (int16_t *p = group; p < cols + dsp::kColumns * k; p += 4) {
    uint32_t v02, v13;
    taps.next(v02, v13);
    dsp::write4(p, dsp::packLow(v02, v13));
    dsp::write4(p + 2, dsp::packHigh(v02, v13));
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
  const dsp::BlockMode mode = dsp::blockModeOf(q);
  /* One input channel, stride 1 or 2 along W: whole blocks from one row. */
  const bool cin1Blocks = s.inC == 1 && (s.strideW == 1 || s.strideW == 2) &&
                          s.kernelW + 4 * s.strideW - 1 <= kMaxBlockSpan;
  int32_t filled = 0;
  int8_t *blockOut = output;
  for (int32_t oh = 0; oh < s.outH; ++oh) {
    for (int32_t ow = 0; ow < s.outW; ++ow) {
      if (cin1Blocks && filled == 0 && ow + dsp::kColumns <= s.outW) {
        if (s.strideW == 1)
          fillCin1Block<1>(s, q.inputZp, zp2, input, oh, ow, scratch);
        else
          fillCin1Block<2>(s, q.inputZp, zp2, input, oh, ow, scratch);
        dsp::matMul4Cols(filter, scratch, k, s.outC, bias, q, blockOut,
                         dsp::kColumns, mode);
        blockOut += dsp::kColumns * s.outC;
        ow += dsp::kColumns - 1;
        continue;
      }
      if (grouped)
        fillGroupedColumn(s, zp2, input, oh, ow, scratch, filled);
      else if (useTable)
        fillColumnByTable(s, q.inputZp, input, oh, ow, scratch, table[filled]);
      else
        fillColumnDirect(s, q.inputZp, input, oh, ow, scratch, filled);
      if (++filled == dsp::kColumns) {
        dsp::matMul4Cols(filter, scratch, k, s.outC, bias, q, blockOut,
                         dsp::kColumns, mode);
        blockOut += dsp::kColumns * s.outC;
        filled = 0;
      }
    }
  }
  if (filled) {
    for (int32_t j = filled; j < dsp::kColumns; ++j)
      dsp::clearColumn(scratch, k, j);
    dsp::matMul4Cols(filter, scratch, k, s.outC, bias, q, blockOut, filled,
                     mode);
  }
}

} // namespace tnas_rt
#endif

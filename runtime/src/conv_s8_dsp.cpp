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
                       int16_t *cols, const uint8_t *pos) {
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

/* The same for large filters with Cin % 4 != 0, computing each position
 * (out of line: it is the rare path). */
__attribute__((noinline)) void
fillColumnDirect(const WindowShape &s, int32_t inputZp, const int8_t *input,
                 int32_t oh, int32_t ow, int16_t *cols, int32_t column) {
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

/* One input channel, stride 1 along W (first layers): the four columns of
 * output pixels (oh, ow .. ow+3) of one output row at once, with no
 * position table. For filter tap (kh, kw), the four pixels' inputs are 4
 * consecutive bytes: one LDR serves the four columns (SXTB16 gives pixels 0
 * and 2, the rotated word pixels 1 and 3). Four taps make a group: PKHBT /
 * PKHTB (packLow, packHigh) pair them per column, one word store per pair.
 * A filter row that is partly outside the input is first copied to `padded`
 * (kernelW + 3 bytes, the bytes the loads touch) with the zero point in the
 * outside positions, whose value minus the zero point is 0.
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

/* The block's columns for a KH x KW filter known at compile time: the
 * rows' pointers stay in registers and every tap's load has a constant
 * offset, so a group of 4 taps is 4 loads, 8 SXTB16 / SSUB16, 8 PKH and 8
 * word stores. Instantiated for 3x3 only, the usual first layer (each size
 * or stride is about 700 bytes of code); other one-channel layers take the
 * position table. */
template <int32_t KH, int32_t KW>
void fillCin1BlockFixed(const WindowShape &s, int32_t inputZp, uint32_t zp2,
                        const int8_t *input, int32_t oh, int32_t ow,
                        int16_t *cols) {
  constexpr int32_t kTaps = KH * KW, kSpan = KW + 3;
  static_assert(kSpan <= kMaxBlockSpan, "a padded row must fit");
  int8_t padded[KH][kSpan];
  const int8_t *rows[KH];
  const int32_t ih0 = oh * s.strideH - s.padTop, iw0 = ow - s.padLeft;
#pragma GCC unroll 8
  for (int32_t r = 0; r < KH; ++r)
    rows[r] = cin1Row(s, inputZp, input, ih0 + r, iw0, kSpan, padded[r]);
  /* Tap k's inputs minus the zero point: (pixel 0, 2) and (pixel 1, 3). */
  auto tap = [&](int32_t k, uint32_t &v02, uint32_t &v13) {
    const uint32_t w = dsp::read4(rows[k / KW] + k % KW);
    v02 = (uint32_t)__ssub16((int16x2_t)__sxtb16((int8x4_t)w), (int16x2_t)zp2);
    v13 = (uint32_t)__ssub16((int16x2_t)dsp::sxtb16Ror8(w), (int16x2_t)zp2);
  };
  int16_t *group = cols;
#pragma GCC unroll 8
  for (int32_t k = 0; k + 4 <= kTaps; k += 4) {
    /* Column j's group: taps (k, k+2) then (k+1, k+3) of pixel j. Taps k
     * and k+2 first, so that fewer values are live at once. */
    uint32_t a02, a13, c02, c13;
    tap(k, a02, a13);
    tap(k + 2, c02, c13);
    const uint32_t col0 = dsp::packLow(a02, c02), col1 = dsp::packLow(a13, c13);
    const uint32_t col2 = dsp::packHigh(a02, c02);
    const uint32_t col3 = dsp::packHigh(a13, c13);
    uint32_t b02, b13, d02, d13;
    tap(k + 1, b02, b13);
    tap(k + 3, d02, d13);
    dsp::write4(group, col0);
    dsp::write4(group + 2, dsp::packLow(b02, d02));
    dsp::write4(group + 4, col1);
    dsp::write4(group + 6, dsp::packLow(b13, d13));
    dsp::write4(group + 8, col2);
    dsp::write4(group + 10, dsp::packHigh(b02, d02));
    dsp::write4(group + 12, col3);
    dsp::write4(group + 14, dsp::packHigh(b13, d13));
    group += 4 * dsp::kColumns;
  }
#pragma GCC unroll 4
  for (int32_t k = kTaps & ~3; k < kTaps; ++k) {
    uint32_t v02, v13;
    tap(k, v02, v13);
    dsp::write4(cols + dsp::kColumns * k, dsp::packLow(v02, v13));
    dsp::write4(cols + dsp::kColumns * k + 2, dsp::packHigh(v02, v13));
  }
}

/* One input channel, a 3x3 filter, stride 1 along W (the usual first
 * layer): blocks of 4 pixels of a row are filled by fillCin1BlockFixed. */
inline bool cin1Blocks(const WindowShape &s) {
  return s.inC == 1 && s.kernelH == 3 && s.kernelW == 3 && s.strideW == 1;
}

/* The layer, block by block: `fillPixel(oh, ow, column)` writes one
 * pixel's column; with cin1Blocks, whole blocks where 4 pixels of a row
 * remain. */
template <typename FillPixel>
void convBlocks(const WindowShape &s, const QuantParams &q, const int8_t *input,
                const int8_t *filter, const int32_t *bias, int8_t *output,
                int16_t *scratch, FillPixel fillPixel) {
  const int32_t k = s.kernelH * s.kernelW * s.inC;
  const uint32_t zp2 = dsp::pairOf(q.inputZp);
  const dsp::BlockMode mode = dsp::blockModeOf(q);
  const bool blocks = cin1Blocks(s);
  int32_t filled = 0;
  int8_t *blockOut = output;
  for (int32_t oh = 0; oh < s.outH; ++oh) {
    for (int32_t ow = 0; ow < s.outW; ++ow) {
      if (blocks && filled == 0 && ow + dsp::kColumns <= s.outW) {
        fillCin1BlockFixed<3, 3>(s, q.inputZp, zp2, input, oh, ow, scratch);
        dsp::matMul4Cols(filter, scratch, k, s.outC, bias, q, blockOut,
                         dsp::kColumns, mode);
        blockOut += dsp::kColumns * s.outC;
        ow += dsp::kColumns - 1;
        continue;
      }
      fillPixel(oh, ow, filled);
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

/* Small filters with Cin % 4 != 0 (first layers: RGB images, or one
 * channel and a filter other than 3x3): look the interleaved positions up
 * instead of recomputing them for every pixel. Out of line, so that only these
 * layers have the table on the stack: 4 x 64 bytes, as every position of a
 * block of K <= 64 is below 4 * 64. */
constexpr int32_t kMaxTable = 64;

__attribute__((noinline)) void
convByTable(const WindowShape &s, const QuantParams &q, const int8_t *input,
            const int8_t *filter, const int32_t *bias, int8_t *output,
            int16_t *scratch) {
  const int32_t k = s.kernelH * s.kernelW * s.inC;
  uint8_t table[dsp::kColumns][kMaxTable];
  for (int32_t j = 0; j < dsp::kColumns; ++j)
    for (int32_t i = 0; i < k; ++i)
      table[j][i] = (uint8_t)dsp::interleavedIndex(i, k & ~3, j);
  convBlocks(s, q, input, filter, bias, output, scratch,
             [&](int32_t oh, int32_t ow, int32_t column) {
               fillColumnByTable(s, q.inputZp, input, oh, ow, scratch,
                                 table[column]);
             });
}

} // namespace

void convS8Dsp(const WindowShape &s, const QuantParams &q, const int8_t *input,
               const int8_t *filter, const int32_t *bias, int8_t *output,
               int16_t *scratch) {
  const int32_t k = s.kernelH * s.kernelW * s.inC;
  if ((s.inC & 3) == 0) {
    const uint32_t zp2 = dsp::pairOf(q.inputZp);
    convBlocks(s, q, input, filter, bias, output, scratch,
               [&](int32_t oh, int32_t ow, int32_t column) {
                 fillGroupedColumn(s, zp2, input, oh, ow, scratch, column);
               });
  } else if (!cin1Blocks(s) && k <= kMaxTable) {
    convByTable(s, q, input, filter, bias, output, scratch);
  } else {
    /* A large filter, or the pixels of a one-channel 3x3 layer that do not
     * make a block of a row. */
    convBlocks(s, q, input, filter, bias, output, scratch,
               [&](int32_t oh, int32_t ow, int32_t column) {
                 fillColumnDirect(s, q.inputZp, input, oh, ow, scratch, column);
               });
  }
}

} // namespace tnas_rt
#endif

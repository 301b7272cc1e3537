//===- pointwise_s8_dsp.cpp - int8 1x1 convolution, Cortex-M4/M7 SIMD ----===//
//
// Each block of dsp::kColumns (4) pixels is widened to int16 columns, then
// multiplied with dsp::matMul4Cols (see dsp_matmul.h).
//
//===----------------------------------------------------------------------===//
#include "tnas_rt/dsp_matmul.h"
#include "tnas_rt/pointwise_s8.h"

#if TNAS_RT_HAS_DSP
namespace tnas_rt {

static void fillPixelColumn(const int8_t *x, int32_t inC, int32_t inputZp,
                            int16_t *cols, int32_t column) {
  const int32_t k4 = inC & ~3;
  dsp::appendGroups(x, k4, dsp::pairOf(inputZp), cols + 4 * column);
  for (int32_t c = k4; c < inC; ++c)
    cols[dsp::interleavedIndex(c, k4, column)] =
        (int16_t)((int32_t)x[c] - inputZp);
}

void pointwiseS8Dsp(int32_t pixels, int32_t inC, int32_t outC,
                    const QuantParams &q, const int8_t *input,
                    const int8_t *filter, const int32_t *bias, int8_t *output,
                    int16_t *scratch) {
  const dsp::BlockMode mode = dsp::blockModeOf(q);
  for (int32_t p = 0; p < pixels; p += dsp::kColumns) {
    const int32_t valid =
        pixels - p < dsp::kColumns ? pixels - p : dsp::kColumns;
    for (int32_t j = 0; j < dsp::kColumns; ++j) {
      if (j < valid)
        fillPixelColumn(input + (p + j) * inC, inC, q.inputZp, scratch, j);
      else
        dsp::clearColumn(scratch, inC, j);
    }
    dsp::matMul4Cols(filter, scratch, inC, outC, bias, q, output + p * outC,
                     valid, mode);
  }
}

} // namespace tnas_rt
#endif

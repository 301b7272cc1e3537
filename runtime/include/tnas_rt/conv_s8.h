/*===- conv_s8.h - int8 2-D convolution -----------------------------------===*
 *
 * output[oh][ow][f] = clamp(outputZp + requantize(bias[f] +
 *     sum_{kh,kw,c} (input[ih][iw][c] - inputZp) * filter[f][kh][kw][c]))
 * with ih = oh*strideH + kh - padTop; positions outside the input contribute
 * nothing (they read inputZp). The filter is OHWI (kernel_types.h).
 *===----------------------------------------------------------------------===*/
#ifndef TNAS_RT_CONV_S8_H
#define TNAS_RT_CONV_S8_H

#include "tnas_rt/kernel_types.h"

namespace tnas_rt {

/* int16 scratch elements convS8 needs on the DSP path (four im2col columns);
 * 0 on the portable path. */
constexpr int32_t convScratchElements(int32_t kernelH, int32_t kernelW,
                                      int32_t inC) {
  return TNAS_RT_HAS_DSP ? 4 * kernelH * kernelW * inC : 0;
}

void convS8Portable(const WindowShape &shape, const QuantParams &quant,
                    const int8_t *input, const int8_t *filter,
                    const int32_t *bias, int8_t *output);

#if TNAS_RT_HAS_DSP
void convS8Dsp(const WindowShape &shape, const QuantParams &quant,
               const int8_t *input, const int8_t *filter, const int32_t *bias,
               int8_t *output, int16_t *scratch);
#endif

/* The implementation this build selected; `scratch` holds
 * convScratchElements(...) int16 values (may be null when that is 0). */
inline void convS8(const WindowShape &shape, const QuantParams &quant,
                   const int8_t *input, const int8_t *filter,
                   const int32_t *bias, int8_t *output, int16_t *scratch) {
#if TNAS_RT_HAS_DSP
  convS8Dsp(shape, quant, input, filter, bias, output, scratch);
#else
  (void)scratch;
  convS8Portable(shape, quant, input, filter, bias, output);
#endif
}

} // namespace tnas_rt

#endif /* TNAS_RT_CONV_S8_H */

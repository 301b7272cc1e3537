/*===- pointwise_s8.h - int8 1x1 convolution ------------------------------===*
 *
 * output[p][f] = clamp(outputZp + requantize(bias[f] +
 *     sum_c (input[p][c] - inputZp) * filter[f][c])) for every pixel p.
 * The filter is [Cout][Cin].
 *===----------------------------------------------------------------------===*/
#ifndef TNAS_RT_POINTWISE_S8_H
#define TNAS_RT_POINTWISE_S8_H

#include "tnas_rt/kernel_types.h"

namespace tnas_rt {

/* int16 scratch elements pointwiseS8 needs on the DSP path (four int16
 * columns). */
constexpr int32_t pointwiseScratchElements(int32_t inC) {
  return TNAS_RT_HAS_DSP ? 4 * inC : 0;
}

void pointwiseS8Portable(int32_t pixels, int32_t inC, int32_t outC,
                         const QuantParams &quant, const int8_t *input,
                         const int8_t *filter, const int32_t *bias,
                         int8_t *output);

#if TNAS_RT_HAS_DSP
void pointwiseS8Dsp(int32_t pixels, int32_t inC, int32_t outC,
                    const QuantParams &quant, const int8_t *input,
                    const int8_t *filter, const int32_t *bias, int8_t *output,
                    int16_t *scratch);
#endif

inline void pointwiseS8(int32_t pixels, int32_t inC, int32_t outC,
                        const QuantParams &quant, const int8_t *input,
                        const int8_t *filter, const int32_t *bias,
                        int8_t *output, int16_t *scratch) {
#if TNAS_RT_HAS_DSP
  pointwiseS8Dsp(pixels, inC, outC, quant, input, filter, bias, output,
                 scratch);
#else
  (void)scratch;
  pointwiseS8Portable(pixels, inC, outC, quant, input, filter, bias, output);
#endif
}

} // namespace tnas_rt

#endif /* TNAS_RT_POINTWISE_S8_H */

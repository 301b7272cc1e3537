/*===- requantize_fast.h - requantizeToInt8 in fewer instructions ---------===*
 *
 * The same function as quant_math.h's requantizeToInt8, bit for bit, for the
 * common case shift <= -2 (a total right shift t = 31 - shift >= 33): with
 * hi = the upper 32 bits of acc * multiplier (one SMULL) and r = t - 32,
 *
 *   (acc * M + 2^(t-1)) >> t  ==  (hi + 2^(r-1)) >> r
 *
 * because the low word only adds a fraction below one unit of hi, which the
 * floor of the division by 2^r >= 2 never sees; |hi| < 2^30 and 2^(r-1) <=
 * 2^29, so the sum cannot overflow. Other shifts take the 64-bit path.
 * RuntimeTests holds the two equal on random and extreme values.
 *
 * The kernels requantize several accumulators per output channel, so
 * prepareRequant does the per-channel part once (ChannelRequant) and
 * applyRequant costs one SMULL, an add, a shift and the clamp: for
 * r = -1 - shift <= 22 the output zero point is folded into the rounding
 * constant, floor((hi + 2^(r-1)) / 2^r) + zp == (hi + 2^(r-1) + zp*2^r) >> r
 * (zp is an integer), and |hi| <= 2^30, 2^(r-1) <= 2^21, |zp*2^r| <= 2^29
 * keep the sum in int32.
 *===----------------------------------------------------------------------===*/
#ifndef TNAS_RT_REQUANTIZE_FAST_H
#define TNAS_RT_REQUANTIZE_FAST_H

#include "tnas_rt/quant_math.h"

namespace tnas_rt {

inline int32_t requantizeFast(int32_t acc, int32_t multiplier, int32_t shift) {
  if (shift <= -2) {
    const int32_t hi = (int32_t)(((int64_t)acc * multiplier) >> 32);
    const int32_t r = -1 - shift;
    return (hi + (1 << (r - 1))) >> r;
  }
  return requantize(acc, multiplier, shift);
}

inline int8_t requantizeToInt8Fast(int32_t acc, int32_t multiplier,
                                   int32_t shift, int32_t outputZp,
                                   int32_t actMin, int32_t actMax) {
  return (int8_t)clampToRange(requantizeFast(acc, multiplier, shift) + outputZp,
                              actMin, actMax);
}

/* The per-channel constants of applyRequant. */
struct ChannelRequant {
  int32_t multiplier;
  int32_t shift;
  int32_t rightShift; /* r = -1 - shift, or 0: take the reference path */
  int32_t offset;     /* 2^(r-1) + outputZp * 2^r */
};

inline ChannelRequant prepareRequant(int32_t multiplier, int32_t shift,
                                     int32_t outputZp) {
  ChannelRequant c{multiplier, shift, 0, 0};
  if (shift <= -2 && shift >= -23) {
    c.rightShift = -1 - shift;
    /* 2^(r-1) + zp * 2^r in two instructions (2 zp + 1 is loop-invariant) */
    c.offset = (int32_t)((uint32_t)(2 * outputZp + 1) << (c.rightShift - 1));
  }
  return c;
}

/* requantize(acc) + outputZp, before the clamp. */
inline int32_t applyRequantUnclamped(const ChannelRequant &c, int32_t acc,
                                     int32_t outputZp) {
  if (c.rightShift) {
    const int32_t hi = (int32_t)(((int64_t)acc * c.multiplier) >> 32);
    return (hi + c.offset) >> c.rightShift;
  }
  return requantize(acc, c.multiplier, c.shift) + outputZp;
}

inline int8_t applyRequant(const ChannelRequant &c, int32_t acc,
                           int32_t outputZp, int32_t actMin, int32_t actMax) {
  return (int8_t)clampToRange(applyRequantUnclamped(c, acc, outputZp), actMin,
                              actMax);
}

} // namespace tnas_rt

#endif /* TNAS_RT_REQUANTIZE_FAST_H */

/*===- dsp_matmul.h - the Cortex-M4/M7 SIMD core of conv and pointwise ----===*
 *
 * Only compiled when TNAS_RT_HAS_DSP. Convolutions are computed as a matrix
 * product of the OHWI filter rows (int8, K = KH*KW*Cin long) with im2col
 * columns that hold (input - inputZp) as int16, kColumns = 4 output pixels at
 * a time, one output channel at a time: every filter word is loaded and
 * sign-extended once for four pixels, and each pixel's column words come in
 * with one LDRD, so 4 elements of K for 4 pixels (16 MACs) take 1 LDR,
 * 2 SXTB16, 4 LDRD and 8 SMLAD. Few live values (4 accumulators, 3
 * pointers) also keep the loop free of spills.
 *
 * SXTB16 of a filter word [w0 w1 w2 w3] yields the halfwords (w0, w2), and
 * SXTB16 of it rotated by 8 yields (w1, w3). The columns are therefore stored
 * "reordered": within each full group of 4 along K the int16 values are kept
 * as x0, x2, x1, x3, which is also what SXTB16 produces when the column is
 * filled from 4 input bytes at once. The four columns are interleaved group
 * by group (interleavedIndex) so that the inner loop walks one pointer; the
 * K % 4 tail elements follow, the four columns' values side by side, and are
 * multiplied with SMLABB / SMLABT.
 *===----------------------------------------------------------------------===*/
#ifndef TNAS_RT_DSP_MATMUL_H
#define TNAS_RT_DSP_MATMUL_H

#include "tnas_rt/kernel_types.h"
#include "tnas_rt/quant_math.h"
#include "tnas_rt/requantize_fast.h"

#if TNAS_RT_HAS_DSP
#include <arm_acle.h>
#include <string.h>

namespace tnas_rt {
namespace dsp {

/* Output pixels per im2col block (see convScratchElements). */
constexpr int32_t kColumns = 4;

inline uint32_t read4(const void *p) {
  uint32_t v;
  memcpy(&v, p, 4); /* one LDR: Cortex-M4/M7 allow unaligned word loads */
  return v;
}

inline void write4(void *p, uint32_t v) { memcpy(p, &v, 4); }

inline uint32_t ror8(uint32_t x) { return (x >> 8) | (x << 24); }

/* SXTB16 with its built-in rotation: one instruction, where GCC 12 emits a
 * separate ROR for __sxtb16(ror8(x)). */
inline uint32_t sxtb16Ror8(uint32_t x) {
  uint32_t r;
  __asm("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
  return r;
}

/* PKHBT / PKHTB (GCC 12's ACLE lacks them, and the C forms cost two or
 * three instructions): (low half of a, low half of b) and (high half of a,
 * high half of b), a's half in the low half of the result. */
inline uint32_t packLow(uint32_t a, uint32_t b) {
  uint32_t r;
  __asm("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
inline uint32_t packHigh(uint32_t a, uint32_t b) {
  uint32_t r;
  __asm("pkhtb %0, %2, %1, asr #16" : "=r"(r) : "r"(a), "r"(b));
  return r;
}

inline int32_t smlad(uint32_t a, uint32_t b, int32_t acc) {
  return __smlad((int16x2_t)a, (int16x2_t)b, acc);
}

/* Two consecutive words of a 4-aligned column with one LDRD, advancing `p`
 * by 8 bytes (GCC 12 emits two LDRs for the plain C). */
inline void load2(const int16_t *&p, uint32_t &lo, uint32_t &hi) {
  __asm("ldrd %0, %1, [%2], #8" : "=r"(lo), "=r"(hi), "+r"(p) : : "memory");
}

/* The int16 offset of element k of column `column` in the interleaved
 * block: for each full group g of 4 elements along K, column j's two
 * reordered pairs sit at 16*g + 4*j; element k >= K4 (the K % 4 tail) of
 * column j sits at 4*K4 + 4*(k - K4) + j. */
inline int32_t interleavedIndex(int32_t k, int32_t k4, int32_t column) {
  if (k >= k4)
    return kColumns * k + column;
  return 4 * kColumns * (k >> 2) + 4 * column + ((k & 1) << 1) + ((k >> 1) & 1);
}

/* Stores two words at p and advances p by one group of the interleaved
 * block (4 * kColumns int16): one STRD. */
inline void storeGroup(int16_t *&p, uint32_t lo, uint32_t hi) {
  __asm volatile("strd %1, %2, [%0], #32"
                 : "+r"(p)
                 : "r"(lo), "r"(hi)
                 : "memory");
}

/* Appends n input values minus the zero point to a column (n % 4 == 0,
 * `col` at the column's current group): 4 bytes become two reordered int16
 * pairs, two groups per iteration. Returns the position of the column's
 * next group. */
inline int16_t *appendGroups(const int8_t *x, int32_t n, uint32_t zp2,
                             int16_t *col) {
  const int8_t *const end = x + n;
  if (n & 4) {
    const uint32_t w = read4(x);
    x += 4;
    storeGroup(
        col,
        (uint32_t)__ssub16((int16x2_t)__sxtb16((int8x4_t)w), (int16x2_t)zp2),
        (uint32_t)__ssub16((int16x2_t)sxtb16Ror8(w), (int16x2_t)zp2));
  }
  while (x != end) {
    const uint32_t w0 = read4(x), w1 = read4(x + 4);
    x += 8;
    storeGroup(
        col,
        (uint32_t)__ssub16((int16x2_t)__sxtb16((int8x4_t)w0), (int16x2_t)zp2),
        (uint32_t)__ssub16((int16x2_t)sxtb16Ror8(w0), (int16x2_t)zp2));
    storeGroup(
        col,
        (uint32_t)__ssub16((int16x2_t)__sxtb16((int8x4_t)w1), (int16x2_t)zp2),
        (uint32_t)__ssub16((int16x2_t)sxtb16Ror8(w1), (int16x2_t)zp2));
  }
  return col;
}

/* Zeros for a column of a partial block: its outputs are not stored. */
inline void clearColumn(int16_t *cols, int32_t k, int32_t column) {
  const int32_t k4 = k & ~3;
  for (int32_t i = 0; i < k4; i += 4) {
    write4(cols + 4 * kColumns * (i >> 2) + 4 * column, 0);
    write4(cols + 4 * kColumns * (i >> 2) + 4 * column + 2, 0);
  }
  for (int32_t i = k4; i < k; ++i)
    cols[kColumns * i + column] = 0;
}

inline uint32_t pairOf(int32_t zp) {
  return ((uint32_t)zp & 0xffffu) | ((uint32_t)zp << 16);
}

/* requantize(acc) + outputZp as applyRequantUnclamped computes it, with
 * SMMLA for its fast path: offset + the high word of acc * multiplier in
 * one instruction (the sum of the high word and the offset cannot
 * overflow, see requantize_fast.h). */
inline int32_t requantUnclamped(const ChannelRequant &c, int32_t acc,
                                int32_t outputZp) {
  if (c.rightShift) {
    int32_t sum;
    __asm("smmla %0, %1, %2, %3"
          : "=r"(sum)
          : "r"(acc), "r"(c.multiplier), "r"(c.offset));
    return sum >> c.rightShift;
  }
  return requantize(acc, c.multiplier, c.shift) + outputZp;
}

/* p[offset] = v with a register offset (STRB): GCC keeps one pointer per
 * output pixel otherwise, and spills them. */
inline void storeByte(int8_t *p, int32_t offset, int32_t v) {
  __asm volatile("strb %0, [%1, %2]"
                 :
                 : "r"(v), "r"(p), "r"(offset)
                 : "memory");
}

/* 4 elements of K for the four columns (16 MACs): the filter word once,
 * each column's two words with one LDRD. */
inline void macGroup(const int8_t *&w, const int16_t *&c, int32_t &a0,
                     int32_t &a1, int32_t &a2, int32_t &a3) {
  const uint32_t wv = read4(w);
  w += 4;
  const uint32_t w02 = (uint32_t)__sxtb16((int8x4_t)wv);
  const uint32_t w13 = sxtb16Ror8(wv);
  uint32_t x02, x13;
  load2(c, x02, x13);
  a0 = smlad(w13, x13, smlad(w02, x02, a0));
  load2(c, x02, x13);
  a1 = smlad(w13, x13, smlad(w02, x02, a1));
  load2(c, x02, x13);
  a2 = smlad(w13, x13, smlad(w02, x02, a2));
  load2(c, x02, x13);
  a3 = smlad(w13, x13, smlad(w02, x02, a3));
}

/* The activation clamp; Sat8: the range is all of int8 (one SSAT). */
template <bool Sat8>
inline int32_t clampOutput(int32_t v, int32_t lo, int32_t hi) {
  if (Sat8)
    return __ssat(v, 8);
  return clampToRange(v, lo, hi);
}

/* Requantized outputs of `outC` channels for the kColumns interleaved
 * columns in `cols` (kColumns * k int16, 4-aligned); output f of column j
 * goes to out[j * stride + f]. Out of line and not cloned: conv and
 * pointwise share one copy of each variant (about 700 bytes each), and the
 * call costs nothing next to a block's work. */
template <bool Sat8>
__attribute__((noinline, noclone)) void
matMulBlock(const int8_t *filter, const int16_t *cols, int32_t k, int32_t outC,
            int32_t stride, const int32_t *bias, const QuantParams &q,
            int8_t *out) {
  const int32_t groups = k >> 2;
  const int16_t *const tail = cols + 4 * kColumns * groups;
  const int32_t tailCount = k & 3;
  const int32_t zp = q.outputZp, lo = q.actMin, hi = q.actMax;
  const int32_t *mult = q.multiplier, *shift = q.shift;
  /* The filter rows are contiguous: w walks from one row into the next. */
  const int8_t *w = filter;
  for (int32_t f = 0; f < outC; ++f) {
    const int16_t *c = cols;
    int32_t a0 = bias[f], a1 = a0, a2 = a0, a3 = a0;
    /* Two groups per iteration: the loop's SUBS / BNE once per 32 MACs. */
    if (groups & 1)
      macGroup(w, c, a0, a1, a2, a3);
    for (int32_t g = groups >> 1; g > 0; --g) {
      macGroup(w, c, a0, a1, a2, a3);
      macGroup(w, c, a0, a1, a2, a3);
    }
    const int16_t *t = tail;
    for (int32_t i = 0; i < tailCount; ++i) {
      const int32_t wi = *w++;
      uint32_t x01, x23;
      load2(t, x01, x23);
      a0 = __smlabb(wi, (int32_t)x01, a0);
      a1 = __smlabt(wi, (int32_t)x01, a1);
      a2 = __smlabb(wi, (int32_t)x23, a2);
      a3 = __smlabt(wi, (int32_t)x23, a3);
    }
    /* Requantize into locals first: stores through int8_t* may alias
     * anything, so the parameters are read before any store. */
    const ChannelRequant r = prepareRequant(mult[f], shift[f], zp);
    const int32_t r0 = clampOutput<Sat8>(requantUnclamped(r, a0, zp), lo, hi);
    const int32_t r1 = clampOutput<Sat8>(requantUnclamped(r, a1, zp), lo, hi);
    const int32_t r2 = clampOutput<Sat8>(requantUnclamped(r, a2, zp), lo, hi);
    const int32_t r3 = clampOutput<Sat8>(requantUnclamped(r, a3, zp), lo, hi);
    int8_t *const o = out + f, *const o2 = o + 2 * stride;
    *o = (int8_t)r0;
    storeByte(o, stride, r1);
    *o2 = (int8_t)r2;
    storeByte(o2, stride, r3);
  }
}

/* Which matMulBlock a layer's full blocks take, decided once per layer:
 * with the activation range all of int8 the clamp is one SSAT. */
enum class BlockMode : int32_t { Generic, Saturate8 };

inline BlockMode blockModeOf(const QuantParams &q) {
  return q.actMin == -128 && q.actMax == 127 ? BlockMode::Saturate8
                                             : BlockMode::Generic;
}

/* A partial block (the last pixels of a layer, rare): 16 channels at a
 * time into a small stack buffer, then the valid columns are copied out.
 * Out of line, so that its buffer is not in the callers' frames. */
__attribute__((noinline)) inline void
matMulPartial(const int8_t *filter, const int16_t *cols, int32_t k,
              int32_t outC, const int32_t *bias, const QuantParams &q,
              int8_t *out, int32_t valid, bool sat8) {
  constexpr int32_t kChunk = 16;
  int8_t part[kColumns * kChunk];
  for (int32_t f0 = 0; f0 < outC; f0 += kChunk) {
    const int32_t n = outC - f0 < kChunk ? outC - f0 : kChunk;
    QuantParams chunk = q;
    chunk.multiplier += f0;
    chunk.shift += f0;
    if (sat8)
      matMulBlock<true>(filter + f0 * k, cols, k, n, kChunk, bias + f0, chunk,
                        part);
    else
      matMulBlock<false>(filter + f0 * k, cols, k, n, kChunk, bias + f0, chunk,
                         part);
    for (int32_t j = 0; j < valid; ++j)
      for (int32_t f = 0; f < n; ++f)
        out[j * outC + f0 + f] = part[j * kChunk + f];
  }
}

/* matMulBlock for the first `valid` columns. */
inline void matMul4Cols(const int8_t *filter, const int16_t *cols, int32_t k,
                        int32_t outC, const int32_t *bias, const QuantParams &q,
                        int8_t *out, int32_t valid, BlockMode mode) {
  const bool sat8 = mode == BlockMode::Saturate8;
  if (valid != kColumns)
    matMulPartial(filter, cols, k, outC, bias, q, out, valid, sat8);
  else if (sat8)
    matMulBlock<true>(filter, cols, k, outC, outC, bias, q, out);
  else
    matMulBlock<false>(filter, cols, k, outC, outC, bias, q, out);
}

} // namespace dsp
} // namespace tnas_rt

#endif /* TNAS_RT_HAS_DSP */
#endif /* TNAS_RT_DSP_MATMUL_H */

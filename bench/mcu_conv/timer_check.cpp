//===- timer_check.cpp - the timer count against an exact trace count -----===//
//
// Times one 14x14 16->16 3x3 convolution with the CMSDK timer; run.sh also
// runs it under `-singlestep -d exec,nochain`, once with the call and once
// without (-DBENCH_SKIP_WORK), and compares the difference of the trace
// lengths with the timer's figure.
//
//===----------------------------------------------------------------------===//
#include "mcu_harness.h"
#include "tnas_rt/conv_s8.h"

#include <stdio.h>

using namespace tnas_rt;

int8_t input[14 * 14 * 16], filter[3 * 3 * 16 * 16], output[14 * 14 * 16];
int32_t bias[16], multiplier[16], shift[16];
alignas(4) int16_t scratch[4 * 3 * 3 * 16];

int main() {
  for (int i = 0; i < 16; ++i) {
    multiplier[i] = 1518500250;
    shift[i] = -9;
    bias[i] = i;
  }
  for (int i = 0; i < 14 * 14 * 16; ++i)
    input[i] = (int8_t)(i * 37);
  for (int i = 0; i < 3 * 3 * 16 * 16; ++i)
    filter[i] = (int8_t)(i * 11);
  const WindowShape s{14, 14, 16, 14, 14, 16, 3, 3, 1, 1, 1, 1};
  const QuantParams q{-128, -128, -128, 127, multiplier, shift};
  mcu_timer_start();
#ifdef BENCH_SKIP_WORK
  (void)s;
  (void)q;
#else
  convS8(s, q, input, filter, bias, output, scratch);
#endif
  const uint32_t ticks = mcu_timer_ticks();
  printf("timer instructions=%lu\n", (unsigned long)ticks * 40u);
  return 0;
}

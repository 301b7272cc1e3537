// RUN: rm -rf %t && tnas-translate --emit-cpp %S/Inputs/small_cnn.mlir -o %t
// RUN: FileCheck %s < %t/small_cnn.cpp
// RUN: FileCheck %s --check-prefix=HEADER < %t/small_cnn.h

// The memory plan of small_cnn: conv0 writes 256 bytes (live for layers 0-1),
// the pool 64 (1-2), conv1 96 (2-3), the pointwise 128 (3-4), the pool's 8
// features live to the end. Largest first: conv0 at 0, pointwise at 0 (conv0
// is dead by then), conv1 at 128 (beside the pointwise), the pool at 256
// (beside conv0 and conv1), the features at 128 (conv1 is dead). The arena
// is 320 bytes, not the 552 of separate buffers. Each layer reads the buffer
// the previous one wrote, and the trainer reads the features. The DSP
// scratch is four int16 im2col columns of the largest conv: 4 * 3*3*4 = 144.
// CHECK: alignas(8) int8_t gArena[320];
// CHECK: alignas(4) int16_t gScratch[144];
// CHECK: convS8(kLayer0Shape, kLayer0Quant, input, kLayer0Weights, kLayer0Bias, gArena + 0, gScratch);
// CHECK: maxPoolS8(kLayer1Shape, gArena + 0, gArena + 256);
// CHECK: convS8(kLayer2Shape, kLayer2Quant, gArena + 256, kLayer2Weights, kLayer2Bias, gArena + 128, gScratch);
// CHECK: pointwiseS8(16, 6, 8, kLayer3Quant, gArena + 128, kLayer3Weights, kLayer3Bias, gArena + 0, gScratch);
// CHECK: globalAvgPoolS8(4, 4, 8, gArena + 0, gArena + 128);
// CHECK: return gArena + 128;

// HEADER: RAM: 320 bytes of arena, 288 of scratch
// HEADER: #define TNAS_ARENA_BYTES 320

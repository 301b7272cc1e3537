// RUN: rm -rf %t && tnas-translate --emit-cpp %S/Inputs/small_cnn.mlir -o %t
// RUN: FileCheck %s < %t/small_cnn.cpp
// RUN: FileCheck %s --check-prefix=HEADER < %t/small_cnn.h

// The memory plan of small_cnn, with the DSP im2col scratch of each conv /
// pointwise in the arena for its own layer (4 int16 columns): conv0 writes
// 256 bytes (live for layers 0-1) with 72 of scratch (0), the pool 64 (1-2),
// conv1 96 (2-3) with 288 of scratch (2), the pointwise 128 (3-4) with 48 of
// scratch (3), the pool's 8 features live to the end. Largest first: conv1's
// scratch at 0, conv0 at 0 (not alive at step 2), the pointwise at 0, conv1
// at 288 (beside its scratch), conv0's scratch at 256 (beside conv0), the pool
// at 384, the pointwise scratch and the features at 128. The arena is 448
// bytes, not the 952 of separate buffers. Each layer reads the buffer the
// previous one wrote, and the trainer reads the features.
// CHECK: alignas(8) int8_t gArena[448];
// CHECK-NOT: gScratch
// CHECK: convS8(kLayer0Shape, kLayer0Quant, input, kLayer0Weights, kLayer0Bias, gArena + 0, reinterpret_cast<int16_t *>(gArena + 256));
// CHECK: maxPoolS8(kLayer1Shape, gArena + 0, gArena + 384);
// CHECK: convS8(kLayer2Shape, kLayer2Quant, gArena + 384, kLayer2Weights, kLayer2Bias, gArena + 288, reinterpret_cast<int16_t *>(gArena + 0));
// CHECK: pointwiseS8(16, 6, 8, kLayer3Quant, gArena + 288, kLayer3Weights, kLayer3Bias, gArena + 0, reinterpret_cast<int16_t *>(gArena + 128));
// CHECK: globalAvgPoolS8(4, 4, 8, gArena + 0, gArena + 128);
// CHECK: return gArena + 128;

// HEADER: RAM: 448 bytes of arena (activations and kernel scratch)
// HEADER: #define TNAS_ARENA_BYTES 448

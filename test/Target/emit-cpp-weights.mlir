// RUN: rm -rf %t && tnas-translate --emit-cpp %s -o %t
// RUN: FileCheck %s < %t/weights.cpp

// Filters are printed in the kernels' layouts: the HWCF conv filter 1..8 of
// shape [1, 2, 2, 2] becomes OHWI (filter 0 reads 1, 3, 5, 7), the [K, M]
// classifier weight becomes [M][K], and INT32_MIN is an expression.
// CHECK: // Layer 0: tnas.qconv2d ({{.*}}emit-cpp-weights.mlir:{{[0-9]+}}:{{[0-9]+}}), 3x3x2 -> 3x2x2, window 1x2 stride 1x1, 48 MACs
// CHECK-NEXT: alignas(4) const int8_t kLayer0Weights[8] = {
// CHECK-NEXT:     1, 3, 5, 7, 2, 4, 6, 8,
// CHECK: const int32_t kLayer0Bias[2] = {
// CHECK-NEXT: (-2147483647 - 1), 5,
// CHECK: const int32_t kLayer0Multiplier[2] = {
// CHECK-NEXT: 1073741824, 2147483647,
// CHECK: const int32_t kLayer0Shift[2] = {
// CHECK-NEXT: -3, 2,
// CHECK: const tnas_rt::QuantParams kLayer0Quant = {-5, 7, -128, 100, kLayer0Multiplier, kLayer0Shift};
// CHECK: const tnas_rt::WindowShape kLayer0Shape = {3, 3, 2, 3, 2, 2, 1, 2, 1, 1, 0, 0};
// CHECK: // Layer 1: tnas.qglobal_avg_pool
// CHECK: const float kClassifierWeight[6] = {
// CHECK-NEXT: 1.0f, 0.5f, 0.25f, -2.0f, 3.0f, 0.0f,
// CHECK: const float kClassifierBias[3] = {
// CHECK-NEXT: 0.5f, -0.5f, 1.0f,
// CHECK: tnas_rt::convS8(kLayer0Shape, kLayer0Quant, input, kLayer0Weights, kLayer0Bias, gArena + {{[0-9]+}}, reinterpret_cast<int16_t *>(gArena + {{[0-9]+}}));
// CHECK: tnas_rt::globalAvgPoolS8(3, 2, 2, gArena + {{[0-9]+}}, gArena + {{[0-9]+}});
func.func @weights(%x: tensor<1x3x3x2xi8>) -> tensor<1x3xf32> {
  %w = arith.constant dense<[[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]]> : tensor<1x2x2x2xi8>
  %b = arith.constant dense<[-2147483648, 5]> : tensor<2xi32>
  %dw = arith.constant dense<[[1.0, 0.25, 3.0], [0.5, -2.0, 0.0]]> : tensor<2x3xf32>
  %db = arith.constant dense<[0.5, -0.5, 1.0]> : tensor<3xf32>
  %c = tnas.qconv2d %x, %w, %b {act_max = 100 : i32, act_min = -128 : i32, input_zp = -5 : i32,
         multiplier = array<i32: 1073741824, 2147483647>, output_zp = 7 : i32,
         pad = array<i64: 0, 0, 0, 0>, shift = array<i32: -3, 2>, strides = array<i64: 1, 1>}
     : (tensor<1x3x3x2xi8>, tensor<1x2x2x2xi8>, tensor<2xi32>) -> tensor<1x3x2x2xi8>
  %g = tnas.qglobal_avg_pool %c : tensor<1x3x2x2xi8> -> tensor<1x2xi8>
  %d = tnas.dequantize %g {scale = 0.5 : f32, zero_point = 7 : i32} : tensor<1x2xi8> -> tensor<1x2xf32>
  %s = tnas.split %d : tensor<1x2xf32>
  %y = tnas.dense %s, %dw, %db : (tensor<1x2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}

// RUN: rm -rf %t && tnas-translate --emit-cpp %s -o %t --scheme=tinyol
// RUN: FileCheck %s < %t/mlp_head.cpp
// RUN: FileCheck %s --check-prefix=HEADER < %t/mlp_head.h

// A classifier "dense(3) -> relu -> dense(2)": the device trains the last
// dense layer on the output of the frozen fp32 head, which the trainer calls
// as its feature transform; the buffer would still hold the int8 features.
// HEADER: #define TNAS_FEATURES 2
// HEADER: #define TNAS_CLASSIFIER_INPUTS 3
// HEADER: #define TNAS_NUM_CLASSES 2
// 48 header bytes + 2 classes * (3 + 1) floats.
// HEADER: #define TNAS_STATE_BYTES 80

// CHECK: const float kHead0Weight[6] = {
// CHECK-NEXT: 1.0f, -1.0f, 2.0f, 0.5f, 0.0f, 3.0f,
// CHECK: void classifierHead(const int8_t *features, float *inputs) {
// CHECK: a[i] = ((int32_t)features[i] - 4) * 0.25f;
// CHECK: // 0: dense 2 -> 3
// CHECK: z += kHead0Weight[o * 2 + i] * a[i];
// CHECK: // 1: relu
// CHECK: inputs[i] = a[i];
// CHECK: const float kClassifierWeight[6] = {
// CHECK-NEXT: 1.0f, 0.0f, -1.0f, 0.0f, 1.0f, 2.0f,
// CHECK: tnas_rt::Scheme::TinyOL,
// CHECK: 0.25f, 4, 1u, classifierHead, TNAS_CLASSIFIER_INPUTS, 0.0f, tnas_rt::AnchorScope::All};
// CHECK: float gWeight[TNAS_MAX_CLASSES * TNAS_CLASSIFIER_INPUTS];
func.func @mlp_head(%x: tensor<1x2xi8>) -> tensor<1x2xf32> {
  %w0 = arith.constant dense<[[1.0, 2.0, 0.0], [-1.0, 0.5, 3.0]]> : tensor<2x3xf32>
  %b0 = arith.constant dense<[0.0, 0.1, -0.1]> : tensor<3xf32>
  %w1 = arith.constant dense<[[1.0, 0.0], [0.0, 1.0], [-1.0, 2.0]]> : tensor<3x2xf32>
  %b1 = arith.constant dense<[0.0, 0.5]> : tensor<2xf32>
  %d = tnas.dequantize %x {scale = 0.25 : f32, zero_point = 4 : i32} : tensor<1x2xi8> -> tensor<1x2xf32>
  %s = tnas.split %d : tensor<1x2xf32>
  %h = tnas.dense %s, %w0, %b0 : (tensor<1x2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  %r = tnas.relu %h : tensor<1x3xf32>
  %y = tnas.dense %r, %w1, %b1 : (tensor<1x3xf32>, tensor<3x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

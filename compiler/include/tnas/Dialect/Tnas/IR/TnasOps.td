//===- TnasOps.td - tnas dialect operations ----------------*- tablegen -*-===//
//
// Layout conventions (checked by the verifiers):
//   activations  NHWC, static shapes
//   conv2d       filter [KH, KW, Cin, Cout]   (linalg's HWCF)
//   depthwise    filter [KH, KW, C]           (channel multiplier 1)
//   pointwise    filter [Cin, Cout]
//   dense        weight [K, M]
//   `pad` is [top, left, bottom, right]; `strides` and `kernel` are [h, w].
//
//===----------------------------------------------------------------------===//

#ifndef TNAS_OPS_TD
#define TNAS_OPS_TD

include "tnas/Dialect/Tnas/IR/TnasDialect.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

def Tnas_F32Tensor : StaticShapeTensorOf<[F32]>;
def Tnas_I8Tensor : StaticShapeTensorOf<[I8]>;
def Tnas_I32Tensor : StaticShapeTensorOf<[I32]>;

//===----------------------------------------------------------------------===//
// Float layers
//===----------------------------------------------------------------------===//

// `filterLayout` names the filter layout for readers (kept as a record
// field so that it is part of the op's record); the verifiers check it.
class Tnas_ConvLikeOp<string mnemonic, string filterLayout>
    : Tnas_Op<mnemonic, [Pure]> {
  string tnasFilterLayout = filterLayout;
  let arguments = (ins Tnas_F32Tensor:$input, Tnas_F32Tensor:$filter,
                       Tnas_F32Tensor:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pad);
  let results = (outs Tnas_F32Tensor:$output);
  let assemblyFormat = [{
    $input `,` $filter `,` $bias attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tnas_Conv2DOp : Tnas_ConvLikeOp<"conv2d", "HWCF"> {
  let summary = "2-D convolution, NHWC input, HWCF filter, per-channel bias";
  let description = [{
    `output[n, oh, ow, f] = bias[f] + sum_{kh, kw, c} input[n, oh*sh + kh - pt,
    ow*sw + kw - pl, c] * filter[kh, kw, c, f]`, where reads outside the input
    are zero (zero padding).

    ```mlir
    %y = tnas.conv2d %x, %w, %b {strides = array<i64: 1, 1>,
                                 pad = array<i64: 1, 1, 1, 1>}
       : (tensor<1x28x28x1xf32>, tensor<3x3x1x8xf32>, tensor<8xf32>)
       -> tensor<1x28x28x8xf32>
    ```
  }];
}

def Tnas_DepthwiseConv2DOp : Tnas_ConvLikeOp<"depthwise_conv2d", "HWC"> {
  let summary = "depthwise 2-D convolution (channel multiplier 1)";
  let description = [{
    Each channel is convolved with its own [KH, KW] filter:
    `output[n, oh, ow, c] = bias[c] + sum_{kh, kw} input[n, ..., c] * filter[kh, kw, c]`.
  }];
}

def Tnas_PointwiseConv2DOp : Tnas_Op<"pointwise_conv2d", [Pure]> {
  let summary = "1x1 convolution, filter [Cin, Cout]";
  let description = [{
    A matrix product over the channel dimension at every pixel.

    ```mlir
    %y = tnas.pointwise_conv2d %x, %w, %b
       : (tensor<1x7x7x16xf32>, tensor<16x32xf32>, tensor<32xf32>) -> tensor<1x7x7x32xf32>
    ```
  }];
  let arguments = (ins Tnas_F32Tensor:$input, Tnas_F32Tensor:$filter,
                       Tnas_F32Tensor:$bias);
  let results = (outs Tnas_F32Tensor:$output);
  let assemblyFormat = [{
    $input `,` $filter `,` $bias attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

class Tnas_PoolOp<string mnemonic, Type elemTensor>
    : Tnas_Op<mnemonic, [Pure]> {
  let arguments = (ins elemTensor:$input, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pad);
  let results = (outs elemTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
}

def Tnas_MaxPool2DOp : Tnas_PoolOp<"max_pool2d", Tnas_F32Tensor> {
  let summary = "2-D max pooling; padded positions never win";
  let description = [{
    ```mlir
    %y = tnas.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                             pad = array<i64: 0, 0, 0, 0>}
       : tensor<1x28x28x8xf32> -> tensor<1x14x14x8xf32>
    ```
  }];
}

def Tnas_AvgPool2DOp : Tnas_PoolOp<"avg_pool2d", Tnas_F32Tensor> {
  let summary = "2-D average pooling; the divisor counts only in-bounds positions";
  let description = [{
    ```mlir
    %y = tnas.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                             pad = array<i64: 0, 0, 0, 0>}
       : tensor<1x28x28x8xf32> -> tensor<1x14x14x8xf32>
    ```
  }];
}

def Tnas_GlobalAvgPoolOp : Tnas_Op<"global_avg_pool", [Pure]> {
  let summary = "mean over H and W: [N, H, W, C] -> [N, C]";
  let description = [{
    ```mlir
    %y = tnas.global_avg_pool %x : tensor<1x7x7x16xf32> -> tensor<1x16xf32>
    ```
  }];
  let arguments = (ins Tnas_F32Tensor:$input);
  let results = (outs Tnas_F32Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def Tnas_FlattenOp : Tnas_Op<"flatten", [Pure]> {
  let summary = "[N, H, W, C] -> [N, H*W*C] in row-major NHWC order";
  let arguments = (ins AnyStaticShapeTensor:$input);
  let results = (outs AnyStaticShapeTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def Tnas_BatchNormOp : Tnas_Op<"batchnorm", [Pure]> {
  let summary = "inference batch normalization over the last (channel) dimension";
  let description = [{
    `y = gamma * (x - mean) / sqrt(variance + epsilon) + beta`, per channel.

    ```mlir
    %y = tnas.batchnorm %x, %gamma, %beta, %mean, %var {epsilon = 1.0e-05 : f32}
       : (tensor<1x14x14x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>,
          tensor<8xf32>) -> tensor<1x14x14x8xf32>
    ```
  }];
  let arguments = (ins Tnas_F32Tensor:$input, Tnas_F32Tensor:$gamma,
                       Tnas_F32Tensor:$beta, Tnas_F32Tensor:$mean,
                       Tnas_F32Tensor:$variance, F32Attr:$epsilon);
  let results = (outs Tnas_F32Tensor:$output);
  let assemblyFormat = [{
    $input `,` $gamma `,` $beta `,` $mean `,` $variance attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tnas_ChannelAffineOp : Tnas_Op<"channel_affine", [Pure]> {
  let summary = "per-channel y = x * scale + shift over the last dimension";
  let description = [{
    What remains of a batch normalization that cannot be folded exactly into
    an adjacent convolution.
  }];
  let arguments = (ins Tnas_F32Tensor:$input, Tnas_F32Tensor:$scale,
                       Tnas_F32Tensor:$shift);
  let results = (outs Tnas_F32Tensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $shift attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

class Tnas_ElementwiseUnaryOp<string mnemonic, string sum>
    : Tnas_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let summary = sum;
  let arguments = (ins Tnas_F32Tensor:$input);
  let results = (outs Tnas_F32Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Tnas_ReluOp : Tnas_ElementwiseUnaryOp<"relu", "max(x, 0)">;
def Tnas_Relu6Op : Tnas_ElementwiseUnaryOp<"relu6", "min(max(x, 0), 6)">;
def Tnas_SoftmaxOp : Tnas_ElementwiseUnaryOp<"softmax",
    "softmax over the last dimension">;

def Tnas_DropoutOp : Tnas_Op<"dropout", [Pure, SameOperandsAndResultType]> {
  let summary = "dropout; the identity at inference";
  let arguments = (ins Tnas_F32Tensor:$input, F32Attr:$rate);
  let results = (outs Tnas_F32Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Tnas_SplitOp : Tnas_Op<"split", [Pure, SameOperandsAndResultType]> {
  let summary = "boundary between the frozen feature extractor and the classifier";
  let description = [{
    The identity on values. Everything that computes its operand is the
    feature extractor (quantized to int8, frozen on the device); everything
    that uses its result is the fp32 classifier that keeps learning.
  }];
  let arguments = (ins AnyStaticShapeTensor:$input);
  let results = (outs AnyStaticShapeTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Tnas_AddOp : Tnas_Op<"add", [Pure, SameOperandsAndResultType]> {
  let summary = "elementwise sum (residual connections)";
  let arguments = (ins Tnas_F32Tensor:$lhs, Tnas_F32Tensor:$rhs);
  let results = (outs Tnas_F32Tensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($output)";
}

def Tnas_DenseOp : Tnas_Op<"dense", [Pure]> {
  let summary = "fully connected layer: [N, K] x [K, M] + [M]";
  let arguments = (ins Tnas_F32Tensor:$input, Tnas_F32Tensor:$weight,
                       Tnas_F32Tensor:$bias);
  let results = (outs Tnas_F32Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight `,` $bias attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Boundaries between fp32 and int8
//===----------------------------------------------------------------------===//

def Tnas_QuantizeOp : Tnas_Op<"quantize", [Pure]> {
  let summary = "f32 -> i8: clamp(round(x / scale) + zero_point, -128, 127)";
  let description = [{
    Rounds half away from zero.

    ```mlir
    %q = tnas.quantize %x {scale = 0.0039215 : f32, zero_point = -128 : i32}
       : tensor<1x28x28x1xf32> -> tensor<1x28x28x1xi8>
    ```
  }];
  let arguments = (ins Tnas_F32Tensor:$input, F32Attr:$scale, I32Attr:$zero_point);
  let results = (outs Tnas_I8Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def Tnas_DequantizeOp : Tnas_Op<"dequantize", [Pure]> {
  let summary = "i8 -> f32: (q - zero_point) * scale";
  let arguments = (ins Tnas_I8Tensor:$input, F32Attr:$scale, I32Attr:$zero_point);
  let results = (outs Tnas_F32Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Full-int8 layers
//
// acc    = bias[c] + sum (x - input_zp) * w          (int32; weights symmetric)
// output = clamp(output_zp + requantize(acc, multiplier[c], shift[c]),
//                act_min, act_max)
// requantize is defined once in runtime/include/tnas_rt/quant_math.h; the
// lowering, the host reference and the MCU kernels all follow it bit for bit.
//===----------------------------------------------------------------------===//

class Tnas_QConvLikeOp<string mnemonic> : Tnas_Op<mnemonic, [Pure]> {
  let arguments = (ins Tnas_I8Tensor:$input, Tnas_I8Tensor:$filter,
                       Tnas_I32Tensor:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pad,
                       I32Attr:$input_zp, I32Attr:$output_zp,
                       DenseI32ArrayAttr:$multiplier, DenseI32ArrayAttr:$shift,
                       I32Attr:$act_min, I32Attr:$act_max);
  let results = (outs Tnas_I8Tensor:$output);
  let assemblyFormat = [{
    $input `,` $filter `,` $bias attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tnas_QConv2DOp : Tnas_QConvLikeOp<"qconv2d"> {
  let summary = "int8 2-D convolution with per-channel requantization";
  let description = [{
    Padded positions read `input_zp`, so they contribute zero to `acc`.
  }];
}

def Tnas_QDepthwiseConv2DOp : Tnas_QConvLikeOp<"qdepthwise_conv2d"> {
  let summary = "int8 depthwise convolution with per-channel requantization";
}

def Tnas_QPointwiseConv2DOp : Tnas_Op<"qpointwise_conv2d", [Pure]> {
  let summary = "int8 1x1 convolution with per-channel requantization";
  let arguments = (ins Tnas_I8Tensor:$input, Tnas_I8Tensor:$filter,
                       Tnas_I32Tensor:$bias,
                       I32Attr:$input_zp, I32Attr:$output_zp,
                       DenseI32ArrayAttr:$multiplier, DenseI32ArrayAttr:$shift,
                       I32Attr:$act_min, I32Attr:$act_max);
  let results = (outs Tnas_I8Tensor:$output);
  let assemblyFormat = [{
    $input `,` $filter `,` $bias attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tnas_QDenseOp : Tnas_Op<"qdense", [Pure]> {
  let summary = "int8 fully connected layer with per-output requantization";
  let arguments = (ins Tnas_I8Tensor:$input, Tnas_I8Tensor:$weight,
                       Tnas_I32Tensor:$bias,
                       I32Attr:$input_zp, I32Attr:$output_zp,
                       DenseI32ArrayAttr:$multiplier, DenseI32ArrayAttr:$shift,
                       I32Attr:$act_min, I32Attr:$act_max);
  let results = (outs Tnas_I8Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight `,` $bias attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tnas_QMaxPool2DOp : Tnas_PoolOp<"qmax_pool2d", Tnas_I8Tensor> {
  let summary = "int8 max pooling (scale and zero point unchanged)";
}

def Tnas_QAvgPool2DOp : Tnas_PoolOp<"qavg_pool2d", Tnas_I8Tensor> {
  let summary = "int8 average pooling, rounding half away from zero";
}

def Tnas_QGlobalAvgPoolOp : Tnas_Op<"qglobal_avg_pool", [Pure]> {
  let summary = "int8 mean over H and W, rounding half away from zero";
  let arguments = (ins Tnas_I8Tensor:$input);
  let results = (outs Tnas_I8Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

#endif // TNAS_OPS_TD

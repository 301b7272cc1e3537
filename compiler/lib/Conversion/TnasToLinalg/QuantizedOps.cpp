//===- QuantizedOps.cpp - int8 tnas layers to linalg on tensors -----------===//
//
// Bit-exact with runtime/include/tnas_rt/quant_math.h:
//
// * Convolutions and dense layers accumulate sum(x * w) in int32 with linalg
//   named ops on i8 operands (sign-extended), starting from
//   bias - input_zp * sum(w), which is exactly bias + sum((x - input_zp) * w)
//   because padded positions read input_zp. That keeps the hot loop a plain
//   convolution or matmul, which the vectorizing pipeline handles.
// * requantizeToInt8: one 64-bit multiply, one half-up rounding shift,
//   truncation to int32, + output_zp, clamp to [act_min, act_max].
// * Average pools divide by the in-bounds count rounding half away from zero
//   (roundedDivide); max pools pad with -128 so padding never wins.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "tnas/Conversion/TnasToLinalg/TnasToLinalg.h"
#include "tnas/Dialect/Tnas/IR/TnasOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::tnas;
using namespace mlir::tnas::lowering;

namespace {

Value constI32(OpBuilder &b, Location loc, int32_t v) {
  return b.create<arith::ConstantOp>(loc, b.getI32IntegerAttr(v));
}

RankedTensorType withElementType(RankedTensorType type, Type element) {
  return RankedTensorType::get(type.getShape(), element);
}

/// bias - input_zp * sum of the weights feeding each output channel, the
/// output channel being dimension `channelDim` of `filter`.
Value foldInputZeroPoint(OpBuilder &b, Location loc, Value bias, Value filter,
                         int32_t inputZp, unsigned channelDim) {
  if (inputZp == 0)
    return bias;
  MLIRContext *ctx = b.getContext();
  unsigned rank = tensorTypeOf(filter).getRank();
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::reduction);
  iterators[channelDim] = utils::IteratorType::parallel;
  AffineMap channel =
      AffineMap::get(rank, 0, getAffineDimExpr(channelDim, ctx));
  return b
      .create<linalg::GenericOp>(
          loc, TypeRange{bias.getType()}, ValueRange{filter}, ValueRange{bias},
          ArrayRef<AffineMap>{identityMap(ctx, rank), channel}, iterators,
          [&](OpBuilder &nb, Location l, ValueRange v) {
            Value w = nb.create<arith::ExtSIOp>(l, nb.getI32Type(), v[0]);
            Value zw = nb.create<arith::MulIOp>(l, w, constI32(nb, l, inputZp));
            nb.create<linalg::YieldOp>(
                l, nb.create<arith::SubIOp>(l, v[1], zw).getResult());
          })
      .getResult(0);
}

/// Clamps an i32 scalar to [lo, hi] and truncates it to i8.
Value clampToInt8(OpBuilder &b, Location l, Value v, int32_t lo, int32_t hi) {
  v = b.create<arith::MaxSIOp>(l, v, constI32(b, l, lo));
  v = b.create<arith::MinSIOp>(l, v, constI32(b, l, hi));
  return b.create<arith::TruncIOp>(l, b.getI8Type(), v);
}

/// quant_math.h's requantizeToInt8 on every element of the int32 `acc`, with
/// per-channel (last dimension) multiplier and shift.
Value requantizeToInt8(OpBuilder &b, Location loc, Value acc,
                       ArrayRef<int32_t> multiplier, ArrayRef<int32_t> shift,
                       int32_t outputZp, int32_t actMin, int32_t actMax) {
  SmallVector<int64_t> mult64, total, rounding;
  for (auto [m, s] : llvm::zip_equal(multiplier, shift)) {
    mult64.push_back(m);
    total.push_back(31 - s);
    rounding.push_back(int64_t(1) << (30 - s));
  }
  MLIRContext *ctx = b.getContext();
  RankedTensorType accType = tensorTypeOf(acc);
  unsigned rank = accType.getRank();
  AffineMap chan = lastDimMap(ctx, rank);
  return elementwise(
      b, loc, withElementType(accType, b.getI8Type()),
      {{acc, identityMap(ctx, rank)},
       {constantI64Vector(b, loc, mult64), chan},
       {constantI64Vector(b, loc, rounding), chan},
       {constantI64Vector(b, loc, total), chan}},
      [&](OpBuilder &nb, Location l, ValueRange v) {
        Value wide = nb.create<arith::ExtSIOp>(l, nb.getI64Type(), v[0]);
        Value product = nb.create<arith::MulIOp>(l, wide, v[1]);
        Value rounded = nb.create<arith::AddIOp>(l, product, v[2]);
        Value shifted = nb.create<arith::ShRSIOp>(l, rounded, v[3]);
        Value narrow = nb.create<arith::TruncIOp>(l, nb.getI32Type(), shifted);
        Value biased =
            nb.create<arith::AddIOp>(l, narrow, constI32(nb, l, outputZp));
        return clampToInt8(nb, l, biased, actMin, actMax);
      });
}

template <typename QOp>
Value requantizeOutput(OpBuilder &b, QOp op, Value acc) {
  // I32Attr getters return uint32_t; the values are signed.
  return requantizeToInt8(b, op.getLoc(), acc, op.getMultiplier(),
                          op.getShift(), static_cast<int32_t>(op.getOutputZp()),
                          static_cast<int32_t>(op.getActMin()),
                          static_cast<int32_t>(op.getActMax()));
}

/// The int32 accumulator of a quantized convolution-like op: the adjusted
/// bias broadcast to the output shape.
template <typename QOp>
Value initialAccumulator(OpBuilder &b, QOp op, Value bias, Value filter,
                         unsigned channelDim) {
  Location loc = op.getLoc();
  Value adjusted = foldInputZeroPoint(
      b, loc, bias, filter, static_cast<int32_t>(op.getInputZp()), channelDim);
  RankedTensorType accType =
      withElementType(tensorTypeOf(op.getOutput()), b.getI32Type());
  return broadcastChannels(b, loc, adjusted, accType);
}

/// qconv2d and qdepthwise_conv2d: pad with the input zero point, start the
/// accumulator from the zero-point-adjusted bias, convolve in i32 with the
/// linalg op of the same layout, requantize. `ChannelDim` is the filter
/// dimension that indexes output channels (HWCF: 3, HWC: 2).
template <typename OpTy, typename LinalgConvOp, int ChannelDim>
struct QWindowedConvLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpConversionPattern<OpTy>::OpAdaptor;
  LogicalResult matchAndRewrite(OpTy op, OpAdaptor a,
                                ConversionPatternRewriter &rw) const override {
    Location loc = op.getLoc();
    Value padded =
        padNHWC(rw, loc, a.getInput(), op.getPad(),
                rw.getI8IntegerAttr(static_cast<int32_t>(op.getInputZp())));
    Value acc =
        initialAccumulator(rw, op, a.getBias(), a.getFilter(), ChannelDim);
    Value sum = rw.create<LinalgConvOp>(loc, TypeRange{acc.getType()},
                                        ValueRange{padded, a.getFilter()},
                                        ValueRange{acc},
                                        windowAttrs(rw, op.getStrides()))
                    .getResult(0);
    rw.replaceOp(op, requantizeOutput(rw, op, sum));
    return success();
  }
};
using QConv2DLowering =
    QWindowedConvLowering<QConv2DOp, linalg::Conv2DNhwcHwcfOp, 3>;
using QDepthwiseConv2DLowering =
    QWindowedConvLowering<QDepthwiseConv2DOp, linalg::DepthwiseConv2DNhwcHwcOp,
                          2>;

struct QPointwiseConv2DLowering : OpConversionPattern<QPointwiseConv2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(QPointwiseConv2DOp op, OpAdaptor a,
                                ConversionPatternRewriter &rw) const override {
    Location loc = op.getLoc();
    Value acc = initialAccumulator(rw, op, a.getBias(), a.getFilter(), 1);
    RankedTensorType f = tensorTypeOf(a.getFilter());
    Value hwcf = rw.create<tensor::ExpandShapeOp>(
        loc,
        RankedTensorType::get({1, 1, f.getDimSize(0), f.getDimSize(1)},
                              f.getElementType()),
        a.getFilter(), ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
    Value sum =
        rw.create<linalg::Conv2DNhwcHwcfOp>(
              loc, TypeRange{acc.getType()}, ValueRange{a.getInput(), hwcf},
              ValueRange{acc}, windowAttrs(rw, {1, 1}))
            .getResult(0);
    rw.replaceOp(op, requantizeOutput(rw, op, sum));
    return success();
  }
};

struct QDenseLowering : OpConversionPattern<QDenseOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(QDenseOp op, OpAdaptor a,
                                ConversionPatternRewriter &rw) const override {
    Location loc = op.getLoc();
    Value acc = initialAccumulator(rw, op, a.getBias(), a.getWeight(), 1);
    Value sum = rw.create<linalg::MatmulOp>(
                      loc, TypeRange{acc.getType()},
                      ValueRange{a.getInput(), a.getWeight()}, ValueRange{acc})
                    .getResult(0);
    rw.replaceOp(op, requantizeOutput(rw, op, sum));
    return success();
  }
};

struct QMaxPool2DLowering : OpConversionPattern<QMaxPool2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(QMaxPool2DOp op, OpAdaptor a,
                                ConversionPatternRewriter &rw) const override {
    Location loc = op.getLoc();
    RankedTensorType outType = tensorTypeOf(op.getOutput());
    // -128 is the least int8: padded positions never win.
    TypedAttr lowest = rw.getI8IntegerAttr(-128);
    Value padded = padNHWC(rw, loc, a.getInput(), op.getPad(), lowest);
    Value window =
        rw.create<tensor::EmptyOp>(loc, op.getKernel(), rw.getI8Type());
    rw.replaceOpWithNewOp<linalg::PoolingNhwcMaxOp>(
        op, TypeRange{outType}, ValueRange{padded, window},
        ValueRange{filled(rw, loc, outType, lowest)},
        windowAttrs(rw, op.getStrides()));
    return success();
  }
};

/// quant_math.h's roundedDivide(sum, count) then the narrowing to int8.
Value roundedDivideToInt8(OpBuilder &b, Location l, Value sum, Value count) {
  Value zero = constI32(b, l, 0);
  Value half = b.create<arith::DivSIOp>(l, count, constI32(b, l, 2));
  Value up = b.create<arith::AddIOp>(l, sum, half);
  Value down = b.create<arith::SubIOp>(l, sum, half);
  Value nonNegative =
      b.create<arith::CmpIOp>(l, arith::CmpIPredicate::sge, sum, zero);
  Value numerator = b.create<arith::SelectOp>(l, nonNegative, up, down);
  Value quotient = b.create<arith::DivSIOp>(l, numerator, count);
  return b.create<arith::TruncIOp>(l, b.getI8Type(), quotient);
}

struct QAvgPool2DLowering : OpConversionPattern<QAvgPool2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(QAvgPool2DOp op, OpAdaptor a,
                                ConversionPatternRewriter &rw) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rw.getContext();
    RankedTensorType inType = tensorTypeOf(op.getInput());
    RankedTensorType outType = tensorTypeOf(op.getOutput());
    RankedTensorType sumType = withElementType(outType, rw.getI32Type());
    ArrayRef<int64_t> k = op.getKernel(), s = op.getStrides(), p = op.getPad();
    // Padding only widens the windows; the divisor excludes it.
    Value padded = padNHWC(rw, loc, a.getInput(), p, rw.getI8IntegerAttr(0));
    Value window = rw.create<tensor::EmptyOp>(loc, k, rw.getI32Type());
    Value sum =
        rw.create<linalg::PoolingNhwcSumOp>(
              loc, TypeRange{sumType}, ValueRange{padded, window},
              ValueRange{filled(rw, loc, sumType, rw.getI32IntegerAttr(0))},
              windowAttrs(rw, s))
            .getResult(0);
    int64_t oh = outType.getDimSize(1), ow = outType.getDimSize(2);
    SmallVector<int64_t> rows =
        windowCounts(inType.getDimSize(1), k[0], s[0], p[0], oh);
    SmallVector<int64_t> cols =
        windowCounts(inType.getDimSize(2), k[1], s[1], p[1], ow);
    SmallVector<Attribute> counts;
    for (int64_t r : rows)
      for (int64_t c : cols)
        counts.push_back(rw.getI32IntegerAttr(static_cast<int32_t>(r * c)));
    Value divisor = constantTensor(
        rw, loc, RankedTensorType::get({oh, ow}, rw.getI32Type()), counts);
    AffineMap spatial = AffineMap::get(
        4, 0, {getAffineDimExpr(1, ctx), getAffineDimExpr(2, ctx)}, ctx);
    rw.replaceOp(op,
                 elementwise(rw, loc, outType,
                             {{sum, identityMap(ctx, 4)}, {divisor, spatial}},
                             [](OpBuilder &b, Location l, ValueRange v) {
                               return roundedDivideToInt8(b, l, v[0], v[1]);
                             }));
    return success();
  }
};

struct QGlobalAvgPoolLowering : OpConversionPattern<QGlobalAvgPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(QGlobalAvgPoolOp op, OpAdaptor a,
                                ConversionPatternRewriter &rw) const override {
    Location loc = op.getLoc();
    RankedTensorType inType = tensorTypeOf(op.getInput());
    RankedTensorType outType = tensorTypeOf(op.getOutput());
    Value sum = sumOverSpatial(
        rw, loc, a.getInput(), withElementType(outType, rw.getI32Type()),
        rw.getI32IntegerAttr(0), [](OpBuilder &b, Location l, Value x) {
          return b.create<arith::ExtSIOp>(l, b.getI32Type(), x).getResult();
        });
    int32_t count =
        static_cast<int32_t>(inType.getDimSize(1) * inType.getDimSize(2));
    rw.replaceOp(op, elementwise(rw, loc, outType,
                                 {{sum, identityMap(rw.getContext(), 2)}},
                                 [&](OpBuilder &b, Location l, ValueRange v) {
                                   return roundedDivideToInt8(
                                       b, l, v[0], constI32(b, l, count));
                                 }));
    return success();
  }
};

struct QuantizeLowering : OpConversionPattern<QuantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(QuantizeOp op, OpAdaptor a,
                                ConversionPatternRewriter &rw) const override {
    RankedTensorType type = tensorTypeOf(op.getOutput());
    float scale = op.getScale().convertToFloat();
    int32_t zeroPoint = static_cast<int32_t>(op.getZeroPoint());
    rw.replaceOp(
        op, elementwise(
                rw, op.getLoc(), type,
                {{a.getInput(), identityMap(rw.getContext(), type.getRank())}},
                [&](OpBuilder &b, Location l, ValueRange v) {
                  auto f32 = [&](float x) {
                    return b.create<arith::ConstantOp>(l, b.getF32FloatAttr(x));
                  };
                  // quantizeValue: round half away from zero in f32.
                  Value scaled = b.create<arith::DivFOp>(l, v[0], f32(scale));
                  Value up = b.create<arith::AddFOp>(l, scaled, f32(0.5f));
                  Value down = b.create<arith::SubFOp>(l, scaled, f32(0.5f));
                  Value nonNegative = b.create<arith::CmpFOp>(
                      l, arith::CmpFPredicate::OGE, scaled, f32(0.0f));
                  Value r = b.create<arith::SelectOp>(l, nonNegative, up, down);
                  // Saturate before the conversion, which is undefined out
                  // of range; any |r| >= 512 clamps to the same int8 below.
                  r = b.create<arith::MaximumFOp>(l, r, f32(-512.0f));
                  r = b.create<arith::MinimumFOp>(l, r, f32(512.0f));
                  Value i = b.create<arith::FPToSIOp>(l, b.getI32Type(), r);
                  i = b.create<arith::AddIOp>(l, i, constI32(b, l, zeroPoint));
                  return clampToInt8(b, l, i, -128, 127);
                }));
    return success();
  }
};

struct DequantizeLowering : OpConversionPattern<DequantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(DequantizeOp op, OpAdaptor a,
                                ConversionPatternRewriter &rw) const override {
    RankedTensorType type = tensorTypeOf(op.getOutput());
    float scale = op.getScale().convertToFloat();
    int32_t zeroPoint = static_cast<int32_t>(op.getZeroPoint());
    rw.replaceOp(
        op, elementwise(
                rw, op.getLoc(), type,
                {{a.getInput(), identityMap(rw.getContext(), type.getRank())}},
                [&](OpBuilder &b, Location l, ValueRange v) {
                  Value q = b.create<arith::ExtSIOp>(l, b.getI32Type(), v[0]);
                  q = b.create<arith::SubIOp>(l, q, constI32(b, l, zeroPoint));
                  Value f = b.create<arith::SIToFPOp>(l, b.getF32Type(), q);
                  Value s =
                      b.create<arith::ConstantOp>(l, b.getF32FloatAttr(scale));
                  return b.create<arith::MulFOp>(l, f, s).getResult();
                }));
    return success();
  }
};

} // namespace

void mlir::tnas::populateTnasQuantizedToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns
      .add<QConv2DLowering, QDepthwiseConv2DLowering, QPointwiseConv2DLowering,
           QDenseLowering, QMaxPool2DLowering, QAvgPool2DLowering,
           QGlobalAvgPoolLowering, QuantizeLowering, DequantizeLowering>(
          patterns.getContext());
}

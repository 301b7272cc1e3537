//===- FloatOps.cpp - float tnas layers to linalg on tensors --------------===//
//
// Convolutions and poolings become linalg named ops over an explicitly padded
// input (tensor.pad), accumulating into the broadcast bias; everything
// per-element or per-channel becomes a parallel linalg.generic.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "tnas/Conversion/TnasToLinalg/TnasToLinalg.h"
#include "tnas/Dialect/Tnas/IR/TnasOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::tnas;
using namespace mlir::tnas::lowering;

namespace {

FloatAttr f32Attr(OpBuilder &b, float v) { return b.getF32FloatAttr(v); }

FloatAttr negInfAttr(OpBuilder &b) {
  return b.getF32FloatAttr(-std::numeric_limits<float>::infinity());
}

/// [C, F] -> [1, 1, C, F]: a pointwise filter seen as a 1x1 HWCF filter.
Value pointwiseAsHWCF(OpBuilder &b, Location loc, Value filter) {
  RankedTensorType type = tensorTypeOf(filter);
  auto hwcf = RankedTensorType::get(
      {1, 1, type.getDimSize(0), type.getDimSize(1)}, type.getElementType());
  return b.create<tensor::ExpandShapeOp>(
      loc, hwcf, filter, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
}

/// conv2d and depthwise_conv2d: zero padding, the bias broadcast as the
/// initial accumulator, the linalg convolution of the same layout.
template <typename OpTy, typename LinalgConvOp>
struct WindowedConvLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpConversionPattern<OpTy>::OpAdaptor;
  LogicalResult matchAndRewrite(OpTy op, OpAdaptor a,
                                ConversionPatternRewriter &rw) const override {
    Location loc = op.getLoc();
    RankedTensorType outType = tensorTypeOf(op.getOutput());
    Value padded = padNHWC(rw, loc, a.getInput(), op.getPad(), f32Attr(rw, 0));
    Value acc = broadcastChannels(rw, loc, a.getBias(), outType);
    rw.replaceOpWithNewOp<LinalgConvOp>(
        op, TypeRange{outType}, ValueRange{padded, a.getFilter()},
        ValueRange{acc}, windowAttrs(rw, op.getStrides()));
    return success();
  }
};
using Conv2DLowering = WindowedConvLowering<Conv2DOp, linalg::Conv2DNhwcHwcfOp>;
using DepthwiseConv2DLowering =
    WindowedConvLowering<DepthwiseConv2DOp, linalg::DepthwiseConv2DNhwcHwcOp>;

struct PointwiseConv2DLowering : OpConversionPattern<PointwiseConv2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(PointwiseConv2DOp op, OpAdaptor a,
                                ConversionPatternRewriter &rw) const override {
    Location loc = op.getLoc();
    RankedTensorType outType = tensorTypeOf(op.getOutput());
    Value acc = broadcastChannels(rw, loc, a.getBias(), outType);
    rw.replaceOpWithNewOp<linalg::Conv2DNhwcHwcfOp>(
        op, TypeRange{outType},
        ValueRange{a.getInput(), pointwiseAsHWCF(rw, loc, a.getFilter())},
        ValueRange{acc}, windowAttrs(rw, {1, 1}));
    return success();
  }
};

struct MaxPool2DLowering : OpConversionPattern<MaxPool2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(MaxPool2DOp op, OpAdaptor a,
                                ConversionPatternRewriter &rw) const override {
    Location loc = op.getLoc();
    RankedTensorType outType = tensorTypeOf(op.getOutput());
    // Padded positions read -inf, so they never win.
    Value padded = padNHWC(rw, loc, a.getInput(), op.getPad(), negInfAttr(rw));
    Value window =
        rw.create<tensor::EmptyOp>(loc, op.getKernel(), rw.getF32Type());
    Value init = filled(rw, loc, outType, negInfAttr(rw));
    rw.replaceOpWithNewOp<linalg::PoolingNhwcMaxOp>(
        op, TypeRange{outType}, ValueRange{padded, window}, ValueRange{init},
        windowAttrs(rw, op.getStrides()));
    return success();
  }
};

struct AvgPool2DLowering : OpConversionPattern<AvgPool2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(AvgPool2DOp op, OpAdaptor a,
                                ConversionPatternRewriter &rw) const override {
    Location loc = op.getLoc();
    RankedTensorType inType = tensorTypeOf(op.getInput());
    RankedTensorType outType = tensorTypeOf(op.getOutput());
    ArrayRef<int64_t> k = op.getKernel(), s = op.getStrides(), p = op.getPad();
    Value padded = padNHWC(rw, loc, a.getInput(), p, f32Attr(rw, 0));
    Value window = rw.create<tensor::EmptyOp>(loc, k, rw.getF32Type());
    Value sum = rw.create<linalg::PoolingNhwcSumOp>(
                      loc, TypeRange{outType}, ValueRange{padded, window},
                      ValueRange{filled(rw, loc, outType, f32Attr(rw, 0))},
                      windowAttrs(rw, s))
                    .getResult(0);
    // The divisor counts only the in-bounds positions of each window.
    int64_t oh = outType.getDimSize(1), ow = outType.getDimSize(2);
    SmallVector<int64_t> rows =
        windowCounts(inType.getDimSize(1), k[0], s[0], p[0], oh);
    SmallVector<int64_t> cols =
        windowCounts(inType.getDimSize(2), k[1], s[1], p[1], ow);
    SmallVector<Attribute> counts;
    for (int64_t r : rows)
      for (int64_t c : cols)
        counts.push_back(f32Attr(rw, static_cast<float>(r * c)));
    Value divisor = constantTensor(
        rw, loc, RankedTensorType::get({oh, ow}, rw.getF32Type()), counts);
    MLIRContext *ctx = rw.getContext();
    AffineMap spatial = AffineMap::get(
        4, 0, {getAffineDimExpr(1, ctx), getAffineDimExpr(2, ctx)}, ctx);
    rw.replaceOp(
        op,
        elementwise(rw, loc, outType,
                    {{sum, identityMap(ctx, 4)}, {divisor, spatial}},
                    [](OpBuilder &b, Location l, ValueRange v) {
                      return b.create<arith::DivFOp>(l, v[0], v[1]).getResult();
                    }));
    return success();
  }
};

struct GlobalAvgPoolLowering : OpConversionPattern<GlobalAvgPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(GlobalAvgPoolOp op, OpAdaptor a,
                                ConversionPatternRewriter &rw) const override {
    Location loc = op.getLoc();
    RankedTensorType inType = tensorTypeOf(op.getInput());
    RankedTensorType outType = tensorTypeOf(op.getOutput());
    Value sum =
        sumOverSpatial(rw, loc, a.getInput(), outType, f32Attr(rw, 0),
                       [](OpBuilder &, Location, Value x) { return x; });
    float count =
        static_cast<float>(inType.getDimSize(1) * inType.getDimSize(2));
    MLIRContext *ctx = rw.getContext();
    rw.replaceOp(
        op,
        elementwise(rw, loc, outType, {{sum, identityMap(ctx, 2)}},
                    [&](OpBuilder &b, Location l, ValueRange v) {
                      Value c =
                          b.create<arith::ConstantOp>(l, f32Attr(b, count));
                      return b.create<arith::DivFOp>(l, v[0], c).getResult();
                    }));
    return success();
  }
};

struct FlattenLowering : OpConversionPattern<FlattenOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(FlattenOp op, OpAdaptor a,
                                ConversionPatternRewriter &rw) const override {
    int64_t rank = tensorTypeOf(op.getInput()).getRank();
    ReassociationIndices features;
    for (int64_t d = 1; d < rank; ++d)
      features.push_back(d);
    rw.replaceOpWithNewOp<tensor::CollapseShapeOp>(
        op, tensorTypeOf(op.getOutput()), a.getInput(),
        ArrayRef<ReassociationIndices>{{0}, features});
    return success();
  }
};

struct BatchNormLowering : OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(BatchNormOp op, OpAdaptor a,
                                ConversionPatternRewriter &rw) const override {
    RankedTensorType type = tensorTypeOf(op.getOutput());
    MLIRContext *ctx = rw.getContext();
    unsigned rank = type.getRank();
    AffineMap chan = lastDimMap(ctx, rank);
    float epsilon = op.getEpsilon().convertToFloat();
    // y = gamma * (x - mean) / sqrt(variance + epsilon) + beta
    rw.replaceOp(
        op,
        elementwise(rw, op.getLoc(), type,
                    {{a.getInput(), identityMap(ctx, rank)},
                     {a.getGamma(), chan},
                     {a.getBeta(), chan},
                     {a.getMean(), chan},
                     {a.getVariance(), chan}},
                    [&](OpBuilder &b, Location l, ValueRange v) {
                      Value eps =
                          b.create<arith::ConstantOp>(l, f32Attr(b, epsilon));
                      Value centred = b.create<arith::SubFOp>(l, v[0], v[3]);
                      Value scaled = b.create<arith::MulFOp>(l, v[1], centred);
                      Value var = b.create<arith::AddFOp>(l, v[4], eps);
                      Value sd = b.create<math::SqrtOp>(l, var);
                      Value n = b.create<arith::DivFOp>(l, scaled, sd);
                      return b.create<arith::AddFOp>(l, n, v[2]).getResult();
                    }));
    return success();
  }
};

struct ChannelAffineLowering : OpConversionPattern<ChannelAffineOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ChannelAffineOp op, OpAdaptor a,
                                ConversionPatternRewriter &rw) const override {
    RankedTensorType type = tensorTypeOf(op.getOutput());
    MLIRContext *ctx = rw.getContext();
    unsigned rank = type.getRank();
    rw.replaceOp(
        op,
        elementwise(rw, op.getLoc(), type,
                    {{a.getInput(), identityMap(ctx, rank)},
                     {a.getScale(), lastDimMap(ctx, rank)},
                     {a.getShift(), lastDimMap(ctx, rank)}},
                    [](OpBuilder &b, Location l, ValueRange v) {
                      Value m = b.create<arith::MulFOp>(l, v[0], v[1]);
                      return b.create<arith::AddFOp>(l, m, v[2]).getResult();
                    }));
    return success();
  }
};

/// relu and relu6: clamp below at 0 and, for relu6, above at 6.
template <typename OpT> struct ClampLowering : OpConversionPattern<OpT> {
  ClampLowering(MLIRContext *ctx, std::optional<float> upper)
      : OpConversionPattern<OpT>(ctx), upper(upper) {}
  LogicalResult matchAndRewrite(OpT op, typename OpT::Adaptor a,
                                ConversionPatternRewriter &rw) const override {
    RankedTensorType type = tensorTypeOf(op.getOutput());
    MLIRContext *ctx = rw.getContext();
    rw.replaceOp(
        op, elementwise(
                rw, op.getLoc(), type,
                {{a.getInput(), identityMap(ctx, type.getRank())}},
                [&](OpBuilder &b, Location l, ValueRange v) {
                  Value zero = b.create<arith::ConstantOp>(l, f32Attr(b, 0));
                  Value r = b.create<arith::MaximumFOp>(l, v[0], zero);
                  if (!upper)
                    return r;
                  Value hi = b.create<arith::ConstantOp>(l, f32Attr(b, *upper));
                  return b.create<arith::MinimumFOp>(l, r, hi).getResult();
                }));
    return success();
  }
  std::optional<float> upper;
};

struct AddLowering : OpConversionPattern<AddOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(AddOp op, OpAdaptor a,
                                ConversionPatternRewriter &rw) const override {
    RankedTensorType type = tensorTypeOf(op.getOutput());
    AffineMap id = identityMap(rw.getContext(), type.getRank());
    rw.replaceOp(
        op,
        elementwise(rw, op.getLoc(), type, {{a.getLhs(), id}, {a.getRhs(), id}},
                    [](OpBuilder &b, Location l, ValueRange v) {
                      return b.create<arith::AddFOp>(l, v[0], v[1]).getResult();
                    }));
    return success();
  }
};

/// Softmax over the last dimension, stabilised by subtracting the row max.
struct SoftmaxLowering : OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(SoftmaxOp op, OpAdaptor a,
                                ConversionPatternRewriter &rw) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rw.getContext();
    RankedTensorType type = tensorTypeOf(op.getOutput());
    unsigned rank = type.getRank();
    auto rowType = RankedTensorType::get(type.getShape().drop_back(),
                                         type.getElementType());
    SmallVector<AffineExpr> rowExprs;
    for (unsigned d = 0; d + 1 < rank; ++d)
      rowExprs.push_back(getAffineDimExpr(d, ctx));
    AffineMap id = identityMap(ctx, rank);
    AffineMap row = AffineMap::get(rank, 0, rowExprs, ctx);
    SmallVector<utils::IteratorType> iterators(rank - 1,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);

    Value max =
        rw.create<linalg::GenericOp>(
              loc, TypeRange{rowType}, ValueRange{a.getInput()},
              ValueRange{filled(rw, loc, rowType, negInfAttr(rw))},
              ArrayRef<AffineMap>{id, row}, iterators,
              [](OpBuilder &b, Location l, ValueRange v) {
                b.create<linalg::YieldOp>(
                    l, b.create<arith::MaximumFOp>(l, v[0], v[1]).getResult());
              })
            .getResult(0);
    auto expOf = [](OpBuilder &b, Location l, Value x, Value m) {
      return b.create<math::ExpOp>(l, b.create<arith::SubFOp>(l, x, m));
    };
    Value sum = rw.create<linalg::GenericOp>(
                      loc, TypeRange{rowType}, ValueRange{a.getInput(), max},
                      ValueRange{filled(rw, loc, rowType, f32Attr(rw, 0))},
                      ArrayRef<AffineMap>{id, row, row}, iterators,
                      [&](OpBuilder &b, Location l, ValueRange v) {
                        Value e = expOf(b, l, v[0], v[1]);
                        b.create<linalg::YieldOp>(
                            l, b.create<arith::AddFOp>(l, v[2], e).getResult());
                      })
                    .getResult(0);
    rw.replaceOp(
        op,
        elementwise(rw, loc, type, {{a.getInput(), id}, {max, row}, {sum, row}},
                    [&](OpBuilder &b, Location l, ValueRange v) {
                      Value e = expOf(b, l, v[0], v[1]);
                      return b.create<arith::DivFOp>(l, e, v[2]).getResult();
                    }));
    return success();
  }
};

struct DenseLowering : OpConversionPattern<DenseOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(DenseOp op, OpAdaptor a,
                                ConversionPatternRewriter &rw) const override {
    RankedTensorType outType = tensorTypeOf(op.getOutput());
    Value acc = broadcastChannels(rw, op.getLoc(), a.getBias(), outType);
    rw.replaceOpWithNewOp<linalg::MatmulOp>(
        op, TypeRange{outType}, ValueRange{a.getInput(), a.getWeight()},
        ValueRange{acc});
    return success();
  }
};

/// split and dropout are the identity at inference.
template <typename OpT> struct IdentityLowering : OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;
  LogicalResult matchAndRewrite(OpT op, typename OpT::Adaptor a,
                                ConversionPatternRewriter &rw) const override {
    rw.replaceOp(op, a.getInput());
    return success();
  }
};

} // namespace

void mlir::tnas::populateTnasFloatToLinalgPatterns(
    RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<Conv2DLowering, DepthwiseConv2DLowering, PointwiseConv2DLowering,
               MaxPool2DLowering, AvgPool2DLowering, GlobalAvgPoolLowering,
               FlattenLowering, BatchNormLowering, ChannelAffineLowering,
               AddLowering, SoftmaxLowering, DenseLowering,
               IdentityLowering<SplitOp>, IdentityLowering<DropoutOp>>(ctx);
  patterns.add<ClampLowering<ReluOp>>(ctx, std::nullopt);
  patterns.add<ClampLowering<Relu6Op>>(ctx, 6.0f);
}

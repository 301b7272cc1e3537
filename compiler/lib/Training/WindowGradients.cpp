//===- WindowGradients.cpp - conv, depthwise and pool gradients -----------===//
//
// Window ops, forward and backward, as linalg.generic on NHWC tensors.
// Loop order puts the output channel innermost so that LLVM vectorizes the
// contiguous dimension.
//
// Backward of a strided convolution y[oh] = sum_k xp[oh*s + k] w[k]:
//   dw[k]  = sum_oh xp[oh*s + k] dy[oh]                (a window reduction)
//   dxp[i] = sum_k dyd[i + k] w[K-1-k]                 (full correlation)
// where dyd is dy dilated by s (s-1 zeros between samples) and padded by K-1
// in front, so that dxp covers the whole padded input.
// Pools: the forward pass records the argmax of each window (first maximum
// in raster order); the backward pass scatters dy into each window offset
// (kh, kw) with a strided insert_slice.
//
//===----------------------------------------------------------------------===//
#include "WindowOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;
using namespace tnas;
using namespace tnas::training;

static Value broadcastBias(TensorOps &t, Value bias,
                           ArrayRef<int64_t> outShape) {
  unsigned r = outShape.size();
  return t.generic({bias}, {t.empty(outShape)},
                   {t.amap(r, {t.d(r - 1)}), t.b.getMultiDimIdentityMap(r)},
                   SmallVector<IterType>(r, IterType::parallel),
                   [](OpBuilder &, Location, ValueRange a) {
                     return SmallVector<Value>{a[0]};
                   })[0];
}

/// A named linalg.conv_2d_nhwc_hwcf: the lowering tiles and vectorizes
/// these (see TrainingKernels.cpp), so every dense convolution of the step,
/// forward and backward, is expressed as one.
static Value namedConv(TensorOps &t, Value in, Value filter, Value init,
                       int64_t stride, int64_t dilation) {
  auto pair = [&](int64_t v) {
    return DenseIntElementsAttr::get(
        RankedTensorType::get({2}, t.b.getI64Type()), ArrayRef<int64_t>{v, v});
  };
  return t.b
      .create<linalg::Conv2DNhwcHwcfOp>(
          t.loc, TypeRange{init.getType()}, ValueRange{in, filter},
          ValueRange{init}, pair(stride), pair(dilation))
      .getResult(0);
}

/// out[i0..i3] = in[perm applied]: `inMap` maps output indices to input ones.
static Value transpose(TensorOps &t, Value in, ArrayRef<int64_t> outShape,
                       AffineMap inMap) {
  return t.generic({in}, {t.empty(outShape)},
                   {inMap, t.b.getMultiDimIdentityMap(4)},
                   SmallVector<IterType>(4, IterType::parallel),
                   [](OpBuilder &, Location, ValueRange a) {
                     return SmallVector<Value>{a[0]};
                   })[0];
}

static BodyFn multiplyAccumulate(TensorOps &t) {
  return [&t](OpBuilder &ib, Location, ValueRange a) {
    return SmallVector<Value>{t.add(ib, a[2], t.mul(ib, a[0], a[1]))};
  };
}

/// The k*k window positions of `xp` in (kh, kw) order, each the strided
/// slice xp[:, kh + s*i, kw + s*j, :] of the output's shape (a view after
/// bufferization, no copy). Slices rather than maps d1*s+kh on xp: with
/// stride 1 the (0, 0) map would be a plain dimension and linalg would take
/// the loop bounds from xp's (larger) shape.
static SmallVector<Value> windowPositions(TensorOps &t, const WindowGeometry &g,
                                          Value xp, ArrayRef<int64_t> out) {
  SmallVector<Value> positions;
  int64_t s = g.stride;
  for (int64_t kh = 0; kh < g.kernel; ++kh)
    for (int64_t kw = 0; kw < g.kernel; ++kw)
      positions.push_back(t.slice(xp, {0, kh, kw, 0}, out, {1, s, s, 1}));
  return positions;
}

Value training::emitWindowForward(TensorOps &t, const WindowGeometry &g,
                                  Value xp, Value w, Value bias) {
  int64_t n = TensorOps::shapeOf(xp)[0];
  int64_t s = g.stride;
  if (g.kind == WindowKind::Conv) {
    int64_t f = TensorOps::shapeOf(w)[3];
    Value init = broadcastBias(t, bias, {n, g.outH, g.outW, f});
    return namedConv(t, xp, w, init, s, 1);
  }
  int64_t c = TensorOps::shapeOf(xp)[3], k = g.kernel;
  // One parallel generic over (n, oh, ow, c) with the k*k window positions
  // as k*k operands, summed in (kh, kw) order in the body: a reduction over
  // (kh, kw) nested outside the channels read and wrote the output through
  // memory at every position, scalar (see emitMaxPoolForward).
  SmallVector<int64_t> out = {n, g.outH, g.outW, c};
  auto id = t.b.getMultiDimIdentityMap(4);
  SmallVector<Value> inputs = windowPositions(t, g, xp, out);
  SmallVector<AffineMap> maps(inputs.size(), id);
  SmallVector<IterType> iters(4, IterType::parallel);
  if (g.kind == WindowKind::Depthwise) {
    // out = bias + sum x*w, the same operations in the same order as the
    // reduction it replaces.
    for (int64_t kh = 0; kh < k; ++kh)
      for (int64_t kw = 0; kw < k; ++kw) {
        inputs.push_back(w);
        maps.push_back(t.amap(4, {t.b.getAffineConstantExpr(kh),
                                  t.b.getAffineConstantExpr(kw), t.d(3)}));
      }
    inputs.push_back(bias);
    maps.push_back(t.amap(4, {t.d(3)}));
    maps.push_back(id);
    return t.generic(inputs, {t.empty(out)}, maps, iters,
                     [&t, k](OpBuilder &ib, Location, ValueRange a) {
                       int64_t kk = k * k;
                       Value acc = a[2 * kk];
                       for (int64_t j = 0; j < kk; ++j)
                         acc = t.add(ib, acc, t.mul(ib, a[j], a[kk + j]));
                       return SmallVector<Value>{acc};
                     })[0];
  }
  if (g.kind == WindowKind::AvgPool) {
    maps.push_back(id);
    double scale = 1.0 / double(k * k);
    return t.generic(inputs, {t.empty(out)}, maps, iters,
                     [&t, k, scale](OpBuilder &ib, Location, ValueRange a) {
                       Value acc = t.constant(ib, 0.0);
                       for (int64_t j = 0; j < k * k; ++j)
                         acc = t.add(ib, acc, a[j]);
                       return SmallVector<Value>{
                           t.mul(ib, acc, t.constant(ib, scale))};
                     })[0];
  }
  llvm_unreachable("max pool goes through emitMaxPoolForward");
}

std::pair<Value, Value>
training::emitMaxPoolForward(TensorOps &t, const WindowGeometry &g, Value xp) {
  SmallVector<int64_t> in = TensorOps::shapeOf(xp);
  SmallVector<int64_t> out = {in[0], g.outH, g.outW, in[3]};
  int64_t k = g.kernel;
  Type i32 = t.b.getI32Type();
  // One parallel generic with the k*k window positions as k*k operands
  // (strided slices of xp), unrolled in the body in (kh, kw) order. As a
  // reduction over (kh, kw) nested outside the channels, the loops read and
  // wrote the max and argmax outputs through memory at every window
  // position, scalar (18 % of tnas_fwd_bwd in perf at slice 16); this way
  // the outputs are written once, without a fill, and the channel loop
  // vectorizes. Same selects in the same order: the first argmax, as before.
  SmallVector<Value> inputs = windowPositions(t, g, xp, out);
  SmallVector<AffineMap> maps(inputs.size() + 2, t.b.getMultiDimIdentityMap(4));
  auto res = t.generic(
      inputs, {t.empty(out), t.empty(out, i32)}, maps,
      SmallVector<IterType>(4, IterType::parallel),
      [&t, k](OpBuilder &ib, Location l, ValueRange a) {
        Value best = t.constant(ib, -std::numeric_limits<double>::infinity());
        Value idx = ib.create<arith::ConstantOp>(l, ib.getI32IntegerAttr(0));
        for (int64_t j = 0; j < k * k; ++j) {
          Value gt = ib.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGT,
                                              a[j], best);
          Value flat =
              ib.create<arith::ConstantOp>(l, ib.getI32IntegerAttr(int32_t(j)));
          best = ib.create<arith::SelectOp>(l, gt, a[j], best);
          idx = ib.create<arith::SelectOp>(l, gt, flat, idx);
        }
        return SmallVector<Value>{best, idx};
      });
  return {res[0], res[1]};
}

/// Adds `part` ([n,OH,OW,C]) into window offset (kh, kw) of the padded input
/// gradient `dxp`. Windows that do not overlap (stride >= kernel) are
/// written without reading back.
static Value scatterWindow(TensorOps &t, const WindowGeometry &g, Value dxp,
                           Value part, int64_t kh, int64_t kw) {
  SmallVector<int64_t> ps = TensorOps::shapeOf(part);
  SmallVector<int64_t> offsets = {0, kh, kw, 0};
  SmallVector<int64_t> strides = {1, g.stride, g.stride, 1};
  if (g.stride < g.kernel) {
    Value region = t.slice(dxp, offsets, ps, strides);
    part = t.map({region, part}, [&t](OpBuilder &ib, Location, ValueRange a) {
      return SmallVector<Value>{t.add(ib, a[0], a[1])};
    });
  }
  return t.insert(part, dxp, offsets, strides);
}

WindowGrads training::emitWindowBackward(TensorOps &t, const WindowGeometry &g,
                                         Value xp, Value w, Value argmax,
                                         Value dy, bool needInput) {
  WindowGrads grads;
  SmallVector<int64_t> xs = TensorOps::shapeOf(xp);
  SmallVector<int64_t> ys = TensorOps::shapeOf(dy);
  int64_t n = xs[0], hp = xs[1], wp = xs[2], c = xs[3];
  int64_t s = g.stride, k = g.kernel;
  auto P = IterType::parallel, R = IterType::reduction;
  auto identity = [](OpBuilder &, Location, ValueRange a) {
    return SmallVector<Value>{a[0]};
  };

  if (g.kind == WindowKind::MaxPool && s == k) {
    // Windows tile the input: each input position belongs to at most one
    // window, so one gather produces the gradient of the covered region.
    int64_t ch = ys[1] * s, cw = ys[2] * s;
    auto win =
        t.amap(4, {t.d(0), t.d(1).floorDiv(s), t.d(2).floorDiv(s), t.d(3)});
    Value covered = t.generic(
        {dy, argmax}, {t.empty({n, ch, cw, c})},
        {win, win, t.b.getMultiDimIdentityMap(4)}, SmallVector<IterType>(4, P),
        [&t, s, k](OpBuilder &ib, Location l, ValueRange a) {
          Value sc = ib.create<arith::ConstantIndexOp>(l, s);
          Value kc = ib.create<arith::ConstantIndexOp>(l, k);
          Value kh = ib.create<arith::RemUIOp>(l, t.index(ib, 1), sc);
          Value kw = ib.create<arith::RemUIOp>(l, t.index(ib, 2), sc);
          Value flat = ib.create<arith::AddIOp>(
              l, ib.create<arith::MulIOp>(l, kh, kc), kw);
          Value hit = ib.create<arith::CmpIOp>(
              l, arith::CmpIPredicate::eq, a[1],
              ib.create<arith::IndexCastOp>(l, ib.getI32Type(), flat));
          return SmallVector<Value>{
              ib.create<arith::SelectOp>(l, hit, a[0], t.constant(ib, 0.0))};
        })[0];
    grads.paddedInput =
        (ch == hp && cw == wp)
            ? covered
            : t.insert(covered, t.filled({n, hp, wp, c}, 0.0), {0, 0, 0, 0});
    return grads;
  }
  if (g.kind == WindowKind::MaxPool || g.kind == WindowKind::AvgPool) {
    Value dxp = t.filled({n, hp, wp, c}, 0.0);
    Value avg;
    if (g.kind == WindowKind::AvgPool) {
      double scale = 1.0 / double(k * k);
      avg = t.map({dy}, [&t, scale](OpBuilder &ib, Location, ValueRange a) {
        return SmallVector<Value>{t.mul(ib, a[0], t.constant(ib, scale))};
      });
    }
    for (int64_t kh = 0; kh < k; ++kh)
      for (int64_t kw = 0; kw < k; ++kw) {
        Value part = avg;
        if (!part) {
          int32_t flat = int32_t(kh * k + kw);
          part = t.map({dy, argmax}, [&t, flat](OpBuilder &ib, Location l,
                                                ValueRange a) {
            Value want =
                ib.create<arith::ConstantOp>(l, ib.getI32IntegerAttr(flat));
            Value hit = ib.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq,
                                                 a[1], want);
            return SmallVector<Value>{
                ib.create<arith::SelectOp>(l, hit, a[0], t.constant(ib, 0))};
          });
        }
        dxp = scatterWindow(t, g, dxp, part, kh, kw);
      }
    grads.paddedInput = dxp;
    return grads;
  }

  bool depthwise = g.kind == WindowKind::Depthwise;
  int64_t f = ys[3];
  grads.bias = t.reduce({dy}, identity);
  if (depthwise) {
    grads.weight = t.generic(
        {xp, dy}, {t.filled({k, k, c}, 0)},
        {t.amap(6, {t.d(0), t.d(1) * s + t.d(3), t.d(2) * s + t.d(4), t.d(5)}),
         t.amap(6, {t.d(0), t.d(1), t.d(2), t.d(5)}),
         t.amap(6, {t.d(3), t.d(4), t.d(5)})},
        {R, R, R, P, P, P}, multiplyAccumulate(t))[0];
  } else {
    // dw[kh,kw,c,f] = sum_{n,oh,ow} xp[n, oh*s+kh, ow*s+kw, c] dy[n,oh,ow,f]
    // is a convolution of xp^T [C,Hp,Wp,N] by dy^T [OH,OW,N,F] dilated by s.
    Value xt = transpose(t, xp, {c, hp, wp, n},
                         t.amap(4, {t.d(3), t.d(1), t.d(2), t.d(0)}));
    Value dyt = transpose(t, dy, {ys[1], ys[2], n, f},
                          t.amap(4, {t.d(2), t.d(0), t.d(1), t.d(3)}));
    int64_t oh = hp - s * (ys[1] - 1), ow = wp - s * (ys[2] - 1);
    Value dwt = namedConv(t, xt, dyt, t.filled({c, oh, ow, f}, 0.0), 1, s);
    if (oh != k || ow != k)
      dwt = t.slice(dwt, {0, 0, 0, 0}, {c, k, k, f});
    grads.weight = transpose(t, dwt, {k, k, c, f},
                             t.amap(4, {t.d(2), t.d(0), t.d(1), t.d(3)}));
  }
  if (!needInput)
    return grads;

  // Dilate dy by the stride and pad it by K-1 in front (and enough behind to
  // cover the whole padded input).
  Value dyd = t.filled({n, hp + k - 1, wp + k - 1, f}, 0.0);
  dyd = t.insert(dy, dyd, {0, k - 1, k - 1, 0}, {1, s, s, 1});
  auto K1 = t.b.getAffineConstantExpr(k - 1);
  if (depthwise) {
    Value flipped = t.generic({w}, {t.empty({k, k, c})},
                              {t.amap(3, {K1 - t.d(0), K1 - t.d(1), t.d(2)}),
                               t.b.getMultiDimIdentityMap(3)},
                              {P, P, P}, identity)[0];
    grads.paddedInput = t.generic(
        {dyd, flipped}, {t.filled({n, hp, wp, c}, 0)},
        {t.amap(6, {t.d(0), t.d(1) + t.d(3), t.d(2) + t.d(4), t.d(5)}),
         t.amap(6, {t.d(3), t.d(4), t.d(5)}),
         t.amap(6, {t.d(0), t.d(1), t.d(2), t.d(5)})},
        {P, P, P, R, R, P}, multiplyAccumulate(t))[0];
    return grads;
  }
  // flipped[kh, kw, f, c] = w[K-1-kh, K-1-kw, c, f]
  Value flipped =
      t.generic({w}, {t.empty({k, k, f, c})},
                {t.amap(4, {K1 - t.d(0), K1 - t.d(1), t.d(3), t.d(2)}),
                 t.b.getMultiDimIdentityMap(4)},
                {P, P, P, P}, identity)[0];
  grads.paddedInput =
      namedConv(t, dyd, flipped, t.filled({n, hp, wp, c}, 0), 1, 1);
  return grads;
}

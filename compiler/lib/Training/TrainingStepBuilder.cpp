//===- TrainingStepBuilder.cpp - the fused training step as MLIR ----------===//
//
// Assembles the functions described in TrainingStep.h from the per-layer
// forward/backward builders. Memref arguments are read with
// `bufferization.to_tensor restrict` and written back with
// `bufferization.materialize_in_destination`, so that the body is pure
// linalg on tensors until one-shot bufferization.
//
//===----------------------------------------------------------------------===//
#include "tnas/Training/TrainingStep.h"

#include "LayerGradients.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace tnas;
using namespace tnas::training;

static llvm::Error makeError(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

llvm::Expected<ParameterLayout>
ParameterLayout::compute(const Network &net, OptimizerKind optimizer) {
  auto shapes = net.inferShapes();
  if (!shapes)
    return shapes.takeError();
  ParameterLayout layout;
  int64_t p = 0, b = 0;
  auto take = [](int64_t &cursor, std::vector<int64_t> shape) {
    FlatSlot s{cursor, std::move(shape)};
    cursor += s.size();
    return s;
  };
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const Layer &l = net.layers[i];
    Shape in = i == 0 ? net.input : (*shapes)[i - 1];
    LayerSlots slots;
    switch (l.kind) {
    case LayerKind::Conv:
      slots.hasParams = true;
      slots.weight = take(p, {l.kernel, l.kernel, in.c, l.channels});
      slots.bias = take(p, {l.channels});
      break;
    case LayerKind::PointwiseConv:
      slots.hasParams = true;
      slots.weight = take(p, {1, 1, in.c, l.channels});
      slots.bias = take(p, {l.channels});
      break;
    case LayerKind::DepthwiseConv:
      slots.hasParams = true;
      slots.weight = take(p, {l.kernel, l.kernel, in.c});
      slots.bias = take(p, {in.c});
      break;
    case LayerKind::Dense:
      slots.hasParams = true;
      slots.weight = take(p, {in.c, l.channels});
      slots.bias = take(p, {l.channels});
      break;
    case LayerKind::BatchNorm:
      slots.hasParams = true;
      slots.weight = take(p, {in.c});
      slots.bias = take(p, {in.c});
      slots.hasRunningStats = true;
      slots.runningMean = take(b, {in.c});
      slots.runningVar = take(b, {in.c});
      break;
    default:
      break;
    }
    layout.layers.push_back(std::move(slots));
  }
  if (p == 0)
    return makeError("the network has no trainable parameters");
  layout.numParams = p;
  // A network without batchnorm still gets one (unused) buffer slot, so that
  // no function argument has a zero-sized shape.
  layout.numBuffers = std::max<int64_t>(b, 1);
  layout.stateSize = optimizer == OptimizerKind::Adam ? 2 * p : p;
  return layout;
}

namespace {

/// Builds the four functions into one module.
class StepModuleBuilder {
public:
  StepModuleBuilder(MLIRContext &ctx, const Network &net,
                    const TrainingStepConfig &config, ParameterLayout layout)
      : ctx(ctx), net(net), config(config), layout(std::move(layout)), b(&ctx),
        loc(FileLineColLoc::get(&ctx, "tnas-training-step", 1, 1)) {
    ft = config.useF64 ? FloatType(b.getF64Type()) : FloatType(b.getF32Type());
    slice = config.sliceSamples();
  }

  OwningOpRef<ModuleOp> build();

private:
  MLIRContext &ctx;
  const Network &net;
  const TrainingStepConfig &config;
  ParameterLayout layout;
  OpBuilder b;
  Location loc;
  FloatType ft;
  int64_t slice;

  MemRefType mem(ArrayRef<int64_t> shape, Type elt = {}) {
    return MemRefType::get(shape, elt ? elt : Type(ft));
  }
  MemRefType batchType(int64_t n) {
    return mem({n, net.input.h, net.input.w, net.input.c});
  }
  func::FuncOp beginFunction(ModuleOp module, StringRef name,
                             ArrayRef<Type> args);
  Value load(Value memref) {
    return b.create<bufferization::ToTensorOp>(loc, memref, /*restrict=*/true);
  }
  void store(Value tensor, Value memref) {
    b.create<bufferization::MaterializeInDestinationOp>(
        loc, TypeRange{}, tensor, memref, /*restrict=*/true,
        /*writable=*/true);
  }
  Value scalar(Value tensor, int64_t i) {
    Value idx = b.create<arith::ConstantIndexOp>(loc, i);
    return b.create<tensor::ExtractOp>(loc, tensor, ValueRange{idx});
  }

  std::vector<LayerParams> unpack(TensorOps &t, Value params, Value running);

  struct Gradients {
    Value grads, batchStats, metrics;
  };
  Gradients emitForwardBackward(TensorOps &t, Value params, Value running,
                                Value x, Value labels, Value ctrl);
  Value emitEvaluation(TensorOps &t, Value params, Value running, Value x,
                       Value labels);
  struct Updated {
    Value params, state, running;
  };
  Updated emitUpdate(TensorOps &t, Value params, Value state, Value running,
                     Value grads, Value batchStats, Value hyper);
};

} // namespace

func::FuncOp StepModuleBuilder::beginFunction(ModuleOp module, StringRef name,
                                              ArrayRef<Type> args) {
  b.setInsertionPointToEnd(module.getBody());
  auto fn = b.create<func::FuncOp>(loc, name, b.getFunctionType(args, {}));
  fn->setAttr("llvm.emit_c_interface", b.getUnitAttr());
  Block *entry = fn.addEntryBlock();
  b.setInsertionPointToStart(entry);
  return fn;
}

std::vector<LayerParams> StepModuleBuilder::unpack(TensorOps &t, Value params,
                                                   Value running) {
  std::vector<LayerParams> out(net.layers.size());
  auto view = [&](Value flat, const FlatSlot &s) {
    return t.reshape(t.slice(flat, {s.offset}, {s.size()}), s.shape);
  };
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const LayerSlots &s = layout.layers[i];
    if (s.hasParams) {
      out[i].weight = view(params, s.weight);
      out[i].bias = view(params, s.bias);
    }
    if (s.hasRunningStats) {
      out[i].runningMean = view(running, s.runningMean);
      out[i].runningVar = view(running, s.runningVar);
    }
  }
  return out;
}

StepModuleBuilder::Gradients
StepModuleBuilder::emitForwardBackward(TensorOps &t, Value params,
                                       Value running, Value x, Value labels,
                                       Value ctrl) {
  std::vector<LayerParams> lp = unpack(t, params, running);
  ForwardMode mode;
  mode.training = true;
  mode.bnEpsilon = config.bnEpsilon;
  mode.seed = scalar(ctrl, 0);
  mode.step = scalar(ctrl, 1);
  mode.sampleOffset = scalar(ctrl, 2);

  size_t n = net.layers.size();
  std::vector<LayerTape> tapes(n);
  std::vector<Value> outputs(n);
  Value act = x;
  for (size_t i = 0; i < n; ++i)
    act = outputs[i] =
        emitLayerForward(t, net.layers[i], lp[i], act, mode, tapes[i]);
  LossResult loss = emitSoftmaxCrossEntropy(t, act, labels, config.batch, true);

  Value grads = t.filled({layout.numParams}, 0.0);
  Value stats = t.filled({layout.numBuffers}, 0.0);
  Value dy = loss.gradient;
  for (size_t j = n; j-- > 0;) {
    const LayerSlots &s = layout.layers[j];
    LayerGrads g = emitLayerBackward(t, net.layers[j], lp[j], tapes[j], dy,
                                     outputs[j], /*needInput=*/j > 0);
    if (s.hasParams) {
      grads = t.insert(t.flatten(g.weight), grads, {s.weight.offset});
      grads = t.insert(t.flatten(g.bias), grads, {s.bias.offset});
    }
    if (s.hasRunningStats) {
      stats = t.insert(tapes[j].mean, stats, {s.runningMean.offset});
      stats = t.insert(tapes[j].unbiasedVar, stats, {s.runningVar.offset});
    }
    dy = g.input;
  }
  Value metrics = b.create<tensor::FromElementsOp>(
      loc, t.type({2}), ValueRange{loss.lossSum, loss.correct});
  return {grads, stats, metrics};
}

Value StepModuleBuilder::emitEvaluation(TensorOps &t, Value params,
                                        Value running, Value x, Value labels) {
  std::vector<LayerParams> lp = unpack(t, params, running);
  ForwardMode mode;
  mode.training = false;
  mode.bnEpsilon = config.bnEpsilon;
  Value act = x;
  for (size_t i = 0; i < net.layers.size(); ++i) {
    LayerTape tape;
    act = emitLayerForward(t, net.layers[i], lp[i], act, mode, tape);
  }
  LossResult loss =
      emitSoftmaxCrossEntropy(t, act, labels, config.batch, false);
  return b.create<tensor::FromElementsOp>(
      loc, t.type({2}), ValueRange{loss.lossSum, loss.correct});
}

StepModuleBuilder::Updated
StepModuleBuilder::emitUpdate(TensorOps &t, Value params, Value state,
                              Value running, Value grads, Value batchStats,
                              Value hyper) {
  auto P = IterType::parallel, R = IterType::reduction;
  int64_t threads = TensorOps::shapeOf(grads)[0];
  auto sumThreads = [&](Value perThread, int64_t len) {
    return t.generic({perThread}, {t.filled({len}, 0.0)},
                     {t.amap(2, {t.d(1), t.d(0)}), t.amap(2, {t.d(0)})}, {P, R},
                     [&t](OpBuilder &ib, Location, ValueRange a) {
                       return SmallVector<Value>{t.add(ib, a[1], a[0])};
                     })[0];
  };
  Value g = sumThreads(grads, layout.numParams);
  Value lr = scalar(hyper, 0), beta1 = scalar(hyper, 1),
        beta2 = scalar(hyper, 2), eps = scalar(hyper, 3),
        corr1 = scalar(hyper, 4), corr2 = scalar(hyper, 5),
        decay = scalar(hyper, 6);
  auto id = t.b.getMultiDimIdentityMap(1);
  Updated u;
  int64_t np = layout.numParams;
  if (config.optimizer == OptimizerKind::SgdMomentum) {
    // v = mu v + (g + wd p); p -= lr v
    auto r = t.generic(
        {params, g, state}, {t.empty({np}), t.empty({np})},
        {id, id, id, id, id}, {P}, [&](OpBuilder &ib, Location, ValueRange a) {
          Value gd = t.add(ib, a[1], t.mul(ib, decay, a[0]));
          Value v = t.add(ib, t.mul(ib, beta1, a[2]), gd);
          return SmallVector<Value>{t.sub(ib, a[0], t.mul(ib, lr, v)), v};
        });
    u.params = r[0];
    u.state = r[1];
  } else {
    // m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
    // p -= lr (m corr1) / (sqrt(v corr2) + eps)
    Value m = t.slice(state, {0}, {np});
    Value v = t.slice(state, {np}, {np});
    auto r = t.generic(
        {params, g, m, v}, {t.empty({np}), t.empty({np}), t.empty({np})},
        {id, id, id, id, id, id, id}, {P},
        [&](OpBuilder &ib, Location l, ValueRange a) {
          Value one = t.constant(ib, 1.0);
          Value gd = t.add(ib, a[1], t.mul(ib, decay, a[0]));
          Value m2 = t.add(ib, t.mul(ib, beta1, a[2]),
                           t.mul(ib, t.sub(ib, one, beta1), gd));
          Value v2 = t.add(ib, t.mul(ib, beta2, a[3]),
                           t.mul(ib, t.sub(ib, one, beta2), t.mul(ib, gd, gd)));
          Value denom =
              t.add(ib, ib.create<math::SqrtOp>(l, t.mul(ib, v2, corr2)), eps);
          Value step = t.div(ib, t.mul(ib, lr, t.mul(ib, m2, corr1)), denom);
          return SmallVector<Value>{t.sub(ib, a[0], step), m2, v2};
        });
    u.params = r[0];
    Value s = t.empty({2 * np});
    s = t.insert(r[1], s, {0});
    u.state = t.insert(r[2], s, {np});
  }
  // running = (1 - m) running + m mean_over_threads(batch statistics)
  Value statSum = sumThreads(batchStats, layout.numBuffers);
  double keep = 1.0 - config.bnMomentum;
  double take = config.bnMomentum / double(threads);
  u.running = t.map({running, statSum},
                    [&t, keep, take](OpBuilder &ib, Location, ValueRange a) {
                      return SmallVector<Value>{
                          t.add(ib, t.mul(ib, a[0], t.constant(ib, keep)),
                                t.mul(ib, a[1], t.constant(ib, take)))};
                    });
  return u;
}

OwningOpRef<ModuleOp> StepModuleBuilder::build() {
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  int64_t np = layout.numParams, nb = layout.numBuffers, ns = layout.stateSize,
          T = config.numSlices(), N = config.batch;
  Type i32 = b.getI32Type();
  TensorOps t(b, loc, ft);

  if (config.hasFusedStep()) { // fused step over the whole batch
    func::FuncOp fn =
        beginFunction(*module, "tnas_train_step",
                      {mem({np}), mem({ns}), mem({nb}), batchType(N),
                       mem({N}, i32), mem({4}, i32), mem({8}), mem({2})});
    ValueRange a = fn.getArguments();
    Value params = load(a[0]), state = load(a[1]), running = load(a[2]);
    Gradients g = emitForwardBackward(t, params, running, load(a[3]),
                                      load(a[4]), load(a[5]));
    auto asRow = [&](Value v, int64_t len) {
      return b.create<tensor::ExpandShapeOp>(
          loc, t.type({1, len}), v, ArrayRef<ReassociationIndices>{{0, 1}});
    };
    Updated u = emitUpdate(t, params, state, running, asRow(g.grads, np),
                           asRow(g.batchStats, nb), load(a[6]));
    store(u.params, a[0]);
    store(u.state, a[1]);
    store(u.running, a[2]);
    store(g.metrics, a[7]);
    b.create<func::ReturnOp>(loc);
  }
  if (config.hasSplitStep()) { // one thread's slice: forward + backward
    func::FuncOp fn = beginFunction(*module, "tnas_fwd_bwd",
                                    {mem({np}), mem({nb}), batchType(slice),
                                     mem({slice}, i32), mem({4}, i32),
                                     mem({np}), mem({nb}), mem({2})});
    ValueRange a = fn.getArguments();
    Gradients g = emitForwardBackward(t, load(a[0]), load(a[1]), load(a[2]),
                                      load(a[3]), load(a[4]));
    store(g.grads, a[5]);
    store(g.batchStats, a[6]);
    store(g.metrics, a[7]);
    b.create<func::ReturnOp>(loc);
  }
  if (config.hasSplitStep()) { // optimizer update from the threads' grads
    func::FuncOp fn = beginFunction(*module, "tnas_update",
                                    {mem({np}), mem({ns}), mem({nb}),
                                     mem({T, np}), mem({T, nb}), mem({8})});
    ValueRange a = fn.getArguments();
    Updated u = emitUpdate(t, load(a[0]), load(a[1]), load(a[2]), load(a[3]),
                           load(a[4]), load(a[5]));
    store(u.params, a[0]);
    store(u.state, a[1]);
    store(u.running, a[2]);
    b.create<func::ReturnOp>(loc);
  }
  { // inference-mode evaluation of one slice
    func::FuncOp fn = beginFunction(
        *module, "tnas_eval",
        {mem({np}), mem({nb}), batchType(slice), mem({slice}, i32), mem({2})});
    ValueRange a = fn.getArguments();
    Value metrics =
        emitEvaluation(t, load(a[0]), load(a[1]), load(a[2]), load(a[3]));
    store(metrics, a[4]);
    b.create<func::ReturnOp>(loc);
  }
  return module;
}

llvm::Expected<OwningOpRef<ModuleOp>>
tnas::buildTrainingModule(MLIRContext &ctx, const Network &net,
                          const TrainingStepConfig &config) {
  if (config.batch < 1 || config.threads < 1 ||
      config.batch % config.threads != 0)
    return makeError(llvm::formatv("batch {0} does not split evenly across {1} "
                                   "threads",
                                   config.batch, config.threads));
  if (config.microBatch < 0 ||
      (config.microBatch > 0 &&
       (config.batch / config.threads) % config.sliceSamples() != 0))
    return makeError(llvm::formatv("a thread's {0} samples do not split evenly "
                                   "into micro-batches of {1}",
                                   config.batch / config.threads,
                                   config.microBatch));
  auto shapes = net.inferShapes();
  if (!shapes)
    return shapes.takeError();
  if (shapes->empty() || !shapes->back().flat ||
      shapes->back().c != net.numClasses)
    return makeError(llvm::formatv(
        "the last layer must produce {0} flat logits (end with dense({0}))",
        net.numClasses));
  auto layout = ParameterLayout::compute(net, config.optimizer);
  if (!layout)
    return layout.takeError();
  ctx.loadDialect<func::FuncDialect, arith::ArithDialect, math::MathDialect,
                  linalg::LinalgDialect, tensor::TensorDialect,
                  bufferization::BufferizationDialect, memref::MemRefDialect>();
  StepModuleBuilder builder(ctx, net, config, std::move(*layout));
  OwningOpRef<ModuleOp> module = builder.build();
  if (failed(verify(*module)))
    return makeError("internal error: the training module does not verify");
  return std::move(module);
}

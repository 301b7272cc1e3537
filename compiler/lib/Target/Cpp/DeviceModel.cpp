//===- DeviceModel.cpp - read a quantized network out of tnas IR ----------===//
//
// Accepted shape of the network function (what tnas-quantize produces):
//
//   %q = tnas.quantize %arg0            (or an i8 argument)
//   ... tnas.q* layers, tnas.flatten ... on i8
//   tnas.split and tnas.dequantize      (in either order)
//   %y = tnas.dense %features, %W, %b   (fp32, the classifier)
//   [tnas.softmax / tnas.dropout]       (the trainer computes the softmax)
//   return
//
// Weights, biases and classifier parameters must be arith.constant.
//
//===----------------------------------------------------------------------===//
#include "tnas/Target/Cpp/DeviceModel.h"

#include "tnas/Search/CostModelConstants.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "tnas/Dialect/Tnas/IR/TnasOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
namespace tops = mlir::tnas;

namespace tnas {

llvm::StringRef kernelFileStem(KernelKind kind) {
  switch (kind) {
  case KernelKind::Conv:
    return "conv_s8";
  case KernelKind::Depthwise:
    return "depthwise_s8";
  case KernelKind::Pointwise:
    return "pointwise_s8";
  case KernelKind::Dense:
    return "dense_s8";
  case KernelKind::MaxPool:
    return "max_pool_s8";
  case KernelKind::AvgPool:
    return "avg_pool_s8";
  case KernelKind::GlobalAvgPool:
    return "global_avg_pool_s8";
  }
  return "";
}

namespace {

std::string locationString(Location loc) {
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return llvm::formatv("{0}:{1}:{2}", file.getFilename().getValue(),
                         file.getLine(), file.getColumn())
        .str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (isa<FileLineColLoc>(inner))
        return locationString(inner);
  if (auto name = dyn_cast<NameLoc>(loc))
    return locationString(name.getChildLoc());
  return "<unknown>";
}

llvm::Error errorAt(Operation *op, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 llvm::formatv("{0}: error: {1}",
                                               locationString(op->getLoc()),
                                               message.str())
                                     .str());
}

/// What a value of the network is, on the device.
struct ValueInfo {
  enum Kind { Int8Buffer, Float } kind = Int8Buffer;
  unsigned buffer = 0; ///< Int8Buffer: the buffer holding it
};

class Analyzer {
public:
  Analyzer(func::FuncOp func, const EmitOptions &options)
      : func(func), options(options) {}

  llvm::Expected<DeviceModel> run();

private:
  llvm::Error visit(Operation *op);
  llvm::Error visitConvLike(Operation *op, KernelKind kind);
  llvm::Error visitPool(Operation *op, KernelKind kind);
  llvm::Error visitDense(tops::DenseOp op);
  llvm::Expected<unsigned> int8Input(Operation *op, Value v);
  unsigned newBuffer(int64_t bytes);
  void use(unsigned buffer);

  template <typename T>
  llvm::Expected<std::vector<T>> constantOf(Operation *user, Value v,
                                            llvm::StringRef what);

  func::FuncOp func;
  const EmitOptions &options;
  DeviceModel model;
  llvm::DenseMap<Value, ValueInfo> values;
  bool sawFeatures = false, sawClassifier = false;
  /// fp32 layers after the features, in order; the last must be the dense
  /// layer the device trains.
  std::vector<HeadLayer> floatLayers;
  Operation *lastFloatOp = nullptr;
};

template <typename T>
llvm::Expected<std::vector<T>> Analyzer::constantOf(Operation *user, Value v,
                                                    llvm::StringRef what) {
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return errorAt(user, llvm::Twine("the ") + what +
                             " must be an arith.constant with dense elements");
  std::vector<T> out;
  out.reserve(attr.getNumElements());
  for (T x : attr.getValues<T>())
    out.push_back(x);
  return out;
}

int currentLayer(const DeviceModel &m) { return (int)m.layers.size(); }

unsigned Analyzer::newBuffer(int64_t bytes) {
  PlannedBuffer b;
  b.bytes = bytes;
  b.firstUse = b.lastUse = currentLayer(model);
  model.buffers.push_back(b);
  return (unsigned)model.buffers.size() - 1;
}

void Analyzer::use(unsigned buffer) {
  PlannedBuffer &b = model.buffers[buffer];
  b.lastUse = std::max(b.lastUse, currentLayer(model));
}

llvm::Expected<unsigned> Analyzer::int8Input(Operation *op, Value v) {
  auto it = values.find(v);
  if (it == values.end() || it->second.kind != ValueInfo::Int8Buffer)
    return errorAt(op, "operand is not an int8 activation of the feature "
                       "extractor (run tnas-quantize before emission)");
  use(it->second.buffer);
  return it->second.buffer;
}

static ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

/// [1, H, W, C] -> H, W, C; [1, K] -> 1, 1, K.
static void hwc(Value v, int32_t &h, int32_t &w, int32_t &c) {
  ArrayRef<int64_t> s = shapeOf(v);
  h = w = 1;
  if (s.size() == 4) {
    h = (int32_t)s[1];
    w = (int32_t)s[2];
  }
  c = (int32_t)s.back();
}

template <typename OpT> static void readQuant(OpT op, DeviceLayer &layer) {
  layer.inputZp = (int32_t)op.getInputZp();
  layer.outputZp = (int32_t)op.getOutputZp();
  layer.actMin = (int32_t)op.getActMin();
  layer.actMax = (int32_t)op.getActMax();
  layer.multiplier.assign(op.getMultiplier().begin(), op.getMultiplier().end());
  layer.shift.assign(op.getShift().begin(), op.getShift().end());
}

llvm::Error Analyzer::visitConvLike(Operation *op, KernelKind kind) {
  DeviceLayer layer;
  layer.kind = kind;
  Value input = op->getOperand(0), filter = op->getOperand(1),
        bias = op->getOperand(2), result = op->getResult(0);
  auto in = int8Input(op, input);
  if (!in)
    return in.takeError();
  layer.input = *in;
  hwc(input, layer.inH, layer.inW, layer.inC);
  hwc(result, layer.outH, layer.outW, layer.outC);
  ArrayRef<int64_t> fshape = shapeOf(filter);
  auto weights = constantOf<int8_t>(op, filter, "filter");
  if (!weights)
    return weights.takeError();
  auto biasValues = constantOf<int32_t>(op, bias, "bias");
  if (!biasValues)
    return biasValues.takeError();
  layer.bias = std::move(*biasValues);
  if (auto conv = dyn_cast<tops::QConv2DOp>(op)) {
    readQuant(conv, layer);
    layer.kernelH = (int32_t)fshape[0];
    layer.kernelW = (int32_t)fshape[1];
    layer.strideH = (int32_t)conv.getStrides()[0];
    layer.strideW = (int32_t)conv.getStrides()[1];
    layer.padTop = (int32_t)conv.getPad()[0];
    layer.padLeft = (int32_t)conv.getPad()[1];
    // HWCF -> OHWI: the reduction runs innermost in the kernels.
    const int64_t kh = fshape[0], kw = fshape[1], ci = fshape[2],
                  co = fshape[3];
    layer.weights.resize(weights->size());
    for (int64_t y = 0; y < kh; ++y)
      for (int64_t x = 0; x < kw; ++x)
        for (int64_t c = 0; c < ci; ++c)
          for (int64_t f = 0; f < co; ++f)
            layer.weights[((f * kh + y) * kw + x) * ci + c] =
                (*weights)[((y * kw + x) * ci + c) * co + f];
    layer.macs = (int64_t)layer.outH * layer.outW * co * kh * kw * ci;
  } else if (auto dw = dyn_cast<tops::QDepthwiseConv2DOp>(op)) {
    readQuant(dw, layer);
    layer.kernelH = (int32_t)fshape[0];
    layer.kernelW = (int32_t)fshape[1];
    layer.strideH = (int32_t)dw.getStrides()[0];
    layer.strideW = (int32_t)dw.getStrides()[1];
    layer.padTop = (int32_t)dw.getPad()[0];
    layer.padLeft = (int32_t)dw.getPad()[1];
    layer.weights = std::move(*weights);
    layer.macs = (int64_t)layer.outH * layer.outW * layer.outC * layer.kernelH *
                 layer.kernelW;
  } else {
    // Pointwise [Cin, Cout] and dense [K, M] -> [Cout][Cin].
    if (auto pw = dyn_cast<tops::QPointwiseConv2DOp>(op))
      readQuant(pw, layer);
    else
      readQuant(cast<tops::QDenseOp>(op), layer);
    const int64_t k = fshape[0], m = fshape[1];
    layer.weights.resize(weights->size());
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < m; ++j)
        layer.weights[j * k + i] = (*weights)[i * m + j];
    layer.macs = (int64_t)layer.outH * layer.outW * k * m;
  }
  const int64_t outBytes = (int64_t)layer.outH * layer.outW * layer.outC;
  layer.output = newBuffer(outBytes);
  if (targetHasDsp(options.target)) {
    // convScratchElements / pointwiseScratchElements of the runtime.
    if (kind == KernelKind::Conv)
      layer.scratchElements = cost::kDspIm2colColumns * (int64_t)layer.kernelH *
                              layer.kernelW * layer.inC;
    else if (kind == KernelKind::Pointwise)
      layer.scratchElements = cost::kDspIm2colColumns * (int64_t)layer.inC;
    // The scratch lives in the arena during this layer only, planned with
    // the activations (as the cost model prices it).
    if (layer.scratchElements)
      layer.scratch = newBuffer(2 * layer.scratchElements);
  }
  values[result] = {ValueInfo::Int8Buffer, layer.output};
  layer.opName = op->getName().getStringRef().str();
  layer.location = locationString(op->getLoc());
  model.totalMacs += layer.macs;
  model.layers.push_back(std::move(layer));
  return llvm::Error::success();
}

llvm::Error Analyzer::visitPool(Operation *op, KernelKind kind) {
  DeviceLayer layer;
  layer.kind = kind;
  Value input = op->getOperand(0), result = op->getResult(0);
  auto in = int8Input(op, input);
  if (!in)
    return in.takeError();
  layer.input = *in;
  hwc(input, layer.inH, layer.inW, layer.inC);
  hwc(result, layer.outH, layer.outW, layer.outC);
  auto window = [&](auto pool) {
    layer.kernelH = (int32_t)pool.getKernel()[0];
    layer.kernelW = (int32_t)pool.getKernel()[1];
    layer.strideH = (int32_t)pool.getStrides()[0];
    layer.strideW = (int32_t)pool.getStrides()[1];
    layer.padTop = (int32_t)pool.getPad()[0];
    layer.padLeft = (int32_t)pool.getPad()[1];
  };
  if (auto mp = dyn_cast<tops::QMaxPool2DOp>(op))
    window(mp);
  else if (auto ap = dyn_cast<tops::QAvgPool2DOp>(op))
    window(ap);
  layer.output = newBuffer((int64_t)layer.outH * layer.outW * layer.outC);
  values[result] = {ValueInfo::Int8Buffer, layer.output};
  layer.opName = op->getName().getStringRef().str();
  layer.location = locationString(op->getLoc());
  model.layers.push_back(std::move(layer));
  return llvm::Error::success();
}

llvm::Error Analyzer::visitDense(tops::DenseOp op) {
  auto it = values.find(op.getInput());
  if (!sawFeatures || it == values.end() || it->second.kind != ValueInfo::Float)
    return errorAt(op, "the fp32 classifier must read the dequantized "
                       "features of the int8 extractor");
  auto w = constantOf<float>(op, op.getWeight(), "classifier weight");
  if (!w)
    return w.takeError();
  auto b = constantOf<float>(op, op.getBias(), "classifier bias");
  if (!b)
    return b.takeError();
  ArrayRef<int64_t> ws = shapeOf(op.getWeight());
  const int64_t k = ws[0], m = ws[1];
  HeadLayer layer;
  layer.kind = HeadLayer::Dense;
  layer.inputs = (int32_t)k;
  layer.outputs = (int32_t)m;
  layer.weight.resize(k * m);
  for (int64_t i = 0; i < k; ++i)
    for (int64_t j = 0; j < m; ++j)
      layer.weight[j * k + i] = (*w)[i * m + j];
  layer.bias = std::move(*b);
  floatLayers.push_back(std::move(layer));
  lastFloatOp = op;
  sawClassifier = true;
  values[op.getResult()] = {ValueInfo::Float, 0};
  return llvm::Error::success();
}

llvm::Error Analyzer::visit(Operation *op) {
  if (isa<arith::ConstantOp, func::ReturnOp>(op))
    return llvm::Error::success();
  if (auto q = dyn_cast<tops::QuantizeOp>(op)) {
    if (q.getInput() != func.getArgument(0) || !model.layers.empty())
      return errorAt(op, "only the network input may be quantized on the "
                         "device");
    model.inputScale = q.getScale().convertToFloat();
    model.inputZp = (int32_t)q.getZeroPoint();
    values[q.getResult()] = {ValueInfo::Int8Buffer, 0};
    return llvm::Error::success();
  }
  if (isa<tops::QConv2DOp>(op))
    return visitConvLike(op, KernelKind::Conv);
  if (isa<tops::QDepthwiseConv2DOp>(op))
    return visitConvLike(op, KernelKind::Depthwise);
  if (isa<tops::QPointwiseConv2DOp>(op))
    return visitConvLike(op, KernelKind::Pointwise);
  if (isa<tops::QDenseOp>(op))
    return visitConvLike(op, KernelKind::Dense);
  if (isa<tops::QMaxPool2DOp>(op))
    return visitPool(op, KernelKind::MaxPool);
  if (isa<tops::QAvgPool2DOp>(op))
    return visitPool(op, KernelKind::AvgPool);
  if (isa<tops::QGlobalAvgPoolOp>(op))
    return visitPool(op, KernelKind::GlobalAvgPool);
  if (auto dense = dyn_cast<tops::DenseOp>(op))
    return visitDense(dense);
  if (isa<tops::ReluOp, tops::Relu6Op>(op)) {
    auto it = values.find(op->getOperand(0));
    if (!sawFeatures || it == values.end() ||
        it->second.kind != ValueInfo::Float)
      return errorAt(op, "fp32 activations are only supported in the "
                         "classifier (run tnas-quantize to fuse the others)");
    HeadLayer layer;
    layer.kind = isa<tops::ReluOp>(op) ? HeadLayer::Relu : HeadLayer::Relu6;
    layer.inputs = layer.outputs = (int32_t)shapeOf(op->getOperand(0)).back();
    floatLayers.push_back(std::move(layer));
    lastFloatOp = op;
    values[op->getResult(0)] = it->second;
    return llvm::Error::success();
  }
  if (isa<tops::FlattenOp, tops::SplitOp, tops::SoftmaxOp, tops::DropoutOp>(
          op)) {
    // Views of their operand: same bytes, same buffer.
    auto it = values.find(op->getOperand(0));
    if (it == values.end())
      return errorAt(op, "operand is not produced by the network");
    if (it->second.kind == ValueInfo::Int8Buffer)
      use(it->second.buffer);
    if (isa<tops::SoftmaxOp, tops::DropoutOp>(op) && !sawClassifier)
      return errorAt(op, llvm::Twine(op->getName().getStringRef()) +
                             " is only supported after the classifier");
    values[op->getResult(0)] = it->second;
    return llvm::Error::success();
  }
  if (auto dq = dyn_cast<tops::DequantizeOp>(op)) {
    auto in = int8Input(op, dq.getInput());
    if (!in)
      return in.takeError();
    if (sawFeatures)
      return errorAt(op, "a second tnas.dequantize: the device runs one int8 "
                         "extractor followed by the fp32 classifier");
    sawFeatures = true;
    model.featureBuffer = *in;
    model.featureScale = dq.getScale().convertToFloat();
    model.featureZp = (int32_t)dq.getZeroPoint();
    model.features = (int32_t)shapeOf(dq.getInput()).back();
    int64_t elements = 1;
    for (int64_t d : shapeOf(dq.getInput()))
      elements *= d;
    if (elements != model.features)
      return errorAt(op, "the features must be flat ([1, K]); add "
                         "tnas.flatten or tnas.global_avg_pool before the "
                         "split");
    values[dq.getResult()] = {ValueInfo::Float, 0};
    return llvm::Error::success();
  }
  return errorAt(op, llvm::Twine("'") + op->getName().getStringRef() +
                         "' cannot be emitted for the device: the C++ "
                         "emitter takes int8 IR (run tnas-quantize first)");
}

llvm::Expected<DeviceModel> Analyzer::run() {
  model.name = options.name.empty() ? func.getSymName().str() : options.name;
  FunctionType type = func.getFunctionType();
  if (type.getNumInputs() != 1)
    return errorAt(func, "the network function must take one input tensor");
  auto inputType = dyn_cast<RankedTensorType>(type.getInput(0));
  if (!inputType || !inputType.hasStaticShape() || inputType.getShape()[0] != 1)
    return errorAt(func, "the network input must be a static tensor with "
                         "batch 1");
  hwc(func.getArgument(0), model.inputH, model.inputW, model.inputC);
  // Buffer 0 stands for the caller's input; it is not in the arena.
  model.buffers.push_back(PlannedBuffer{});
  if (inputType.getElementType().isInteger(8))
    values[func.getArgument(0)] = {ValueInfo::Int8Buffer, 0};
  for (Operation &op : func.getBody().front())
    if (llvm::Error err = visit(&op))
      return std::move(err);
  if (!sawFeatures || !sawClassifier)
    return errorAt(func, "the network has no fp32 classifier after "
                         "tnas.dequantize: the device trainer needs one "
                         "tnas.dense on the dequantized features");
  if (floatLayers.back().kind != HeadLayer::Dense)
    return errorAt(lastFloatOp, "the classifier must end with the dense layer "
                                "the device trains (put the activation "
                                "before it, or drop it)");
  int32_t width = model.features;
  for (const HeadLayer &l : floatLayers) {
    if (l.inputs != width)
      return errorAt(lastFloatOp,
                     llvm::formatv("a classifier layer reads {0} values but "
                                   "{1} are produced before it",
                                   l.inputs, width));
    width = l.outputs;
  }
  HeadLayer &trained = floatLayers.back();
  model.classifierInputs = trained.inputs;
  model.numClasses = trained.outputs;
  model.classifierWeight = std::move(trained.weight);
  model.classifierBias = std::move(trained.bias);
  floatLayers.pop_back();
  model.head = std::move(floatLayers);
  // The features are read by the classifier after the last layer.
  model.buffers[model.featureBuffer].lastUse = (int)model.layers.size();
  std::vector<PlannedBuffer> arena(model.buffers.begin() + 1,
                                   model.buffers.end());
  llvm::Expected<int64_t> arenaBytes = planArena(arena);
  if (!arenaBytes)
    return errorAt(func,
                   "arena plan: " + llvm::toString(arenaBytes.takeError()));
  model.arenaBytes = *arenaBytes;
  std::copy(arena.begin(), arena.end(), model.buffers.begin() + 1);
  return std::move(model);
}

} // namespace

llvm::Expected<DeviceModel> analyzeDeviceModel(ModuleOp module,
                                               const EmitOptions &options) {
  func::FuncOp network;
  unsigned count = 0;
  for (auto f : module.getOps<func::FuncOp>()) {
    if (f.isExternal())
      continue;
    ++count;
    if (!network || (!options.name.empty() && f.getSymName() == options.name))
      network = f;
  }
  if (!network)
    return errorAt(module, "no network function (func.func) in the module");
  if (count > 1 &&
      (options.name.empty() || network.getSymName() != options.name))
    return errorAt(module, "the module has several functions: name the "
                           "network to emit");
  return Analyzer(network, options).run();
}

} // namespace tnas

//===- NetworkFromIR.cpp - a Network and weights read back from IR --------===//
#include "tnas/Builder/NetworkFromIR.h"
#include "tnas/Builder/ForwardBuilder.h"
#include "tnas/Dialect/Tnas/IR/TnasOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;

namespace {

llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message.str());
}

/// The values of an f32 constant operand, row-major, with its shape.
llvm::Error readConstant(Value v, std::vector<float> &data,
                         std::vector<int64_t> *shape = nullptr) {
  auto constant = v.getDefiningOp<arith::ConstantOp>();
  auto attr = constant ? dyn_cast<DenseElementsAttr>(constant.getValue())
                       : DenseElementsAttr();
  if (!attr || !attr.getElementType().isF32())
    return error("a weight of the network is not an f32 constant");
  auto values = attr.getValues<float>();
  data.assign(values.begin(), values.end());
  if (shape) {
    auto dims = attr.getType().getShape();
    shape->assign(dims.begin(), dims.end());
  }
  return llvm::Error::success();
}

bool matches(Operation *op, ::tnas::LayerKind kind) {
  using K = ::tnas::LayerKind;
  switch (kind) {
  case K::Conv:
    return isa<mlir::tnas::Conv2DOp>(op);
  case K::DepthwiseConv:
    return isa<mlir::tnas::DepthwiseConv2DOp>(op);
  case K::PointwiseConv:
    return isa<mlir::tnas::PointwiseConv2DOp>(op);
  case K::MaxPool:
    return isa<mlir::tnas::MaxPool2DOp>(op);
  case K::AvgPool:
    return isa<mlir::tnas::AvgPool2DOp>(op);
  case K::BatchNorm:
    return isa<mlir::tnas::BatchNormOp>(op);
  case K::Relu:
    return isa<mlir::tnas::ReluOp>(op);
  case K::Relu6:
    return isa<mlir::tnas::Relu6Op>(op);
  case K::GlobalAvgPool:
    return isa<mlir::tnas::GlobalAvgPoolOp>(op);
  case K::Flatten:
    return isa<mlir::tnas::FlattenOp>(op);
  case K::Dropout:
    return isa<mlir::tnas::DropoutOp>(op);
  case K::Dense:
    return isa<mlir::tnas::DenseOp>(op);
  case K::Split:
    return isa<mlir::tnas::SplitOp>(op);
  }
  return false;
}

/// Filter, bias and output channel count of a layer with parameters.
llvm::Error readParams(Value filter, Value bias, ::tnas::Layer &layer,
                       ::tnas::LayerWeights &w) {
  if (llvm::Error e = readConstant(filter, w.filter, &w.filterShape))
    return e;
  if (llvm::Error e = readConstant(bias, w.bias))
    return e;
  if (layer.kind != ::tnas::LayerKind::DepthwiseConv)
    layer.channels = w.filterShape.back();
  return llvm::Error::success();
}

} // namespace

namespace tnas {

llvm::Expected<NetworkAndWeights> readForwardModule(ModuleOp module,
                                                    const Network &like) {
  auto func = module.lookupSymbol<func::FuncOp>(kForwardFunctionName);
  if (!func || func.getBody().empty())
    return error("the module has no @forward function");
  SmallVector<Operation *> layerOps;
  for (Operation &op : func.getBody().front())
    if (isa<mlir::tnas::TnasDialect>(op.getDialect()))
      layerOps.push_back(&op);
  if (layerOps.size() != like.layers.size())
    return error(llvm::formatv("@forward has {0} tnas ops but the network "
                               "has {1} layers",
                               layerOps.size(), like.layers.size()));
  NetworkAndWeights result;
  result.network = like;
  result.weights.layers.resize(like.layers.size());
  for (size_t i = 0; i < layerOps.size(); ++i) {
    Operation *op = layerOps[i];
    Layer &layer = result.network.layers[i];
    LayerWeights &w = result.weights.layers[i];
    if (!matches(op, layer.kind))
      return error(llvm::formatv("op {0} ('{1}') does not match layer {0} "
                                 "({2})",
                                 i, op->getName().getStringRef(),
                                 layerKindName(layer.kind)));
    llvm::Error e = llvm::Error::success();
    if (auto conv = dyn_cast<mlir::tnas::Conv2DOp>(op))
      e = readParams(conv.getFilter(), conv.getBias(), layer, w);
    else if (auto dw = dyn_cast<mlir::tnas::DepthwiseConv2DOp>(op))
      e = readParams(dw.getFilter(), dw.getBias(), layer, w);
    else if (auto pw = dyn_cast<mlir::tnas::PointwiseConv2DOp>(op))
      e = readParams(pw.getFilter(), pw.getBias(), layer, w);
    else if (auto dense = dyn_cast<mlir::tnas::DenseOp>(op))
      e = readParams(dense.getWeight(), dense.getBias(), layer, w);
    else if (auto bn = dyn_cast<mlir::tnas::BatchNormOp>(op)) {
      w.epsilon = bn.getEpsilon().convertToFloat();
      if (!(e = readConstant(bn.getGamma(), w.gamma)))
        if (!(e = readConstant(bn.getBeta(), w.beta)))
          if (!(e = readConstant(bn.getMean(), w.mean)))
            e = readConstant(bn.getVariance(), w.variance);
    }
    if (e)
      return std::move(e);
  }
  // Pointwise filters are [Cin, Cout] in the IR and [1, 1, Cin, Cout] in
  // Weights; the expected shapes come from the network.
  auto shapes = result.network.inferShapes();
  if (!shapes)
    return shapes.takeError();
  for (size_t i = 0; i < result.network.layers.size(); ++i)
    if (!result.weights.layers[i].filterShape.empty())
      result.weights.layers[i].filterShape =
          expectedFilterShape(result.network, i, *shapes);
  if (llvm::Error e = checkWeights(result.network, result.weights))
    return std::move(e);
  return result;
}

} // namespace tnas

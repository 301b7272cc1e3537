//===- ClassifierOutputs.cpp - fewer outputs for class-incremental runs ---===//
#include "tnas/Simulate/ClassifierOutputs.h"
#include "tnas/Dialect/Tnas/IR/TnasOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

static llvm::Error error(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg.str());
}

namespace tnas::simulate {

llvm::Error keepClassifierOutputs(ModuleOp module, int64_t count) {
  auto forward = module.lookupSymbol<func::FuncOp>("forward");
  if (!forward || forward.getBody().empty())
    return error("the module has no @forward to narrow");
  auto ret = cast<func::ReturnOp>(forward.getBody().back().getTerminator());
  auto dense = ret.getNumOperands() == 1
                   ? ret.getOperand(0).getDefiningOp<mlir::tnas::DenseOp>()
                   : mlir::tnas::DenseOp();
  if (!dense)
    return error("@forward does not return the result of a tnas.dense");
  auto weightOp = dense.getWeight().getDefiningOp<arith::ConstantOp>();
  auto biasOp = dense.getBias().getDefiningOp<arith::ConstantOp>();
  auto weights = weightOp ? dyn_cast<DenseElementsAttr>(weightOp.getValue())
                          : DenseElementsAttr();
  auto biases = biasOp ? dyn_cast<DenseElementsAttr>(biasOp.getValue())
                       : DenseElementsAttr();
  if (!weights || !biases)
    return error("the classifier's weights are not constants");
  auto weightType = cast<RankedTensorType>(weights.getType());
  int64_t inputs = weightType.getDimSize(0), outputs = weightType.getDimSize(1);
  if (count < 1 || count > outputs)
    return error("cannot keep " + llvm::Twine(count) + " of the classifier's " +
                 llvm::Twine(outputs) + " outputs");
  if (count == outputs)
    return llvm::Error::success();

  std::vector<float> w, b;
  auto allW = llvm::to_vector(weights.getValues<float>());
  auto allB = llvm::to_vector(biases.getValues<float>());
  for (int64_t k = 0; k < inputs; ++k)
    for (int64_t m = 0; m < count; ++m)
      w.push_back(allW[size_t(k * outputs + m)]);
  b.assign(allB.begin(), allB.begin() + count);

  OpBuilder builder(dense);
  Type f32 = builder.getF32Type();
  auto newWType = RankedTensorType::get({inputs, count}, f32);
  auto newBType = RankedTensorType::get({count}, f32);
  Value newW = builder.create<arith::ConstantOp>(
      weightOp.getLoc(), DenseElementsAttr::get(newWType, llvm::ArrayRef(w)));
  Value newB = builder.create<arith::ConstantOp>(
      biasOp.getLoc(), DenseElementsAttr::get(newBType, llvm::ArrayRef(b)));
  auto oldResult = cast<RankedTensorType>(dense.getType());
  auto resultType =
      RankedTensorType::get({oldResult.getDimSize(0), count}, f32);
  auto narrowed = builder.create<mlir::tnas::DenseOp>(
      dense.getLoc(), resultType, dense.getInput(), newW, newB);
  dense.getResult().replaceAllUsesWith(narrowed.getResult());
  dense.erase();
  for (Operation *op : {weightOp.getOperation(), biasOp.getOperation()})
    if (op->use_empty())
      op->erase();
  forward.setFunctionType(builder.getFunctionType(
      forward.getFunctionType().getInputs(), {resultType}));
  return llvm::Error::success();
}

} // namespace tnas::simulate

//===- ClassifierOutputs.h - fewer outputs for class-incremental runs -*- C++
//-*-===//
//
// Pre-training on P of the dataset's classes trains a classifier with one
// output per dataset class; the device model keeps only the first P (the
// pre-training classes carry device labels 0..P-1) and adds the others with
// tnas_add_class when it meets them.
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_SIMULATE_CLASSIFIEROUTPUTS_H
#define TNAS_SIMULATE_CLASSIFIEROUTPUTS_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <cstdint>

namespace tnas::simulate {

/// Keeps the first `count` outputs of the last fp32 tnas.dense of @forward
/// (whose result the function returns): its weight columns, its bias and the
/// result and function types. An error names what does not have that shape.
llvm::Error keepClassifierOutputs(mlir::ModuleOp module, int64_t count);

} // namespace tnas::simulate

#endif // TNAS_SIMULATE_CLASSIFIEROUTPUTS_H

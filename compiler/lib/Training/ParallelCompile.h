//===- ParallelCompile.h - compile the step's entry points concurrently -*- C++ -*-===//
//
// Nearly all of a first compile is LLVM's -O pipeline and code generation,
// which run on one core, while the search trains one candidate at a time:
// the second core is idle. The lowered module is therefore split into parts
// that share nothing (the forward + backward entry point in one, the update
// and the evaluation in the other), each part is translated to LLVM IR on
// the calling thread (the MLIR context is single-threaded), then optimised
// and turned into an object file on its own thread.
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_LIB_TRAINING_PARALLELCOMPILE_H
#define TNAS_LIB_TRAINING_PARALLELCOMPILE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace tnas {
namespace training {

/// Splits a module lowered to the LLVM dialect into parts, each with some of
/// the entry points (`tnas_*` and their `_mlir_ciface_` wrappers): {fused
/// step, forward + backward} and {update, evaluation}; parts without an entry
/// point are left out. Other definitions are copied into every part with
/// internal linkage, so that the parts link side by side.
std::vector<mlir::OwningOpRef<mlir::ModuleOp>>
splitEntryPoints(mlir::ModuleOp lowered);

/// One part on its way to an object file.
struct ObjectJob {
  std::unique_ptr<llvm::LLVMContext> context;
  std::unique_ptr<llvm::Module> module; ///< set by translatePart
  llvm::SmallVector<char, 0> object;    ///< set by compileObjects
  double optSeconds = 0;                ///< LLVM -O passes of this part
  std::string error;
};

/// Translates `part` to LLVM IR (on the calling thread).
llvm::Error translatePart(mlir::ModuleOp part, ObjectJob &job);

/// Optimises at `optLevel` and generates the object code of every job, one
/// thread per job (the calling thread takes the first), or all on the
/// calling thread when not `concurrent`.
llvm::Error compileObjects(std::vector<ObjectJob *> jobs,
                           const llvm::orc::JITTargetMachineBuilder &target,
                           unsigned optLevel, bool concurrent);

} // namespace training
} // namespace tnas

#endif // TNAS_LIB_TRAINING_PARALLELCOMPILE_H

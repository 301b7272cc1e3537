//===- ObjectCache.h - compiled training steps cached on disk ---*- C++ -*-===//
//
// A search trains a candidate, then the final training and a resumed run
// train the same network again: each would pay the LLVM optimisation and
// code generation of its training step (seconds). The object code of a
// lowered module is cached in a directory, keyed by a SHA-256 of what
// determines it: the LLVM-dialect module text, the -O level, the host CPU
// and its features, and the LLVM version. A hit loads the object into an
// ORC LLJIT resolving against the process (libc, libm), as ExecutionEngine
// does for freshly compiled code.
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_LIB_TRAINING_OBJECTCACHE_H
#define TNAS_LIB_TRAINING_OBJECTCACHE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace llvm {
class TargetMachine;
} // namespace llvm

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace tnas::training {

/// The cache directory a config asks for: `configured` when not empty,
/// else the TNAS_JIT_CACHE environment variable, else "" (no cache).
std::string objectCacheDirectory(const std::string &configured);

/// Hex SHA-256 naming the object code of `lowered` (in the LLVM dialect)
/// compiled at `optLevel` for `tm`'s CPU.
std::string objectCacheKey(mlir::ModuleOp lowered, unsigned optLevel,
                           const llvm::TargetMachine &tm);

/// `<dir>/<key>.o`.
std::string objectCachePath(llvm::StringRef dir, llvm::StringRef key);

/// Loads a cached object file into a new JIT. Errors: unreadable or corrupt
/// file, unresolved symbols (the caller then compiles afresh).
llvm::Expected<std::unique_ptr<llvm::orc::LLJIT>>
loadCachedObject(llvm::StringRef path);

/// Writes the object code of `engine` (created with enableObjectDump) to
/// `path` atomically: a temporary file renamed into place, so that
/// concurrent runs never read a partial object.
llvm::Error storeObject(mlir::ExecutionEngine &engine, llvm::StringRef path);

} // namespace tnas::training

#endif // TNAS_LIB_TRAINING_OBJECTCACHE_H

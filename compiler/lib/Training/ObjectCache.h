//===- ObjectCache.h - compiled training steps cached on disk ---*- C++ -*-===//
//
// A search trains a candidate, then the final training and a resumed run
// train the same network again: each would pay the LLVM optimisation and
// code generation of its training step (seconds). The object code of a
// lowered module is cached in a directory, keyed by a SHA-256 of what
// determines it: the LLVM-dialect module text, the -O level, the host CPU
// and its features, and the LLVM version. A hit loads the object into an
// ORC LLJIT resolving against the process (libc, libm), as freshly compiled
// code is. The step is compiled in parts (ParallelCompile.h); each part is
// one object file with its own key.
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_LIB_TRAINING_OBJECTCACHE_H
#define TNAS_LIB_TRAINING_OBJECTCACHE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm {
class TargetMachine;
} // namespace llvm

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

/// Reads a cached object file. Errors: unreadable, or not an object file
/// (the caller then compiles afresh).
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readCachedObject(llvm::StringRef path);

/// Writes `object` to `path` atomically: a temporary file renamed into
/// place, so that concurrent runs never read a partial object.
llvm::Error storeObject(llvm::ArrayRef<char> object, llvm::StringRef path);

/// A JIT holding the given object files (compiled or cached): RuntimeDyld
/// with section memory from the process, symbols resolved in the process
/// and the step's allocation functions (StepBuffers.h).
llvm::Expected<std::unique_ptr<llvm::orc::LLJIT>>
createStepJIT(std::vector<std::unique_ptr<llvm::MemoryBuffer>> objects);

} // namespace tnas::training

#endif // TNAS_LIB_TRAINING_OBJECTCACHE_H

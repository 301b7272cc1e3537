//===- StepBuffers.h - buffer allocation of the JIT-compiled step -*- C++ -*-===//
//
// The lowered training step allocates its temporaries with
// `_mlir_memref_to_llvm_alloc` / `_mlir_memref_to_llvm_free` (the generic
// allocation functions of finalize-memref-to-llvm) and frees them before it
// returns, so every step asks for the same sizes again. With plain malloc,
// glibc returns the freed megabytes to the kernel (heap trimming, mmap
// chunks) and the next step page-faults them back in: measured on the
// benchmark network, 115k to 900k page faults per epoch and 1.8k-8k
// samples/s instead of 13k on the same loaded machine (docs/training.md,
// Session 3). These functions keep freed blocks in a per-thread cache keyed
// by size instead.
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_LIB_TRAINING_STEPBUFFERS_H
#define TNAS_LIB_TRAINING_STEPBUFFERS_H

#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"

#include <cstddef>
#include <cstdint>

namespace tnas {
namespace training {

/// The allocation functions the lowered step calls, for the JIT's symbol
/// table (ExecutionEngine::registerSymbols or an LLJIT's main dylib).
llvm::orc::SymbolMap stepBufferSymbols(llvm::orc::MangleAndInterner interner);

/// Frees the blocks cached by the calling thread (the helper threads' caches
/// go with the threads).
void releaseStepBuffers();

/// Upper bound of one thread's cache: a freed block that would exceed it is
/// given back to malloc.
constexpr size_t kMaxCachedStepBufferBytes = size_t(512) << 20;

} // namespace training
} // namespace tnas

#endif // TNAS_LIB_TRAINING_STEPBUFFERS_H

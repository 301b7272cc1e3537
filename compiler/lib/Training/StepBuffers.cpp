//===- StepBuffers.cpp - per-thread cache of the step's temporaries -------===//
#include "StepBuffers.h"
#include "tnas/Training/TrainingKernels.h"

#include "llvm/Support/ErrorHandling.h"

#include <cstdlib>
#include <unordered_map>
#include <vector>

using namespace tnas::training;

namespace {
/// Every block starts with a header holding its usable size; 64 bytes keep
/// the payload 64-byte aligned, which covers any alignment the lowering asks
/// of `_mlir_memref_to_llvm_aligned_alloc` for our element types.
constexpr size_t kHeader = 64;

struct ThreadCache {
  std::unordered_map<size_t, std::vector<char *>> bySize;
  size_t bytes = 0;
  void release() {
    for (auto &[size, blocks] : bySize)
      for (char *block : blocks)
        std::free(block);
    bySize.clear();
    bytes = 0;
  }
  ~ThreadCache() { release(); }
};
thread_local ThreadCache cache;

size_t roundUp(size_t n) { return (n + kHeader - 1) / kHeader * kHeader; }

void *allocate(size_t size) {
  size = roundUp(size ? size : 1);
  auto it = cache.bySize.find(size);
  if (it != cache.bySize.end() && !it->second.empty()) {
    char *block = it->second.back();
    it->second.pop_back();
    cache.bytes -= size;
    return block + kHeader;
  }
  char *block = static_cast<char *>(std::aligned_alloc(kHeader, kHeader + size));
  if (!block)
    llvm::report_fatal_error("training step: out of memory");
  *reinterpret_cast<size_t *>(block) = size;
  return block + kHeader;
}
} // namespace

extern "C" {
static void *tnasStepAlloc(uint64_t size) { return allocate(size); }

static void *tnasStepAlignedAlloc(uint64_t alignment, uint64_t size) {
  if (alignment > kHeader)
    llvm::report_fatal_error("training step: alignment above 64 bytes");
  return allocate(size);
}

static void tnasStepFree(void *ptr) {
  if (!ptr)
    return;
  char *block = static_cast<char *>(ptr) - kHeader;
  size_t size = *reinterpret_cast<size_t *>(block);
  if (cache.bytes + size > kMaxCachedStepBufferBytes) {
    std::free(block);
    return;
  }
  cache.bySize[size].push_back(block);
  cache.bytes += size;
}
}

llvm::orc::SymbolMap
tnas::training::stepBufferSymbols(llvm::orc::MangleAndInterner interner) {
  llvm::orc::SymbolMap symbols;
  auto add = [&](llvm::StringRef name, auto *fn) {
    symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(fn),
                               llvm::JITSymbolFlags::Exported};
  };
  add("_mlir_memref_to_llvm_alloc", &tnasStepAlloc);
  add("_mlir_memref_to_llvm_aligned_alloc", &tnasStepAlignedAlloc);
  add("_mlir_memref_to_llvm_free", &tnasStepFree);
  return symbols;
}

void tnas::training::releaseStepBuffers() { cache.release(); }

size_t tnas::cachedStepBufferBytes() { return cache.bytes; }

//===- TrainingKernels.h - the JIT-compiled training step -------*- C++ -*-===//
//
// Lowers the training module of TrainingStep.h to LLVM, compiles it for the
// host CPU (its parts concurrently, see lib/Training/ParallelCompile.h) and
// links the objects in an ORC LLJIT; the calls run its functions on plain
// host buffers (float, or double when the config asks for f64). The calls
// build memref descriptors on the fly; there is no interpretation per layer.
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_TRAINING_TRAININGKERNELS_H
#define TNAS_TRAINING_TRAININGKERNELS_H

#include "tnas/Training/TrainingStep.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstddef>
#include <cstdint>
#include <memory>

namespace llvm::orc {
class LLJIT;
} // namespace llvm::orc

namespace mlir {
class ModuleOp;
} // namespace mlir

namespace tnas {

/// Runs the lowering of the training module to the LLVM dialect:
/// one-shot bufferization, buffer deallocation, linalg to loops, then the
/// standard conversions to LLVM. With the environment variable
/// TNAS_TRAINING_TIMING set, every pass manager prints its pass timings
/// (as -mlir-timing) on stderr.
llvm::Error lowerTrainingModuleToLLVM(mlir::ModuleOp module);

/// Bytes of freed temporaries of compiled steps that the calling thread keeps
/// for its next step (the step allocates through a per-thread cache rather
/// than malloc, see lib/Training/StepBuffers.h); destroying a
/// TrainingKernels empties the calling thread's cache.
size_t cachedStepBufferBytes();

/// Where the compile time of one training module goes (seconds, wall).
struct CompileTimings {
  double build = 0;     ///< building the training module
  double mlir = 0;      ///< canonicalize, vectorize, bufferize, to LLVM dialect
  double translate = 0; ///< LLVM dialect to LLVM IR, JIT set-up
  double llvmOpt = 0;   ///< LLVM -O passes
  double codegen = 0;   ///< machine code (ORC, at the first lookup)
  bool cacheHit = false; ///< the object code came from the object cache
  int parts = 0;         ///< object files (parts compiled side by side)
  double total() const { return build + mlir + translate + llvmOpt + codegen; }
};

class TrainingKernels {
public:
  ~TrainingKernels();

  /// Builds, lowers and JIT-compiles the training step of `net`. With an
  /// object cache directory (TrainingStepConfig::objectCacheDir or the
  /// TNAS_JIT_CACHE environment variable), the machine code of a module
  /// compiled before is loaded instead of optimised and generated again.
  static llvm::Expected<std::unique_ptr<TrainingKernels>>
  compile(const Network &net, const TrainingStepConfig &config);

  const ParameterLayout &layout() const { return layout_; }
  const TrainingStepConfig &config() const { return config_; }
  const Network &network() const { return net_; }
  int64_t sliceBatch() const { return config_.sliceSamples(); }
  int64_t sampleElements() const {
    return net_.input.h * net_.input.w * net_.input.c;
  }
  /// Seconds spent building, lowering and compiling.
  double compileSeconds() const { return compileSeconds_; }
  const CompileTimings &compileTimings() const { return timings_; }

  // Buffers are of the element type (float or double); see TrainingStep.h
  // for the meaning of each argument. trainStep needs
  // config().hasFusedStep(), forwardBackward and update hasSplitStep().
  void trainStep(void *params, void *state, void *running, const void *x,
                 const int32_t *labels, const int32_t *ctrl, const void *hyper,
                 void *metrics) const;
  void forwardBackward(const void *params, const void *running, const void *x,
                       const int32_t *labels, const int32_t *ctrl, void *grads,
                       void *batchStats, void *metrics) const;
  void update(void *params, void *state, void *running, const void *grads,
              const void *batchStats, const void *hyper) const;
  void evaluate(const void *params, const void *running, const void *x,
                const int32_t *labels, void *metrics) const;

private:
  TrainingKernels() = default;
  using EntryFn = void *; ///< an `_mlir_ciface_` function
  Network net_;
  TrainingStepConfig config_;
  ParameterLayout layout_;
  llvm::Error lookupEntryPoints();

  /// The object files of the step's parts, compiled or from the cache.
  std::unique_ptr<llvm::orc::LLJIT> jit_;
  EntryFn trainStepFn_ = nullptr, fwdBwdFn_ = nullptr, updateFn_ = nullptr,
          evalFn_ = nullptr;
  double compileSeconds_ = 0;
  CompileTimings timings_;
};

} // namespace tnas

#endif // TNAS_TRAINING_TRAININGKERNELS_H

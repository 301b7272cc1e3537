//===- TrainingStep.h - MLIR for a fused training step ----------*- C++ -*-===//
//
// Builds, from a Network and a batch size, one MLIR module whose functions do
// the whole training step of that network with static shapes: forward,
// backward (each op's gradient derived here, in linalg/arith/tensor on
// tensors) and the optimizer update. All parameters live in one flat vector
// so that the optimizer update is a single elementwise linalg.generic.
//
// Functions of the module (all take memrefs, `llvm.emit_c_interface`):
//   tnas_train_step(params[P], state[S], running[B], x[N,H,W,C], labels[N],
//                   ctrl[4] i32, hyper[8], metrics[2])
//       fused forward + backward + update for the whole batch (1 thread).
//   tnas_fwd_bwd(params[P], running[B], x[n,H,W,C], labels[n], ctrl[4] i32,
//                grads[P], batch_stats[B], metrics[2])
//       forward + backward of one thread's slice (n = N / threads).
//   tnas_update(params[P], state[S], running[B], grads[T,P],
//               batch_stats[T,B], hyper[8])
//       sums the threads' gradients, applies the optimizer, updates the
//       batchnorm running statistics.
//   tnas_eval(params[P], running[B], x[n,H,W,C], labels[n], metrics[2])
//       inference-mode forward (running statistics, no dropout).
// metrics = [sum of per-sample losses, number of correct predictions].
// hyper = [lr, momentum|beta1, beta2, eps, 1/(1-beta1^t), 1/(1-beta2^t),
//          weight_decay, 0]. ctrl = [seed, step, sample offset, 0].
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_TRAINING_TRAININGSTEP_H
#define TNAS_TRAINING_TRAININGSTEP_H

#include "tnas/Model/Network.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>
#include <vector>

namespace mlir {
class MLIRContext;
class DialectRegistry;
} // namespace mlir

namespace tnas {

enum class OptimizerKind { SgdMomentum, Adam };

/// Which entry points the module contains. Each of tnas_train_step and
/// tnas_fwd_bwd holds a whole forward + backward, so building only the ones
/// a thread count uses roughly halves the JIT compile time.
enum class StepEntryPoints {
  /// threads == 1: tnas_train_step + tnas_eval; otherwise tnas_fwd_bwd +
  /// tnas_update + tnas_eval.
  ForThreads,
  All, ///< all four (gradient checks, tests comparing fused and split steps)
};

struct TrainingStepConfig {
  int64_t batch = 64;  ///< samples per step (all threads together)
  int64_t threads = 1; ///< the batch is split evenly across threads
  /// With threads > 1: each thread runs its part of the batch as slices of
  /// at most this many samples (one tnas_fwd_bwd call each, all gradients
  /// summed by tnas_update), so the per-call working set stays in cache at
  /// big batches. Batchnorm statistics are then per slice of this size.
  /// 0: one slice of batch / threads samples per thread.
  int64_t microBatch = 0;
  OptimizerKind optimizer = OptimizerKind::Adam;
  double bnMomentum = 0.1; ///< running = (1-m) running + m batch
  double bnEpsilon = 1e-5;
  bool useF64 = false; ///< element type f64 (gradient checks) instead of f32
  /// LLVM optimisation and code generation level of the JIT (0-3). -O2
  /// trains as fast as -O3 here and compiles 2-3x faster (docs/training.md).
  unsigned optLevel = 2;
  StepEntryPoints entryPoints = StepEntryPoints::ForThreads;
  /// Optimise and generate the parts of the step (forward + backward;
  /// update + evaluation) on two threads at once rather than one after the
  /// other. Same object code either way.
  bool parallelCompile = true;
  /// Directory of compiled training steps reused across runs ("": the
  /// TNAS_JIT_CACHE environment variable, or no cache when unset).
  std::string objectCacheDir;

  /// Samples per tnas_fwd_bwd (and tnas_eval) call.
  int64_t sliceSamples() const {
    int64_t perThread = batch / threads;
    return threads > 1 && microBatch > 0 && microBatch < perThread
               ? microBatch
               : perThread;
  }
  /// tnas_fwd_bwd calls per step: the gradient rows tnas_update sums.
  int64_t numSlices() const { return batch / sliceSamples(); }

  bool hasFusedStep() const {
    return entryPoints == StepEntryPoints::All || threads == 1;
  }
  bool hasSplitStep() const {
    return entryPoints == StepEntryPoints::All || threads > 1;
  }
};

/// Where one tensor of the network lives in a flat vector.
struct FlatSlot {
  int64_t offset = 0;
  std::vector<int64_t> shape;
  int64_t size() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
};

/// The parameters and buffers of one layer inside the flat vectors.
/// Conv: weight [KH,KW,C,F] + bias [F]; depthwise: weight [KH,KW,C] + bias
/// [C]; pointwise: weight [1,1,C,F] + bias [F]; dense: weight [C,F] + bias
/// [F]; batchnorm: weight = gamma [C], bias = beta [C], runningMean and
/// runningVar [C] in the buffer vector.
struct LayerSlots {
  bool hasParams = false;
  FlatSlot weight, bias;
  bool hasRunningStats = false;
  FlatSlot runningMean, runningVar;
};

struct ParameterLayout {
  std::vector<LayerSlots> layers; ///< one per Network layer
  int64_t numParams = 0;          ///< P
  int64_t numBuffers = 0;         ///< B (batchnorm running statistics)
  int64_t stateSize = 0;          ///< S: P for SGD momentum, 2P for Adam

  static llvm::Expected<ParameterLayout> compute(const Network &net,
                                                 OptimizerKind optimizer);
};

/// Registers the dialects and interfaces the training module and its
/// lowering need.
void registerTrainingDialects(mlir::DialectRegistry &registry);

/// Builds the training module. Errors: the network's shapes do not infer,
/// the last layer does not produce `numClasses` flat logits, or the batch
/// does not split evenly across threads.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
buildTrainingModule(mlir::MLIRContext &ctx, const Network &net,
                    const TrainingStepConfig &config);

} // namespace tnas

#endif // TNAS_TRAINING_TRAININGSTEP_H

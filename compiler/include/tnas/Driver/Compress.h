//===- Compress.h - the trained pick through the compression passes -*- C++ -*-===//
//
// float IR -> tnas-prune-filters (BN still separate, so the pruned network
// can be trained again) -> fine-tuning -> tnas-fold-batchnorm -> calibration
// -> tnas-quantize, measuring the test accuracy after each step through the
// JIT.
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_DRIVER_COMPRESS_H
#define TNAS_DRIVER_COMPRESS_H

#include "tnas/Driver/SpecData.h"
#include "tnas/Frontend/Spec.h"
#include "tnas/Model/Network.h"
#include "tnas/Model/Weights.h"
#include "tnas/Training/Trainer.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace tnas::driver {

struct CompressInput {
  const Spec *spec = nullptr;
  const SpecData *data = nullptr;
  const Network *network = nullptr; ///< the trained pick
  const Weights *weights = nullptr; ///< its final weights (BN unfolded)
  /// The final training's options: fine-tuning uses the same batch,
  /// optimizer and threads with the `finetune` epochs and rate.
  TrainOptions training;
  bool quick = false; ///< at most one fine-tuning epoch
  unsigned threads = 2;
  llvm::raw_ostream *log = &llvm::errs();
  /// Receives the network after pruning (the pick itself without pruning).
  Network *compressedNetwork = nullptr;
};

/// Builds the batch-1 @forward of the pick in `ctx` and compresses it as the
/// spec's `compress` section says. `figures` receives
/// `<stage>_test_accuracy` for float, pruned, finetuned and int8, and the
/// parameter count after pruning.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
compressNetwork(mlir::MLIRContext &ctx, const CompressInput &input,
                llvm::json::Object &figures);

} // namespace tnas::driver

#endif // TNAS_DRIVER_COMPRESS_H

//===- Compress.cpp - the trained pick through the compression passes -----===//
//
// Pruning runs before batchnorm folding on purpose: the pruned IR still maps
// one op to one layer, so it can be read back as a Network and fine-tuned
// with the same JIT-compiled training step, then rebuilt. Folding, which
// merges layers, comes after the last training.
//
//===----------------------------------------------------------------------===//
#include "tnas/Driver/Compress.h"
#include "tnas/Builder/ForwardBuilder.h"
#include "tnas/Builder/NetworkFromIR.h"
#include "tnas/Dialect/Tnas/Transforms/Passes.h"
#include "tnas/Driver/Calibrate.h"
#include "tnas/Driver/CandidateTraining.h"
#include "tnas/Driver/Rebatch.h"
#include "tnas/JIT/ForwardJIT.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

using namespace tnas;
using namespace tnas::driver;

namespace {

llvm::Error error(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg.str());
}

/// Samples per JIT call when scoring a compiled model.
constexpr int64_t kEvalBatch = 100;

/// Top-1 accuracy of a (float or int8) @forward on a dataset, through the
/// JIT at kEvalBatch samples per call on both cores.
llvm::Expected<double> jitAccuracy(mlir::ModuleOp module,
                                   const data::Dataset &d, int64_t classes,
                                   unsigned threads) {
  mlir::OwningOpRef<mlir::ModuleOp> copy = module.clone();
  if (llvm::Error e = rebatch(*copy, kEvalBatch))
    return std::move(e);
  auto compiled = jit::CompiledForward::compile(*copy);
  if (!compiled)
    return compiled.takeError();
  auto eval = jit::evaluate(**compiled, d.images, d.labels, classes, threads);
  if (!eval)
    return eval.takeError();
  return eval->accuracy();
}

llvm::Error runPasses(mlir::ModuleOp module,
                      llvm::function_ref<void(mlir::OpPassManager &)> add) {
  mlir::PassManager pm(module.getContext());
  add(pm.nest<mlir::func::FuncOp>());
  if (mlir::failed(pm.run(module)))
    return error("a compression pass failed (see the diagnostics above)");
  return llvm::Error::success();
}

int64_t parameterCount(const Weights &w) {
  int64_t n = 0;
  for (const LayerWeights &l : w.layers)
    n += l.filter.size() + l.bias.size() + l.gamma.size() + l.beta.size();
  return n;
}

/// Trains the pruned network read back from `module` and returns it rebuilt
/// with the new weights.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
fineTune(mlir::MLIRContext &ctx, mlir::ModuleOp module,
         const CompressInput &in) {
  auto pruned = readForwardModule(module, *in.network);
  if (!pruned)
    return pruned.takeError();
  const Network &net = pruned->network;
  auto start =
      toTrainedWeights(net, pruned->weights, in.training.step.optimizer);
  if (!start)
    return start.takeError();
  const CompressSpec &c = in.spec->compress;
  TrainOptions options = in.training;
  options.epochs = in.quick ? std::min<int64_t>(1, c.finetuneEpochs)
                            : c.finetuneEpochs;
  options.learningRate = c.finetuneLearningRate;
  options.initialWeights = &*start;
  TrainingData train{in.data->train.images, in.data->train.labels};
  TrainingData validation{in.data->validation.images,
                          in.data->validation.labels};
  *in.log << llvm::formatv("finetune: {0} epoch(s) of {1} at lr {2}\n",
                           options.epochs, net.key(),
                           llvm::format("%g", options.learningRate));
  auto trained = trainNetwork(net, train, &validation, options);
  if (!trained)
    return trained.takeError();
  if (trained->failed)
    return error("fine-tuning after pruning failed: " +
                 trained->failureReason);
  if (trained->interrupted)
    return error("interrupted while fine-tuning; the search results are "
                 "kept in the checkpoint");
  auto weights = toModelWeights(net, trained->weights,
                                float(options.step.bnEpsilon));
  if (!weights)
    return weights.takeError();
  return buildForwardModule(ctx, net, *weights, /*batch=*/1,
                            {llvm::sys::path::filename(in.spec->file).str()});
}

} // namespace

llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
tnas::driver::compressNetwork(mlir::MLIRContext &ctx, const CompressInput &in,
                              llvm::json::Object &figures) {
  const Spec &spec = *in.spec;
  auto module =
      buildForwardModule(ctx, *in.network, *in.weights, /*batch=*/1,
                         {llvm::sys::path::filename(spec.file).str()});
  if (!module)
    return module.takeError();
  int64_t classes = spec.dataset.classes;
  auto measure = [&](mlir::ModuleOp m, llvm::StringRef what) -> llvm::Error {
    auto acc = jitAccuracy(m, in.data->test, classes, in.threads);
    if (!acc)
      return acc.takeError();
    figures[(what + "_test_accuracy").str()] = *acc;
    *in.log << llvm::formatv("{0,-9} test accuracy {1:P2}\n", what, *acc);
    return llvm::Error::success();
  };
  if (llvm::Error e = measure(**module, "float"))
    return std::move(e);

  const CompressSpec &compress = spec.compress;
  if (in.compressedNetwork)
    *in.compressedNetwork = *in.network;
  if (compress.prune != PruneMode::None) {
    if (llvm::Error e = runPasses(**module, [&](mlir::OpPassManager &pm) {
          mlir::tnas::PruneFiltersPassOptions prune;
          prune.ratio = compress.pruneRatio;
          prune.knee = compress.prune == PruneMode::Knee;
          if (compress.prune == PruneMode::PerLayer)
            prune.layerRatios = compress.perLayerRatios;
          pm.addPass(mlir::tnas::createPruneFiltersPass(prune));
        }))
      return std::move(e);
    if (llvm::Error e = measure(**module, "pruned"))
      return std::move(e);
    auto pruned = readForwardModule(**module, *in.network);
    if (!pruned)
      return pruned.takeError();
    figures["pruned_params"] = parameterCount(pruned->weights);
    figures["pruned_architecture"] = pruned->network.key();
    if (in.compressedNetwork)
      *in.compressedNetwork = pruned->network;
    if (compress.finetuneEpochs > 0) {
      auto tuned = fineTune(ctx, **module, in);
      if (!tuned)
        return tuned.takeError();
      module = std::move(*tuned);
      if (llvm::Error e = measure(**module, "finetuned"))
        return std::move(e);
    }
  }

  if (llvm::Error e = runPasses(**module, [](mlir::OpPassManager &pm) {
        pm.addPass(mlir::tnas::createFoldBatchNormPass());
      }))
    return std::move(e);

  if (compress.quantizeInt8) {
    int64_t calibration = compress.calibrationSamples > 0
                              ? compress.calibrationSamples
                              : 500;
    if (llvm::Error e =
            calibrateRanges(**module, in.data->train.images, calibration))
      return std::move(e);
    if (llvm::Error e = runPasses(**module, [](mlir::OpPassManager &pm) {
          pm.addPass(mlir::tnas::createQuantizePass());
        }))
      return std::move(e);
    if (llvm::Error e = measure(**module, "int8"))
      return std::move(e);
  }
  return std::move(*module);
}

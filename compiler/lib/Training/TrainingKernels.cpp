//===- TrainingKernels.cpp - lowering and JIT of the training step --------===//
#include "tnas/Training/TrainingKernels.h"

#include "ConvVectorization.h"
#include "ObjectCache.h"
#include "ParallelCompile.h"
#include "StepBuffers.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/Support/SmallVectorMemoryBuffer.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/TargetSelect.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <utility>

using namespace mlir;
using namespace tnas;

void tnas::registerTrainingDialects(DialectRegistry &registry) {
  registry.insert<func::FuncDialect, arith::ArithDialect, math::MathDialect,
                  linalg::LinalgDialect, tensor::TensorDialect,
                  bufferization::BufferizationDialect, memref::MemRefDialect,
                  scf::SCFDialect, cf::ControlFlowDialect,
                  affine::AffineDialect, LLVM::LLVMDialect>();
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
  training::registerConvVectorization(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
}

/// Pass timings on stderr when TNAS_TRAINING_TIMING is set (profiling the
/// compile time of a candidate without a debugger).
static void maybeEnableTiming(PassManager &pm) {
  if (std::getenv("TNAS_TRAINING_TIMING"))
    pm.enableTiming();
}

llvm::Error tnas::lowerTrainingModuleToLLVM(ModuleOp module) {
  auto failedTo = [](const char *what) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   llvm::Twine("lowering the training step: ") +
                                       what + " failed");
  };
  {
    PassManager pm(module.getContext());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
    maybeEnableTiming(pm);
    if (failed(pm.run(module)))
      return failedTo("canonicalization");
  }
  if (failed(training::vectorizeConvolutions(module)))
    return failedTo("convolution vectorization");
  PassManager pm(module.getContext());
  bufferization::OneShotBufferizationOptions bufferization;
  // Copies become linalg.copy, lowered to loops like everything else, so
  // that the JIT needs no runtime library (memref.copy of a strided view
  // would call `memrefCopy`).
  bufferization.memCpyFn = [](OpBuilder &b, Location loc, Value from,
                              Value to) {
    b.create<linalg::CopyOp>(loc, from, to);
    return success();
  };
  pm.addPass(bufferization::createOneShotBufferizePass(bufferization));
  bufferization::BufferDeallocationPipelineOptions dealloc;
  bufferization::buildBufferDeallocationPipeline(pm, dealloc);
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createLowerAffinePass());
  VectorTransferToSCFOptions vectorToScf;
  vectorToScf.enableFullUnroll(true);
  pm.addNestedPass<func::FuncOp>(createConvertVectorToSCFPass(vectorToScf));
  pm.addPass(createConvertSCFToCFPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertVectorToLLVMPass());
  // Temporaries go through StepBuffers' per-thread cache rather than malloc
  // (page faults every step otherwise, see StepBuffers.h).
  FinalizeMemRefToLLVMConversionPassOptions memrefToLLVM;
  memrefToLLVM.useGenericFunctions = true;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefToLLVM));
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  maybeEnableTiming(pm);
  if (failed(pm.run(module)))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "lowering the training step to LLVM failed");
  return llvm::Error::success();
}

TrainingKernels::~TrainingKernels() {
  // The calling thread's cached temporaries are sized for this network.
  training::releaseStepBuffers();
}

llvm::Expected<std::unique_ptr<TrainingKernels>>
TrainingKernels::compile(const Network &net, const TrainingStepConfig &config) {
  using Clock = std::chrono::steady_clock;
  auto start = Clock::now(), phaseStart = start;
  auto lap = [&phaseStart] {
    auto now = Clock::now();
    double s = std::chrono::duration<double>(now - phaseStart).count();
    phaseStart = now;
    return s;
  };
  CompileTimings timings;
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();

  DialectRegistry registry;
  registerTrainingDialects(registry);
  MLIRContext ctx(registry);
  ctx.disableMultithreading();
  auto module = buildTrainingModule(ctx, net, config);
  if (!module)
    return module.takeError();
  timings.build = lap();
  if (auto err = lowerTrainingModuleToLLVM(**module))
    return std::move(err);
  timings.mlir = lap();

  std::unique_ptr<TrainingKernels> k(new TrainingKernels());
  k->net_ = net;
  k->config_ = config;
  auto layout = ParameterLayout::compute(net, config.optimizer);
  if (!layout)
    return layout.takeError();
  k->layout_ = std::move(*layout);

  auto tmBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!tmBuilder)
    return tmBuilder.takeError();
  // The level is set here, as clang maps -O to the code generator.
  static constexpr llvm::CodeGenOptLevel codegenLevels[] = {
      llvm::CodeGenOptLevel::None, llvm::CodeGenOptLevel::Less,
      llvm::CodeGenOptLevel::Default, llvm::CodeGenOptLevel::Aggressive};
  tmBuilder->setCodeGenOptLevel(codegenLevels[std::min(config.optLevel, 3u)]);
  auto keyTm = tmBuilder->createTargetMachine();
  if (!keyTm)
    return keyTm.takeError();

  // Each part (ParallelCompile.h) is an object file of its own, cached under
  // its own key.
  std::vector<OwningOpRef<ModuleOp>> parts =
      training::splitEntryPoints(**module);
  std::string cacheDir = training::objectCacheDirectory(config.objectCacheDir);
  std::vector<std::string> cachePaths(parts.size());
  if (!cacheDir.empty())
    for (size_t i = 0; i < parts.size(); ++i)
      cachePaths[i] = training::objectCachePath(
          cacheDir,
          training::objectCacheKey(*parts[i], config.optLevel, **keyTm));

  // One attempt with the cache; when cached objects do not link (stale,
  // unresolvable), a second one compiling everything afresh.
  for (bool useCache : {true, false}) {
    std::vector<std::unique_ptr<llvm::MemoryBuffer>> objects(parts.size());
    std::vector<training::ObjectJob> jobs(parts.size());
    std::vector<training::ObjectJob *> toCompile;
    bool anyCached = false;
    for (size_t i = 0; i < parts.size(); ++i) {
      if (useCache && !cachePaths[i].empty() &&
          llvm::sys::fs::exists(cachePaths[i])) {
        auto cached = training::readCachedObject(cachePaths[i]);
        if (cached) {
          objects[i] = std::move(*cached);
          anyCached = true;
          continue;
        }
        llvm::consumeError(cached.takeError()); // corrupt: compile afresh
      }
      if (auto err = training::translatePart(*parts[i], jobs[i]))
        return std::move(err);
      toCompile.push_back(&jobs[i]);
    }
    if (!useCache && toCompile.empty())
      break;
    timings.translate = lap();
    if (auto err =
            training::compileObjects(toCompile, *tmBuilder, config.optLevel,
                                     config.parallelCompile))
      return std::move(err);
    // Concurrent parts: the longest -O pipeline; otherwise their sum.
    timings.llvmOpt = 0;
    for (training::ObjectJob *job : toCompile)
      timings.llvmOpt = config.parallelCompile
                            ? std::max(timings.llvmOpt, job->optSeconds)
                            : timings.llvmOpt + job->optSeconds;
    for (size_t i = 0; i < parts.size(); ++i) {
      if (objects[i])
        continue;
      // Caching is an optimisation: a read-only directory only costs time.
      if (!cachePaths[i].empty())
        llvm::consumeError(
            training::storeObject(jobs[i].object, cachePaths[i]));
      objects[i] = std::make_unique<llvm::SmallVectorMemoryBuffer>(
          std::move(jobs[i].object), "tnas-training-step-part",
          /*RequiresNullTerminator=*/false);
    }
    auto jit = training::createStepJIT(std::move(objects));
    llvm::Error linked = jit ? llvm::Error::success() : jit.takeError();
    if (!linked) {
      k->jit_ = std::move(*jit);
      linked = k->lookupEntryPoints();
    }
    if (!linked) {
      timings.cacheHit = toCompile.empty();
      timings.parts = int(parts.size());
      // The rest of the wall time: code generation and linking.
      timings.codegen = std::max(0.0, lap() - timings.llvmOpt);
      break;
    }
    k->jit_.reset();
    if (!anyCached)
      return std::move(linked);
    llvm::consumeError(std::move(linked));
  }
  k->timings_ = timings;
  k->compileSeconds_ =
      std::chrono::duration<double>(Clock::now() - start).count();
  if (std::getenv("TNAS_TRAINING_TIMING"))
    llvm::errs() << llvm::formatv(
        "training step compile: build {0:f2} s, MLIR lowering {1:f2} s, "
        "translation {2:f2} s, LLVM opt {3:f2} s, codegen {4:f2} s, "
        "{5} parts{6}\n",
        timings.build, timings.mlir, timings.translate, timings.llvmOpt,
        timings.codegen, parts.size(),
        timings.cacheHit ? " (object cache hit)" : "");
  return std::move(k);
}

llvm::Error TrainingKernels::lookupEntryPoints() {
  auto find = [&](StringRef name, EntryFn &fn) -> llvm::Error {
    // The C interface wrapper: every memref argument by descriptor pointer.
    auto addr = jit_->lookup(("_mlir_ciface_" + name).str());
    if (!addr)
      return addr.takeError();
    fn = addr->toPtr<void *>();
    return llvm::Error::success();
  };
  if (auto err = find("tnas_eval", evalFn_))
    return err;
  if (config_.hasFusedStep())
    if (auto err = find("tnas_train_step", trainStepFn_))
      return err;
  if (config_.hasSplitStep()) {
    if (auto err = find("tnas_fwd_bwd", fwdBwdFn_))
      return err;
    if (auto err = find("tnas_update", updateFn_))
      return err;
  }
  return llvm::Error::success();
}

namespace {
/// A ranked memref descriptor of rank <= 4 laid out as the C interface
/// expects: allocated, aligned, offset, sizes[rank], strides[rank].
struct Descriptor {
  std::array<int64_t, 11> words{};
  Descriptor() = default;
  Descriptor(const void *data, std::initializer_list<int64_t> shape) {
    words[0] = words[1] = int64_t(reinterpret_cast<uintptr_t>(data));
    words[2] = 0;
    size_t rank = shape.size(), i = 0;
    for (int64_t d : shape)
      words[3 + i++] = d;
    int64_t stride = 1;
    for (size_t j = rank; j-- > 0;) {
      words[3 + rank + j] = stride;
      stride *= words[3 + j];
    }
  }
};

/// Calls an `_mlir_ciface_` function, whose arguments are pointers to the
/// memref descriptors.
template <size_t N, size_t... I>
void callInterface(void *fn, std::array<Descriptor, N> &descs,
                   std::index_sequence<I...>) {
  using Fn = void (*)(decltype((void)I, static_cast<void *>(nullptr))...);
  reinterpret_cast<Fn>(fn)(static_cast<void *>(&descs[I])...);
}
template <size_t N>
void callInterface(void *fn, std::array<Descriptor, N> &descs) {
  callInterface(fn, descs, std::make_index_sequence<N>());
}
} // namespace

/// Calling an entry point the module was built without is a programming
/// error of the caller (see StepEntryPoints).
static void requireEntryPoint(void *fn, const char *name) {
  if (!fn)
    llvm::report_fatal_error(llvm::Twine("training kernels: ") + name +
                             " was not compiled (StepEntryPoints)");
}

void TrainingKernels::trainStep(void *params, void *state, void *running,
                                const void *x, const int32_t *labels,
                                const int32_t *ctrl, const void *hyper,
                                void *metrics) const {
  const Shape &in = net_.input;
  int64_t n = config_.batch;
  std::array<Descriptor, 8> d = {Descriptor(params, {layout_.numParams}),
                                 Descriptor(state, {layout_.stateSize}),
                                 Descriptor(running, {layout_.numBuffers}),
                                 Descriptor(x, {n, in.h, in.w, in.c}),
                                 Descriptor(labels, {n}),
                                 Descriptor(ctrl, {4}),
                                 Descriptor(hyper, {8}),
                                 Descriptor(metrics, {2})};
  requireEntryPoint(trainStepFn_, "tnas_train_step");
  callInterface(trainStepFn_, d);
}

void TrainingKernels::forwardBackward(const void *params, const void *running,
                                      const void *x, const int32_t *labels,
                                      const int32_t *ctrl, void *grads,
                                      void *batchStats, void *metrics) const {
  const Shape &in = net_.input;
  int64_t n = sliceBatch();
  std::array<Descriptor, 8> d = {Descriptor(params, {layout_.numParams}),
                                 Descriptor(running, {layout_.numBuffers}),
                                 Descriptor(x, {n, in.h, in.w, in.c}),
                                 Descriptor(labels, {n}),
                                 Descriptor(ctrl, {4}),
                                 Descriptor(grads, {layout_.numParams}),
                                 Descriptor(batchStats, {layout_.numBuffers}),
                                 Descriptor(metrics, {2})};
  requireEntryPoint(fwdBwdFn_, "tnas_fwd_bwd");
  callInterface(fwdBwdFn_, d);
}

void TrainingKernels::update(void *params, void *state, void *running,
                             const void *grads, const void *batchStats,
                             const void *hyper) const {
  int64_t t = config_.numSlices();
  std::array<Descriptor, 6> d = {
      Descriptor(params, {layout_.numParams}),
      Descriptor(state, {layout_.stateSize}),
      Descriptor(running, {layout_.numBuffers}),
      Descriptor(grads, {t, layout_.numParams}),
      Descriptor(batchStats, {t, layout_.numBuffers}),
      Descriptor(hyper, {8})};
  requireEntryPoint(updateFn_, "tnas_update");
  callInterface(updateFn_, d);
}

void TrainingKernels::evaluate(const void *params, const void *running,
                               const void *x, const int32_t *labels,
                               void *metrics) const {
  const Shape &in = net_.input;
  int64_t n = sliceBatch();
  std::array<Descriptor, 5> d = {Descriptor(params, {layout_.numParams}),
                                 Descriptor(running, {layout_.numBuffers}),
                                 Descriptor(x, {n, in.h, in.w, in.c}),
                                 Descriptor(labels, {n}),
                                 Descriptor(metrics, {2})};
  callInterface(evalFn_, d);
}

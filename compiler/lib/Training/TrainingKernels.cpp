//===- TrainingKernels.cpp - lowering and JIT of the training step --------===//
#include "tnas/Training/TrainingKernels.h"

#include "ConvVectorization.h"
#include "ObjectCache.h"
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
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/TargetSelect.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>

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
  // ExecutionEngine ignores jitCodeGenOptLevel when given a TargetMachine:
  // the level is set here, as clang maps -O to the code generator.
  static constexpr llvm::CodeGenOptLevel codegenLevels[] = {
      llvm::CodeGenOptLevel::None, llvm::CodeGenOptLevel::Less,
      llvm::CodeGenOptLevel::Default, llvm::CodeGenOptLevel::Aggressive};
  tmBuilder->setCodeGenOptLevel(codegenLevels[std::min(config.optLevel, 3u)]);
  auto tm = tmBuilder->createTargetMachine();
  if (!tm)
    return tm.takeError();

  std::string cacheDir = training::objectCacheDirectory(config.objectCacheDir);
  std::string cachePath;
  if (!cacheDir.empty()) {
    cachePath = training::objectCachePath(
        cacheDir, training::objectCacheKey(**module, config.optLevel, **tm));
    if (llvm::sys::fs::exists(cachePath)) {
      // A corrupt or stale object is not fatal: compile afresh.
      if (llvm::Error err = k->loadFromCache(cachePath))
        llvm::consumeError(std::move(err));
    }
  }

  if (!k->cachedJit_) {
    auto optimize = makeOptimizingTransformer(config.optLevel, 0, tm->get());
    // ExecutionEngine::create runs the optimizer eagerly; time it apart from
    // the translation. (The option is a function_ref: keep the lambda
    // alive.)
    auto timedOptimize = [&](llvm::Module *m) {
      auto optStart = Clock::now();
      llvm::Error err = optimize(m);
      timings.llvmOpt =
          std::chrono::duration<double>(Clock::now() - optStart).count();
      return err;
    };
    ExecutionEngineOptions options;
    options.transformer = timedOptimize;
    options.enableObjectDump = !cachePath.empty();
    auto engine = ExecutionEngine::create(**module, options, std::move(*tm));
    if (!engine)
      return engine.takeError();
    timings.translate = lap() - timings.llvmOpt;
    k->engine_ = std::move(*engine);
    k->engine_->registerSymbols(training::stepBufferSymbols);
    // The first lookup materializes the module: code generation.
    if (llvm::Error err = k->lookupEntryPoints())
      return std::move(err);
    timings.codegen = lap();
    // Caching is an optimisation: a read-only directory only costs time.
    if (!cachePath.empty())
      llvm::consumeError(training::storeObject(*k->engine_, cachePath));
  } else {
    timings.cacheHit = true;
    timings.codegen = lap();
  }
  k->timings_ = timings;
  k->compileSeconds_ =
      std::chrono::duration<double>(Clock::now() - start).count();
  if (std::getenv("TNAS_TRAINING_TIMING"))
    llvm::errs() << llvm::formatv(
        "training step compile: build {0:f2} s, MLIR lowering {1:f2} s, "
        "translation {2:f2} s, LLVM opt {3:f2} s, codegen {4:f2} s{5}\n",
        timings.build, timings.mlir, timings.translate, timings.llvmOpt,
        timings.codegen, timings.cacheHit ? " (object cache hit)" : "");
  return std::move(k);
}

llvm::Error TrainingKernels::loadFromCache(llvm::StringRef path) {
  auto jit = training::loadCachedObject(path);
  if (!jit)
    return jit.takeError();
  cachedJit_ = std::move(*jit);
  if (llvm::Error err = lookupEntryPoints()) {
    cachedJit_.reset();
    return err;
  }
  return llvm::Error::success();
}

llvm::Error TrainingKernels::lookupEntryPoints() {
  auto find = [&](StringRef name, PackedFn &fn) -> llvm::Error {
    // ExecutionEngine's packed wrapper of the C interface: `_mlir_` prefix.
    std::string symbol = ("_mlir__mlir_ciface_" + name).str();
    if (cachedJit_) {
      auto addr = cachedJit_->lookup(symbol);
      if (!addr)
        return addr.takeError();
      fn = addr->toPtr<PackedFn>();
      return llvm::Error::success();
    }
    auto sym = engine_->lookupPacked(("_mlir_ciface_" + name).str());
    if (!sym)
      return sym.takeError();
    fn = *sym;
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

/// Calls a packed `_mlir_ciface_` wrapper with up to 8 memref arguments.
template <size_t N>
void callPacked(void (*fn)(void **), std::array<Descriptor, N> &descs) {
  std::array<void *, N> ptrs;
  std::array<void *, N> args;
  for (size_t i = 0; i < N; ++i) {
    ptrs[i] = &descs[i];
    args[i] = &ptrs[i];
  }
  fn(args.data());
}
} // namespace

/// Calling an entry point the module was built without is a programming
/// error of the caller (see StepEntryPoints).
static void requireEntryPoint(void (*fn)(void **), const char *name) {
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
  callPacked(trainStepFn_, d);
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
  callPacked(fwdBwdFn_, d);
}

void TrainingKernels::update(void *params, void *state, void *running,
                             const void *grads, const void *batchStats,
                             const void *hyper) const {
  int64_t t = config_.threads;
  std::array<Descriptor, 6> d = {
      Descriptor(params, {layout_.numParams}),
      Descriptor(state, {layout_.stateSize}),
      Descriptor(running, {layout_.numBuffers}),
      Descriptor(grads, {t, layout_.numParams}),
      Descriptor(batchStats, {t, layout_.numBuffers}),
      Descriptor(hyper, {8})};
  requireEntryPoint(updateFn_, "tnas_update");
  callPacked(updateFn_, d);
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
  callPacked(evalFn_, d);
}

//===- ParallelCompile.cpp - compile the step's entry points concurrently -===//
#include "ParallelCompile.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <algorithm>
#include <chrono>
#include <thread>

using namespace mlir;
using namespace tnas::training;

/// The entry points of each part. Forward + backward is by far the largest
/// function; the update and the evaluation together come second.
static const std::vector<std::vector<llvm::StringRef>> kParts = {
    {"tnas_train_step", "tnas_fwd_bwd"}, {"tnas_update", "tnas_eval"}};

/// The entry point `name` belongs to, or "".
static llvm::StringRef entryOf(llvm::StringRef name) {
  name.consume_front("_mlir_ciface_");
  for (const auto &part : kParts)
    for (llvm::StringRef entry : part)
      if (name == entry)
        return entry;
  return "";
}

std::vector<OwningOpRef<ModuleOp>>
tnas::training::splitEntryPoints(ModuleOp lowered) {
  std::vector<OwningOpRef<ModuleOp>> parts;
  for (const auto &entries : kParts) {
    bool any = false;
    lowered.walk([&](LLVM::LLVMFuncOp fn) {
      any |= llvm::is_contained(entries, entryOf(fn.getName()));
    });
    if (!any)
      continue;
    OwningOpRef<ModuleOp> part = lowered.clone();
    for (auto fn :
         llvm::make_early_inc_range(part->getOps<LLVM::LLVMFuncOp>())) {
      llvm::StringRef entry = entryOf(fn.getName());
      if (!entry.empty()) {
        if (!llvm::is_contained(entries, entry))
          fn.erase();
      } else if (!fn.isExternal()) {
        fn.setLinkage(LLVM::Linkage::Internal);
      }
    }
    for (auto global : part->getOps<LLVM::GlobalOp>())
      if (global.getValueOrNull() || !global.getInitializerRegion().empty())
        global.setLinkage(LLVM::Linkage::Internal);
    parts.push_back(std::move(part));
  }
  return parts;
}

llvm::Error tnas::training::translatePart(ModuleOp part, ObjectJob &job) {
  job.context = std::make_unique<llvm::LLVMContext>();
  job.module = translateModuleToLLVMIR(part, *job.context);
  if (!job.module)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "translating the training step to LLVM IR "
                                   "failed");
  return llvm::Error::success();
}

/// -O pipeline and code generation of one part, on its own TargetMachine
/// (they are not shareable across threads).
static void compileOne(ObjectJob &job,
                       const llvm::orc::JITTargetMachineBuilder &target,
                       unsigned optLevel) {
  auto tm = llvm::orc::JITTargetMachineBuilder(target).createTargetMachine();
  if (!tm) {
    job.error = llvm::toString(tm.takeError());
    return;
  }
  ExecutionEngine::setupTargetTripleAndDataLayout(job.module.get(), tm->get());
  auto start = std::chrono::steady_clock::now();
  if (llvm::Error err =
          makeOptimizingTransformer(optLevel, 0, tm->get())(job.module.get())) {
    job.error = llvm::toString(std::move(err));
    return;
  }
  job.optSeconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  llvm::raw_svector_ostream os(job.object);
  llvm::legacy::PassManager codegen;
  if ((*tm)->addPassesToEmitFile(codegen, os, nullptr,
                                 llvm::CodeGenFileType::ObjectFile)) {
    job.error = "the host target cannot emit object files";
    return;
  }
  codegen.run(*job.module);
  job.module.reset();
}

llvm::Error
tnas::training::compileObjects(std::vector<ObjectJob *> jobs,
                               const llvm::orc::JITTargetMachineBuilder &target,
                               unsigned optLevel, bool concurrent) {
  if (concurrent && jobs.size() > 1) {
    // The first part on this thread, every other part on a helper thread.
    std::vector<std::thread> helpers;
    for (size_t i = 1; i < jobs.size(); ++i)
      helpers.emplace_back([&, i] { compileOne(*jobs[i], target, optLevel); });
    compileOne(*jobs[0], target, optLevel);
    for (std::thread &t : helpers)
      t.join();
  } else {
    for (ObjectJob *job : jobs)
      compileOne(*job, target, optLevel);
  }
  for (ObjectJob *job : jobs)
    if (!job->error.empty())
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "compiling the training step: " +
                                         job->error);
  return llvm::Error::success();
}

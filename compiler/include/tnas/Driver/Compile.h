//===- Compile.h - tnasc's main job, stage by stage -------------*- C++ -*-===//
//
// spec -> datasets -> search (cost model, JIT training) -> final training of
// the pick -> tnas IR -> fold batchnorm -> prune -> calibrate -> int8 ->
// emitted C++ library, with a report. `Stop` cuts the pipeline like the Toy
// driver's -emit: each value prints what that stage produced.
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_DRIVER_COMPILE_H
#define TNAS_DRIVER_COMPILE_H

#include "tnas/Driver/SpecData.h"
#include "tnas/Frontend/Spec.h"
#include "tnas/Search/SearchRunner.h"
#include "tnas/Target/Cpp/EmitCpp.h"

#include "mlir/IR/BuiltinOps.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <functional>
#include <string>

namespace tnas::driver {

enum class Stop { Search, MlirTnas, MlirLinalg, MlirLlvm, Cpp };

/// Runs a search in place of search::runSearch (tnasc-mpi: over MPI ranks).
using SearchFn = std::function<llvm::Expected<search::SearchResult>(
    const std::vector<search::SpaceVariable> &, search::Strategy &,
    search::Evaluator &, const search::RunnerOptions &)>;

struct CompileOptions {
  std::string outDir = "out";
  std::string target = "cortex-m4"; ///< cortex-m4|cortex-m7|cortex-m0plus|host
  Stop stop = Stop::Cpp;
  bool resume = false;     ///< reuse finished candidates from out/checkpoint.jsonl
  bool quick = false;      ///< a small budget for demos and tests
  unsigned threads = 2;
  const std::atomic<bool> *interrupt = nullptr;
  llvm::raw_ostream *log = &llvm::errs(); ///< progress and stage summaries
  bool logIsTerminal = false;
  /// `tnasc simulate`: called after the search with the loaded data, before
  /// the final training; it may narrow what the pick is trained, calibrated
  /// and measured on (a scenario's pre-training classes). The search and its
  /// checkpoint always see the whole data.
  std::function<void(SpecData &)> selectFinalData;
  /// `tnasc simulate`: when set, receives the compressed (int8) module and
  /// the report's `final` figures so far (test accuracies per stage, cost
  /// model) instead of the --emit stop's printing or the emission, and its
  /// result is compileSpec's.
  std::function<llvm::Error(mlir::ModuleOp, const llvm::json::Object &)>
      onCompressed;
  /// The search runner; empty: search::runSearch in this process.
  SearchFn runSearch;
  /// False on the worker ranks of a distributed search: they create and
  /// write nothing, and compileSpec returns once the search is over.
  bool writesOutput = true;
};

/// Identifies a search for its checkpoint: everything that changes which
/// candidates exist or how they score (training is deterministic per seed and
/// thread count, so `threads` is part of it). Budgets are not: a search may be
/// resumed with a larger one.
std::string searchFingerprint(const Spec &spec, bool quick, unsigned threads);

/// Identifies the compressed module compileSpec hands to `onCompressed` (for
/// the same final data selection): the search's inputs and budgets, the final
/// training, the compression. Not the settings only the emitted trainer uses
/// (update rule, replacement policy, kNN k / adaptation / detector) nor the
/// scenarios.
std::string modelFingerprint(const Spec &spec, bool quick, unsigned threads);

/// The emitted library's options from the spec (name, RAM bound, scheme and
/// its settings, update rule, seed); a `fit` buffer is left at -1 for the
/// caller to size. `tnasc simulate` starts from the same options.
EmitOptions emitOptionsFor(const Spec &spec, TargetCore core);

/// Runs the pipeline; IR for a --emit stop goes to `out`. Returns the first
/// error of any stage.
llvm::Error compileSpec(const Spec &spec, const CompileOptions &options,
                        llvm::raw_ostream &out);

} // namespace tnas::driver

#endif // TNAS_DRIVER_COMPILE_H

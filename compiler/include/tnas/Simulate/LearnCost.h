//===- LearnCost.h - instructions per update on the emulated Cortex-M4 -*- C++
//-*-===//
//
// The simulated model's library, emitted for cortex-m4 (the scenario's
// classifier outputs and class slots, the trainer as the spec configures
// it), priced by scripts/learn-cost.sh: QEMU mps2-an386 under -icount
// counts the instructions of one tnas_learn and one tnas_predict for every
// scheme of the simulation. The figures are kept in
// <dir>/device/learn_cost.json with a key of the inputs, so that a run
// with the same library does not measure again.
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_SIMULATE_LEARNCOST_H
#define TNAS_SIMULATE_LEARNCOST_H

#include "tnas/Target/Cpp/EmitCpp.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tnas::simulate {

struct LearnCost {
  int64_t learn = 0;   ///< instructions per tnas_learn (0: static)
  int64_t predict = 0; ///< instructions per tnas_predict
};

struct LearnCostResult {
  /// Per scheme name (static, tinyol, tybox-fifo, ...); empty when not
  /// measured.
  std::map<std::string, LearnCost> perScheme;
  /// How the figures were measured, or why they were not.
  std::string note;
};

struct LearnCostOptions {
  bool enabled = true;
  /// Runs before the script (e.g. `flock <lock>`); split on spaces.
  std::string wrapper;
  /// The script; empty: scripts/learn-cost.sh of the tnasc sources.
  std::string script;
};

/// Reads learn_cost.json ({"<scheme>": {"instructions_per_learn": N,
/// "instructions_per_predict": M}, ...}).
llvm::Expected<std::map<std::string, LearnCost>>
readLearnCost(llvm::StringRef path);

/// Emits `module` for cortex-m4 with `emit`'s trainer into `dir` and prices
/// the schemes named in `schemes` (the library's own is priced too). A
/// missing cross compiler, emulator or script, or a failed measurement, is
/// not an error: the result is empty with the reason, and the log says so.
/// Errors are for an emission that fails.
llvm::Expected<LearnCostResult>
measureLearnCost(mlir::ModuleOp module, EmitOptions emit, llvm::StringRef dir,
                 llvm::ArrayRef<std::string> schemes,
                 const LearnCostOptions &options, llvm::raw_ostream &log);

} // namespace tnas::simulate

#endif // TNAS_SIMULATE_LEARNCOST_H

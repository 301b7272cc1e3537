//===- HostBuild.h - the emitted library, built and run on the host -*- C++
//-*-===//
//
// One emission per scheme (the scheme is part of the emitted trainer's
// configuration, as on the device), built with the host C++ compiler
// together with runtime/sim/sim_main.cpp, then run on stream files.
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_SIMULATE_HOSTBUILD_H
#define TNAS_SIMULATE_HOSTBUILD_H

#include "tnas/Target/Cpp/EmitCpp.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tnas::simulate {

/// A way of learning on the device: the emitted trainer's scheme, policy and
/// adaptation, or none ("static").
struct SchemeVariant {
  std::string name;   ///< static, tinyol, tybox-fifo, ..., knn-hybrid
  std::string scheme; ///< tinyol | tybox | knn (static: tinyol, never taught)
  std::string policy = "fifo";
  std::string adaptation = "passive";
  bool learns = true;
};

/// Every variant, in report order.
std::vector<SchemeVariant> allSchemes();

/// "a,b,..." of variant names; `tybox` and `knn` stand for all their
/// policies / adaptations, `all` for every variant. Unknown names are an
/// error that lists the known ones.
llvm::Expected<std::vector<SchemeVariant>> parseSchemes(llvm::StringRef list);

/// What the emitted header says the variant costs on the device.
struct MemoryFigures {
  int64_t flashParameterBytes = 0;
  int64_t arenaBytes = 0, scratchBytes = 0, trainerBytes = 0;
  int64_t bufferCapacity = 0;
  int64_t ramBytes() const { return arenaBytes + scratchBytes + trainerBytes; }
};

struct HostBinary {
  std::string path;
  MemoryFigures memory;
};

/// The host C++ compiler: $CXX, else c++ / g++ / clang++ on PATH, else the
/// one CMake found when tnasc was configured.
llvm::Expected<std::string> findHostCompiler();

/// Emits the library for `variant` (target host) into `dir`, copies the
/// harness next to it and builds `dir`/sim.
llvm::Expected<HostBinary> buildForHost(mlir::ModuleOp module,
                                        const EmitOptions &base,
                                        const SchemeVariant &variant,
                                        llvm::StringRef dir,
                                        llvm::StringRef compiler);

struct Checkpoint {
  int64_t index = 0;            ///< stream samples learned before it
  std::vector<double> accuracy; ///< one per test set
};

struct RunTrace {
  std::vector<int32_t> labels, predicted; ///< per stream sample
  std::vector<Checkpoint> checkpoints;
};

/// Runs the harness on a stream and its test sets (files written by
/// writeSampleSet); the harness's output is kept in `logPath`.
llvm::Expected<RunTrace> runHarness(const HostBinary &binary, bool learn,
                                    int64_t checkpointEvery, int64_t eventAt,
                                    llvm::StringRef streamFile,
                                    llvm::ArrayRef<std::string> testFiles,
                                    llvm::StringRef logPath);

} // namespace tnas::simulate

#endif // TNAS_SIMULATE_HOSTBUILD_H

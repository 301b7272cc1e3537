//===- tnasc.cpp - the tnas compiler driver -------------------------------===//
//
// tnasc model.tnas -target=cortex-m4 -o out/
//
// Each --emit value is a cut point of one pipeline, as in the Toy driver.
//
// Built twice when MPI is available: `tnasc` never links MPI and hands a
// run started by an MPI launcher over to `tnasc-mpi` beside it (execv),
// which runs the search over the MPI ranks (docs/distributed.md).
//
//===----------------------------------------------------------------------===//

#include "SimulateCommand.h"
#include "tnas/Driver/Compile.h"
#include "tnas/Frontend/Frontend.h"
#include "tnas/Search/DistributedLaunch.h"
#ifdef TNAS_HAVE_MPI
#include "tnas/Search/DistributedDriver.h"
#endif

#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <csignal>
#include <optional>
#include <unistd.h>

namespace cl = llvm::cl;

static cl::OptionCategory tnascCategory("tnasc options");

static cl::opt<std::string> inputFilename(cl::Positional,
                                          cl::desc("<input .tnas file>"),
                                          cl::Required, cl::cat(tnascCategory));

static cl::opt<std::string> outputDir("o", cl::desc("Output directory"),
                                      cl::value_desc("dir"), cl::init("out"),
                                      cl::cat(tnascCategory));

static cl::opt<std::string> target(
    "target",
    cl::desc("The core to emit code for: cortex-m4, cortex-m7 (DSP kernels), "
             "cortex-m0plus, host (portable kernels); default: the spec's "
             "device"),
    cl::value_desc("core"), cl::cat(tnascCategory));

static cl::opt<bool> resume(
    "resume",
    cl::desc("Continue an interrupted search from <out>/checkpoint.jsonl "
             "without training its finished candidates again"),
    cl::init(false), cl::cat(tnascCategory));

static cl::opt<bool> quick("quick",
                           cl::desc("A small search and training budget "
                                    "(a few minutes) for demos and tests"),
                           cl::init(false), cl::cat(tnascCategory));

static cl::opt<unsigned> threads("j",
                                 cl::desc("Threads for training and "
                                          "evaluation (default 2; under "
                                          "mpirun, for a worker rank: its "
                                          "share of its node's cores)"),
                                 cl::init(2), cl::cat(tnascCategory));

static cl::opt<double> candidateTimeout(
    "candidate-timeout",
    cl::desc("Under mpirun: a worker rank that has not finished a candidate "
             "after this many seconds is considered hung and the candidate "
             "goes to another worker (0: no timeout)"),
    cl::value_desc("seconds"), cl::init(0), cl::cat(tnascCategory));

enum class EmitAction { Ast, Search, MlirTnas, MlirLinalg, MlirLlvm, Cpp };
static cl::opt<EmitAction> emitAction(
    "emit", cl::desc("Stop after this stage and print its result"),
    cl::values(clEnumValN(EmitAction::Ast, "ast", "the checked spec as JSON"),
               clEnumValN(EmitAction::Search, "search",
                          "the search only: out/report.json and .html"),
               clEnumValN(EmitAction::MlirTnas, "mlir-tnas",
                          "the chosen network in the tnas dialect"),
               clEnumValN(EmitAction::MlirLinalg, "mlir-linalg",
                          "after lowering to linalg"),
               clEnumValN(EmitAction::MlirLlvm, "mlir-llvm",
                          "after lowering to the LLVM dialect"),
               clEnumValN(EmitAction::Cpp, "cpp",
                          "the emitted C++ library (default)")),
    cl::init(EmitAction::Cpp), cl::cat(tnascCategory));

static cl::list<std::string>
    includeDirs("I", cl::desc("Directory searched for imports after the "
                              "importing file's own (default: the stdlib)"),
                cl::value_desc("dir"), cl::Prefix, cl::cat(tnascCategory));

static cl::opt<bool> noStdlib("nostdlib",
                              cl::desc("Do not search the installed stdlib"),
                              cl::init(false), cl::cat(tnascCategory));

static cl::opt<unsigned> errorLimit("error-limit",
                                    cl::desc("Stop after this many errors"),
                                    cl::init(20), cl::cat(tnascCategory));

static std::atomic<bool> interrupted{false};

static void onInterrupt(int sig) {
  interrupted.store(true);
  std::signal(sig, SIG_DFL);
}

/// The emitted kernels for the spec's device core. A Cortex-M33 with the DSP
/// extension runs the Cortex-M4 DSP path.
static std::string defaultTarget(const tnas::Spec &spec) {
  switch (spec.target.core) {
  case tnas::Core::CortexM0Plus: return "cortex-m0plus";
  case tnas::Core::CortexM7: return "cortex-m7";
  case tnas::Core::CortexM4:
  case tnas::Core::CortexM33: return spec.target.dsp ? "cortex-m4" : "cortex-m0plus";
  }
  return "cortex-m4";
}

static void printVersion(llvm::raw_ostream &os) {
  os << "tnasc " << TNAS_VERSION << " (LLVM/MLIR " << LLVM_VERSION_STRING
     << ")\n";
}

#ifndef TNAS_HAVE_MPI
/// Under an MPI launcher, replaces this process by `tnasc-mpi` from the same
/// directory (same pid, arguments and environment, so the launcher does not
/// notice). Returns only when that is impossible; then a single rank may run
/// on, but several would each run the whole search, which is an error.
static bool handOverToMPIBuild(char **argv) {
  std::string self = llvm::sys::fs::getMainExecutable(
      argv[0], reinterpret_cast<void *>(&printVersion));
  llvm::SmallString<256> mpiBuild(llvm::sys::path::parent_path(self));
  llvm::sys::path::append(mpiBuild, "tnasc-mpi");
  if (!self.empty() && llvm::sys::fs::can_execute(mpiBuild))
    ::execv(mpiBuild.c_str(), argv);
  if (tnas::search::launchedWorldSize() <= 1)
    return true;
  if (tnas::search::launchedWorldRank() == 0)
    llvm::WithColor::error(llvm::errs(), "tnasc")
        << "started by mpirun with " << tnas::search::launchedWorldSize()
        << " ranks, but there is no MPI build beside this tnasc ('"
        << mpiBuild << "'): install openmpi-bin libopenmpi-dev "
        << "(scripts/setup.sh) and rebuild, or run tnasc without mpirun\n";
  return false;
}
#endif

int main(int argc, char **argv) {
#ifdef TNAS_HAVE_MPI
  // Only an MPI launch initializes MPI; tnasc-mpi started directly is tnasc.
  std::optional<tnas::search::MPISession> mpiSession;
  if (tnas::search::launchedByMPI())
    mpiSession.emplace(argc, argv);
#else
  if (tnas::search::launchedByMPI() && !handOverToMPIBuild(argv))
    return 1;
#endif
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(tnascCategory);
  cl::SetVersionPrinter(printVersion);
  if (!cl::ParseCommandLineOptions(argc, argv,
                                   "tnasc: from a .tnas spec to a tiny network "
                                   "that keeps learning on a microcontroller\n"))
    return 1;

  if (tnasc::simulateCommandChosen()) {
#ifdef TNAS_HAVE_MPI
    // Every rank would run the whole simulation into the same directory.
    if (mpiSession && mpiSession->size() > 1) {
      if (mpiSession->rank() == 0)
        llvm::WithColor::error(llvm::errs(), "tnasc")
            << "tnasc simulate runs in one process: start it without "
               "mpirun (or with -n 1)\n";
      return 1;
    }
#endif
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    return tnasc::runSimulateCommand(interrupted);
  }

#ifdef TNAS_HAVE_MPI
  // Several ranks: rank 0 runs tnasc, the others serve its search's
  // evaluations. Workers hold their messages back until they know whether
  // rank 0 failed too (then it has said the same thing already).
  std::optional<tnas::search::DistributedDriverRank> distributed;
  if (mpiSession && mpiSession->size() > 1)
    distributed.emplace(MPI_COMM_WORLD);
  bool isWorker = distributed && !distributed->isCoordinator();
#else
  bool isWorker = false;
#endif
  std::string workerMessages;
  llvm::raw_string_ostream workerErrs(workerMessages);
  llvm::raw_ostream &errs =
      isWorker ? static_cast<llvm::raw_ostream &>(workerErrs) : llvm::errs();
  auto fail = [&]() -> int {
#ifdef TNAS_HAVE_MPI
    if (distributed) {
      if (!distributed->met())
        llvm::consumeError(distributed->meetBeforeSearch(false, 0));
      if (isWorker && !distributed->coordinatorFailed())
        llvm::errs() << "tnasc: MPI rank " << distributed->rank() << ":\n"
                     << workerMessages;
    }
#endif
    return 1;
  };

  if (!llvm::sys::fs::exists(inputFilename) ||
      llvm::sys::fs::is_directory(inputFilename)) {
    llvm::WithColor::error(errs, "tnasc")
        << "cannot read '" << inputFilename << "': "
        << std::make_error_code(std::errc::no_such_file_or_directory).message()
        << "\n";
    return fail();
  }

  if (!target.empty() && target != "cortex-m4" && target != "cortex-m7" &&
      target != "cortex-m0plus" && target != "host") {
    llvm::WithColor::error(errs, "tnasc")
        << "unknown -target '" << target
        << "' (cortex-m4, cortex-m7, cortex-m0plus, host)\n";
    return fail();
  }
  if (candidateTimeout < 0) {
    llvm::WithColor::error(errs, "tnasc")
        << "--candidate-timeout must be 0 (none) or a number of seconds\n";
    return fail();
  }

  // Every invocation loads and checks the spec first.
  tnas::DiagnosticEngine diags(&errs, errorLimit);
  tnas::LoadOptions options;
  options.includeDirs.assign(includeDirs.begin(), includeDirs.end());
  if (!noStdlib)
    options.includeDirs.push_back(TNAS_STDLIB_DIR);
  llvm::Expected<tnas::Spec> spec =
      tnas::loadSpec(inputFilename, diags, options);
  if (!spec) {
    llvm::consumeError(spec.takeError());
    unsigned n = diags.errorCount();
    errs << n << " error" << (n == 1 ? "" : "s") << " generated.\n";
    return fail();
  }

  if (emitAction == EmitAction::Ast) {
    if (!isWorker)
      llvm::outs() << llvm::formatv("{0:2}", tnas::specToJson(*spec)) << "\n";
    return 0;
  }

  tnas::driver::CompileOptions compile;
  compile.outDir = outputDir;
  compile.target = target.empty() ? defaultTarget(*spec) : std::string(target);
  compile.resume = resume;
  compile.quick = quick;
  compile.threads = std::max(1u, unsigned(threads));
  compile.interrupt = &interrupted;
  compile.logIsTerminal = llvm::sys::Process::StandardErrIsDisplayed();
  switch (emitAction) {
  case EmitAction::Search: compile.stop = tnas::driver::Stop::Search; break;
  case EmitAction::MlirTnas: compile.stop = tnas::driver::Stop::MlirTnas; break;
  case EmitAction::MlirLinalg: compile.stop = tnas::driver::Stop::MlirLinalg; break;
  case EmitAction::MlirLlvm: compile.stop = tnas::driver::Stop::MlirLlvm; break;
  default: compile.stop = tnas::driver::Stop::Cpp; break;
  }
#ifdef TNAS_HAVE_MPI
  if (distributed) {
    // Training runs on the workers; without -j each takes its share of its
    // node's cores. Rank 0 keeps -j for the final training after the search.
    if (isWorker && threads.getNumOccurrences() == 0)
      compile.threads = distributed->defaultWorkerThreads();
    tnas::search::DistributedOptions distributedOptions;
    distributedOptions.candidateTimeoutSeconds = candidateTimeout;
    unsigned rankThreads = compile.threads;
    compile.runSearch = [&, distributedOptions,
                         rankThreads](const auto &space, auto &strategy,
                                      auto &evaluator, const auto &run) {
      return distributed->search(space, strategy, evaluator, run,
                                 distributedOptions, rankThreads);
    };
    compile.writesOutput = !isWorker;
    if (isWorker)
      compile.log = &llvm::nulls();
  }
#endif
  // Ctrl-C or a kill stops between candidates (or training batches); the
  // finished candidates are already in the checkpoint. A second Ctrl-C
  // terminates at once.
  std::signal(SIGINT, onInterrupt);
  std::signal(SIGTERM, onInterrupt);
  if (llvm::Error e = tnas::driver::compileSpec(*spec, compile, llvm::outs())) {
    llvm::WithColor::error(errs, "tnasc") << llvm::toString(std::move(e))
                                          << "\n";
    return fail();
  }
  return 0;
}

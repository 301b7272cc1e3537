//===- SimulateCommand.cpp - `tnasc simulate` -----------------------------===//
//
// tnasc simulate model.tnas --scenario=drift|incremental|transfer|NAME|all
//     [--scheme=a,b,...] [--repeat=N] [--first-seed=S] -o out/
//
//===----------------------------------------------------------------------===//
#include "SimulateCommand.h"

#include "tnas/Frontend/Frontend.h"
#include "tnas/Simulate/Simulate.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/xxhash.h"

namespace cl = llvm::cl;

static cl::SubCommand
    simulateCommand("simulate",
                    "Run the spec's on-device learning scenarios on the host "
                    "with the emitted library and compare learning schemes");

static cl::opt<std::string> input(cl::Positional, cl::Required,
                                  cl::desc("<input .tnas file>"),
                                  cl::sub(simulateCommand));
static cl::opt<std::string>
    outputDir("o",
              cl::desc("Output directory (the search checkpoint there "
                       "is reused)"),
              cl::value_desc("dir"), cl::init("out"), cl::sub(simulateCommand));
static cl::opt<std::string> scenario(
    "scenario",
    cl::desc("A scenario of the spec by name, every scenario of a kind "
             "(drift, incremental, transfer), or all"),
    cl::value_desc("name"), cl::init("all"), cl::sub(simulateCommand));
static cl::opt<std::string> schemes(
    "scheme",
    cl::desc("Comma-separated: static, tinyol, tybox-fifo, tybox-reservoir, "
             "tybox-misclassified, tybox-conflict, knn-passive, knn-active, "
             "knn-hybrid; tybox "
             "and knn mean all of theirs (default: all)"),
    cl::value_desc("list"), cl::init("all"), cl::sub(simulateCommand));
static cl::opt<int>
    repeat("repeat",
           cl::desc("Repetitions over seeds (default: the scenario's)"),
           cl::init(0), cl::sub(simulateCommand));
static cl::opt<int64_t> firstSeed(
    "first-seed",
    cl::desc("Seed of the first repetition's stream, then +1 per repetition "
             "(default: the spec's search seed)"),
    cl::value_desc("n"), cl::init(0), cl::sub(simulateCommand));
static cl::opt<int>
    testSamples("test-samples",
                cl::desc("Held-out samples per test set (default 1000)"),
                cl::init(1000), cl::sub(simulateCommand));
static cl::opt<bool> quick("quick",
                           cl::desc("The search's and final training's small "
                                    "budget (as tnasc --quick)"),
                           cl::init(false), cl::sub(simulateCommand));
static cl::opt<unsigned> threads("j", cl::desc("Threads for training"),
                                 cl::init(2), cl::sub(simulateCommand));
static cl::opt<std::string> learnCost(
    "learn-cost",
    cl::desc("auto: count the instructions of tnas_learn / tnas_predict of "
             "the model's cortex-m4 library per scheme under QEMU "
             "(scripts/learn-cost.sh) when arm-none-eabi-g++ and "
             "qemu-system-arm are on PATH; off: do not"),
    cl::value_desc("auto|off"), cl::init("auto"), cl::sub(simulateCommand));
static cl::opt<std::string> learnCostWrapper(
    "learn-cost-wrapper",
    cl::desc("A command that runs the instruction count (e.g. 'flock "
             "/tmp/lock' so that it does not overlap other measurements)"),
    cl::value_desc("command"), cl::init(""), cl::sub(simulateCommand));
static cl::list<std::string>
    includeDirs("I", cl::desc("Directory searched for imports"),
                cl::value_desc("dir"), cl::Prefix, cl::sub(simulateCommand));

/// xxh3 of this tnasc's executable (hex), or "unknown" when it cannot be
/// read: the identity of the compiler that made the pre-trained cache.
static std::string executableHash() {
  static int anchor;
  std::string self = llvm::sys::fs::getMainExecutable("tnasc", &anchor);
  auto file = llvm::MemoryBuffer::getFile(self, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (self.empty() || !file)
    return "unknown";
  return llvm::formatv("{0:x16}", llvm::xxh3_64bits((*file)->getBuffer()))
      .str();
}

bool tnasc::simulateCommandChosen() { return bool(simulateCommand); }

int tnasc::runSimulateCommand(std::atomic<bool> &interrupted) {
  auto fail = [](const llvm::Twine &msg) {
    llvm::WithColor::error(llvm::errs(), "tnasc simulate") << msg << "\n";
    return 1;
  };
  if (!llvm::sys::fs::exists(input) || llvm::sys::fs::is_directory(input))
    return fail("cannot read '" + input + "': no such file");
  if (repeat.getNumOccurrences() && repeat < 1)
    return fail("--repeat must be at least 1");
  if (firstSeed.getNumOccurrences() && firstSeed < 0)
    return fail("--first-seed must be at least 0");
  if (testSamples < 1)
    return fail("--test-samples must be at least 1");
  if (learnCost != "auto" && learnCost != "off")
    return fail("--learn-cost must be auto or off, not '" + learnCost + "'");

  tnas::DiagnosticEngine diags(&llvm::errs(), 20);
  tnas::LoadOptions load;
  load.includeDirs.assign(includeDirs.begin(), includeDirs.end());
  load.includeDirs.push_back(TNAS_STDLIB_DIR);
  llvm::Expected<tnas::Spec> spec = tnas::loadSpec(input, diags, load);
  if (!spec) {
    llvm::consumeError(spec.takeError());
    unsigned n = diags.errorCount();
    llvm::errs() << n << " error" << (n == 1 ? "" : "s") << " generated.\n";
    return 1;
  }

  tnas::simulate::SimulateOptions options;
  options.outDir = outputDir;
  options.scenario = scenario;
  options.schemes = schemes;
  if (repeat.getNumOccurrences())
    options.repeat = repeat;
  if (firstSeed.getNumOccurrences())
    options.firstSeed = firstSeed;
  options.testSamples = testSamples;
  options.quick = quick;
  options.compilerIdentity = executableHash();
  options.threads = std::max(1u, unsigned(threads));
  options.learnCost.enabled = learnCost == "auto";
  options.learnCost.wrapper = learnCostWrapper;
  options.interrupt = &interrupted;
  options.logIsTerminal = llvm::sys::Process::StandardErrIsDisplayed();
  if (llvm::Error e = tnas::simulate::runSimulation(*spec, options))
    return fail(llvm::toString(std::move(e)));
  return 0;
}

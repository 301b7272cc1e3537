//===- LearnCost.cpp - instructions per update on the emulated Cortex-M4 --===//
#include "tnas/Simulate/LearnCost.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/xxhash.h"

using namespace tnas;
using namespace tnas::simulate;

static llvm::Error error(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg.str());
}

llvm::Expected<std::map<std::string, LearnCost>>
tnas::simulate::readLearnCost(llvm::StringRef path) {
  auto text = llvm::MemoryBuffer::getFile(path);
  if (!text)
    return error("cannot read '" + path + "'");
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*text)->getBuffer());
  if (!json)
    return error(path + ": " + llvm::toString(json.takeError()));
  const llvm::json::Object *o = json->getAsObject();
  if (!o || o->empty())
    return error(path + ": expected an object of schemes");
  std::map<std::string, LearnCost> costs;
  for (const auto &[scheme, value] : *o) {
    const llvm::json::Object *row = value.getAsObject();
    std::optional<int64_t> learn =
        row ? row->getInteger("instructions_per_learn") : std::nullopt;
    std::optional<int64_t> predict =
        row ? row->getInteger("instructions_per_predict") : std::nullopt;
    if (!learn || !predict || *learn < 0 || *predict <= 0)
      return error(path + ": scheme '" + scheme.str() +
                   "' lacks instructions_per_learn / _predict");
    costs[scheme.str()] = {*learn, *predict};
  }
  return costs;
}

/// The inputs of a measurement: the library, its check data, the script and
/// the firmware harness next to it.
static std::string measurementKey(llvm::ArrayRef<std::string> files) {
  uint64_t hash = 0;
  for (const std::string &f : files) {
    auto text = llvm::MemoryBuffer::getFile(f);
    hash = llvm::xxh3_64bits(llvm::formatv("{0:x16}{1}{2}", hash, f,
                                           text ? (*text)->getBuffer() : "-")
                                 .str());
  }
  return llvm::formatv("{0:x16}", hash).str();
}

llvm::Expected<LearnCostResult> tnas::simulate::measureLearnCost(
    mlir::ModuleOp module, EmitOptions emit, llvm::StringRef dir,
    llvm::ArrayRef<std::string> schemes, const LearnCostOptions &options,
    llvm::raw_ostream &log) {
  LearnCostResult result;
  if (!options.enabled) {
    result.note = "not measured (--learn-cost=off)";
    return result;
  }
  std::string script = options.script;
  if (script.empty()) {
    llvm::SmallString<256> p(TNAS_SCRIPTS_DIR);
    llvm::sys::path::append(p, "learn-cost.sh");
    script = std::string(p);
  }
  auto bash = llvm::sys::findProgramByName("bash");
  for (const char *tool : {"arm-none-eabi-g++", "qemu-system-arm"})
    if (!llvm::sys::findProgramByName(tool)) {
      result.note = std::string("not measured: ") + tool + " is not on PATH";
      log << "simulate: instructions per update " << result.note << "\n";
      return result;
    }
  if (!bash || !llvm::sys::fs::exists(script)) {
    result.note = "not measured: no " + script;
    log << "simulate: instructions per update " << result.note << "\n";
    return result;
  }

  emit.target = TargetCore::CortexM4;
  if (llvm::Error e = emitCppLibrary(module, emit, dir))
    return error("the cortex-m4 library for the instruction counts: " +
                 llvm::toString(std::move(e)));
  // No check/ data next to it: the firmware streams its own class-dependent
  // inputs (the buffer's steady state does not depend on the images).

  auto path = [&](llvm::StringRef a, llvm::StringRef b = "") {
    llvm::SmallString<256> p(dir);
    llvm::sys::path::append(p, a);
    if (!b.empty())
      llvm::sys::path::append(p, b);
    return std::string(p);
  };
  llvm::SmallString<256> harness(llvm::sys::path::parent_path(script));
  llvm::sys::path::append(harness, "..", "runtime", "mcu",
                          "learn_cost_main.cpp");
  std::string schemeList = llvm::join(schemes, ",");
  std::string key = measurementKey(
      {path(emit.name + ".cpp"), path(emit.name + ".h"), script,
       std::string(harness)});
  std::string json = path("device", "learn_cost.json");
  std::string keyFile = path("device", "learn_cost.key");
  std::string logFile = path("learn-cost.log");
  std::string how =
      llvm::formatv("QEMU mps2-an386 -icount, the cortex-m4 library of this "
                    "model ({0}), steady state with a full buffer",
                    emit.name)
          .str();

  auto storedKey = llvm::MemoryBuffer::getFile(keyFile);
  if (storedKey && (*storedKey)->getBuffer().trim() == key) {
    auto costs = readLearnCost(json);
    auto covers = [&](const std::map<std::string, LearnCost> &priced) {
      return llvm::all_of(schemes, [&](const std::string &scheme) {
        return priced.count(scheme) != 0;
      });
    };
    if (costs && covers(*costs)) {
      result.perScheme = std::move(*costs);
      result.note = how;
      log << "simulate: instructions per update from " << json
          << " (same library, not measured again)\n";
      return result;
    }
    if (!costs)
      llvm::consumeError(costs.takeError());
  }

  std::vector<std::string> args;
  llvm::SmallVector<llvm::StringRef> wrapper;
  llvm::StringRef(options.wrapper).split(wrapper, ' ', -1, false);
  for (llvm::StringRef w : wrapper)
    args.push_back(w.str());
  args.insert(args.end(), {*bash, script, dir.str(), emit.name});
  if (!schemes.empty())
    args.insert(args.end(), {"--schemes", schemeList});
  auto program = llvm::sys::findProgramByName(args.front());
  if (!program) {
    result.note = "not measured: cannot run '" + args.front() + "'";
    log << "simulate: instructions per update " << result.note << "\n";
    return result;
  }
  log << "simulate: instructions per update: " << script << " on " << dir
      << "\n";
  llvm::sys::fs::remove(keyFile);
  llvm::SmallVector<llvm::StringRef> argRefs(args.begin(), args.end());
  std::optional<llvm::StringRef> redirects[] = {
      std::nullopt, llvm::StringRef(logFile), llvm::StringRef(logFile)};
  std::string message;
  int status = llvm::sys::ExecuteAndWait(*program, argRefs, std::nullopt,
                                         redirects, 0, 0, &message);
  auto costs = status == 0 ? readLearnCost(json)
                           : llvm::Expected<std::map<std::string, LearnCost>>(
                                 error("exit status " + llvm::Twine(status)));
  if (!costs) {
    result.note = "not measured: " + script + " failed (" +
                  llvm::toString(costs.takeError()) + "); see " + logFile;
    log << "simulate: instructions per update " << result.note << "\n";
    return result;
  }
  std::error_code ec;
  llvm::raw_fd_ostream os(keyFile, ec);
  if (!ec)
    os << key << "\n";
  result.perScheme = std::move(*costs);
  result.note = how;
  return result;
}

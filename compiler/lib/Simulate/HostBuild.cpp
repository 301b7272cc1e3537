//===- HostBuild.cpp - the emitted library, built and run on the host -----===//
#include "tnas/Simulate/HostBuild.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Regex.h"

using namespace tnas;
using namespace tnas::simulate;

static llvm::Error error(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg.str());
}

std::vector<SchemeVariant> tnas::simulate::allSchemes() {
  std::vector<SchemeVariant> v;
  v.push_back({"static", "tinyol", "fifo", "passive", false});
  v.push_back({"tinyol", "tinyol", "fifo", "passive", true});
  for (const char *policy :
       {"fifo", "reservoir", "misclassified", "conflict"})
    v.push_back(
        {std::string("tybox-") + policy, "tybox", policy, "passive", true});
  for (const char *adaptation : {"passive", "active", "hybrid"})
    v.push_back(
        {std::string("knn-") + adaptation, "knn", "fifo", adaptation, true});
  return v;
}

llvm::Expected<std::vector<SchemeVariant>>
tnas::simulate::parseSchemes(llvm::StringRef list) {
  std::vector<SchemeVariant> all = allSchemes(), chosen;
  llvm::SmallVector<llvm::StringRef> names;
  list.split(names, ',', -1, /*KeepEmpty=*/false);
  auto add = [&](const SchemeVariant &v) {
    if (llvm::none_of(chosen,
                      [&](const SchemeVariant &c) { return c.name == v.name; }))
      chosen.push_back(v);
  };
  for (llvm::StringRef raw : names) {
    llvm::StringRef name = raw.trim();
    bool found = false;
    for (const SchemeVariant &v : all)
      // `tybox` / `knn` name a family; `tinyol` is one variant, not also
      // the static build that shares its trainer.
      if (name == "all" || v.name == name ||
          (v.learns && v.name != v.scheme && name == v.scheme)) {
        add(v);
        found = true;
      }
    if (!found) {
      std::string known;
      for (const SchemeVariant &v : all)
        known += v.name + ", ";
      return error("unknown scheme '" + name +
                   "' in --scheme (known: " + known + "tybox, knn, all)");
    }
  }
  if (chosen.empty())
    return error("--scheme names no scheme");
  return chosen;
}

llvm::Expected<std::string> tnas::simulate::findHostCompiler() {
  if (std::optional<std::string> cxx = llvm::sys::Process::GetEnv("CXX"))
    if (auto path = llvm::sys::findProgramByName(*cxx))
      return *path;
  for (const char *name : {"c++", "g++", "clang++"})
    if (auto path = llvm::sys::findProgramByName(name))
      return *path;
  if (llvm::sys::fs::can_execute(TNAS_HOST_CXX))
    return std::string(TNAS_HOST_CXX);
  return error("no host C++ compiler: set CXX or put c++ on PATH (tnasc "
               "simulate builds the emitted library for the host)");
}

/// "// Flash: F bytes of parameters. RAM: A bytes of arena, S of scratch,
/// T of trainer." (or, where the kernel scratch lives in the arena, "RAM: A
/// bytes of arena (activations and kernel scratch), T of trainer.") and
/// TNAS_BUFFER_CAPACITY from the emitted header.
static llvm::Expected<MemoryFigures> readMemory(llvm::StringRef header) {
  auto text = llvm::MemoryBuffer::getFile(header);
  if (!text)
    return error("cannot read '" + header + "'");
  llvm::StringRef s = (*text)->getBuffer();
  llvm::Regex ram("Flash: ([0-9]+) bytes of parameters. RAM: ([0-9]+) bytes "
                  "of arena[^,]*, (([0-9]+) of scratch, )?([0-9]+) of "
                  "trainer");
  llvm::Regex buffer("#define TNAS_BUFFER_CAPACITY ([0-9]+)");
  llvm::SmallVector<llvm::StringRef> m, b;
  if (!ram.match(s, &m) || !buffer.match(s, &b))
    return error("'" + header + "' does not state its memory figures");
  MemoryFigures f;
  m[1].getAsInteger(10, f.flashParameterBytes);
  m[2].getAsInteger(10, f.arenaBytes);
  if (!m[4].empty())
    m[4].getAsInteger(10, f.scratchBytes);
  m[5].getAsInteger(10, f.trainerBytes);
  b[1].getAsInteger(10, f.bufferCapacity);
  return f;
}

static llvm::Error copyFile(llvm::StringRef from, llvm::StringRef to) {
  if (std::error_code ec = llvm::sys::fs::copy_file(from, to))
    return error("cannot copy '" + from + "' to '" + to + "': " + ec.message());
  return llvm::Error::success();
}

llvm::Expected<HostBinary>
tnas::simulate::buildForHost(mlir::ModuleOp module, const EmitOptions &base,
                             const SchemeVariant &variant, llvm::StringRef dir,
                             llvm::StringRef compiler) {
  EmitOptions emit = base;
  emit.target = TargetCore::Host;
  emit.emitBuildFile = false;
  emit.trainer.scheme = variant.scheme;
  emit.trainer.policy = variant.policy;
  emit.trainer.adaptation = variant.adaptation;
  if (llvm::Error e = emitCppLibrary(module, emit, dir))
    return error("scheme " + variant.name + ": " +
                 llvm::toString(std::move(e)));

  llvm::SmallString<256> harness(dir), source(TNAS_RUNTIME_SOURCE_DIR);
  llvm::sys::path::append(harness, "sim_main.cpp");
  llvm::sys::path::append(source, "sim", "sim_main.cpp");
  if (llvm::Error e = copyFile(source, harness))
    return std::move(e);

  llvm::SmallString<256> header(dir), library(dir), rtDir(dir), binary(dir),
      log(dir);
  llvm::sys::path::append(header, emit.name + ".h");
  llvm::sys::path::append(library, emit.name + ".cpp");
  llvm::sys::path::append(rtDir, "tnas_rt");
  llvm::sys::path::append(binary, "sim");
  llvm::sys::path::append(log, "build.log");
  std::vector<std::string> args = {compiler.str(),
                                   "-std=c++17",
                                   "-O3",
                                   "-march=native",
                                   "-w",
                                   "-DTNAS_SIM_MODEL_HEADER=\"" + emit.name +
                                       ".h\"",
                                   "-I" + dir.str(),
                                   std::string(harness),
                                   std::string(library)};
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(rtDir, ec), end; it != end && !ec;
       it.increment(ec))
    if (llvm::StringRef(it->path()).ends_with(".cpp"))
      args.push_back(it->path());
  if (ec)
    return error("cannot list '" + rtDir + "': " + ec.message());
  std::sort(args.begin() + 9, args.end());
  args.push_back("-o");
  args.push_back(std::string(binary));

  llvm::SmallVector<llvm::StringRef> argRefs(args.begin(), args.end());
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, log.str(),
                                                log.str()};
  std::string message;
  int status = llvm::sys::ExecuteAndWait(compiler, argRefs, std::nullopt,
                                         redirects, 0, 0, &message);
  if (status != 0)
    return error("building the emitted library for the host failed (scheme " +
                 variant.name + ", " + compiler + "): see " + log +
                 (message.empty() ? "" : ": " + message));
  auto memory = readMemory(header);
  if (!memory)
    return memory.takeError();
  return HostBinary{std::string(binary), *memory};
}

llvm::Expected<RunTrace> tnas::simulate::runHarness(
    const HostBinary &binary, bool learn, int64_t checkpointEvery,
    int64_t eventAt, llvm::StringRef streamFile,
    llvm::ArrayRef<std::string> testFiles, llvm::StringRef logPath) {
  std::vector<std::string> args = {binary.path, learn ? "1" : "0",
                                   std::to_string(checkpointEvery),
                                   std::to_string(eventAt), streamFile.str()};
  args.insert(args.end(), testFiles.begin(), testFiles.end());
  llvm::SmallVector<llvm::StringRef> argRefs(args.begin(), args.end());
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, logPath, logPath};
  std::string message;
  int status = llvm::sys::ExecuteAndWait(binary.path, argRefs, std::nullopt,
                                         redirects, 0, 0, &message);
  if (status != 0)
    return error("the simulation harness " + binary.path + " failed (status " +
                 llvm::Twine(status) + "): see " + logPath +
                 (message.empty() ? "" : ": " + message));

  auto text = llvm::MemoryBuffer::getFile(logPath);
  if (!text)
    return error("cannot read '" + logPath + "'");
  RunTrace trace;
  bool done = false;
  llvm::SmallVector<llvm::StringRef> lines, fields;
  (*text)->getBuffer().split(lines, '\n', -1, false);
  for (llvm::StringRef line : lines) {
    fields.clear();
    line.split(fields, ' ', -1, false);
    if (fields[0] == "p" && fields.size() == 4) {
      int32_t label = 0, predicted = 0;
      fields[2].getAsInteger(10, label);
      fields[3].getAsInteger(10, predicted);
      trace.labels.push_back(label);
      trace.predicted.push_back(predicted);
    } else if (fields[0] == "c" && fields.size() == 5) {
      int64_t index = 0, set = 0, correct = 0, total = 0;
      fields[1].getAsInteger(10, index);
      fields[2].getAsInteger(10, set);
      fields[3].getAsInteger(10, correct);
      fields[4].getAsInteger(10, total);
      if (trace.checkpoints.empty() || trace.checkpoints.back().index != index)
        trace.checkpoints.push_back({index, {}});
      trace.checkpoints.back().accuracy.push_back(
          total ? double(correct) / double(total) : 0.0);
    } else if (fields[0] == "done") {
      done = true;
    }
  }
  if (!done)
    return error("the simulation harness " + binary.path +
                 " ended early: see " + logPath);
  return trace;
}

//===- ObjectCache.cpp - compiled training steps cached on disk -----------===//
#include "ObjectCache.h"
#include "StepBuffers.h"

#include "mlir/IR/OperationSupport.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/ExecutionEngine/JITEventListener.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/RTDyldObjectLinkingLayer.h"
#include "llvm/ExecutionEngine/SectionMemoryManager.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <cstdlib>

using namespace llvm;

std::string
tnas::training::objectCacheDirectory(const std::string &configured) {
  if (!configured.empty())
    return configured;
  if (const char *env = std::getenv("TNAS_JIT_CACHE"))
    return env;
  return "";
}

std::string tnas::training::objectCacheKey(mlir::ModuleOp lowered,
                                           unsigned optLevel,
                                           const TargetMachine &tm) {
  std::string text;
  raw_string_ostream os(text);
  // Locations do not change the code; printing them would make the key
  // depend on where the module was built.
  lowered->print(os, mlir::OpPrintingFlags().enableDebugInfo(false));
  os << "\n-O" << optLevel << ' ' << tm.getTargetTriple().str() << ' '
     << tm.getTargetCPU() << ' ' << tm.getTargetFeatureString() << ' '
     << LLVM_VERSION_STRING;
  os.flush();
  SHA256 sha;
  sha.update(text);
  return toHex(sha.final(), /*LowerCase=*/true);
}

std::string tnas::training::objectCachePath(StringRef dir, StringRef key) {
  SmallString<256> path(dir);
  sys::path::append(path, key + ".o");
  return std::string(path);
}

Expected<std::unique_ptr<MemoryBuffer>>
tnas::training::readCachedObject(StringRef path) {
  auto buffer = MemoryBuffer::getFile(path);
  if (!buffer)
    return createStringError(buffer.getError(), "cannot read " + path);
  auto object = object::ObjectFile::createObjectFile((*buffer)->getMemBufferRef());
  if (!object)
    return object.takeError();
  return std::move(*buffer);
}

Expected<std::unique_ptr<orc::LLJIT>> tnas::training::createStepJIT(
    std::vector<std::unique_ptr<MemoryBuffer>> objects) {
  // The same object layer as mlir::ExecutionEngine: RuntimeDyld with section
  // memory from the process.
  auto jit =
      orc::LLJITBuilder()
          .setObjectLinkingLayerCreator([](orc::ExecutionSession &session,
                                           const Triple &) {
            auto layer = std::make_unique<orc::RTDyldObjectLinkingLayer>(
                session, [] { return std::make_unique<SectionMemoryManager>(); });
            // TNAS_PERF_JIT=1: a perf jitdump of the step's functions, so
            // `perf record -k 1` + `perf inject --jit` can name and annotate
            // them (profiling only; LLVM writes jit-<pid>.dump to
            // $JITDUMPDIR or ~/.debug/jit).
            if (std::getenv("TNAS_PERF_JIT"))
              if (JITEventListener *perf =
                      JITEventListener::createPerfJITEventListener())
                layer->registerJITEventListener(*perf);
            return layer;
          })
          .create();
  if (!jit)
    return jit.takeError();
  orc::JITDylib &main = (*jit)->getMainJITDylib();
  auto process = orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      (*jit)->getDataLayout().getGlobalPrefix());
  if (!process)
    return process.takeError();
  main.addGenerator(std::move(*process));
  if (Error err = main.define(orc::absoluteSymbols(stepBufferSymbols(
          orc::MangleAndInterner((*jit)->getExecutionSession(),
                                 (*jit)->getDataLayout())))))
    return std::move(err);
  for (auto &object : objects)
    if (Error err = (*jit)->addObjectFile(std::move(object)))
      return std::move(err);
  return std::move(*jit);
}

Error tnas::training::storeObject(ArrayRef<char> object, StringRef path) {
  StringRef dir = sys::path::parent_path(path);
  if (std::error_code ec = sys::fs::create_directories(dir))
    return createStringError(ec,
                             "cannot create the JIT cache directory " + dir);
  std::string temp =
      (path + ".tmp" + Twine(sys::Process::getProcessId())).str();
  {
    std::error_code ec;
    raw_fd_ostream os(temp, ec);
    if (ec)
      return createStringError(ec, "cannot write the JIT cache object " + temp);
    os.write(object.data(), object.size());
    os.close();
    if (os.has_error()) {
      os.clear_error();
      sys::fs::remove(temp);
      return createStringError(inconvertibleErrorCode(),
                               "cannot write the JIT cache object " + temp);
    }
  }
  if (std::error_code ec = sys::fs::rename(temp, path)) {
    sys::fs::remove(temp);
    return createStringError(ec, "cannot write the JIT cache object " + path);
  }
  return Error::success();
}

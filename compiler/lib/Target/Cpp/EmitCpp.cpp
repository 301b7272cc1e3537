//===- EmitCpp.cpp - write the emitted library and its runtime files ------===//
#include "tnas/Target/Cpp/EmitCpp.h"

#include "tnas/Target/Cpp/CppWriter.h"
#include "tnas/Target/Cpp/DeviceModel.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#ifndef TNAS_RUNTIME_SOURCE_DIR
#error "TNAS_RUNTIME_SOURCE_DIR must name runtime/ of the tnasc sources"
#endif

namespace tnas {

std::optional<TargetCore> parseTargetCore(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<TargetCore>>(name)
      .Case("cortex-m4", TargetCore::CortexM4)
      .Case("cortex-m7", TargetCore::CortexM7)
      .Case("cortex-m0plus", TargetCore::CortexM0Plus)
      .Case("host", TargetCore::Host)
      .Default(std::nullopt);
}

llvm::StringRef targetCoreName(TargetCore core) {
  switch (core) {
  case TargetCore::CortexM4:
    return "cortex-m4";
  case TargetCore::CortexM7:
    return "cortex-m7";
  case TargetCore::CortexM0Plus:
    return "cortex-m0plus";
  case TargetCore::Host:
    return "host";
  }
  return "";
}

bool targetHasDsp(TargetCore core) {
  return core == TargetCore::CortexM4 || core == TargetCore::CortexM7;
}

/// Through a temporary file renamed into place: an interrupted run leaves
/// the previous file or none, never half of one.
static llvm::Error writeFile(llvm::StringRef path, llvm::StringRef text) {
  return llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
    os << text;
    return llvm::Error::success();
  });
}

static llvm::Error copyRuntimeFile(llvm::StringRef runtimeDir,
                                   llvm::StringRef file,
                                   llvm::StringRef destDir) {
  llvm::SmallString<256> from(runtimeDir);
  if (file.ends_with(".h"))
    llvm::sys::path::append(from, "include", "tnas_rt", file);
  else
    llvm::sys::path::append(from, "src", file);
  auto buffer = llvm::MemoryBuffer::getFile(from);
  if (!buffer)
    return llvm::createStringError(buffer.getError(),
                                   "error: cannot read runtime file '" +
                                       from.str().str() +
                                       "' (set the runtime "
                                       "directory): " +
                                       buffer.getError().message());
  llvm::SmallString<256> to(destDir);
  llvm::sys::path::append(to, file);
  return writeFile(to, (*buffer)->getBuffer());
}

llvm::Error emitCppLibrary(mlir::ModuleOp module, const EmitOptions &options,
                           llvm::StringRef outDir) {
  auto model = analyzeDeviceModel(module, options);
  if (!model)
    return model.takeError();
  auto plan = planTrainer(*model, options);
  if (!plan)
    return plan.takeError();
  const std::vector<std::string> runtimeFiles =
      runtimeFilesFor(*model, options);

  llvm::SmallString<256> rtDir(outDir);
  llvm::sys::path::append(rtDir, "tnas_rt");
  if (std::error_code ec = llvm::sys::fs::create_directories(rtDir))
    return llvm::createStringError(ec, "error: cannot create '" +
                                           rtDir.str().str() +
                                           "': " + ec.message());
  auto pathIn = [&](llvm::StringRef file) {
    llvm::SmallString<256> p(outDir);
    llvm::sys::path::append(p, file);
    return std::string(p.str());
  };
  if (llvm::Error err = writeFile(pathIn(model->name + ".h"),
                                  writeHeader(*model, *plan, options)))
    return err;
  if (llvm::Error err = writeFile(pathIn(model->name + ".cpp"),
                                  writeSource(*model, *plan, options)))
    return err;
  if (options.emitBuildFile)
    if (llvm::Error err = writeFile(pathIn("CMakeLists.txt"),
                                    writeBuildFile(*model, runtimeFiles)))
      return err;
  const std::string runtimeDir =
      options.runtimeDir.empty() ? TNAS_RUNTIME_SOURCE_DIR : options.runtimeDir;
  for (const std::string &file : runtimeFiles)
    if (llvm::Error err = copyRuntimeFile(runtimeDir, file, rtDir))
      return err;
  return llvm::Error::success();
}

} // namespace tnas

//===- KernelSizeTable.cpp - measured code size of the runtime kernels ----===//
#include "tnas/Search/CostModel.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace tnas::cost;

#ifndef TNAS_STDLIB_DIR
#define TNAS_STDLIB_DIR "stdlib"
#endif

static llvm::Error tableError(llvm::StringRef origin, const llvm::Twine &what) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 (origin + ": " + what).str());
}

llvm::StringRef tnas::cost::coreName(Core core) {
  switch (core) {
  case Core::CortexM0Plus:
    return "cortex-m0plus";
  case Core::CortexM4:
    return "cortex-m4";
  case Core::CortexM7:
    return "cortex-m7";
  }
  llvm_unreachable("unknown core");
}

llvm::Expected<Core> tnas::cost::parseCore(llvm::StringRef name) {
  std::string lower = name.lower();
  if (lower == "cortex-m0plus" || lower == "cortex-m0+" || lower == "m0+" ||
      lower == "m0plus")
    return Core::CortexM0Plus;
  if (lower == "cortex-m4" || lower == "m4")
    return Core::CortexM4;
  if (lower == "cortex-m7" || lower == "m7")
    return Core::CortexM7;
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(),
      "unknown core '" + name.str() +
          "'; the cost model knows cortex-m0plus, cortex-m4 and cortex-m7");
}

std::string KernelSizeTable::defaultPath() {
  return std::string(TNAS_STDLIB_DIR) + "/costs/kernel_sizes.json";
}

llvm::Expected<KernelSizeTable> KernelSizeTable::load(llvm::StringRef path) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!file)
    return tableError(path, "cannot open the kernel size table: " +
                                file.getError().message() +
                                " (run scripts/measure_kernel_sizes.sh)");
  return parse((*file)->getBuffer(), path);
}

llvm::Expected<KernelSizeTable> KernelSizeTable::parse(llvm::StringRef json,
                                                       llvm::StringRef origin) {
  llvm::Expected<llvm::json::Value> root = llvm::json::parse(json);
  if (!root)
    return tableError(origin, "invalid JSON: " + toString(root.takeError()));
  KernelSizeTable table;
  table.origin = origin.str();
  const llvm::json::Object *top = root->getAsObject();
  const llvm::json::Object *cores = top ? top->getObject("cores") : nullptr;
  if (!cores)
    return tableError(origin, "expected an object with a \"cores\" member");
  for (const auto &[core, kernels] : *cores) {
    if (!parseCore(core.str()))
      return tableError(origin, "unknown core \"" + core.str() + "\"");
    const llvm::json::Object *entries = kernels.getAsObject();
    if (!entries)
      return tableError(origin, "cores." + core.str() + " is not an object");
    for (const auto &[kernel, entry] : *entries) {
      const llvm::json::Object *fields = entry.getAsObject();
      std::optional<int64_t> bytes =
          fields ? fields->getInteger("bytes") : std::nullopt;
      if (!bytes || *bytes < 0)
        return tableError(origin, llvm::formatv("cores.{0}.{1} needs a "
                                                "non-negative integer "
                                                "\"bytes\"",
                                                core.str(), kernel.str()));
      table.sizes[core.str()][kernel.str()] = *bytes;
      if (const llvm::json::Object *weak = fields->getObject("shared"))
        for (const auto &[symbol, size] : *weak) {
          std::optional<int64_t> n = size.getAsInteger();
          if (!n || *n < 0 || *n > *bytes)
            return tableError(
                origin, llvm::formatv("cores.{0}.{1}.shared.\"{2}\" needs "
                                      "an integer from 0 to the kernel's "
                                      "bytes",
                                      core.str(), kernel.str(), symbol.str()));
          table.shared[core.str()][kernel.str()][symbol.str()] = *n;
        }
    }
  }
  return table;
}

llvm::Expected<int64_t>
KernelSizeTable::linkedBytes(Core core,
                             llvm::ArrayRef<std::string> kernels) const {
  int64_t total = 0;
  llvm::StringSet<> counted;
  auto coreShared = shared.find(coreName(core));
  for (const std::string &kernel : kernels) {
    llvm::Expected<int64_t> bytes = lookup(core, kernel);
    if (!bytes)
      return bytes.takeError();
    total += *bytes;
    if (coreShared == shared.end())
      continue;
    auto weak = coreShared->second.find(kernel);
    if (weak == coreShared->second.end())
      continue;
    for (const auto &symbol : weak->second)
      if (!counted.insert(symbol.getKey()).second)
        total -= symbol.getValue(); // already in an earlier kernel
  }
  return total;
}

llvm::Expected<int64_t> KernelSizeTable::lookup(Core core,
                                                llvm::StringRef kernel) const {
  auto coreIt = sizes.find(coreName(core));
  if (coreIt != sizes.end()) {
    auto it = coreIt->second.find(kernel);
    if (it != coreIt->second.end())
      return it->second;
  }
  return tableError(origin.empty() ? "kernel size table" : origin,
                    llvm::formatv("no code size for kernel '{0}' on {1}; "
                                  "regenerate the table with "
                                  "scripts/measure_kernel_sizes.sh once "
                                  "runtime/src/{0}.cpp exists",
                                  kernel, coreName(core)));
}

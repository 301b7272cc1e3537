//===- TrainerPlan.cpp - the trainer's runtime configuration and RAM ------===//
//
// planTrainer turns the spec's incremental options into what the emitted code
// states: the runtime enumerators of the scheme, policy, adaptation and anchor
// scope, the class slots, the buffer capacity ("fit": what the RAM bound
// leaves, when the caller did not size it) and the saved state's size.
//
//===----------------------------------------------------------------------===//
#include "tnas/Target/Cpp/CppWriter.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <initializer_list>
#include <utility>

namespace tnas {

namespace {

uint32_t fnv1a(llvm::StringRef text) {
  uint32_t h = 2166136261u;
  for (char c : text) {
    h ^= (uint8_t)c;
    h *= 16777619u;
  }
  return h;
}

} // namespace

llvm::Expected<TrainerPlan> planTrainer(const DeviceModel &m,
                                        const EmitOptions &options) {
  const TrainerOptions &t = options.trainer;
  TrainerPlan plan;
  auto bad = [](const llvm::Twine &msg) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "error: " + msg.str());
  };
  // Each option names a runtime enumerator; the error lists the choices.
  using Choices =
      std::initializer_list<std::pair<llvm::StringRef, const char *>>;
  auto enumerator = [&](const std::string &value, Choices choices,
                        const char *what, std::string &out) -> llvm::Error {
    std::string expected;
    size_t k = 0;
    for (const auto &[name, runtimeName] : choices) {
      if (value == name) {
        out = runtimeName;
        return llvm::Error::success();
      }
      if (k > 0)
        expected += k + 1 == choices.size() ? " or " : ", ";
      expected += name.str();
      ++k;
    }
    return bad(llvm::Twine("unknown ") + what + " '" + value + "' (expected " +
               expected + ")");
  };
  if (llvm::Error e = enumerator(
          t.scheme, {{"tybox", "TyBox"}, {"tinyol", "TinyOL"}, {"knn", "Knn"}},
          "incremental scheme", plan.scheme))
    return std::move(e);
  if (llvm::Error e = enumerator(t.policy,
                                 {{"fifo", "Fifo"},
                                  {"reservoir", "Reservoir"},
                                  {"misclassified", "Misclassified"},
                                  {"conflict", "Conflict"}},
                                 "buffer policy", plan.policy))
    return std::move(e);
  if (llvm::Error e = enumerator(
          t.adaptation,
          {{"passive", "Passive"}, {"active", "Active"}, {"hybrid", "Hybrid"}},
          "knn adaptation", plan.adaptation))
    return std::move(e);
  if (llvm::Error e =
          enumerator(t.anchorScope, {{"all", "All"}, {"agreed", "Agreed"}},
                     "anchor scope", plan.anchorScope))
    return std::move(e);
  if (t.extraClasses < 0 || t.epochs < 0 || !(t.learningRate >= 0) ||
      !(t.anchor >= 0) || t.knnK <= 0 || t.knnK > 16 || t.cusumWarmup <= 0)
    return bad("invalid trainer option (extra classes, epochs, the "
               "learning rate and the anchor must be >= 0, k in [1, 16], "
               "warm-up > 0)");
  plan.maxClasses = m.numClasses + t.extraClasses;
  const int64_t f = m.features, in = m.classifierInputs;
  const int64_t fixed =
      plan.maxClasses * (in + 1) * 4 + (in + plan.maxClasses) * 4;
  const int64_t perSample = f + 4;
  if (plan.scheme == "TinyOL") {
    plan.bufferCapacity = 0;
  } else if (t.bufferCapacity > 0) {
    plan.bufferCapacity = t.bufferCapacity;
  } else if (options.ramBytes <= 0) {
    plan.bufferCapacity = 16;
  } else {
    // "fit": what the RAM bound leaves after the plan, the classifier, the
    // saved-state staging area and the stack.
    const int64_t used = m.arenaBytes + fixed + options.stackReserveBytes;
    const int64_t left = options.ramBytes - used;
    plan.bufferCapacity = std::min<int64_t>(left / perSample, 4096);
    if (plan.bufferCapacity < 1)
      return bad(llvm::formatv("the RAM bound ({0} bytes) leaves no room for "
                               "a training buffer: the arena, classifier and "
                               "stack reserve need {1} bytes",
                               options.ramBytes, used));
  }
  // 48: the saved state's header, tnas_rt::StateHeader (the emitted code
  // static_asserts the total).
  plan.stateBytes =
      48 + plan.maxClasses * (in + 1) * 4 + plan.bufferCapacity * perSample;
  plan.trainerRamBytes = fixed + plan.bufferCapacity * perSample;
  std::string identity = llvm::formatv(
      "{0}|{1}x{2}x{3}|{4}|{5}|{6}|{7}|{8}", m.name, m.inputH, m.inputW,
      m.inputC, m.features, in, m.numClasses, plan.scheme, m.layers.size());
  plan.modelId = fnv1a(identity);
  return plan;
}

} // namespace tnas

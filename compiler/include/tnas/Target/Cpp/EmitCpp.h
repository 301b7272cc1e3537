//===- EmitCpp.h - int8 tnas IR -> a C++ library for microcontrollers -----===//
//
// emitCppLibrary turns a module holding one quantized network (tnas.quantize
// -> tnas.q* layers -> tnas.split / tnas.dequantize -> fp32 tnas.dense) into
// out/<name>.h and out/<name>.cpp plus the runtime files they use
// (out/tnas_rt/), and optionally out/CMakeLists.txt. See docs/emitted-code.md.
// The emitter only reads the IR.
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_TARGET_CPP_EMITCPP_H
#define TNAS_TARGET_CPP_EMITCPP_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>

namespace tnas {

enum class TargetCore { CortexM4, CortexM7, CortexM0Plus, Host };

/// "cortex-m4", "cortex-m7", "cortex-m0plus", "host".
std::optional<TargetCore> parseTargetCore(llvm::StringRef name);
llvm::StringRef targetCoreName(TargetCore core);
/// Whether the core has the DSP extension (SMLAD, SXTB16).
bool targetHasDsp(TargetCore core);

/// The on-device learning configuration (the spec's `incremental` section).
struct TrainerOptions {
  std::string scheme = "tybox"; ///< tybox | tinyol | knn
  std::string policy = "fifo";  ///< tybox: fifo | reservoir | misclassified | conflict
  std::string adaptation = "hybrid"; ///< knn: passive | active | hybrid
  double learningRate = 0.01;
  int64_t epochs = 1;
  /// Each SGD step also descends anchor/2 |theta - theta0|^2, theta0 the
  /// flashed classifier (tnas_rt::TrainerConfig::anchor).
  double anchor = 0.0;
  /// all: every flashed class at every step; agreed: a sample's own class
  /// where the flashed classifier agrees with its label
  /// (tnas_rt::AnchorScope).
  std::string anchorScope = "all";
  /// Samples the buffer holds; -1 = "fit": what ramBytes leaves after the
  /// arena, the classifier and the stack reserve.
  int64_t bufferCapacity = -1;
  int64_t knnK = 3;
  /// The kNN change detector, a CUSUM on the 0/1 error sequence: the base
  /// rate over `cusumWarmup` samples of the complete set, slack
  /// `cusumDrift`, alarm above `cusumThreshold`. Sized for an error rate
  /// that rises by 0.2 (slack half of it) and an in-control run far longer
  /// than a stream: with a 20-sample base rate, slack 0.05 and threshold 3,
  /// the flagship's kNN raised a false alarm within ~250 samples of every
  /// complete set, and missed the label swap.
  int64_t cusumWarmup = 100;
  double cusumDrift = 0.1;
  double cusumThreshold = 8.0;
  /// Output classes that can be added at run time beyond the trained ones.
  int64_t extraClasses = 0;
  uint32_t seed = 1;
};

struct EmitOptions {
  /// File and symbol prefix; defaults to the network function's name.
  std::string name;
  TargetCore target = TargetCore::CortexM4;
  TrainerOptions trainer;
  /// The device's RAM (for "fit" buffers); 0 = unknown (a 16-sample buffer).
  int64_t ramBytes = 0;
  /// RAM kept for the stack and the firmware when fitting the buffer here
  /// (tnas-translate). tnasc and tnasc simulate size a `fit` buffer with the
  /// cost model instead and pass it as trainer.bufferCapacity, so that the
  /// header and report.json agree.
  int64_t stackReserveBytes = 4096;
  /// Also write out/CMakeLists.txt.
  bool emitBuildFile = true;
  /// runtime/ of the tnasc sources; empty = the directory tnasc was built
  /// from.
  std::string runtimeDir;
};

/// Writes the library into `outDir` (created if needed). Errors name the
/// offending op's location.
llvm::Error emitCppLibrary(mlir::ModuleOp module, const EmitOptions &options,
                           llvm::StringRef outDir);

} // namespace tnas

#endif // TNAS_TARGET_CPP_EMITCPP_H

//===- CostModel.h - exact costs of a candidate on a device -----*- C++ -*-===//
//
// Prices one Network on one device before any training: MACs and parameters
// per layer, Flash (int8 weights, int32 biases, per-channel requantization
// parameters, fp32 classifier, the code of the kernels it uses), peak RAM
// from the memory plan of the int8 feature extractor plus the on-device
// classifier and trainer, and latency from a per-core cycle model.
//
// The network is deployed as: layers before the Split run in int8 (the
// feature extractor; batchnorm is folded into an adjacent convolution, relu
// is fused into the requantization clamp, dropout vanishes), layers after it
// run in fp32 and learn on the device. Without a Split the whole network is
// the feature extractor.
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_SEARCH_COSTMODEL_H
#define TNAS_SEARCH_COSTMODEL_H

#include "tnas/Model/Network.h"
#include "tnas/Search/CostModelConstants.h"
#include "tnas/Search/MemoryPlanner.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <algorithm>
#include <string>
#include <vector>

namespace tnas::cost {

struct Device {
  std::string name = "cortex-m4";
  Core core = Core::CortexM4;
  int64_t clockHz = 100'000'000;
  bool hasFpu = true;
  bool hasDsp = true; ///< SIMD (SMLAD); only meaningful on M4 / M7
};

/// "cortex-m0plus", "cortex-m4", "cortex-m7": the key of the kernel table.
llvm::StringRef coreName(Core core);
llvm::Expected<Core> parseCore(llvm::StringRef name);

/// Cycles of one kernel family on `device`, from the tables of
/// CostModelConstants.h: the measured Cortex-M4 instruction counts (DSP or
/// portable path) times the cycles per instruction, scaled for the M7 and
/// M0+; fp32 MACs cost kSoftFloatCyclesPerMac without an FPU.
CycleCosts cycleCosts(const Device &device, OpClass op);

/// Code size in bytes of each runtime kernel, per core, as measured by
/// scripts/measure_kernel_sizes.sh (text + rodata + data of one object).
class KernelSizeTable {
public:
  /// Reads the JSON table:
  ///   {"cores": {"cortex-m4": {"conv_s8": {"text": 812, "data": 0,
  ///                                        "bytes": 812}, ...}, ...}}
  /// An entry's optional "shared": {"symbol": bytes} lists its weak (COMDAT)
  /// functions, which the linker keeps once however many kernels define
  /// them.
  static llvm::Expected<KernelSizeTable> load(llvm::StringRef path);
  static llvm::Expected<KernelSizeTable> parse(llvm::StringRef json,
                                               llvm::StringRef origin);
  /// stdlib/costs/kernel_sizes.json of the source tree this was built from.
  static std::string defaultPath();

  /// The size of `kernel` on `core`, or an error naming the table, the core
  /// and the missing kernel, and how to regenerate the table.
  llvm::Expected<int64_t> lookup(Core core, llvm::StringRef kernel) const;

  /// The code of a set of kernels as linked together: their sizes, with each
  /// shared function counted once.
  llvm::Expected<int64_t> linkedBytes(Core core,
                                      llvm::ArrayRef<std::string> kernels) const;

  void set(Core core, llvm::StringRef kernel, int64_t bytes) {
    sizes[coreName(core)][kernel] = bytes;
  }
  void setShared(Core core, llvm::StringRef kernel, llvm::StringRef symbol,
                 int64_t bytes) {
    shared[coreName(core)][kernel][symbol] = bytes;
  }

private:
  std::string origin;
  llvm::StringMap<llvm::StringMap<int64_t>> sizes;
  /// core -> kernel -> weak symbol -> bytes.
  llvm::StringMap<llvm::StringMap<llvm::StringMap<int64_t>>> shared;
};

struct CostOptions {
  /// Samples the on-device trainer buffers (the "tybox buffer"); see
  /// trainerSamplesThatFit for "buffer = fit".
  int64_t trainerSamples = 0;
  /// The classifier learns on the device: count the trainer's code and
  /// state. Only its last dense layer learns (runtime/include/tnas_rt/
  /// trainer.h); dense/relu layers before it are a frozen head in Flash.
  bool onDeviceTraining = true;
  /// Keep a full fp32 gradient per classifier weight. The runtime's trainer
  /// does not need one: its per-sample SGD updates the weights in place
  /// (runtime/include/tnas_rt/trainer.h); momentum, Adam or mini-batches on
  /// the device would.
  bool storeGradients = false;
  /// Kernel-table entries of the on-device trainer: trainerLearn dispatches
  /// on the scheme at run time, so knn.cpp is linked with every scheme.
  std::vector<std::string> trainerKernels = {"trainer", "trainer_state", "knn"};
  int64_t stackBytes = kStackAllowanceBytes;
};

struct LayerCost {
  size_t layer = 0; ///< index into Network::layers
  std::string name; ///< e.g. "conv3x3(8)"
  Shape output;
  bool int8 = true;   ///< feature extractor (int8) or classifier (fp32)
  bool fused = false; ///< folded / fused into a neighbour: no own kernel
  int64_t macs = 0;
  int64_t params = 0;     ///< trainable float parameters (PyTorch's count)
  int64_t flashBytes = 0; ///< weights + biases + quantization parameters
  double cycles = 0.0;
};

struct FlashBreakdown {
  int64_t weights = 0;     ///< int8 weights of the feature extractor
  int64_t biases = 0;      ///< int32 biases of the feature extractor
  int64_t quantParams = 0; ///< per-channel multiplier + shift
  int64_t layerConfig = 0; ///< per-layer constant structs
  int64_t classifier = 0;  ///< fp32 weights + biases
  int64_t code = 0;        ///< kernels (and trainer) code
  int64_t total() const {
    return weights + biases + quantParams + layerConfig + classifier + code;
  }
};

struct RamBreakdown {
  int64_t arena = 0;               ///< planned activations + kernel scratch
  int64_t classifierWeights = 0;   ///< fp32 trained layer, in RAM: it learns
  int64_t classifierGradients = 0; ///< fp32, one per weight (if stored)
  /// fp32 scratch: the trained layer's inputs and outputs (softmax, then
  /// delta), trainerScratchElements; with a frozen head, its two stack
  /// arrays of the widest width.
  int64_t classifierActivations = 0;
  /// samples * (features int8 + int32 label) + the trainer's state struct.
  int64_t trainerBuffer = 0;
  int64_t stack = 0;
  int64_t total() const {
    return arena + classifierWeights + classifierGradients +
           classifierActivations + trainerBuffer + stack;
  }
};

/// One buffer of the feature extractor's plan, tied to the layer it serves.
struct PlannedBuffer {
  enum class Role { Input, Activation, Scratch };
  Role role = Role::Activation;
  int64_t layer = -1; ///< producing / using layer; -1 for the input image
};

struct FeaturePlan {
  std::vector<BufferRequest> requests;
  std::vector<PlannedBuffer> roles; ///< parallel to requests
  MemoryPlan plan;
};

struct CostReport {
  std::vector<LayerCost> layers;
  int64_t macs = 0;
  int64_t params = 0;
  int64_t featureBytes = 0;   ///< int8 feature vector at the split
  int64_t trainerSamples = 0; ///< samples the trainer buffer was sized for
  FlashBreakdown flash;
  RamBreakdown ram;
  double cycles = 0.0; ///< one int8 inference + classifier forward
  double latencyMs = 0.0;
  double trainStepCycles = 0.0;     ///< one on-device classifier update
  std::vector<std::string> kernels; ///< kernel table entries counted
  FeaturePlan memory;
};

/// The buffers of the int8 feature extractor in execution order (input
/// image, each layer's output, kernel scratch) and their arena plan. Layer i
/// runs at step i; in-place layers (relu, batchnorm, dropout, flatten) may
/// alias their input. The C++ emitter lays out its static arena from this.
llvm::Expected<FeaturePlan> planFeatureExtractor(const Network &network,
                                                 const Device &device);

/// Prices `network` on `device`. Errors: shapes that cannot be inferred, a
/// kernel missing from the table.
llvm::Expected<CostReport> estimateCost(const Network &network,
                                        const Device &device,
                                        const KernelSizeTable &kernels,
                                        const CostOptions &options = {});

/// The Flash and RAM estimate of `report`, component by component, as the
/// device check compares it with the linked firmware
/// (scripts/firmware_vs_cost.py): {"flash": {weights, biases, quant_params,
/// layer_config, classifier, code, total}, "ram": {arena,
/// classifier_weights, classifier_gradients, classifier_activations,
/// trainer_state, trainer_samples, bytes_per_sample, stack, total}}.
llvm::json::Object footprintJson(const CostReport &report);

/// The largest trainer buffer (in samples) that keeps total RAM within
/// `ramBound` bytes less fitHeadroomBytes, given a report computed with any
/// trainerSamples; 0 when not even one sample fits.
int64_t trainerSamplesThatFit(const CostReport &report, int64_t ramBound);

/// What "buffer = fit" leaves free of a RAM bound: the estimate's margin of
/// error, so that a buffer sized to the estimate does not push the linked
/// firmware over the bound (the quick flagship's static RAM measured 18
/// bytes above its estimate, which took a 64 KiB fit 8 bytes over).
inline int64_t fitHeadroomBytes(int64_t ramBound) {
  return std::max<int64_t>(kFitHeadroomMinBytes,
                           ramBound / kFitHeadroomFraction);
}

} // namespace tnas::cost

#endif // TNAS_SEARCH_COSTMODEL_H

//===- DeviceModel.h - what the C++ emitter reads out of int8 tnas IR -----===//
//
// analyzeDeviceModel walks the network function once and collects, per
// layer, the kernel to call, its compile-time shape, its constants in the
// kernels' layouts (kernel_types.h) and its input / output buffers; then the
// classifier. The printer (CppWriter) works only from this description.
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_TARGET_CPP_DEVICEMODEL_H
#define TNAS_TARGET_CPP_DEVICEMODEL_H

#include "tnas/Target/Cpp/EmitCpp.h"
#include "tnas/Target/Cpp/MemoryPlan.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tnas {

enum class KernelKind {
  Conv,
  Depthwise,
  Pointwise,
  Dense,
  MaxPool,
  AvgPool,
  GlobalAvgPool,
};

/// The runtime's name of a kernel family ("conv", "depthwise", ...).
llvm::StringRef kernelFileStem(KernelKind kind);

struct DeviceLayer {
  KernelKind kind;
  std::string opName;   ///< e.g. "tnas.qconv2d"
  std::string location; ///< file:line:col of the op, for comments
  // WindowShape fields (pools and convs); pixels/inC/outC for the others.
  int32_t inH = 1, inW = 1, inC = 1, outH = 1, outW = 1, outC = 1;
  int32_t kernelH = 1, kernelW = 1, strideH = 1, strideW = 1;
  int32_t padTop = 0, padLeft = 0;
  int32_t inputZp = 0, outputZp = 0, actMin = -128, actMax = 127;
  std::vector<int8_t> weights; ///< kernel layout
  std::vector<int32_t> bias, multiplier, shift;
  int64_t macs = 0;
  unsigned input = 0, output = 0; ///< buffer ids (0 = the caller's input)
  int64_t scratchElements = 0;    ///< int16 im2col scratch (DSP path)
  unsigned scratch = 0;           ///< its arena buffer id (0 = no scratch)
};

/// A frozen fp32 layer between the features and the trained layer.
struct HeadLayer {
  enum Kind { Dense, Relu, Relu6 } kind = Dense;
  int32_t inputs = 0, outputs = 0;
  std::vector<float> weight; ///< Dense: [outputs][inputs]
  std::vector<float> bias;
};

struct DeviceModel {
  std::string name;
  int32_t inputH = 1, inputW = 1, inputC = 1;
  float inputScale = 1.0f;
  int32_t inputZp = 0;
  std::vector<DeviceLayer> layers;
  /// Buffers of the arena; buffer 0 is the caller's input (not planned).
  std::vector<PlannedBuffer> buffers;
  int64_t arenaBytes = 0;
  unsigned featureBuffer = 0;
  int32_t features = 0;
  float featureScale = 1.0f;
  int32_t featureZp = 0;
  /// Frozen fp32 layers (a spec's hidden classifier layers) before the
  /// trained dense layer; empty when it reads the features directly.
  std::vector<HeadLayer> head;
  int32_t classifierInputs = 0; ///< the trained layer's input width
  int32_t numClasses = 0;
  std::vector<float> classifierWeight; ///< [numClasses][classifierInputs]
  std::vector<float> classifierBias;
  int64_t totalMacs = 0;
};

/// Reads the single network function of `module` (the one named
/// options.name, or the only func.func).
llvm::Expected<DeviceModel> analyzeDeviceModel(mlir::ModuleOp module,
                                               const EmitOptions &options);

} // namespace tnas

#endif // TNAS_TARGET_CPP_DEVICEMODEL_H

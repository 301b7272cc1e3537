//===- CostModel.cpp - exact costs of a candidate on a device -------------===//
#include "tnas/Search/CostModel.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <set>

using namespace tnas;
using namespace tnas::cost;

namespace {

bool isConvLike(LayerKind kind) {
  return kind == LayerKind::Conv || kind == LayerKind::DepthwiseConv ||
         kind == LayerKind::PointwiseConv;
}

bool usesDsp(const Device &device) {
  return device.hasDsp && device.core != Core::CortexM0Plus;
}

/// How the int8 deployment treats each feature-extractor layer: batchnorm
/// folds into an adjacent convolution, relu into the preceding kernel's
/// requantization clamp; what cannot be folded runs as its own elementwise
/// pass.
std::vector<bool> fusedLayers(const Network &network, size_t split) {
  std::vector<bool> fused(network.layers.size(), false);
  bool clampAvailable = false; // the last kernel can absorb a relu
  for (size_t i = 0; i < split; ++i) {
    LayerKind kind = network.layers[i].kind;
    switch (kind) {
    case LayerKind::BatchNorm: {
      // As tnas-fold-batchnorm decides: always backward into the conv that
      // produced the input; forward into the next conv only when that conv
      // has no zero padding (its border windows would see 0, not the shift).
      // Otherwise the batchnorm runs as a 1x1 depthwise conv.
      bool prevConv = i > 0 && isConvLike(network.layers[i - 1].kind);
      bool nextUnpadded = false;
      if (i + 1 < split) {
        const Layer &next = network.layers[i + 1];
        nextUnpadded =
            next.kind == LayerKind::PointwiseConv ||
            (isConvLike(next.kind) && (!next.samePadding || next.kernel == 1));
      }
      fused[i] = prevConv || nextUnpadded;
      clampAvailable = clampAvailable && prevConv;
      break;
    }
    case LayerKind::Relu:
    case LayerKind::Relu6:
      fused[i] = clampAvailable;
      break;
    case LayerKind::Dropout:
    case LayerKind::Flatten:
    case LayerKind::Split:
      fused[i] = true;
      break;
    default:
      clampAvailable = isConvLike(kind) || kind == LayerKind::Dense;
      break;
    }
  }
  return fused;
}

/// The kernel-table entry of an int8 layer that runs its own kernel.
std::optional<std::string> int8Kernel(LayerKind kind, bool dsp) {
  switch (kind) {
  case LayerKind::Conv:
    return std::string(dsp ? "conv_s8_dsp" : "conv_s8");
  case LayerKind::DepthwiseConv:
    return std::string("depthwise_s8");
  case LayerKind::PointwiseConv:
    return std::string(dsp ? "pointwise_s8_dsp" : "pointwise_s8");
  case LayerKind::MaxPool:
    return std::string("max_pool_s8");
  case LayerKind::AvgPool:
    return std::string("avg_pool_s8");
  case LayerKind::GlobalAvgPool:
    return std::string("global_avg_pool_s8");
  case LayerKind::Dense:
    return std::string("dense_s8");
  case LayerKind::BatchNorm:
    return std::string("depthwise_s8"); // unfused: a 1x1 depthwise conv
  case LayerKind::Relu:
  case LayerKind::Relu6:
    return std::string("requantize_s8"); // unfused: a per-channel pass
  default:
    return std::nullopt;
  }
}

/// Bytes of kernel scratch a layer needs (the DSP paths' im2col columns).
/// Whether the DSP conv kernel takes its position-table path for this layer
/// (runtime/src/conv_s8_dsp.cpp, convByTable: Cin % 4 != 0, a filter of at
/// most 64 values, not the one-channel 3x3 row-block path), which keeps the
/// table on the stack.
bool usesConvTable(const Layer &layer, const Shape &in, bool dsp) {
  if (!dsp || layer.kind != LayerKind::Conv || in.c % 4 == 0)
    return false;
  bool cin1Blocks = in.c == 1 && layer.kernel == 3 && layer.stride == 1;
  return !cin1Blocks && layer.kernel * layer.kernel * in.c <= 64;
}

int64_t scratchBytes(const Layer &layer, const Shape &in, bool dsp) {
  if (!dsp)
    return 0;
  if (layer.kind == LayerKind::Conv)
    return kDspIm2colColumns * in.c * layer.kernel * layer.kernel *
           int64_t(sizeof(int16_t));
  if (layer.kind == LayerKind::PointwiseConv)
    return kDspIm2colColumns * in.c * int64_t(sizeof(int16_t));
  return 0;
}

} // namespace

CycleCosts tnas::cost::cycleCosts(const Device &device, OpClass op) {
  bool dsp = usesDsp(device);
  const CycleTable &instructions =
      dsp ? kCortexM4DspInstructions : kCortexM4PortableInstructions;
  CycleCosts c = instructions[static_cast<size_t>(op)];
  c.perMac *= kCortexM4CyclesPerInstruction;
  c.perOutput *= kCortexM4CyclesPerInstruction;
  c.perCall *= kCortexM4CyclesPerInstruction;
  switch (device.core) {
  case Core::CortexM4:
    break;
  case Core::CortexM7:
    c.perMac *= kCortexM7CycleFactor;
    c.perOutput *= kCortexM7CycleFactor;
    c.perCall *= kCortexM7CycleFactor;
    break;
  case Core::CortexM0Plus:
    c.perMac *= kCortexM0PlusMacFactor;
    c.perOutput *= kCortexM0PlusOutputFactor;
    break;
  }
  if (op == OpClass::DenseF32 && !device.hasFpu)
    c.perMac = kSoftFloatCyclesPerMac;
  return c;
}

llvm::Expected<FeaturePlan>
tnas::cost::planFeatureExtractor(const Network &network, const Device &device) {
  auto shapes = network.inferShapes();
  if (!shapes)
    return shapes.takeError();
  size_t split = network.splitIndex();
  std::vector<bool> fused = fusedLayers(network, split);
  bool dsp = usesDsp(device);

  FeaturePlan fp;
  auto add = [&](BufferRequest r, PlannedBuffer role) {
    fp.requests.push_back(std::move(r));
    fp.roles.push_back(role);
    return fp.requests.size() - 1;
  };
  size_t current = add({"input", network.input.elements(), 0, 0, std::nullopt},
                       {PlannedBuffer::Role::Input, -1});
  Shape in = network.input;
  for (size_t i = 0; i < split; ++i) {
    const Layer &layer = network.layers[i];
    const Shape &out = (*shapes)[i];
    int64_t step = static_cast<int64_t>(i);
    // The consumer of this layer's output is the next layer, or the
    // dequantization into the classifier at step `split`.
    bool inPlace = fused[i] || layer.kind == LayerKind::Relu ||
                   layer.kind == LayerKind::Relu6 ||
                   layer.kind == LayerKind::BatchNorm;
    if (int64_t scratch = scratchBytes(layer, in, dsp))
      add({llvm::formatv("{0}{1}.scratch", layerKindName(layer.kind), i).str(),
           scratch, step, step, std::nullopt},
          {PlannedBuffer::Role::Scratch, step});
    current =
        add({llvm::formatv("{0}{1}.out", layerKindName(layer.kind), i).str(),
             out.elements(), step, step + 1,
             inPlace ? std::optional<size_t>(current) : std::nullopt},
            {PlannedBuffer::Role::Activation, step});
    in = out;
  }
  auto plan = planMemory(fp.requests, kArenaAlignment);
  if (!plan)
    return plan.takeError();
  fp.plan = std::move(*plan);
  return fp;
}

llvm::Expected<CostReport>
tnas::cost::estimateCost(const Network &network, const Device &device,
                         const KernelSizeTable &kernels,
                         const CostOptions &options) {
  if (device.clockHz <= 0)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("device '{0}': clock {1} Hz must be positive",
                      device.name, device.clockHz));
  auto shapes = network.inferShapes();
  if (!shapes)
    return shapes.takeError();
  size_t split = network.splitIndex();
  std::vector<bool> fused = fusedLayers(network, split);
  bool dsp = usesDsp(device);
  auto plan = planFeatureExtractor(network, device);
  if (!plan)
    return plan.takeError();

  CostReport report;
  report.memory = std::move(*plan);
  std::set<std::string> kernelNames;
  Shape in = network.input;
  report.featureBytes =
      split == 0 ? network.input.elements() : (*shapes)[split - 1].elements();
  // The classifier as the runtime runs it: frozen fp32 head layers (weights
  // in Flash, activations in two stack arrays of the widest width) and the
  // last dense layer, which learns (weights in RAM).
  int64_t trainedParams = 0, trainedInputs = 0, trainedOutputs = 0;
  int64_t headWidest = 0;
  bool hasHead = false;
  bool convTable = false;
  double classifierCycles = 0.0;

  for (size_t i = 0; i < network.layers.size(); ++i) {
    const Layer &layer = network.layers[i];
    const Shape &out = (*shapes)[i];
    LayerCost cost;
    cost.layer = i;
    cost.output = out;
    cost.int8 = i < split;
    cost.fused = fused[i];
    Layer single = layer;
    cost.name = Network{"", {}, 0, {single}}.key();
    int64_t k2 = layer.kernel * layer.kernel;
    int64_t outChannels = 0; // channels that carry a bias + requantization
    std::optional<OpClass> op;
    switch (layer.kind) {
    case LayerKind::Conv:
      cost.macs = out.h * out.w * out.c * k2 * in.c;
      cost.params = k2 * in.c * out.c + out.c;
      convTable |= cost.int8 && usesConvTable(layer, in, dsp);
      outChannels = out.c;
      op = OpClass::Conv;
      break;
    case LayerKind::DepthwiseConv:
      cost.macs = out.h * out.w * out.c * k2;
      cost.params = k2 * out.c + out.c;
      outChannels = out.c;
      op = OpClass::Depthwise;
      break;
    case LayerKind::PointwiseConv:
      cost.macs = out.h * out.w * out.c * in.c;
      cost.params = in.c * out.c + out.c;
      outChannels = out.c;
      op = OpClass::Pointwise;
      break;
    case LayerKind::Dense:
      cost.macs = in.elements() * out.c;
      cost.params = in.elements() * out.c + out.c;
      outChannels = out.c;
      op = OpClass::DenseS8;
      break;
    case LayerKind::BatchNorm:
      cost.params = 2 * out.c; // gamma and beta; running stats are buffers
      break;
    default:
      break;
    }
    report.macs += cost.macs;
    report.params += cost.params;

    if (cost.int8) {
      // Weights are int8, biases int32, plus per-channel requantization.
      if (outChannels) {
        int64_t biases = outChannels;
        int64_t weights = cost.params - biases;
        report.flash.weights += weights;
        report.flash.biases += 4 * biases;
        report.flash.quantParams += kQuantParamBytesPerChannel * biases;
        cost.flashBytes = weights + (4 + kQuantParamBytesPerChannel) * biases;
      } else if (layer.kind == LayerKind::BatchNorm && !fused[i]) {
        // An unfoldable batchnorm: a 1x1 depthwise conv (int8 scale, int32
        // shift as bias, requantization per channel).
        cost.flashBytes = (1 + 4 + kQuantParamBytesPerChannel) * out.c;
        report.flash.weights += out.c;
        report.flash.biases += 4 * out.c;
        report.flash.quantParams += kQuantParamBytesPerChannel * out.c;
        op = OpClass::Depthwise;
        // The device runs it: one MAC per output, as the emitted header
        // counts it.
        cost.macs = out.elements();
        report.macs += cost.macs;
      }
      if (!cost.fused) {
        if (auto kernel = int8Kernel(layer.kind, dsp))
          kernelNames.insert(*kernel);
        report.flash.layerConfig += kFlashPerLayerBytes;
      }
      int64_t outputs = out.elements();
      if (op) {
        CycleCosts c = cycleCosts(device, *op);
        cost.cycles = cost.macs * c.perMac +
                      outputs * c.perOutput + c.perCall;
      } else if (layer.kind == LayerKind::MaxPool ||
                 layer.kind == LayerKind::AvgPool ||
                 layer.kind == LayerKind::GlobalAvgPool) {
        CycleCosts c = cycleCosts(device, layer.kind == LayerKind::GlobalAvgPool
                                              ? OpClass::GlobalPool
                                              : OpClass::Pool);
        int64_t window =
            layer.kind == LayerKind::GlobalAvgPool ? in.h * in.w : k2;
        cost.cycles =
            outputs * window * c.perMac + outputs * c.perOutput + c.perCall;
      } else if (!cost.fused) {
        CycleCosts c = cycleCosts(device, OpClass::Elementwise);
        cost.cycles = outputs * c.perOutput + c.perCall;
      }
    } else {
      // The classifier: fp32, learning on the device.
      cost.flashBytes = 4 * cost.params;
      report.flash.classifier += cost.flashBytes;
      if (layer.kind == LayerKind::Dense) {
        if (trainedOutputs) { // the previous trained candidate is head
          hasHead = true;
          headWidest = std::max({headWidest, trainedInputs, trainedOutputs});
        }
        trainedParams = cost.params;
        trainedInputs = in.elements();
        trainedOutputs = out.elements();
      }
      CycleCosts c = cycleCosts(device, OpClass::DenseF32);
      double perMac = c.perMac;
      if (layer.kind != LayerKind::Split && layer.kind != LayerKind::Dropout)
        cost.cycles =
            cost.macs * perMac + out.elements() * c.perOutput + c.perCall;
      classifierCycles += cost.cycles;
    }
    report.cycles += cost.cycles;
    report.layers.push_back(std::move(cost));
    in = out;
  }

  bool hasClassifier = split + 1 < network.layers.size();
  // Quantizing the input and dequantizing the features.
  kernelNames.insert("requantize_s8");
  if (hasClassifier && options.onDeviceTraining)
    kernelNames.insert(options.trainerKernels.begin(),
                       options.trainerKernels.end());
  report.kernels.assign(kernelNames.begin(), kernelNames.end());
  auto code = kernels.linkedBytes(device.core, report.kernels);
  if (!code)
    return code.takeError();
  report.flash.code += *code;

  report.ram.arena = report.memory.plan.arenaSize;
  if (trainedOutputs) {
    report.ram.classifierWeights = 4 * trainedParams;
    // The trainer's scratch (trained-layer inputs + classes,
    // trainerScratchElements); the head's arrays are on the stack.
    report.ram.classifierActivations = 4 * (trainedInputs + trainedOutputs);
    if (options.onDeviceTraining)
      report.ram.trainerBuffer = kTrainerStateBytes;
    if (options.storeGradients)
      report.ram.classifierGradients = 4 * trainedParams;
  }
  report.trainerSamples = std::max<int64_t>(options.trainerSamples, 0);
  report.ram.trainerBuffer +=
      report.trainerSamples * (report.featureBytes + kTrainerLabelBytes);
  // The deepest of the extractor's calls and the learning path through a
  // frozen head, whose two float arrays of the widest width are locals.
  report.ram.stack = std::max(
      options.stackBytes + (convTable ? kStackConvTableBytes : 0),
      trainedOutputs && hasHead ? kStackHeadChainBytes + 8 * headWidest
                                : int64_t(0));

  report.latencyMs = report.cycles / double(device.clockHz) * 1000.0;
  report.trainStepCycles =
      options.onDeviceTraining ? kTrainStepMacFactor * classifierCycles : 0.0;
  return report;
}

llvm::json::Object tnas::cost::footprintJson(const CostReport &report) {
  const FlashBreakdown &f = report.flash;
  const RamBreakdown &r = report.ram;
  const int64_t perSample = report.featureBytes + kTrainerLabelBytes;
  const int64_t state =
      r.trainerBuffer - report.trainerSamples * perSample; // 0 or the struct
  return llvm::json::Object{
      {"flash", llvm::json::Object{{"weights", f.weights},
                                   {"biases", f.biases},
                                   {"quant_params", f.quantParams},
                                   {"layer_config", f.layerConfig},
                                   {"classifier", f.classifier},
                                   {"code", f.code},
                                   {"total", f.total()}}},
      {"ram",
       llvm::json::Object{{"arena", r.arena},
                          {"classifier_weights", r.classifierWeights},
                          {"classifier_gradients", r.classifierGradients},
                          {"classifier_activations", r.classifierActivations},
                          {"trainer_state", state},
                          {"trainer_samples", report.trainerSamples},
                          {"bytes_per_sample", perSample},
                          {"stack", r.stack},
                          {"total", r.total()}}}};
}

int64_t tnas::cost::trainerSamplesThatFit(const CostReport &report,
                                          int64_t ramBound) {
  int64_t perSample = report.featureBytes + kTrainerLabelBytes;
  int64_t withoutSamples =
      report.ram.total() - report.trainerSamples * perSample;
  int64_t left = ramBound - fitHeadroomBytes(ramBound) - withoutSamples;
  if (left <= 0 || perSample <= 0)
    return 0;
  return left / perSample;
}

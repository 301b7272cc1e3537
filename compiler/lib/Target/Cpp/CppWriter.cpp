//===- CppWriter.cpp - the text of out/<name>.h and out/<name>.cpp --------===//
#include "tnas/Target/Cpp/CppWriter.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace tnas {

namespace {

std::string cInt(int64_t v) {
  // INT32_MIN is not a literal: -2147483648 is the negation of a long.
  if (v == INT32_MIN)
    return "(-2147483647 - 1)";
  return std::to_string(v);
}

std::string cFloat(float v) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << llvm::format("%.9g", (double)v);
  os.flush();
  if (s.find_first_of(".e") == std::string::npos)
    s += ".0";
  return s + "f";
}

template <typename T, typename Fn>
void printArray(llvm::raw_ostream &os, llvm::StringRef type,
                llvm::StringRef name, const std::vector<T> &values, Fn format,
                unsigned perLine) {
  os << "alignas(4) const " << type << " " << name << "[" << values.size()
     << "] = {";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i % perLine == 0)
      os << "\n   ";
    os << " " << format(values[i]) << ",";
  }
  os << "\n};\n";
}

std::string upper(llvm::StringRef s) {
  std::string out;
  for (char c : s)
    out += llvm::isAlnum(c) ? llvm::toUpper(c) : '_';
  return out;
}

std::string layerName(size_t i) { return "kLayer" + std::to_string(i); }

std::string bufferExpr(const DeviceModel &m, unsigned buffer) {
  if (buffer == 0)
    return "input";
  return "gArena + " + std::to_string(m.buffers[buffer].offset);
}

/// The int16 im2col scratch of a DSP layer: its slot of the arena (4-aligned
/// like every arena offset), as TFLite Micro's scratch buffers.
std::string scratchExpr(const DeviceModel &m, const DeviceLayer &l) {
  if (!l.scratch)
    return "nullptr";
  return "reinterpret_cast<int16_t *>(" + bufferExpr(m, l.scratch) + ")";
}

const char *kernelCall(KernelKind kind) {
  switch (kind) {
  case KernelKind::Conv:
    return "convS8";
  case KernelKind::Depthwise:
    return "depthwiseS8";
  case KernelKind::Pointwise:
    return "pointwiseS8";
  case KernelKind::Dense:
    return "denseS8";
  case KernelKind::MaxPool:
    return "maxPoolS8";
  case KernelKind::AvgPool:
    return "avgPoolS8";
  case KernelKind::GlobalAvgPool:
    return "globalAvgPoolS8";
  }
  return "";
}

bool hasWeights(KernelKind k) {
  return k == KernelKind::Conv || k == KernelKind::Depthwise ||
         k == KernelKind::Pointwise || k == KernelKind::Dense;
}

bool usesWindow(KernelKind k) {
  return k == KernelKind::Conv || k == KernelKind::Depthwise ||
         k == KernelKind::MaxPool || k == KernelKind::AvgPool;
}

void printLayerConstants(llvm::raw_ostream &os, const DeviceModel &m,
                         size_t index) {
  const DeviceLayer &l = m.layers[index];
  const std::string n = layerName(index);
  os << "\n// Layer " << index << ": " << l.opName << " (" << l.location
     << "), " << l.inH << "x" << l.inW << "x" << l.inC << " -> " << l.outH
     << "x" << l.outW << "x" << l.outC;
  if (usesWindow(l.kind))
    os << ", window " << l.kernelH << "x" << l.kernelW << " stride "
       << l.strideH << "x" << l.strideW;
  if (l.macs)
    os << ", " << l.macs << " MACs";
  os << "\n";
  if (hasWeights(l.kind)) {
    auto i8 = [](int8_t v) { return std::to_string((int)v); };
    auto i32 = [](int32_t v) { return cInt(v); };
    printArray(os, "int8_t", n + "Weights", l.weights, i8, 16);
    printArray(os, "int32_t", n + "Bias", l.bias, i32, 8);
    printArray(os, "int32_t", n + "Multiplier", l.multiplier, i32, 6);
    printArray(os, "int32_t", n + "Shift", l.shift, i32, 12);
    os << "const tnas_rt::QuantParams " << n << "Quant = {" << l.inputZp << ", "
       << l.outputZp << ", " << l.actMin << ", " << l.actMax << ", " << n
       << "Multiplier, " << n << "Shift};\n";
  }
  if (usesWindow(l.kind))
    os << "const tnas_rt::WindowShape " << n << "Shape = {" << l.inH << ", "
       << l.inW << ", " << l.inC << ", " << l.outH << ", " << l.outW << ", "
       << l.outC << ", " << l.kernelH << ", " << l.kernelW << ", " << l.strideH
       << ", " << l.strideW << ", " << l.padTop << ", " << l.padLeft << "};\n";
}

void printLayerCall(llvm::raw_ostream &os, const DeviceModel &m, size_t index) {
  const DeviceLayer &l = m.layers[index];
  const std::string n = layerName(index);
  const std::string in = bufferExpr(m, l.input), out = bufferExpr(m, l.output);
  os << "  // " << index << ": " << l.opName
     << "\n  tnas_rt::" << kernelCall(l.kind) << "(";
  switch (l.kind) {
  case KernelKind::Conv:
    os << n << "Shape, " << n << "Quant, " << in << ", " << n << "Weights, "
       << n << "Bias, " << out << ", " << scratchExpr(m, l);
    break;
  case KernelKind::Depthwise:
    os << n << "Shape, " << n << "Quant, " << in << ", " << n << "Weights, "
       << n << "Bias, " << out;
    break;
  case KernelKind::Pointwise:
    os << l.inH * l.inW << ", " << l.inC << ", " << l.outC << ", " << n
       << "Quant, " << in << ", " << n << "Weights, " << n << "Bias, " << out
       << ", " << scratchExpr(m, l);
    break;
  case KernelKind::Dense:
    os << l.inC << ", " << l.outC << ", " << n << "Quant, " << in << ", " << n
       << "Weights, " << n << "Bias, " << out;
    break;
  case KernelKind::MaxPool:
  case KernelKind::AvgPool:
    os << n << "Shape, " << in << ", " << out;
    break;
  case KernelKind::GlobalAvgPool:
    os << l.inH << ", " << l.inW << ", " << l.inC << ", " << in << ", " << out;
    break;
  }
  os << ");\n";
}

/// The frozen fp32 layers before the trained one, as a FeatureTransform.
void printHead(llvm::raw_ostream &os, const DeviceModel &m) {
  if (m.head.empty())
    return;
  os << "\n// Frozen fp32 classifier layers (trained on the host); the device "
        "trains\n// only the last dense layer, on their output.\n";
  int32_t widest = m.features;
  for (size_t i = 0; i < m.head.size(); ++i) {
    const HeadLayer &l = m.head[i];
    widest = std::max(widest, l.outputs);
    if (l.kind != HeadLayer::Dense)
      continue;
    printArray(os, "float", "kHead" + std::to_string(i) + "Weight", l.weight,
               cFloat, 6);
    printArray(os, "float", "kHead" + std::to_string(i) + "Bias", l.bias,
               cFloat, 6);
  }
  os << "\nvoid classifierHead(const int8_t *features, float *inputs) {\n"
     << "  float a[" << widest << "], b[" << widest << "];\n"
     << "  for (int32_t i = 0; i < " << m.features << "; ++i)\n"
     << "    a[i] = ((int32_t)features[i] - " << m.featureZp << ") * "
     << cFloat(m.featureScale) << ";\n";
  for (size_t i = 0; i < m.head.size(); ++i) {
    const HeadLayer &l = m.head[i];
    const std::string n = "kHead" + std::to_string(i);
    switch (l.kind) {
    case HeadLayer::Dense:
      os << "  // " << i << ": dense " << l.inputs << " -> " << l.outputs
         << "\n"
         << "  for (int32_t o = 0; o < " << l.outputs << "; ++o) {\n"
         << "    float z = " << n << "Bias[o];\n"
         << "    for (int32_t i = 0; i < " << l.inputs << "; ++i)\n"
         << "      z += " << n << "Weight[o * " << l.inputs << " + i] * a[i];\n"
         << "    b[o] = z;\n  }\n"
         << "  for (int32_t o = 0; o < " << l.outputs << "; ++o)\n"
         << "    a[o] = b[o];\n";
      break;
    case HeadLayer::Relu:
      os << "  // " << i << ": relu\n"
         << "  for (int32_t o = 0; o < " << l.outputs << "; ++o)\n"
         << "    a[o] = a[o] > 0.0f ? a[o] : 0.0f;\n";
      break;
    case HeadLayer::Relu6:
      os << "  // " << i << ": relu6\n"
         << "  for (int32_t o = 0; o < " << l.outputs << "; ++o)\n"
         << "    a[o] = a[o] > 0.0f ? (a[o] < 6.0f ? a[o] : 6.0f) : 0.0f;\n";
      break;
    }
  }
  os << "  for (int32_t i = 0; i < TNAS_CLASSIFIER_INPUTS; ++i)\n"
     << "    inputs[i] = a[i];\n}\n";
}

int64_t weightBytes(const DeviceModel &m) {
  int64_t bytes = 0;
  for (const DeviceLayer &l : m.layers)
    bytes +=
        (int64_t)l.weights.size() +
        4 * (int64_t)(l.bias.size() + l.multiplier.size() + l.shift.size());
  for (const HeadLayer &l : m.head)
    bytes += 4 * (int64_t)(l.weight.size() + l.bias.size());
  return bytes +
         4 * (int64_t)(m.classifierWeight.size() + m.classifierBias.size());
}

} // namespace

std::string writeHeader(const DeviceModel &m, const TrainerPlan &plan,
                        const EmitOptions &options) {
  std::string text;
  llvm::raw_string_ostream os(text);
  const std::string guard = "TNAS_" + upper(m.name) + "_H";
  // The fp32 classifier's MACs per prediction (frozen head layers and the
  // trained layer, at the trained classes): with the extractor's, what the
  // cost model counts (report.json's final.macs).
  int64_t classifierMacs = (int64_t)m.classifierWeight.size();
  for (const HeadLayer &l : m.head)
    classifierMacs += (int64_t)l.weight.size();
  os << "// " << m.name << ".h - generated by tnasc for "
     << targetCoreName(options.target) << "; do not edit.\n"
     << "//\n"
     << "// An int8 feature extractor (" << m.layers.size() << " layers, "
     << m.totalMacs << " MACs) and an fp32 classifier (" << classifierMacs
     << " MACs)\n// that keeps learning on the device (scheme " << options.trainer.scheme << "). Call "
     << "tnas_init() once, then tnas_predict() / tnas_learn().\n"
     << "// Flash: " << weightBytes(m)
     << " bytes of parameters. RAM: " << m.arenaBytes
     << " bytes of arena (activations and kernel scratch), "
     << plan.trainerRamBytes << " of trainer.\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stdint.h>\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  auto define = [&](llvm::StringRef name, const llvm::Twine &value) {
    os << "#define " << name << " " << value << "\n";
  };
  define("TNAS_INPUT_H", llvm::Twine(m.inputH));
  define("TNAS_INPUT_W", llvm::Twine(m.inputW));
  define("TNAS_INPUT_C", llvm::Twine(m.inputC));
  define("TNAS_INPUT_ELEMENTS", llvm::Twine(m.inputH * m.inputW * m.inputC));
  define("TNAS_INPUT_SCALE", cFloat(m.inputScale));
  define("TNAS_INPUT_ZERO_POINT", llvm::Twine(m.inputZp));
  define("TNAS_FEATURES", llvm::Twine(m.features));
  define("TNAS_CLASSIFIER_INPUTS", llvm::Twine(m.classifierInputs));
  define("TNAS_NUM_CLASSES", llvm::Twine(m.numClasses));
  define("TNAS_MAX_CLASSES", llvm::Twine(plan.maxClasses));
  define("TNAS_BUFFER_CAPACITY", llvm::Twine(plan.bufferCapacity));
  define("TNAS_ARENA_BYTES", llvm::Twine(m.arenaBytes));
  define("TNAS_STATE_BYTES", llvm::Twine(plan.stateBytes));
  define("TNAS_MODEL_ID", llvm::formatv("{0:x8}u", plan.modelId).str());
  os << "\n/* Status codes: 0 = success, negative = error (nothing changed). "
        "*/\n"
     << "enum {\n  TNAS_OK = 0,\n  TNAS_ERR_NULL_POINTER = -1,\n"
     << "  TNAS_ERR_BAD_LABEL = -2,\n  TNAS_ERR_BAD_CHECKSUM = -3,\n"
     << "  TNAS_ERR_FOREIGN_STATE = -4,\n  TNAS_ERR_NO_ROOM = -5,\n"
     << "  TNAS_ERR_BAD_CONFIG = -6,\n  TNAS_ERR_NOT_INITIALIZED = -7\n};\n\n"
     << "typedef struct {\n  int32_t label;       /* the predicted class */\n"
     << "  int32_t num_classes; /* valid entries of scores */\n"
     << "  float scores[TNAS_MAX_CLASSES];\n} tnas_prediction_t;\n\n"
     << "/* The learned classifier (and its buffer), with a version and a\n"
     << " * CRC-32: write it to flash as is. */\n"
     << "typedef struct {\n  uint32_t bytes;\n"
     << "  uint32_t words[(TNAS_STATE_BYTES + 3) / 4];\n} tnas_state_t;\n\n"
     << "int32_t tnas_init(void);\n"
     << "/* input: TNAS_INPUT_ELEMENTS int8 values, NHWC, quantized with\n"
     << " * TNAS_INPUT_SCALE / TNAS_INPUT_ZERO_POINT. */\n"
     << "int32_t tnas_predict(const int8_t *input, tnas_prediction_t "
        "*prediction);\n"
     << "int32_t tnas_learn(const int8_t *input, int32_t label);\n"
     << "int32_t tnas_reset_classifier(void);\n"
     << "/* A new class (class-incremental learning); its label in *label. "
        "*/\n"
     << "int32_t tnas_add_class(int32_t *label);\n"
     << "int32_t tnas_num_classes(void);\n"
     << "int32_t tnas_save_state(tnas_state_t *state);\n"
     << "int32_t tnas_restore_state(const tnas_state_t *state);\n"
     << "/* The int8 feature vector (TNAS_FEATURES values) of one input. */\n"
     << "int32_t tnas_extract_features(const int8_t *input, int8_t "
        "*features);\n"
     << "/* tnas_predict / tnas_learn on a feature vector of\n"
     << " * tnas_extract_features: the extractor never changes, so a firmware\n"
     << " * that keeps a sample's features until its label arrives runs it\n"
     << " * once. */\n"
     << "int32_t tnas_predict_features(const int8_t *features,\n"
     << "                              tnas_prediction_t *prediction);\n"
     << "int32_t tnas_learn_features(const int8_t *features, int32_t "
        "label);\n"
     << "void tnas_quantize_input(const float *input, int8_t *quantized);\n\n"
     << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  return text;
}

std::string writeSource(const DeviceModel &m, const TrainerPlan &plan,
                        const EmitOptions &options) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "// " << m.name << ".cpp - generated by tnasc for "
     << targetCoreName(options.target) << "; do not edit.\n"
     << "#include \"" << m.name << ".h\"\n\n";
  std::set<KernelKind> kinds;
  for (const DeviceLayer &l : m.layers)
    kinds.insert(l.kind);
  for (KernelKind k : kinds)
    os << "#include \"tnas_rt/" << kernelFileStem(k) << ".h\"\n";
  os << "#include \"tnas_rt/quant_math.h\"\n"
     << "#include \"tnas_rt/trainer.h\"\n\n"
     << "static_assert(TNAS_STATE_BYTES == tnas_rt::trainerStateBytes(\n"
     << "                  TNAS_FEATURES, TNAS_CLASSIFIER_INPUTS, "
        "TNAS_MAX_CLASSES,\n"
     << "                  TNAS_BUFFER_CAPACITY),\n"
     << "              \"state size out of sync with the runtime\");\n\n"
     << "namespace {\n";
  for (size_t i = 0; i < m.layers.size(); ++i)
    printLayerConstants(os, m, i);

  printHead(os, m);
  os << "\n// The trained fp32 layer as the host left it: weight[class]"
        "[input].\n";
  printArray(os, "float", "kClassifierWeight", m.classifierWeight, cFloat, 6);
  printArray(os, "float", "kClassifierBias", m.classifierBias, cFloat, 6);
  const bool buffered = plan.bufferCapacity > 0;
  os << "\nconst tnas_rt::TrainerConfig kTrainerConfig = {\n"
     << "    tnas_rt::Scheme::" << plan.scheme << ", "
     << cFloat((float)options.trainer.learningRate) << ", "
     << options.trainer.epochs << ", tnas_rt::BufferPolicy::" << plan.policy
     << ", " << plan.bufferCapacity << ",\n"
     << "    tnas_rt::KnnAdaptation::" << plan.adaptation << ", "
     << options.trainer.knnK << ", " << options.trainer.cusumWarmup << ", "
     << cFloat((float)options.trainer.cusumDrift) << ", "
     << cFloat((float)options.trainer.cusumThreshold) << ",\n"
     << "    " << cFloat(m.featureScale) << ", " << m.featureZp << ", "
     << options.trainer.seed << "u, "
     << (m.head.empty() ? "nullptr, 0"
                        : "classifierHead, TNAS_CLASSIFIER_INPUTS")
     << ", " << cFloat((float)options.trainer.anchor)
     << ", tnas_rt::AnchorScope::" << plan.anchorScope << "};\n\n"
     << "// RAM. The arena holds every activation and kernel scratch at the "
        "offset the memory\n// plan gave it.\n";
  if (m.arenaBytes > 0)
    os << "alignas(8) int8_t gArena[" << m.arenaBytes << "];\n";
  os << "float gWeight[TNAS_MAX_CLASSES * TNAS_CLASSIFIER_INPUTS];\n"
     << "float gBias[TNAS_MAX_CLASSES];\n"
     << "float gTrainerScratch[tnas_rt::trainerScratchElements(\n"
     << "    TNAS_CLASSIFIER_INPUTS, TNAS_MAX_CLASSES)];\n";
  if (buffered)
    os << "int8_t gBufferFeatures[TNAS_BUFFER_CAPACITY * TNAS_FEATURES];\n"
       << "int32_t gBufferLabels[TNAS_BUFFER_CAPACITY];\n";
  os << "tnas_rt::Trainer gTrainer;\n"
     << "bool gInitialized = false;\n\n"
     << "const int8_t *runExtractor(const int8_t *input) {\n";
  for (size_t i = 0; i < m.layers.size(); ++i)
    printLayerCall(os, m, i);
  os << "  return " << bufferExpr(m, m.featureBuffer) << ";\n}\n\n"
     << "} // namespace\n\n"
     << "extern \"C\" {\n\n"
     << "int32_t tnas_init(void) {\n"
     << "  const tnas_rt::TrainerMemory memory = {gWeight, gBias, "
     << (buffered ? "gBufferFeatures, gBufferLabels" : "nullptr, nullptr")
     << ", gTrainerScratch};\n"
     << "  const int32_t status = tnas_rt::trainerInit(\n"
     << "      &gTrainer, &kTrainerConfig, &memory, TNAS_FEATURES, "
        "TNAS_NUM_CLASSES,\n"
     << "      TNAS_MAX_CLASSES, kClassifierWeight, kClassifierBias);\n"
     << "  gInitialized = status == tnas_rt::StatusOk;\n"
     << "  return status;\n}\n\n"
     << "int32_t tnas_predict_features(const int8_t *features,\n"
     << "                              tnas_prediction_t *prediction) {\n"
     << "  if (!features || !prediction)\n    return TNAS_ERR_NULL_POINTER;\n"
     << "  if (!gInitialized)\n    return TNAS_ERR_NOT_INITIALIZED;\n"
     << "  prediction->num_classes = gTrainer.numClasses;\n"
     << "  return tnas_rt::trainerPredict(&gTrainer, features, "
        "prediction->scores,\n"
     << "                                 &prediction->label);\n}\n\n"
     << "int32_t tnas_predict(const int8_t *input, tnas_prediction_t "
        "*prediction) {\n"
     << "  if (!input || !prediction)\n    return TNAS_ERR_NULL_POINTER;\n"
     << "  if (!gInitialized)\n    return TNAS_ERR_NOT_INITIALIZED;\n"
     << "  return tnas_predict_features(runExtractor(input), prediction);\n"
     << "}\n\n"
     << "int32_t tnas_learn_features(const int8_t *features, int32_t label) "
        "{\n"
     << "  if (!features)\n    return TNAS_ERR_NULL_POINTER;\n"
     << "  if (!gInitialized)\n    return TNAS_ERR_NOT_INITIALIZED;\n"
     << "  if (label < 0 || label >= gTrainer.numClasses)\n"
     << "    return TNAS_ERR_BAD_LABEL;\n"
     << "  return tnas_rt::trainerLearn(&gTrainer, features, label);\n}\n\n"
     << "int32_t tnas_learn(const int8_t *input, int32_t label) {\n"
     << "  if (!input)\n    return TNAS_ERR_NULL_POINTER;\n"
     << "  if (!gInitialized)\n    return TNAS_ERR_NOT_INITIALIZED;\n"
     << "  // Checked before the extractor runs: a bad label costs nothing.\n"
     << "  if (label < 0 || label >= gTrainer.numClasses)\n"
     << "    return TNAS_ERR_BAD_LABEL;\n"
     << "  return tnas_learn_features(runExtractor(input), label);\n}\n\n"
     << "int32_t tnas_reset_classifier(void) {\n"
     << "  if (!gInitialized)\n    return TNAS_ERR_NOT_INITIALIZED;\n"
     << "  return tnas_rt::trainerReset(&gTrainer);\n}\n\n"
     << "int32_t tnas_add_class(int32_t *label) {\n"
     << "  if (!gInitialized)\n    return TNAS_ERR_NOT_INITIALIZED;\n"
     << "  return tnas_rt::trainerAddClass(&gTrainer, label);\n}\n\n"
     << "int32_t tnas_num_classes(void) {\n"
     << "  return gInitialized ? gTrainer.numClasses : 0;\n}\n\n"
     << "int32_t tnas_save_state(tnas_state_t *state) {\n"
     << "  if (!state)\n    return TNAS_ERR_NULL_POINTER;\n"
     << "  if (!gInitialized)\n    return TNAS_ERR_NOT_INITIALIZED;\n"
     << "  size_t written = 0;\n"
     << "  const int32_t status = tnas_rt::trainerSaveState(\n"
     << "      &gTrainer, TNAS_MODEL_ID, state->words, sizeof(state->words), "
        "&written);\n"
     << "  if (status == tnas_rt::StatusOk)\n"
     << "    state->bytes = (uint32_t)written;\n"
     << "  return status;\n}\n\n"
     << "int32_t tnas_restore_state(const tnas_state_t *state) {\n"
     << "  if (!state)\n    return TNAS_ERR_NULL_POINTER;\n"
     << "  if (!gInitialized)\n    return TNAS_ERR_NOT_INITIALIZED;\n"
     << "  if (state->bytes > sizeof(state->words))\n"
     << "    return TNAS_ERR_FOREIGN_STATE;\n"
     << "  return tnas_rt::trainerLoadState(&gTrainer, TNAS_MODEL_ID, "
        "state->words,\n"
     << "                                   state->bytes);\n}\n\n"
     << "int32_t tnas_extract_features(const int8_t *input, int8_t "
        "*features) {\n"
     << "  if (!input || !features)\n    return TNAS_ERR_NULL_POINTER;\n"
     << "  const int8_t *f = runExtractor(input);\n"
     << "  for (int32_t i = 0; i < TNAS_FEATURES; ++i)\n"
     << "    features[i] = f[i];\n"
     << "  return TNAS_OK;\n}\n\n"
     << "void tnas_quantize_input(const float *input, int8_t *quantized) {\n"
     << "  for (int32_t i = 0; i < TNAS_INPUT_ELEMENTS; ++i)\n"
     << "    quantized[i] = tnas_rt::quantizeValue(input[i], "
        "TNAS_INPUT_SCALE,\n"
     << "                                          TNAS_INPUT_ZERO_POINT);\n"
     << "}\n\n} // extern \"C\"\n";
  return text;
}

std::vector<std::string> runtimeFilesFor(const DeviceModel &m,
                                         const EmitOptions &options) {
  std::set<KernelKind> kinds;
  for (const DeviceLayer &l : m.layers)
    kinds.insert(l.kind);
  const bool dsp = targetHasDsp(options.target);
  std::vector<std::string> headers = {"quant_math.h", "kernel_types.h",
                                      "trainer.h"};
  std::vector<std::string> sources = {"trainer.cpp", "trainer_state.cpp",
                                      "knn.cpp"};
  bool usesDsp = false;
  for (KernelKind k : kinds) {
    const std::string stem = kernelFileStem(k).str();
    headers.push_back(stem + ".h");
    sources.push_back(stem + ".cpp");
    if (dsp && (k == KernelKind::Conv || k == KernelKind::Pointwise)) {
      sources.push_back(stem + "_dsp.cpp");
      usesDsp = true;
    }
  }
  if (usesDsp)
    headers.push_back("dsp_matmul.h");
  headers.insert(headers.end(), sources.begin(), sources.end());
  return headers;
}

std::string writeBuildFile(const DeviceModel &m,
                           const std::vector<std::string> &runtimeFiles) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "# Generated by tnasc: builds the " << m.name
     << " library with the toolchain of the including project.\n"
     << "cmake_minimum_required(VERSION 3.13)\n"
     << "project(" << m.name << " CXX)\n"
     << "add_library(" << m.name << " STATIC\n  " << m.name << ".cpp";
  for (const std::string &f : runtimeFiles)
    if (llvm::StringRef(f).ends_with(".cpp"))
      os << "\n  tnas_rt/" << f;
  os << ")\n"
     << "target_include_directories(" << m.name
     << " PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})\n"
     << "target_compile_features(" << m.name << " PUBLIC cxx_std_17)\n";
  return text;
}

} // namespace tnas

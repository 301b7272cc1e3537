//===- Spec.h - the checked, resolved .tnas specification -------*- C++ -*-===//
//
// Plain structs that the front end fills after parsing, resolving imports and
// checking a .tnas file. Every quantity is in base units: bytes, operations
// (MACs), seconds and Hz. Later stages (search, compression, emission,
// simulation) read only this; they never see the parse tree.
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_FRONTEND_SPEC_H
#define TNAS_FRONTEND_SPEC_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tnas {

/// A position in a .tnas file; line and column are 1-based.
struct SourceLoc {
  std::string file;
  unsigned line = 0;
  unsigned col = 0;
  bool isValid() const { return line != 0; }
};

//===----------------------------------------------------------------------===//
// dataset
//===----------------------------------------------------------------------===//

enum class DatasetFormat { Idx, Csv, Synthetic };
enum class Normalization { None, Scale, Standard };

struct SyntheticParams {
  int64_t trainSamples = 2000;
  int64_t testSamples = 500;
  int64_t seed = 1;
  double noise = 0.1;
};

struct DatasetSpec {
  std::string name;
  DatasetFormat format = DatasetFormat::Idx;
  /// idx: {images, labels}; csv: {file} (label in the first column).
  std::vector<std::string> trainPaths;
  std::vector<std::string> testPaths;
  int64_t height = 0, width = 0, channels = 0;
  int64_t classes = 0;
  double validationFraction = 0.0; ///< in [0, 1)
  Normalization normalization = Normalization::Scale;
  double scale = 255.0;         ///< Scale: x / scale
  double mean = 0.0, std = 1.0; ///< Standard: (x / 255 - mean) / std
  SyntheticParams synthetic;    ///< when format == Synthetic
  SourceLoc loc;
};

//===----------------------------------------------------------------------===//
// target
//===----------------------------------------------------------------------===//

enum class Core { CortexM0Plus, CortexM4, CortexM7, CortexM33 };

struct TargetSpec {
  std::string name;
  std::string profile; ///< the stdlib/user `device` it inherits from, or ""
  Core core = Core::CortexM4;
  int64_t clockHz = 0;
  bool fpu = false;
  bool dsp = false;
  int64_t deviceRamBytes = 0; ///< what the board has
  int64_t deviceFlashBytes = 0;
  int64_t ramBytes = 0; ///< the bound the model must fit (<= device)
  int64_t flashBytes = 0;
  std::optional<int64_t> macs; ///< bound on multiply-accumulates per inference
  std::optional<double> latencySeconds;
  SourceLoc loc;
};

//===----------------------------------------------------------------------===//
// space
//===----------------------------------------------------------------------===//

/// A channel count in a layer template: a literal, a variable, or the growth
/// rule applied to a variable at the current cell index, `grow(k, i)`.
struct ChannelExpr {
  enum Kind { None, Literal, Variable, Grow } kind = None;
  int64_t value = 0;    ///< Literal
  std::string variable; ///< Variable, Grow
};

enum class TemplateKind {
  Conv,
  DepthwiseConv,
  PointwiseConv,
  MaxPool,
  AvgPool,
  BatchNorm,
  Relu,
  Relu6,
  GlobalAvgPool,
  Flatten,
  Dropout,
  Dense
};

struct LayerTemplate {
  TemplateKind kind;
  int64_t kernel = 1;
  int64_t stride = 1; ///< pools default to stride = kernel
  bool samePadding = true;
  ChannelExpr channels; ///< Conv, PointwiseConv, Dense
  double rate = 0.0;    ///< Dropout
  SourceLoc loc;
};

struct SpaceVariable {
  std::string name;
  std::vector<int64_t> domain; ///< ordered, ascending, no duplicates
};

enum class GrowthRule {
  None,     ///< grow(k, i) = k
  NanoNas,  ///< grow(k, i) = k + ceil(i * k / 2)
  Multiply, ///< grow(k, i) = round(k * factor^i)
};

struct SpaceSpec {
  std::string name;
  std::string base; ///< the space it was derived from, or ""
  std::vector<LayerTemplate> stem, cell, head;
  std::string repeatVariable; ///< the cell is repeated this many times
  int64_t repeatCount = 1;    ///< when repeatVariable is empty
  GrowthRule growth = GrowthRule::NanoNas;
  double growthFactor = 2.0; ///< Multiply
  std::vector<SpaceVariable> variables;
  SourceLoc loc;
};

//===----------------------------------------------------------------------===//
// search
//===----------------------------------------------------------------------===//

enum class SearchStrategy { Grid, Random, Evolution, NanoNas };
enum class Metric { Accuracy, Ram, Flash, Macs, Latency };
enum class Optimizer { Sgd, Adam };

struct Objective {
  bool maximize = true;
  Metric metric = Metric::Accuracy;
};

struct TrainRecipe {
  int64_t epochs = 3;
  int64_t batch = 64;
  Optimizer optimizer = Optimizer::Adam;
  double learningRate = 1e-3;
  double momentum = 0.9;         ///< Sgd
  std::optional<int64_t> subset; ///< train on this many samples only
};

enum class LrScheduleKind { Constant, Step, Cosine };

/// `final ...;` in `search`: how the chosen architecture is trained on the
/// whole training set after the search. Unset values follow the candidates'
/// recipe (epochs: three times theirs).
struct FinalRecipe {
  std::optional<int64_t> epochs;
  std::optional<Optimizer> optimizer;
  std::optional<double> learningRate;
  double momentum = 0.9;
  LrScheduleKind schedule = LrScheduleKind::Constant;
  int64_t stepEvery = 1;  ///< Step
  double stepGamma = 0.5; ///< Step
};

struct SearchSpec {
  SearchStrategy strategy = SearchStrategy::NanoNas;
  int64_t population = 16; ///< Evolution
  int64_t sample = 4;      ///< Evolution
  int64_t cycles = 48;     ///< Evolution
  int64_t samples = 32;    ///< Random
  std::vector<Objective> objectives;
  TrainRecipe train;
  FinalRecipe finalTrain;
  std::optional<double> budgetSeconds;
  std::optional<int64_t> candidateBudget;
  int64_t seed = 0;
  SourceLoc loc;
};

//===----------------------------------------------------------------------===//
// compress
//===----------------------------------------------------------------------===//

enum class PruneMode { None, Ratio, PerLayer, Knee };

struct CompressSpec {
  PruneMode prune = PruneMode::None;
  double pruneRatio = 0.0;            ///< Ratio: fraction of filters removed
  std::vector<double> perLayerRatios; ///< PerLayer: one per conv layer
  bool quantizeInt8 = false;          ///< the feature extractor, full int8
  int64_t calibrationSamples = 0;
  /// `finetune epochs = N, lr = x;`: training after pruning, before int8
  /// (0 epochs: none).
  int64_t finetuneEpochs = 0;
  double finetuneLearningRate = 1e-4;
  SourceLoc loc;
};

//===----------------------------------------------------------------------===//
// incremental
//===----------------------------------------------------------------------===//

enum class Scheme { Tybox, TinyOl, Knn };
enum class BufferPolicy { Fifo, Reservoir, Misclassified, Conflict };
/// Which flashed classes the anchor pulls (tnas_rt::AnchorScope): every one
/// at every step, or a sample's own class where the flash agrees with it.
enum class AnchorScope { All, Agreed };
enum class KnnAdaptation { Passive, Active, Hybrid };
enum class ChangeDetector { None, Cusum, PageHinkley, Adwin };

struct IncrementalSpec {
  /// The fp32 classifier after the split; the last dense has `classes` units.
  std::vector<LayerTemplate> classifier;
  /// The split goes after this cell (1-based); 0 means after the head.
  int64_t splitAfterCell = 0;
  SourceLoc splitLoc;
  Scheme scheme = Scheme::Tybox;
  bool bufferFit = true;     ///< Tybox: as many samples as RAM leaves
  int64_t bufferSamples = 0; ///< Tybox when !bufferFit
  BufferPolicy policy = BufferPolicy::Fifo;
  int64_t knnK = 5;
  KnnAdaptation adaptation = KnnAdaptation::Passive;
  ChangeDetector detector = ChangeDetector::None;
  double updateLearningRate = 0.01; ///< on-device SGD
  int64_t updateEpochs = 1;         ///< passes over the buffer per update
  /// L2 pull toward the flashed classifier (sgd(anchor = ...)); 0: none.
  double updateAnchor = 0.0;
  AnchorScope updateAnchorScope = AnchorScope::All; ///< sgd(anchor_scope = ...)
  SourceLoc loc;
};

//===----------------------------------------------------------------------===//
// scenarios (on-device learning experiments, see `tnasc simulate`)
//===----------------------------------------------------------------------===//

enum class ScenarioKind { Drift, Incremental, Transfer };
enum class DriftEvent { None, SwapLabels, Invert, Rotate };

struct ScenarioSpec {
  std::string name;
  ScenarioKind kind = ScenarioKind::Drift;
  std::vector<int64_t> pretrainClasses; ///< classes seen before deployment
  std::vector<int64_t> deviceClasses;   ///< classes streamed on the device
  int64_t streamSamples = 0;            ///< labelled samples on the device
  int64_t eventAt = 0;                  ///< Drift: sample index of the event
  DriftEvent event = DriftEvent::None;
  int64_t swapA = 0, swapB = 0; ///< SwapLabels
  int64_t rotateDegrees = 0;    ///< Rotate
  int64_t window = 100;         ///< accuracy window, in samples
  int64_t repetitions = 1;      ///< seeds
  SourceLoc loc;
};

//===----------------------------------------------------------------------===//

struct Spec {
  std::string file; ///< the main .tnas file
  /// A library file (only `device` and `space` sections, like the stdlib):
  /// then only `devices` and `spaces` are filled.
  bool library = false;
  std::vector<TargetSpec> devices;  ///< library: every device, as a target
  std::vector<SpaceSpec> spaces;    ///< library: every space
  std::vector<std::string> imports; ///< every file read, in load order
  DatasetSpec dataset;
  TargetSpec target;
  SpaceSpec space;
  SearchSpec search;
  CompressSpec compress;
  IncrementalSpec incremental;
  std::vector<ScenarioSpec> scenarios;
};

const char *toString(DatasetFormat f);
const char *toString(Normalization n);
const char *toString(Core c);
const char *toString(TemplateKind k);
const char *toString(GrowthRule g);
const char *toString(SearchStrategy s);
const char *toString(Metric m);
const char *toString(Optimizer o);
const char *toString(LrScheduleKind k);
const char *toString(PruneMode p);
const char *toString(Scheme s);
const char *toString(BufferPolicy p);
const char *toString(AnchorScope s);
const char *toString(KnnAdaptation a);
const char *toString(ChangeDetector d);
const char *toString(ScenarioKind k);
const char *toString(DriftEvent e);

} // namespace tnas

#endif // TNAS_FRONTEND_SPEC_H

//===- SpecJson.cpp - the resolved spec as JSON (tnasc --emit=ast) --------===//
//
// Quantities are in base units and keys say which: `_bytes`, `_hz`,
// `_seconds`, `macs`. llvm::json prints object keys sorted, so the output is
// stable for FileCheck.
//
//===----------------------------------------------------------------------===//

#include "tnas/Frontend/Frontend.h"

using namespace tnas;
using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

const char *tnas::toString(DatasetFormat f) {
  switch (f) {
  case DatasetFormat::Idx:
    return "idx";
  case DatasetFormat::Csv:
    return "csv";
  case DatasetFormat::Synthetic:
    return "synthetic";
  }
  return "";
}
const char *tnas::toString(Normalization n) {
  switch (n) {
  case Normalization::None:
    return "none";
  case Normalization::Scale:
    return "scale";
  case Normalization::Standard:
    return "standard";
  }
  return "";
}
const char *tnas::toString(Core c) {
  switch (c) {
  case Core::CortexM0Plus:
    return "cortex-m0plus";
  case Core::CortexM4:
    return "cortex-m4";
  case Core::CortexM7:
    return "cortex-m7";
  case Core::CortexM33:
    return "cortex-m33";
  }
  return "";
}
const char *tnas::toString(TemplateKind k) {
  switch (k) {
  case TemplateKind::Conv:
    return "conv";
  case TemplateKind::DepthwiseConv:
    return "dwconv";
  case TemplateKind::PointwiseConv:
    return "pwconv";
  case TemplateKind::MaxPool:
    return "maxpool";
  case TemplateKind::AvgPool:
    return "avgpool";
  case TemplateKind::BatchNorm:
    return "batchnorm";
  case TemplateKind::Relu:
    return "relu";
  case TemplateKind::Relu6:
    return "relu6";
  case TemplateKind::GlobalAvgPool:
    return "global_avgpool";
  case TemplateKind::Flatten:
    return "flatten";
  case TemplateKind::Dropout:
    return "dropout";
  case TemplateKind::Dense:
    return "dense";
  }
  return "";
}
const char *tnas::toString(GrowthRule g) {
  switch (g) {
  case GrowthRule::None:
    return "none";
  case GrowthRule::NanoNas:
    return "nanonas";
  case GrowthRule::Multiply:
    return "multiply";
  }
  return "";
}
const char *tnas::toString(SearchStrategy s) {
  switch (s) {
  case SearchStrategy::Grid:
    return "grid";
  case SearchStrategy::Random:
    return "random";
  case SearchStrategy::Evolution:
    return "evolution";
  case SearchStrategy::NanoNas:
    return "nanonas";
  }
  return "";
}
const char *tnas::toString(Metric m) {
  switch (m) {
  case Metric::Accuracy:
    return "accuracy";
  case Metric::Ram:
    return "ram";
  case Metric::Flash:
    return "flash";
  case Metric::Macs:
    return "macs";
  case Metric::Latency:
    return "latency";
  }
  return "";
}
const char *tnas::toString(LrScheduleKind k) {
  switch (k) {
  case LrScheduleKind::Constant:
    return "constant";
  case LrScheduleKind::Step:
    return "step";
  case LrScheduleKind::Cosine:
    return "cosine";
  }
  return "constant";
}

const char *tnas::toString(Optimizer o) {
  return o == Optimizer::Sgd ? "sgd" : "adam";
}
const char *tnas::toString(PruneMode p) {
  switch (p) {
  case PruneMode::None:
    return "none";
  case PruneMode::Ratio:
    return "ratio";
  case PruneMode::PerLayer:
    return "per_layer";
  case PruneMode::Knee:
    return "knee";
  }
  return "";
}
const char *tnas::toString(Scheme s) {
  switch (s) {
  case Scheme::Tybox:
    return "tybox";
  case Scheme::TinyOl:
    return "tinyol";
  case Scheme::Knn:
    return "knn";
  }
  return "";
}
const char *tnas::toString(BufferPolicy p) {
  switch (p) {
  case BufferPolicy::Fifo:
    return "fifo";
  case BufferPolicy::Reservoir:
    return "reservoir";
  case BufferPolicy::Misclassified:
    return "misclassified";
  case BufferPolicy::Conflict:
    return "conflict";
  }
  return "";
}
const char *tnas::toString(AnchorScope s) {
  return s == AnchorScope::Agreed ? "agreed" : "all";
}
const char *tnas::toString(KnnAdaptation a) {
  switch (a) {
  case KnnAdaptation::Passive:
    return "passive";
  case KnnAdaptation::Active:
    return "active";
  case KnnAdaptation::Hybrid:
    return "hybrid";
  }
  return "";
}
const char *tnas::toString(ChangeDetector d) {
  switch (d) {
  case ChangeDetector::None:
    return "none";
  case ChangeDetector::Cusum:
    return "cusum";
  case ChangeDetector::PageHinkley:
    return "page_hinkley";
  case ChangeDetector::Adwin:
    return "adwin";
  }
  return "";
}
const char *tnas::toString(ScenarioKind k) {
  switch (k) {
  case ScenarioKind::Drift:
    return "drift";
  case ScenarioKind::Incremental:
    return "incremental";
  case ScenarioKind::Transfer:
    return "transfer";
  }
  return "";
}
const char *tnas::toString(DriftEvent e) {
  switch (e) {
  case DriftEvent::None:
    return "none";
  case DriftEvent::SwapLabels:
    return "swap";
  case DriftEvent::Invert:
    return "invert";
  case DriftEvent::Rotate:
    return "rotate";
  }
  return "";
}

static Value ints(const std::vector<int64_t> &v) {
  Array a;
  for (int64_t x : v)
    a.push_back(x);
  return a;
}

static Value strings(const std::vector<std::string> &v) {
  Array a;
  for (const std::string &x : v)
    a.push_back(x);
  return a;
}

static Value layerJson(const LayerTemplate &t) {
  Object o{{"kind", toString(t.kind)}};
  switch (t.kind) {
  case TemplateKind::Conv:
  case TemplateKind::DepthwiseConv:
    o["padding"] = t.samePadding ? "same" : "valid";
    [[fallthrough]];
  case TemplateKind::MaxPool:
  case TemplateKind::AvgPool:
    o["kernel"] = t.kernel;
    o["stride"] = t.stride;
    break;
  case TemplateKind::Dropout:
    o["rate"] = t.rate;
    break;
  default:
    break;
  }
  switch (t.channels.kind) {
  case ChannelExpr::None:
    break;
  case ChannelExpr::Literal:
    o["channels"] = t.channels.value;
    break;
  case ChannelExpr::Variable:
    o["channels"] = t.channels.variable;
    break;
  case ChannelExpr::Grow:
    o["channels"] = "grow(" + t.channels.variable + ", i)";
    break;
  }
  return o;
}

static Value layersJson(const std::vector<LayerTemplate> &ls) {
  Array a;
  for (const LayerTemplate &t : ls)
    a.push_back(layerJson(t));
  return a;
}

template <typename T> static Value optional(const std::optional<T> &v) {
  return v ? Value(*v) : Value(nullptr);
}

static Value targetJson(const TargetSpec &t) {
  return Object{{"name", t.name},
                {"profile", t.profile},
                {"core", toString(t.core)},
                {"clock_hz", t.clockHz},
                {"fpu", t.fpu},
                {"dsp", t.dsp},
                {"device_ram_bytes", t.deviceRamBytes},
                {"device_flash_bytes", t.deviceFlashBytes},
                {"ram_bytes", t.ramBytes},
                {"flash_bytes", t.flashBytes},
                {"macs", optional(t.macs)},
                {"latency_seconds", optional(t.latencySeconds)}};
}

static Value spaceJson(const SpaceSpec &s) {
  Array vars;
  for (const SpaceVariable &v : s.variables)
    vars.push_back(Object{{"name", v.name}, {"domain", ints(v.domain)}});
  return Object{{"name", s.name},
                {"base", s.base},
                {"stem", layersJson(s.stem)},
                {"cell", layersJson(s.cell)},
                {"head", layersJson(s.head)},
                {"repeat", s.repeatVariable.empty() ? Value(s.repeatCount)
                                                    : Value(s.repeatVariable)},
                {"growth", Object{{"rule", toString(s.growth)},
                                  {"factor", s.growthFactor}}},
                {"variables", std::move(vars)}};
}

Value tnas::specToJson(const Spec &spec) {
  if (spec.library) {
    Array devices, spaces;
    for (const TargetSpec &t : spec.devices)
      devices.push_back(targetJson(t));
    for (const SpaceSpec &s : spec.spaces)
      spaces.push_back(spaceJson(s));
    return Object{{"file", spec.file},
                  {"imports", strings(spec.imports)},
                  {"library", true},
                  {"devices", std::move(devices)},
                  {"spaces", std::move(spaces)}};
  }
  const DatasetSpec &d = spec.dataset;
  Object dataset{{"name", d.name},
                 {"format", toString(d.format)},
                 {"train", strings(d.trainPaths)},
                 {"test", strings(d.testPaths)},
                 {"input", ints({d.height, d.width, d.channels})},
                 {"classes", d.classes},
                 {"validation", d.validationFraction},
                 {"normalize", Object{{"kind", toString(d.normalization)},
                                      {"scale", d.scale},
                                      {"mean", d.mean},
                                      {"std", d.std}}}};
  if (d.format == DatasetFormat::Synthetic)
    dataset["synthetic"] = Object{{"train", d.synthetic.trainSamples},
                                  {"test", d.synthetic.testSamples},
                                  {"seed", d.synthetic.seed},
                                  {"noise", d.synthetic.noise}};
  const SearchSpec &se = spec.search;
  Array objectives;
  for (const Objective &o : se.objectives)
    objectives.push_back(Object{{"goal", o.maximize ? "maximize" : "minimize"},
                                {"metric", toString(o.metric)}});
  Object strategy{{"name", toString(se.strategy)}};
  if (se.strategy == SearchStrategy::Evolution) {
    strategy["population"] = se.population;
    strategy["sample"] = se.sample;
    strategy["cycles"] = se.cycles;
  } else if (se.strategy == SearchStrategy::Random) {
    strategy["samples"] = se.samples;
  }
  Object train{{"epochs", se.train.epochs},
               {"batch", se.train.batch},
               {"optimizer", toString(se.train.optimizer)},
               {"lr", se.train.learningRate},
               {"subset", optional(se.train.subset)}};
  if (se.train.optimizer == Optimizer::Sgd)
    train["momentum"] = se.train.momentum;
  const FinalRecipe &fr = se.finalTrain;
  Object final{{"epochs", optional(fr.epochs)},
               {"optimizer", fr.optimizer ? Value(toString(*fr.optimizer))
                                          : Value(nullptr)},
               {"lr", fr.learningRate ? Value(*fr.learningRate)
                                      : Value(nullptr)},
               {"schedule", toString(fr.schedule)}};
  if (fr.schedule == LrScheduleKind::Step) {
    final["every"] = fr.stepEvery;
    final["gamma"] = fr.stepGamma;
  }
  Object search{{"strategy", std::move(strategy)},
                {"objectives", std::move(objectives)},
                {"train", std::move(train)},
                {"final", std::move(final)},
                {"budget_seconds", optional(se.budgetSeconds)},
                {"candidates", optional(se.candidateBudget)},
                {"seed", se.seed}};
  const CompressSpec &c = spec.compress;
  Array perLayer;
  for (double r : c.perLayerRatios)
    perLayer.push_back(r);
  Object compress{{"prune", toString(c.prune)},
                  {"prune_ratio", c.pruneRatio},
                  {"per_layer", std::move(perLayer)},
                  {"quantize", c.quantizeInt8 ? "int8" : "none"},
                  {"calibration_samples", c.calibrationSamples},
                  {"finetune_epochs", c.finetuneEpochs},
                  {"finetune_lr", c.finetuneLearningRate}};
  const IncrementalSpec &in = spec.incremental;
  Object scheme{{"name", toString(in.scheme)}};
  if (in.scheme == Scheme::Tybox) {
    scheme["buffer"] = in.bufferFit ? Value("fit") : Value(in.bufferSamples);
    scheme["policy"] = toString(in.policy);
  } else if (in.scheme == Scheme::Knn) {
    scheme["k"] = in.knnK;
    scheme["adapt"] = toString(in.adaptation);
    scheme["detector"] = toString(in.detector);
  }
  Object incremental{
      {"classifier", layersJson(in.classifier)},
      {"split", in.splitAfterCell == 0
                    ? Value("after head")
                    : Value("after cell " + std::to_string(in.splitAfterCell))},
      {"scheme", std::move(scheme)},
      {"update", Object{{"rule", "sgd"},
                        {"lr", in.updateLearningRate},
                        {"epochs", in.updateEpochs},
                        {"anchor", in.updateAnchor},
                        {"anchor_scope", toString(in.updateAnchorScope)}}}};
  Array scenarios;
  for (const ScenarioSpec &sc : spec.scenarios) {
    Object o{{"name", sc.name},
             {"kind", toString(sc.kind)},
             {"pretrain_classes", ints(sc.pretrainClasses)},
             {"device_classes", ints(sc.deviceClasses)},
             {"stream_samples", sc.streamSamples},
             {"window", sc.window},
             {"repetitions", sc.repetitions}};
    if (sc.event != DriftEvent::None) {
      Object ev{{"kind", toString(sc.event)}, {"at", sc.eventAt}};
      if (sc.event == DriftEvent::SwapLabels)
        ev["classes"] = ints({sc.swapA, sc.swapB});
      if (sc.event == DriftEvent::Rotate)
        ev["degrees"] = sc.rotateDegrees;
      o["event"] = std::move(ev);
    }
    scenarios.push_back(std::move(o));
  }
  return Object{{"file", spec.file},
                {"imports", strings(spec.imports)},
                {"dataset", std::move(dataset)},
                {"target", targetJson(spec.target)},
                {"space", spaceJson(spec.space)},
                {"search", std::move(search)},
                {"compress", std::move(compress)},
                {"incremental", std::move(incremental)},
                {"scenarios", std::move(scenarios)}};
}

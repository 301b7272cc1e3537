//===- Simulate.cpp - tnasc simulate: scenarios, schemes, repetitions -----===//
#include "tnas/Simulate/Simulate.h"
#include "tnas/Driver/Compile.h"
#include "tnas/Pipelines/Pipelines.h"
#include "tnas/Simulate/ClassifierOutputs.h"
#include "tnas/Simulate/Report.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

using namespace tnas;
using namespace tnas::simulate;

static llvm::Error error(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg.str());
}

/// Through a temporary renamed into place (llvm::writeToOutput): an
/// interrupted run leaves no half-written cache entry or report.
static llvm::Error writeTextFile(llvm::StringRef path, llvm::StringRef text) {
  return llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
    os << text;
    return llvm::Error::success();
  });
}

llvm::Expected<std::vector<const ScenarioSpec *>>
tnas::simulate::selectScenarios(const Spec &spec, llvm::StringRef selector) {
  std::vector<const ScenarioSpec *> chosen;
  // A scenario's name wins over a kind: `--scenario=drift` is the scenario
  // named drift when there is one, every drift scenario otherwise.
  for (const ScenarioSpec &s : spec.scenarios)
    if (s.name == selector)
      chosen.push_back(&s);
  if (chosen.empty())
    for (const ScenarioSpec &s : spec.scenarios)
      if (selector == "all" || toString(s.kind) == selector)
        chosen.push_back(&s);
  if (!chosen.empty())
    return chosen;
  std::string names;
  for (const ScenarioSpec &s : spec.scenarios)
    names +=
        (names.empty() ? "" : ", ") + s.name + " (" + toString(s.kind) + ")";
  if (spec.scenarios.empty())
    return error(spec.file + ": the spec has no `scenario` block to simulate; "
                             "add one (see docs/language.md, `scenario NAME`)");
  return error("unknown scenario '" + selector + "' in " + spec.file +
               "; the spec defines " + names +
               " (or use a kind: drift, incremental, transfer, or all)");
}

/// The emitted library's options as `tnasc` emits them for the host (each
/// scheme variant then sets its scheme): a `fit` buffer gets the cost
/// model's size (`figures`' buffer_samples), as in tnasc's library; the
/// classes the scenario adds on the device get slots.
static EmitOptions baseEmitOptions(const Spec &spec, const ScenarioPlan &plan,
                                   const llvm::json::Object &figures) {
  EmitOptions e = driver::emitOptionsFor(spec, TargetCore::Host);
  if (std::optional<int64_t> fit = figures.getInteger("buffer_samples");
      spec.incremental.bufferFit && fit && *fit > 0)
    e.trainer.bufferCapacity = *fit;
  e.trainer.extraClasses = plan.totalClasses - plan.initialClasses;
  return e;
}

namespace {

/// Scenarios that pre-train on the same classes share one final training.
struct PretrainedModel {
  std::string irText;
  llvm::json::Object figures; ///< the report's `final` figures
};

/// "0 .. 4" or "0, 2, 5".
std::string classList(llvm::ArrayRef<int64_t> classes) {
  bool range = !classes.empty() &&
               classes.back() - classes.front() + 1 == int64_t(classes.size());
  if (range && classes.size() > 2)
    return llvm::formatv("{0} .. {1}", classes.front(), classes.back()).str();
  std::string s;
  for (int64_t c : classes)
    s += (s.empty() ? "" : ", ") + std::to_string(c);
  return s;
}

/// The int8 test accuracy on the pre-training classes, for the log.
std::string int8Accuracy(const llvm::json::Object &figures) {
  std::optional<double> acc = figures.getNumber("int8_test_accuracy");
  return acc ? llvm::formatv("{0:P2}", *acc).str() : std::string("unknown");
}

class Simulation {
public:
  Simulation(const Spec &spec, const SimulateOptions &options)
      : spec(spec), options(options), log(*options.log) {
    registerLoweringDialects(registry);
  }

  llvm::Error run();

private:
  bool interrupted() const {
    return options.interrupt && options.interrupt->load();
  }
  llvm::Error interruptedError() const {
    if (results.empty()) {
      // A report already there is an earlier run's: say so, lest it be
      // read as this run's.
      std::string report = options.outDir + "/simulate.json";
      return error("interrupted before a scenario finished; " +
                   (llvm::sys::fs::exists(report)
                        ? "this run wrote nothing, and " + report +
                              " is an earlier run's"
                        : "nothing was written to " + report) +
                   " (the search checkpoint is kept)");
    }
    return error(llvm::formatv("interrupted; {0}/simulate.json holds the {1} "
                               "scenario(s) finished before (the search "
                               "checkpoint and pre-trained models are kept)",
                               options.outDir, results.size())
                     .str());
  }
  /// simulate.json and simulate.html of the scenarios finished so far.
  llvm::Error writeReports(llvm::ArrayRef<std::string> pending);
  llvm::Expected<const PretrainedModel *> pretrain(const ScenarioPlan &plan);
  /// <out>/simulate/pretrained/classes_<c>_<c>...: the module (.mlir) and
  /// its fingerprint and figures (.json), written once a final training is
  /// over, read back by a later run with the same fingerprint.
  std::string cachePath(const ScenarioPlan &plan, llvm::StringRef ext) const;
  std::string cacheFingerprint(const ScenarioPlan &plan) const;
  std::optional<PretrainedModel> readCached(const ScenarioPlan &plan);
  llvm::Error writeCached(const ScenarioPlan &plan,
                          const PretrainedModel &model);
  llvm::Error simulateScenario(const ScenarioSpec &scenario,
                               llvm::ArrayRef<SchemeVariant> schemes,
                               llvm::StringRef compiler);

  const Spec &spec;
  const SimulateOptions &options;
  llvm::raw_ostream &log;
  mlir::DialectRegistry registry;
  std::map<std::vector<int64_t>, PretrainedModel> models;
  std::optional<driver::SpecData> fullData;
  std::vector<ScenarioResult> results;
};

} // namespace

std::string Simulation::cachePath(const ScenarioPlan &plan,
                                  llvm::StringRef ext) const {
  std::string name = "classes";
  for (int64_t c : plan.pretrainClasses)
    name += "_" + std::to_string(c);
  llvm::SmallString<256> path(options.outDir);
  llvm::sys::path::append(path, "simulate", "pretrained", name + ext);
  return std::string(path);
}

std::string Simulation::cacheFingerprint(const ScenarioPlan &plan) const {
  std::string classes;
  for (int64_t c : plan.pretrainClasses)
    classes += std::to_string(c) + ",";
  return driver::modelFingerprint(spec, options.quick, options.threads) +
         "/" + classes + "/" + options.compilerIdentity;
}

std::optional<PretrainedModel>
Simulation::readCached(const ScenarioPlan &plan) {
  auto jsonText = llvm::MemoryBuffer::getFile(cachePath(plan, ".json"));
  auto irText = llvm::MemoryBuffer::getFile(cachePath(plan, ".mlir"));
  if (!jsonText || !irText)
    return std::nullopt;
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*jsonText)->getBuffer());
  if (!json) {
    llvm::consumeError(json.takeError());
    return std::nullopt;
  }
  const llvm::json::Object *o = json->getAsObject();
  if (!o)
    return std::nullopt;
  std::optional<llvm::StringRef> fp = o->getString("fingerprint");
  std::optional<int64_t> irHash = o->getInteger("ir_hash");
  const llvm::json::Object *figures = o->getObject("figures");
  if (!fp || *fp != cacheFingerprint(plan) || !figures || !irHash)
    return std::nullopt;
  // A module cut short (a run killed while writing) is not reused.
  if (int64_t(llvm::xxh3_64bits((*irText)->getBuffer()) >> 1) != *irHash)
    return std::nullopt;
  PretrainedModel model;
  model.irText = (*irText)->getBuffer().str();
  model.figures = *figures;
  return model;
}

llvm::Error Simulation::writeCached(const ScenarioPlan &plan,
                                    const PretrainedModel &model) {
  std::string ir = cachePath(plan, ".mlir");
  if (std::error_code ec =
          llvm::sys::fs::create_directories(llvm::sys::path::parent_path(ir)))
    return error("cannot create '" + llvm::sys::path::parent_path(ir) +
                 "': " + ec.message());
  // The module first: the .json that names its hash makes it valid.
  if (llvm::Error e = writeTextFile(ir, model.irText))
    return e;
  llvm::json::Object meta{
      {"fingerprint", cacheFingerprint(plan)},
      {"pretrain_classes", llvm::json::Array(plan.pretrainClasses)},
      {"ir_hash", int64_t(llvm::xxh3_64bits(model.irText) >> 1)},
      {"figures", llvm::json::Object(model.figures)}};
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(meta))) << "\n";
  return writeTextFile(cachePath(plan, ".json"), text);
}

llvm::Expected<const PretrainedModel *>
Simulation::pretrain(const ScenarioPlan &plan) {
  auto found = models.find(plan.pretrainClasses);
  if (found != models.end())
    return &found->second;
  if (std::optional<PretrainedModel> cached = readCached(plan)) {
    if (!fullData) {
      auto data = driver::loadSpecData(spec);
      if (!data)
        return data.takeError();
      fullData = std::move(*data);
    }
    log << llvm::formatv("simulate: reused the pre-trained model for classes "
                         "{0} from {1} (int8 test accuracy {2})\n",
                         classList(plan.pretrainClasses),
                         cachePath(plan, ".mlir"),
                         int8Accuracy(cached->figures));
    return &(models[plan.pretrainClasses] = std::move(*cached));
  }
  PretrainedModel model;
  driver::CompileOptions compile;
  compile.outDir = options.outDir;
  compile.target = "host";
  compile.resume = true;
  compile.quick = options.quick;
  compile.threads = options.threads;
  compile.interrupt = options.interrupt;
  compile.log = options.log;
  compile.logIsTerminal = options.logIsTerminal;
  compile.selectFinalData = [&](driver::SpecData &data) {
    if (!fullData)
      fullData = data;
    selectPretrainData(plan, data);
  };
  compile.onCompressed = [&](mlir::ModuleOp module,
                             const llvm::json::Object &figures) {
    llvm::raw_string_ostream os(model.irText);
    module->print(os);
    model.figures = figures;
    return llvm::Error::success();
  };
  std::string ignored;
  llvm::raw_string_ostream ignoredOut(ignored);
  if (llvm::Error e = driver::compileSpec(spec, compile, ignoredOut)) {
    if (!interrupted())
      return std::move(e);
    // The compiler's own message names its checkpoint; this run's says
    // which scenarios it kept as well.
    llvm::consumeError(std::move(e));
    return interruptedError();
  }
  if (model.irText.empty())
    return error("the compiler produced no model to simulate");
  // Kept at once: a later or interrupted run does not train it again.
  if (llvm::Error e = writeCached(plan, model))
    return std::move(e);
  log << llvm::formatv("simulate: pre-trained model for classes {0} (int8 "
                       "test accuracy {1}) kept in {2}\n",
                       classList(plan.pretrainClasses),
                       int8Accuracy(model.figures), cachePath(plan, ".mlir"));
  return &(models[plan.pretrainClasses] = std::move(model));
}

llvm::Error Simulation::simulateScenario(const ScenarioSpec &scenario,
                                         llvm::ArrayRef<SchemeVariant> schemes,
                                         llvm::StringRef compiler) {
  ScenarioResult result;
  result.plan = planScenario(spec, scenario);
  const ScenarioPlan &plan = result.plan;
  result.window = std::max<int64_t>(1, scenario.window);
  int64_t repetitions = options.repeat.value_or(scenario.repetitions);
  log << llvm::formatv("simulate: scenario {0} ({1}): {2}; pre-training on "
                       "{3} of {4} classes, {5} samples streamed, {6} "
                       "scheme(s) x {7} repetition(s)\n",
                       scenario.name, toString(scenario.kind),
                       eventDescription(result), plan.initialClasses,
                       spec.dataset.classes, scenario.streamSamples,
                       schemes.size(), repetitions);

  auto model = pretrain(plan);
  if (!model)
    return model.takeError();
  mlir::MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>((*model)->irText, &ctx);
  if (!module)
    return error("cannot read back the compressed model");
  if (llvm::Error e = keepClassifierOutputs(*module, plan.initialClasses))
    return e;

  llvm::SmallString<256> scenarioDir(options.outDir);
  llvm::sys::path::append(scenarioDir, "simulate", scenario.name);
  EmitOptions emit = baseEmitOptions(spec, plan, (*model)->figures);
  std::vector<HostBinary> binaries;
  for (const SchemeVariant &variant : schemes) {
    if (interrupted())
      return interruptedError();
    llvm::SmallString<256> dir(scenarioDir);
    llvm::sys::path::append(dir, variant.name);
    auto binary = buildForHost(*module, emit, variant, dir, compiler);
    if (!binary)
      return binary.takeError();
    log << llvm::formatv("simulate: {0}: built {1} ({2} B RAM, buffer {3})\n",
                         scenario.name, variant.name, binary->memory.ramBytes(),
                         binary->memory.bufferCapacity);
    result.schemes.push_back({variant, binary->memory, {}});
    binaries.push_back(std::move(*binary));
  }
  if (interrupted())
    return interruptedError();
  llvm::SmallString<256> deviceDir(scenarioDir);
  llvm::sys::path::append(deviceDir, "cortex-m4");
  std::vector<std::string> schemeNames;
  for (const SchemeVariant &variant : schemes)
    schemeNames.push_back(variant.name);
  auto cost = measureLearnCost(*module, emit, deviceDir, schemeNames,
                               options.learnCost, log);
  if (!cost)
    return cost.takeError();
  result.learnCost = std::move(*cost);

  int64_t every = std::max<int64_t>(
      1, scenario.streamSamples / std::max<int64_t>(1, options.checkpoints));
  for (int64_t rep = 0; rep < repetitions; ++rep) {
    uint64_t seed =
        uint64_t(options.firstSeed.value_or(spec.search.seed)) + uint64_t(rep);
    result.seeds.push_back(seed);
    auto streams =
        buildStreams(plan, spec, *fullData, seed, options.testSamples);
    if (!streams)
      return streams.takeError();
    llvm::SmallString<256> dataDir(scenarioDir);
    llvm::sys::path::append(dataDir, "data", "seed" + std::to_string(seed));
    if (std::error_code ec = llvm::sys::fs::create_directories(dataDir))
      return error("cannot create '" + dataDir + "': " + ec.message());
    auto file = [&](llvm::StringRef name) {
      llvm::SmallString<256> p(dataDir);
      llvm::sys::path::append(p, name + ".bin");
      return std::string(p);
    };
    if (llvm::Error e = writeSampleSet(streams->stream, file("stream")))
      return e;
    std::vector<std::string> testFiles;
    result.testSets.clear();
    for (const SampleSet &t : streams->tests) {
      testFiles.push_back(file("test_" + t.name));
      result.testSets.push_back(t.name);
      if (llvm::Error e = writeSampleSet(t, testFiles.back()))
        return e;
    }
    for (size_t k = 0; k < schemes.size(); ++k) {
      if (interrupted())
        return interruptedError();
      llvm::SmallString<256> logPath(dataDir);
      llvm::sys::path::append(logPath, schemes[k].name + ".txt");
      auto trace = runHarness(binaries[k], schemes[k].learns, every,
                              plan.eventAt, file("stream"), testFiles, logPath);
      if (!trace) {
        if (interrupted()) {
          llvm::consumeError(trace.takeError());
          return interruptedError();
        }
        return trace.takeError();
      }
      SchemeResult &sr = result.schemes[k];
      sr.runs.push_back(std::move(*trace));
      const RunTrace &run = sr.runs.back();
      int64_t n = int64_t(run.labels.size());
      log << llvm::formatv(
          "simulate: {0} {1,-20} seed {2} ({3}/{4}): last window {5:P1}\n",
          scenario.name, schemes[k].name, seed, rep + 1, repetitions,
          rangeAccuracy(run, n - result.window, n).value_or(0.0));
    }
  }
  results.push_back(std::move(result));
  return llvm::Error::success();
}

llvm::Error Simulation::run() {
  auto scenarios = selectScenarios(spec, options.scenario);
  if (!scenarios)
    return scenarios.takeError();
  auto schemes = parseSchemes(options.schemes);
  if (!schemes)
    return schemes.takeError();
  if (options.repeat && *options.repeat < 1)
    return error("--repeat must be at least 1");
  if (!spec.compress.quantizeInt8)
    return error(spec.file +
                 ": the simulation runs the emitted library, "
                 "which needs an int8 feature extractor; add `compress { "
                 "quantize int8 feature_extractor; }`");
  auto compiler = findHostCompiler();
  if (!compiler)
    return compiler.takeError();
  for (size_t i = 0; i < scenarios->size(); ++i) {
    if (llvm::Error e =
            simulateScenario(*(*scenarios)[i], *schemes, *compiler))
      return e;
    std::vector<std::string> pending;
    for (size_t j = i + 1; j < scenarios->size(); ++j)
      pending.push_back((*scenarios)[j]->name);
    if (llvm::Error e = writeReports(pending))
      return e;
    if (!pending.empty())
      log << llvm::formatv("simulate: wrote {0}/simulate.json, simulate.html "
                           "({1} of {2} scenarios)\n",
                           options.outDir, i + 1, scenarios->size());
  }

  for (const ScenarioResult &r : results)
    for (const SchemeResult &scheme : r.schemes) {
      SchemeSummary s = summarize(r, scheme);
      log << llvm::formatv(
          "simulate: {0,-12} {1,-20} before {2,6} last "
          "window {3,6} recovery {4}\n",
          r.plan.spec->name, scheme.variant.name,
          s.preEvent ? llvm::formatv("{0:P1}", s.preEvent->mean).str()
                     : std::string("-"),
          llvm::formatv("{0:P1}", s.postEvent.mean).str(),
          s.recovered ? llvm::formatv("{0:F0} samples", s.recovery.mean).str()
                      : std::string("none"));
    }
  log << "wrote " << options.outDir << "/simulate.json, simulate.html\n";
  return llvm::Error::success();
}

llvm::Error Simulation::writeReports(llvm::ArrayRef<std::string> pending) {
  if (std::error_code ec = llvm::sys::fs::create_directories(options.outDir))
    return error("cannot create '" + options.outDir + "': " + ec.message());
  auto write = [&](llvm::StringRef name, llvm::StringRef text) -> llvm::Error {
    llvm::SmallString<256> path(options.outDir);
    llvm::sys::path::append(path, name);
    return writeTextFile(path, text);
  };
  std::string json;
  llvm::raw_string_ostream jsonOs(json);
  jsonOs << llvm::formatv("{0:2}", reportJson(spec, results, pending)) << "\n";
  if (llvm::Error e = write("simulate.json", json))
    return e;
  return write("simulate.html", reportHtml(spec, results, pending));
}

llvm::Error tnas::simulate::runSimulation(const Spec &spec,
                                          const SimulateOptions &options) {
  return Simulation(spec, options).run();
}

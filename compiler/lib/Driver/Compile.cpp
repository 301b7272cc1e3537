//===- Compile.cpp - tnasc's main job, stage by stage ---------------------===//
#include "tnas/Driver/Compile.h"
#include "tnas/Dialect/Tnas/IR/TnasDialect.h"
#include "tnas/Driver/CandidateTraining.h"
#include "tnas/Driver/ChosenTables.h"
#include "tnas/Driver/Compress.h"
#include "tnas/Driver/DeviceCheck.h"
#include "tnas/Frontend/Frontend.h"
#include "tnas/Pipelines/Pipelines.h"
#include "tnas/Search/Report.h"
#include "tnas/Target/Cpp/EmitCpp.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

using namespace tnas;
using namespace tnas::driver;

namespace {

llvm::Error error(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg.str());
}

/// Test images whose int8 features the device must reproduce exactly.
constexpr int64_t kDeviceCheckSamples = 200;

/// The spec with the --quick budget: few candidates, a small subset, one
/// epoch, so that the whole pipeline runs in a few minutes.
Spec quickSpec(Spec spec) {
  SearchSpec &s = spec.search;
  s.candidateBudget = std::min<int64_t>(s.candidateBudget.value_or(4), 4);
  s.budgetSeconds = std::min(s.budgetSeconds.value_or(120.0), 120.0);
  s.train.epochs = 1;
  s.train.subset = std::min<int64_t>(s.train.subset.value_or(3000), 3000);
  return spec;
}

/// The spec's parts that decide what the host trains, as JSON: without the
/// scenarios and without the incremental settings that only the emitted
/// trainer reads (the cost model prices the classifier, the split, the scheme
/// and the buffer; not the update rule, the replacement policy or kNN's
/// settings), so that changing those reuses a search and a trained model.
llvm::json::Object hostTrainingKey(const Spec &spec, bool quick,
                                   unsigned threads) {
  llvm::json::Value json = specToJson(spec);
  llvm::json::Object *o = json.getAsObject();
  llvm::json::Object key;
  for (llvm::StringRef part :
       {"dataset", "target", "space", "search", "compress", "incremental"})
    if (const llvm::json::Value *v = o ? o->get(part) : nullptr)
      key[part] = *v;
  if (llvm::json::Object *inc = key.getObject("incremental")) {
    inc->erase("update");
    if (llvm::json::Object *scheme = inc->getObject("scheme"))
      for (llvm::StringRef field : {"policy", "k", "adapt", "detector"})
        scheme->erase(field);
  }
  key["quick"] = quick;
  // Training is deterministic per seed and thread count only.
  key["threads"] = int64_t(threads);
  return key;
}

std::string hashKey(llvm::json::Object key) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::json::Value(std::move(key));
  return llvm::formatv("{0:x16}", llvm::xxh3_64bits(text)).str();
}

} // namespace

std::string tnas::driver::searchFingerprint(const Spec &spec, bool quick,
                                            unsigned threads) {
  llvm::json::Object key = hostTrainingKey(spec, quick, threads);
  // The compression comes after the search.
  key.erase("compress");
  // Budgets decide when to stop, not what a candidate scores: a search may
  // be resumed with a larger one.
  if (llvm::json::Object *search = key.getObject("search")) {
    search->erase("budget_seconds");
    search->erase("candidates");
    // Nor does the final training of the pick.
    search->erase("final");
  }
  return hashKey(std::move(key));
}

std::string tnas::driver::modelFingerprint(const Spec &spec, bool quick,
                                           unsigned threads) {
  // Budgets stay: they decide which candidate is picked.
  return hashKey(hostTrainingKey(spec, quick, threads));
}

EmitOptions tnas::driver::emitOptionsFor(const Spec &spec, TargetCore core) {
  EmitOptions e;
  e.name = llvm::sys::path::stem(spec.file).str();
  for (char &c : e.name)
    if (!isalnum(static_cast<unsigned char>(c)))
      c = '_';
  e.target = core;
  e.ramBytes = spec.target.ramBytes;
  const IncrementalSpec &inc = spec.incremental;
  TrainerOptions &t = e.trainer;
  t.scheme = toString(inc.scheme);
  t.policy = toString(inc.policy);
  t.adaptation = toString(inc.adaptation);
  t.learningRate = inc.updateLearningRate;
  t.epochs = inc.updateEpochs;
  t.anchor = inc.updateAnchor;
  t.anchorScope = toString(inc.updateAnchorScope);
  t.bufferCapacity = inc.bufferFit ? -1 : inc.bufferSamples;
  t.knnK = inc.knnK;
  t.seed = uint32_t(spec.search.seed);
  return e;
}

namespace {

search::StrategyOptions strategyFor(const Spec &spec) {
  search::StrategyOptions o;
  o.seed = uint64_t(spec.search.seed);
  switch (spec.search.strategy) {
  case SearchStrategy::Grid: o.kind = "grid"; break;
  case SearchStrategy::Random:
    o.kind = "random";
    o.samples = spec.search.samples;
    break;
  case SearchStrategy::Evolution:
    o.kind = "evolution";
    o.population = spec.search.population;
    o.sampleSize = spec.search.sample;
    o.cycles = spec.search.cycles;
    break;
  case SearchStrategy::NanoNas:
    o.kind = "nanonas";
    // NanoNAS walks the width of the stem and the number of cells.
    o.widthVar = spec.space.variables.empty() ? "" : spec.space.variables[0].name;
    o.depthVar = spec.space.repeatVariable;
    for (const SpaceVariable &v : spec.space.variables)
      if (v.name != o.depthVar) {
        o.widthVar = v.name;
        break;
      }
    break;
  }
  return o;
}

std::vector<search::ObjectiveTerm> objectiveOf(const Spec &spec) {
  std::vector<search::ObjectiveTerm> terms;
  for (const Objective &o : spec.search.objectives)
    terms.push_back({toString(o.metric), o.maximize});
  if (terms.empty())
    terms.push_back({"accuracy", true});
  return terms;
}

} // namespace

llvm::Error tnas::driver::compileSpec(const Spec &userSpec,
                                      const CompileOptions &options,
                                      llvm::raw_ostream &out) {
  llvm::raw_ostream &log = *options.log;
  Spec spec = options.quick ? quickSpec(userSpec) : userSpec;
  std::optional<TargetCore> core = parseTargetCore(options.target);
  if (!core)
    return error("unknown target '" + options.target +
                 "' (cortex-m4, cortex-m7, cortex-m0plus, host)");

  // The emitted library runs an int8 feature extractor; say so before any
  // training rather than after it.
  if (options.stop == Stop::Cpp && !spec.compress.quantizeInt8)
    return error(spec.file + ": the C++ library needs an int8 feature "
                 "extractor; add `compress { quantize int8 "
                 "feature_extractor; }` or stop earlier with --emit=mlir-tnas");

  // Datasets.
  llvm::Expected<SpecData> data = loadSpecData(spec);
  if (!data)
    return data.takeError();
  log << llvm::formatv("data: {0} train, {1} validation, {2} test samples "
                       "({3}, {4} classes)\n",
                       data->train.size(), data->validation.size(),
                       data->test.size(), data->train.shape.str(),
                       spec.dataset.classes);

  // Search.
  auto kernels = cost::KernelSizeTable::load(cost::KernelSizeTable::defaultPath());
  if (!kernels)
    return kernels.takeError();
  std::vector<search::SpaceVariable> space = searchSpace(spec);
  // Compiled training steps, by network and configuration: the final
  // training of the pick and a resumed search reuse them.
  llvm::SmallString<256> jitCache(options.outDir);
  llvm::sys::path::append(jitCache, "jit-cache");
  SpecEvaluator evaluator(
      spec, space, *kernels,
      makeCandidateTrainer(spec, *data, options.threads, options.interrupt,
                           /*progress=*/nullptr,
                           options.writesOutput ? std::string(jitCache) : ""));
  if (llvm::Error e = evaluator.checkSomeCandidateFits())
    return e;
  auto strategy = search::createStrategy(space, strategyFor(spec));
  if (!strategy)
    return strategy.takeError();
  if (options.writesOutput)
    if (std::error_code ec = llvm::sys::fs::create_directories(options.outDir))
      return error("cannot create '" + options.outDir + "': " + ec.message());
  llvm::SmallString<256> checkpoint(options.outDir);
  llvm::sys::path::append(checkpoint, "checkpoint.jsonl");

  search::RunnerOptions run;
  run.timeBudgetSeconds = spec.search.budgetSeconds.value_or(0);
  run.candidateBudget = spec.search.candidateBudget.value_or(0);
  run.spacePoints = search::spaceSize(space);
  run.checkpointPath = std::string(checkpoint);
  run.resume = options.resume;
  run.fingerprint = searchFingerprint(spec, options.quick, options.threads);
  run.objective = objectiveOf(spec);
  run.progress = &log;
  run.progressIsTerminal = options.logIsTerminal;
  run.interrupt = options.interrupt;
  log << llvm::formatv("search: {0} over {1} points, seed {2}\n",
                       (*strategy)->name(), search::spaceSize(space),
                       spec.search.seed);
  auto result = options.runSearch
                    ? options.runSearch(space, **strategy, evaluator, run)
                    : search::runSearch(space, **strategy, evaluator, run);
  if (!result)
    return result.takeError();
  if (!options.writesOutput)
    return llvm::Error::success(); // a worker rank: rank 0 does the rest

  search::ReportInput report;
  report.specPath = spec.file;
  report.strategy = (*strategy)->name().str();
  report.result = &*result;
  report.bounds = boundsOf(spec.target);
  for (const auto &[name, limit] : report.bounds)
    if (name == "ram" || name == "flash")
      report.paretoResources.push_back(name);
  report.pareto = search::paretoFront(result->records, report.paretoResources);
  report.chosen = search::pickBest(result->records, run.objective);
  auto writeReport = [&]() { return search::writeReport(report, options.outDir); };

  if (result->stop == search::StopReason::Interrupted) {
    if (llvm::Error e = writeReport())
      return e;
    return error(llvm::formatv(
        "interrupted after {0} finished candidates; they are in {1}: run "
        "again with --resume to continue",
        result->records.size(), checkpoint));
  }
  if (!report.chosen) {
    if (llvm::Error e = writeReport())
      return e;
    return error("no candidate trained successfully; see " + options.outDir +
                 "/report.html");
  }
  const search::CandidateRecord &chosen = result->records[*report.chosen];
  log << llvm::formatv("search: chose {0} ({1}), validation accuracy {2:P2}\n",
                       chosen.choiceKey, chosen.architecture, chosen.accuracy);
  PricedCandidate priced = evaluator.price(chosen.choice);
  report.chosenTables = chosenTables(*priced.cost);
  // The search's report stands on its own; the final figures are added to
  // it at the end.
  if (llvm::Error e = writeReport())
    return e;
  if (options.stop == Stop::Search)
    return llvm::Error::success();

  if (options.selectFinalData)
    options.selectFinalData(*data);

  // Final training of the pick on the whole training set.
  const Network &net = *priced.network;
  TrainOptions finalOptions =
      finalTrainOptions(spec, options.quick, options.threads);
  finalOptions.step.objectCacheDir = std::string(jitCache);
  finalOptions.progress = &log;
  finalOptions.interrupt = options.interrupt;
  TrainingData train{data->train.images, data->train.labels};
  TrainingData validation{data->validation.images, data->validation.labels};
  auto trained = trainNetwork(net, train, &validation, finalOptions);
  if (!trained)
    return trained.takeError();
  if (trained->failed)
    return error("final training failed: " + trained->failureReason);
  if (trained->interrupted)
    return error("interrupted during the final training; the search results "
                 "are in " + std::string(checkpoint));
  auto weights = toModelWeights(net, trained->weights,
                                float(finalOptions.step.bnEpsilon));
  if (!weights)
    return weights.takeError();

  // Compression on the IR.
  mlir::DialectRegistry registry;
  registerLoweringDialects(registry);
  mlir::MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  llvm::json::Object figures;
  CompressInput compressInput;
  compressInput.spec = &spec;
  compressInput.data = &*data;
  compressInput.network = &net;
  compressInput.weights = &*weights;
  compressInput.training = finalOptions;
  compressInput.quick = options.quick;
  compressInput.threads = options.threads;
  compressInput.log = &log;
  Network compressed;
  compressInput.compressedNetwork = &compressed;
  auto module = compressNetwork(ctx, compressInput, figures);
  if (!module)
    return module.takeError();
  // The cost model's figures for what is emitted (the pick after pruning).
  PricedCandidate emitted = evaluator.priceNetwork(compressed);
  if (emitted.cost) {
    figures["macs"] = emitted.record.macs;
    figures["params"] = emitted.record.params;
    figures["estimated_flash_bytes"] = emitted.record.flashBytes;
    figures["estimated_ram_bytes"] = emitted.record.ramBytes;
    figures["estimated_latency_s"] = emitted.record.latencySeconds;
    figures["buffer_samples"] = emitted.trainerSamples;
  }

  if (options.onCompressed)
    return options.onCompressed(**module, figures);

  switch (options.stop) {
  case Stop::MlirTnas:
    (*module)->print(out);
    return llvm::Error::success();
  case Stop::MlirLinalg:
    if (llvm::Error e = lowerToLinalg(**module))
      return e;
    (*module)->print(out);
    return llvm::Error::success();
  case Stop::MlirLlvm:
    if (llvm::Error e = lowerToLLVM(**module))
      return e;
    (*module)->print(out);
    return llvm::Error::success();
  case Stop::Search: // returned after the search
  case Stop::Cpp:
    break;
  }

  // The MCU library.
  EmitOptions emit = emitOptionsFor(spec, *core);
  // A `fit` buffer gets the cost model's size, the one report.json states
  // and the RAM bound was checked with (the emitter's own fit, for
  // tnas-translate, keeps a cruder stack reserve).
  if (emit.trainer.bufferCapacity < 0 && emitted.cost &&
      emitted.trainerSamples > 0)
    emit.trainer.bufferCapacity = emitted.trainerSamples;
  if (llvm::Error e = emitCppLibrary(**module, emit, options.outDir))
    return e;
  llvm::SmallString<256> checkDir(options.outDir);
  llvm::sys::path::append(checkDir, "check");
  if (llvm::Error e = writeDeviceCheck(**module, data->test, kDeviceCheckSamples,
                                       emit.name, checkDir))
    return e;
  figures["library"] = emit.name;
  figures["target"] = options.target;
  // scripts/device-check.sh compares this with the linked firmware, which
  // holds the pick after pruning.
  figures["cost_estimate"] =
      cost::footprintJson(emitted.cost ? *emitted.cost : *priced.cost);
  report.extra["final"] = std::move(figures);
  if (llvm::Error e = writeReport())
    return e;
  log << llvm::formatv("wrote {0}/{1}.h, {1}.cpp, report.json, report.html\n",
                       options.outDir, emit.name);
  return llvm::Error::success();
}

//===- CheckTraining.cpp - search, compress, incremental, scenario --------===//

#include "Checker.h"

#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace tnas;
using syntax::describe;

static int64_t toInt(double v) { return static_cast<int64_t>(std::llround(v)); }

//===----------------------------------------------------------------------===//
// search
//===----------------------------------------------------------------------===//

static void checkOptimizer(Checker &c, const Node &n, TrainRecipe &out) {
  if (n.kind != Node::Call && n.kind != Node::Name) {
    c.diags.error(n.loc, "expected an optimizer, found " + describe(n),
                  "sgd(lr = 0.01, momentum = 0.9) or adam(lr = 1e-3)");
    return;
  }
  if (n.text != "sgd" && n.text != "adam") {
    c.unknownName(n.loc, "optimizer", n.text, {"sgd", "adam"});
    return;
  }
  out.optimizer = n.text == "sgd" ? Optimizer::Sgd : Optimizer::Adam;
  out.learningRate = n.text == "sgd" ? 0.01 : 1e-3;
  std::vector<std::string> params = {"lr"};
  if (n.text == "sgd")
    params.push_back("momentum");
  auto a = c.args(n, params);
  if (!a)
    return;
  if (a->count("lr"))
    if (auto v = c.real(*a->at("lr"), "the learning rate", 1e-9, 10))
      out.learningRate = *v;
  if (a->count("momentum"))
    if (auto v = c.real(*a->at("momentum"), "the momentum", 0, 1, false))
      out.momentum = *v;
}


/// `constant`, `cosine` or `step(every = 2, gamma = 0.5)`.
static void checkSchedule(Checker &c, const Node &n, FinalRecipe &out) {
  static const std::vector<std::string> names = {"constant", "cosine", "step"};
  if ((n.kind != Node::Name && n.kind != Node::Call) ||
      !llvm::is_contained(names, n.text)) {
    if (n.kind == Node::Name || n.kind == Node::Call)
      c.unknownName(n.loc, "learning-rate schedule", n.text, names);
    else
      c.diags.error(n.loc, "expected a learning-rate schedule, found " +
                               describe(n),
                    "constant, cosine or step(every = 2, gamma = 0.5)");
    return;
  }
  if (n.text == "constant")
    out.schedule = LrScheduleKind::Constant;
  else if (n.text == "cosine")
    out.schedule = LrScheduleKind::Cosine;
  else
    out.schedule = LrScheduleKind::Step;
  std::vector<std::string> params;
  if (n.text == "step")
    params = {"every", "gamma"};
  auto a = c.args(n, params);
  if (!a)
    return;
  if (a->count("every"))
    if (auto e = c.integer(*a->at("every"), "'every'", 1, 1000))
      out.stepEvery = *e;
  if (a->count("gamma"))
    if (auto g = c.real(*a->at("gamma"), "'gamma'", 0, 1, false))
      out.stepGamma = *g;
}

/// `final epochs = 8, optimizer = adam(lr = 1e-3), schedule = cosine;`
static void checkFinalRecipe(Checker &c, const Statement &st,
                             FinalRecipe &out) {
  static const std::vector<std::string> params = {"epochs", "optimizer",
                                                  "schedule"};
  for (const Node &v : st.values) {
    if (v.kind != Node::Named) {
      c.diags.error(v.loc,
                    "expected 'name = value' in 'final', found " + describe(v),
                    "e.g. final epochs = 8, schedule = cosine;");
      continue;
    }
    if (!llvm::is_contained(params, v.text)) {
      c.unknownName(v.loc, "final training parameter", v.text, params);
      continue;
    }
    const Node &x = v.args[0];
    if (v.text == "epochs") {
      if (auto n = c.integer(x, "'epochs'", 1, 1000))
        out.epochs = *n;
    } else if (v.text == "optimizer") {
      TrainRecipe recipe;
      checkOptimizer(c, x, recipe);
      out.optimizer = recipe.optimizer;
      out.learningRate = recipe.learningRate;
      out.momentum = recipe.momentum;
    } else {
      checkSchedule(c, x, out);
    }
  }
}

void Checker::checkSearch(const Section &s, SearchSpec &out) {
  static const std::vector<std::string> keys = {
      "strategy",   "objective", "train", "final", "budget",
      "candidates", "seed",      "space"};
  Settings settings = collect(s, keys);
  out.loc = s.loc;
  if (settings.count("strategy")) {
    if (const Node *v = single(*settings["strategy"])) {
      static const std::vector<std::string> names = {"grid", "random",
                                                     "evolution", "nanonas"};
      if ((v->kind == Node::Name || v->kind == Node::Call) &&
          llvm::is_contained(names, v->text)) {
        std::vector<std::string> params;
        if (v->text == "evolution")
          params = {"population", "sample", "cycles"};
        else if (v->text == "random")
          params = {"samples"};
        if (params.empty() && v->kind == Node::Call && !v->args.empty())
          diags.error(v->args[0].loc, "'" + v->text + "' takes no parameters");
        else if (auto a = args(*v, params)) {
          out.strategy = v->text == "grid"        ? SearchStrategy::Grid
                         : v->text == "random"    ? SearchStrategy::Random
                         : v->text == "evolution" ? SearchStrategy::Evolution
                                                  : SearchStrategy::NanoNas;
          auto get = [&](const char *name, int64_t &field) {
            if (a->count(name))
              if (auto n =
                      integer(*a->at(name), ("'" + std::string(name) + "'"), 1))
                field = *n;
          };
          get("population", out.population);
          get("sample", out.sample);
          get("cycles", out.cycles);
          get("samples", out.samples);
          if (out.strategy == SearchStrategy::Evolution &&
              out.sample > out.population)
            diags.error(v->loc,
                        llvm::formatv("the tournament sample ({0}) is larger "
                                      "than the population ({1})",
                                      out.sample, out.population)
                            .str(),
                        "sample at most 'population' candidates");
        }
      } else if (v->kind == Node::Name || v->kind == Node::Call) {
        unknownName(v->loc, "search strategy", v->text, names);
      } else {
        choice(*v, names, "search strategy");
      }
    }
  }
  if (settings.count("objective")) {
    static const std::vector<std::string> metrics = {"accuracy", "ram", "flash",
                                                     "macs", "latency"};
    for (const Node &v : settings["objective"]->values) {
      std::vector<const Node *> e = elements(v);
      if (e.size() != 2 || e[0]->kind != Node::Name ||
          (e[0]->text != "maximize" && e[0]->text != "minimize")) {
        diags.error(v.loc,
                    "expected 'maximize <metric>' or 'minimize "
                    "<metric>', found " +
                        describe(v),
                    "e.g. objective maximize accuracy, minimize ram;");
        continue;
      }
      auto m = choice(*e[1], metrics, "metric");
      if (!m)
        continue;
      Objective o;
      o.maximize = e[0]->text == "maximize";
      o.metric = *m == "accuracy" ? Metric::Accuracy
                 : *m == "ram"    ? Metric::Ram
                 : *m == "flash"  ? Metric::Flash
                 : *m == "macs"   ? Metric::Macs
                                  : Metric::Latency;
      for (const Objective &prev : out.objectives)
        if (prev.metric == o.metric)
          diags.error(e[1]->loc, "metric '" + *m + "' appears twice");
      out.objectives.push_back(o);
    }
  }
  if (out.objectives.empty())
    out.objectives.push_back({true, Metric::Accuracy});
  if (settings.count("train")) {
    static const std::vector<std::string> params = {"epochs", "batch",
                                                    "optimizer", "subset"};
    for (const Node &v : settings["train"]->values) {
      if (v.kind != Node::Named) {
        diags.error(v.loc,
                    "expected 'name = value' in 'train', found " + describe(v),
                    "e.g. train epochs = 3, batch = 64, optimizer = adam(lr "
                    "= 1e-3);");
        continue;
      }
      if (!llvm::is_contained(params, v.text)) {
        unknownName(v.loc, "training parameter", v.text, params);
        continue;
      }
      const Node &x = v.args[0];
      if (v.text == "epochs") {
        if (auto n = integer(x, "'epochs'", 1, 1000))
          out.train.epochs = *n;
      } else if (v.text == "batch") {
        if (auto n = integer(x, "'batch'", 1, 65536))
          out.train.batch = *n;
      } else if (v.text == "subset") {
        if (auto n = quantity(x, Dimension::Count, "'subset'")) {
          if (*n < 1)
            diags.error(x.loc, "'subset' must be at least 1");
          else
            out.train.subset = toInt(*n);
        }
      } else {
        checkOptimizer(*this, x, out.train);
      }
    }
  }
  if (settings.count("final"))
    checkFinalRecipe(*this, *settings["final"], out.finalTrain);
  if (settings.count("budget"))
    if (const Node *v = single(*settings["budget"]))
      if (auto q = quantity(*v, Dimension::Seconds, "the time budget")) {
        if (*q <= 0)
          diags.error(v->loc, "the time budget must be above 0 s");
        else
          out.budgetSeconds = *q;
      }
  if (settings.count("candidates"))
    if (const Node *v = single(*settings["candidates"]))
      if (auto n = integer(*v, "the candidate budget", 1))
        out.candidateBudget = *n;
  if (settings.count("seed"))
    if (const Node *v = single(*settings["seed"]))
      if (auto n = integer(*v, "the seed", 0))
        out.seed = *n;
}

//===----------------------------------------------------------------------===//
// compress
//===----------------------------------------------------------------------===//

void Checker::checkCompress(const Section &s, CompressSpec &out) {
  static const std::vector<std::string> keys = {"prune", "finetune",
                                                "quantize", "calibrate"};
  Settings settings = collect(s, keys);
  out.loc = s.loc;
  if (settings.count("prune")) {
    if (const Node *v = single(*settings["prune"])) {
      std::vector<const Node *> e = elements(*v);
      const Node *amount = e.back();
      bool criterionOk = e.size() == 1 ? amount->isName("none")
                                       : e.size() == 3 && e[0]->isName("l1") &&
                                             e[1]->isName("filters");
      if (!criterionOk) {
        diags.error(v->loc,
                    "expected 'prune l1 filters <amount>', found " +
                        describe(*v),
                    "structured L1 filter pruning is the one method: e.g. "
                    "prune l1 filters 25%;");
      } else if (amount->isName("none")) {
        out.prune = PruneMode::None;
      } else if (amount->isName("knee")) {
        out.prune = PruneMode::Knee;
      } else if (amount->kind == Node::Call && amount->text == "per_layer") {
        if (amount->args.empty())
          diags.error(amount->loc,
                      "'per_layer' needs one ratio per conv "
                      "layer",
                      "e.g. per_layer(10%, 25%, 50%)");
        out.prune = PruneMode::PerLayer;
        for (const Node &r : amount->args)
          if (auto f = fraction(r, "a pruning ratio", /*allowZero=*/true))
            out.perLayerRatios.push_back(*f);
      } else if (amount->kind == Node::Number) {
        if (auto f = fraction(*amount, "the pruning ratio", false)) {
          out.prune = PruneMode::Ratio;
          out.pruneRatio = *f;
        }
      } else {
        diags.error(amount->loc,
                    "expected a pruning amount, found " + describe(*amount),
                    "a percentage, per_layer(...), or knee");
      }
    }
  }
  if (settings.count("finetune")) {
    static const std::vector<std::string> params = {"epochs", "lr"};
    for (const Node &v : settings["finetune"]->values) {
      if (v.kind != Node::Named) {
        diags.error(v.loc,
                    "expected 'name = value' in 'finetune', found " +
                        describe(v),
                    "e.g. finetune epochs = 2, lr = 1e-4;");
        continue;
      }
      if (!llvm::is_contained(params, v.text)) {
        unknownName(v.loc, "fine-tuning parameter", v.text, params);
        continue;
      }
      if (v.text == "epochs") {
        if (auto n = integer(v.args[0], "'epochs'", 0, 1000))
          out.finetuneEpochs = *n;
      } else if (auto r = real(v.args[0], "the learning rate", 1e-9, 10)) {
        out.finetuneLearningRate = *r;
      }
    }
    if (out.prune == PruneMode::None)
      diags.warning(settings["finetune"]->loc,
                    "'finetune' has nothing to repair without 'prune'");
  }
  if (settings.count("quantize")) {
    if (const Node *v = single(*settings["quantize"])) {
      std::vector<const Node *> e = elements(*v);
      if (e[0]->isName("none") && e.size() == 1) {
        out.quantizeInt8 = false;
      } else if (!e[0]->isName("int8")) {
        diags.error(e[0]->loc, "unsupported quantization " + describe(*e[0]),
                    "full-integer 'int8' (or 'none') is supported");
      } else if (e.size() > 2 ||
                 (e.size() == 2 && !e[1]->isName("feature_extractor"))) {
        diags.error(e.back()->loc, "only the feature extractor is quantized",
                    "the classifier keeps learning in fp32 on the device: "
                    "write 'quantize int8 feature_extractor;'");
      } else {
        out.quantizeInt8 = true;
      }
    }
  }
  if (settings.count("calibrate"))
    if (const Node *v = single(*settings["calibrate"]))
      if (auto n = quantity(*v, Dimension::Count, "the calibration size")) {
        if (*n < 1)
          diags.error(v->loc, "the calibration size must be at least 1 "
                              "sample");
        else
          out.calibrationSamples = toInt(*n);
      }
  if (out.quantizeInt8 && out.calibrationSamples == 0)
    out.calibrationSamples = 500;
  if (!out.quantizeInt8 && settings.count("calibrate"))
    diags.warning(settings["calibrate"]->loc,
                  "calibration samples are unused without 'quantize int8'");
}

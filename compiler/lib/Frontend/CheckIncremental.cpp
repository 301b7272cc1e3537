//===- CheckIncremental.cpp - incremental learning and scenarios ----------===//

#include "Checker.h"

#include "llvm/Support/FormatVariadic.h"
#include <algorithm>

#include <cmath>

using namespace tnas;
using syntax::describe;

static int64_t toInt(double v) { return static_cast<int64_t>(std::llround(v)); }

static void checkScheme(Checker &c, const Node &v, IncrementalSpec &out) {
  static const std::vector<std::string> schemes = {"tybox", "tinyol", "knn"};
  if ((v.kind != Node::Name && v.kind != Node::Call) ||
      !llvm::is_contained(schemes, v.text)) {
    if (v.kind == Node::Name || v.kind == Node::Call)
      c.unknownName(v.loc, "scheme", v.text, schemes);
    else
      c.choice(v, schemes, "scheme");
    return;
  }
  if (v.text == "tinyol") {
    out.scheme = Scheme::TinyOl;
    if (v.kind == Node::Call && !v.args.empty())
      c.diags.error(v.args[0].loc, "'tinyol' takes no parameters",
                    "it updates on the latest sample only");
    return;
  }
  if (v.text == "tybox") {
    out.scheme = Scheme::Tybox;
    auto a = c.args(v, {"buffer", "policy"});
    if (!a)
      return;
    if (a->count("buffer")) {
      const Node &b = *a->at("buffer");
      if (b.isName("fit")) {
        out.bufferFit = true;
      } else if (auto n = c.quantity(b, Dimension::Count, "the buffer size")) {
        if (*n < 1) {
          c.diags.error(b.loc, "the buffer must hold at least 1 sample",
                        "or write buffer = fit");
        } else {
          out.bufferFit = false;
          out.bufferSamples = toInt(*n);
        }
      }
    }
    if (a->count("policy"))
      if (auto p =
              c.choice(*a->at("policy"),
                       {"fifo", "reservoir", "misclassified", "conflict"},
                       "buffer policy"))
        out.policy = *p == "fifo"            ? BufferPolicy::Fifo
                     : *p == "reservoir"     ? BufferPolicy::Reservoir
                     : *p == "misclassified" ? BufferPolicy::Misclassified
                                             : BufferPolicy::Conflict;
    return;
  }
  out.scheme = Scheme::Knn;
  auto a = c.args(v, {"k", "adapt", "detector"});
  if (!a)
    return;
  if (a->count("k"))
    if (auto n = c.integer(*a->at("k"), "'k'", 1, 1000))
      out.knnK = *n;
  if (a->count("adapt"))
    if (auto p = c.choice(*a->at("adapt"), {"passive", "active", "hybrid"},
                          "adaptation"))
      out.adaptation = *p == "passive"  ? KnnAdaptation::Passive
                       : *p == "active" ? KnnAdaptation::Active
                                        : KnnAdaptation::Hybrid;
  if (a->count("detector"))
    if (auto p = c.choice(*a->at("detector"),
                          {"none", "cusum", "page_hinkley", "adwin"},
                          "change detector"))
      out.detector = *p == "none"           ? ChangeDetector::None
                     : *p == "cusum"        ? ChangeDetector::Cusum
                     : *p == "page_hinkley" ? ChangeDetector::PageHinkley
                                            : ChangeDetector::Adwin;
  if (out.adaptation != KnnAdaptation::Passive &&
      out.detector == ChangeDetector::None)
    c.diags.error(v.loc, "an active or hybrid kNN needs a change detector",
                  "add detector = cusum (or page_hinkley, adwin)");
}

void Checker::checkIncremental(const Section &s, const Spec &spec,
                               IncrementalSpec &out) {
  static const std::vector<std::string> keys = {"classifier", "split", "scheme",
                                                "update"};
  Settings settings = collect(s, keys);
  out.loc = s.loc;
  if (settings.count("classifier")) {
    if (const Node *v = single(*settings["classifier"])) {
      std::vector<LayerTemplate> parsed;
      if (layers(*v, nullptr, false, spec.dataset.classes, parsed)) {
        const LayerTemplate *lastDense = nullptr;
        for (const LayerTemplate &t : parsed)
          if (t.kind == TemplateKind::Dense)
            lastDense = &t;
        if (!lastDense)
          diags.error(v->loc, "the classifier needs a final dense layer",
                      "end it with dense(classes)");
        else if (spec.dataset.classes > 0 &&
                 lastDense->channels.value != spec.dataset.classes)
          diags.error(lastDense->loc,
                      llvm::formatv("the last dense layer has {0} units but "
                                    "the dataset has {1} classes",
                                    lastDense->channels.value,
                                    spec.dataset.classes)
                          .str(),
                      "write dense(classes)");
        for (const LayerTemplate &t : parsed)
          if (t.kind != TemplateKind::Dense && t.kind != TemplateKind::Relu &&
              t.kind != TemplateKind::Relu6 && t.kind != TemplateKind::Dropout)
            diags.error(t.loc,
                        llvm::Twine("a '") + toString(t.kind) +
                            "' layer cannot learn on the device",
                        "the classifier is dense, relu, relu6 and dropout "
                        "layers");
        out.classifier = parsed;
      }
    }
  }
  if (settings.count("split")) {
    out.splitLoc = settings["split"]->values.empty()
                       ? settings["split"]->loc
                       : settings["split"]->values[0].loc;
    if (const Node *v = single(*settings["split"])) {
      std::vector<const Node *> e = elements(*v);
      if (e.size() == 2 && e[0]->isName("after") && e[1]->isName("head")) {
        out.splitAfterCell = 0;
      } else if (e.size() == 3 && e[0]->isName("after") &&
                 e[1]->isName("cell")) {
        if (auto n = integer(*e[2], "the cell number", 1, 64))
          out.splitAfterCell = *n;
      } else {
        diags.error(v->loc,
                    "expected 'after head' or 'after cell <n>', found " +
                        describe(*v),
                    "e.g. split after head;");
      }
    }
  }
  if (settings.count("scheme"))
    if (const Node *v = single(*settings["scheme"]))
      checkScheme(*this, *v, out);
  if (settings.count("update")) {
    if (const Node *v = single(*settings["update"])) {
      if ((v->kind != Node::Name && v->kind != Node::Call) ||
          v->text != "sgd") {
        diags.error(v->loc,
                    "expected the update rule sgd(lr = ..., epochs = "
                    "..., anchor = ..., anchor_scope = ...), found " +
                        describe(*v),
                    "the on-device update is plain SGD on the classifier");
      } else if (auto a =
                     args(*v, {"lr", "epochs", "anchor", "anchor_scope"})) {
        if (a->count("lr"))
          if (auto x = real(*a->at("lr"), "the learning rate", 1e-9, 10))
            out.updateLearningRate = *x;
        if (a->count("epochs"))
          if (auto n = integer(*a->at("epochs"), "'epochs'", 1, 100))
            out.updateEpochs = *n;
        if (a->count("anchor"))
          if (auto x = real(*a->at("anchor"), "the anchor", 0, 100))
            out.updateAnchor = *x;
        if (a->count("anchor_scope")) {
          const Node &scope = *a->at("anchor_scope");
          if (auto s = choice(scope, {"all", "agreed"}, "anchor scope"))
            out.updateAnchorScope =
                *s == "agreed" ? AnchorScope::Agreed : AnchorScope::All;
          if (out.updateAnchor == 0.0)
            diags.warning(scope.loc,
                          "'anchor_scope' has no effect without an anchor",
                          "e.g. sgd(lr = 0.003, anchor = 0.1, anchor_scope = "
                          "agreed)");
        }
        // A step moves a pulled weight by lr * strength * (theta - theta0):
        // at 1 it lands on the flashed value whatever the sample says, above
        // it overshoots (and diverges past 2). The scope Agreed multiplies
        // the strength by the classes.
        const double strength =
            out.updateAnchor *
            (out.updateAnchorScope == AnchorScope::Agreed
                 ? double(std::max<int64_t>(spec.dataset.classes, 1))
                 : 1.0);
        if (a->count("anchor") && out.updateLearningRate * strength >= 1.0)
          diags.error(
              a->at("anchor")->loc,
              llvm::formatv("lr x anchor{0} is {1}: each step would move the "
                            "classifier onto or past its flashed value",
                            out.updateAnchorScope == AnchorScope::Agreed
                                ? " x classes (anchor_scope = agreed)"
                                : "",
                            out.updateLearningRate * strength)
                  .str(),
              "keep it below 1; e.g. lr = 0.003 with anchor = 0.1");
      }
    }
  }
}

//===----------------------------------------------------------------------===//
// scenario
//===----------------------------------------------------------------------===//

void Checker::checkScenario(const Section &s, const Spec &spec,
                            ScenarioSpec &out) {
  static const std::vector<std::string> keys = {
      "kind", "pretrain", "device", "stream", "event", "window", "repeat"};
  unsigned errorsBefore = diags.errorCount();
  Settings settings = collect(s, keys);
  out.name = s.name;
  out.loc = s.loc;
  if (s.name.empty())
    diags.error(s.loc, "a scenario needs a name",
                "write `scenario drift { ... }`");
  require(s, settings, "kind", "kind drift;");
  require(s, settings, "stream", "stream 2000 samples;");
  int64_t classes = spec.dataset.classes;
  if (settings.count("kind"))
    if (const Node *v = single(*settings["kind"]))
      if (auto k =
              choice(*v, {"drift", "incremental", "transfer"}, "scenario kind"))
        out.kind = *k == "drift"         ? ScenarioKind::Drift
                   : *k == "incremental" ? ScenarioKind::Incremental
                                         : ScenarioKind::Transfer;
  auto classList = [&](const char *key, std::vector<int64_t> &field) {
    if (!settings.count(key))
      return;
    const Node *v = single(*settings[key]);
    if (!v)
      return;
    std::vector<const Node *> e = elements(*v);
    if (e.size() != 2 || !e[0]->isName("classes")) {
      diags.error(v->loc,
                  llvm::Twine("expected '") + key + " classes <ids>', found " +
                      describe(*v),
                  llvm::Twine("e.g. ") + key + " classes 0 .. 4;");
      return;
    }
    if (auto ids = classSet(*e[1], classes))
      field = *ids;
  };
  classList("pretrain", out.pretrainClasses);
  classList("device", out.deviceClasses);
  for (int64_t c = 0; c < classes; ++c) {
    if (!settings.count("pretrain"))
      out.pretrainClasses.push_back(c);
    if (!settings.count("device"))
      out.deviceClasses.push_back(c);
  }
  if (settings.count("stream"))
    if (const Node *v = single(*settings["stream"]))
      if (auto n = quantity(*v, Dimension::Count, "the stream length")) {
        if (*n < 1)
          diags.error(v->loc, "the stream needs at least 1 sample");
        out.streamSamples = toInt(*n);
      }
  if (settings.count("window"))
    if (const Node *v = single(*settings["window"]))
      if (auto n = quantity(*v, Dimension::Count, "the accuracy window")) {
        if (*n < 1)
          diags.error(v->loc, "the accuracy window needs at least 1 sample");
        out.window = toInt(*n);
      }
  if (settings.count("repeat"))
    if (const Node *v = single(*settings["repeat"]))
      if (auto n = integer(*v, "the number of repetitions", 1, 100))
        out.repetitions = *n;
  if (settings.count("event")) {
    if (const Node *v = single(*settings["event"])) {
      std::vector<const Node *> e = elements(*v);
      if (e.size() != 3 || !e[1]->isName("at")) {
        diags.error(v->loc,
                    "expected '<event> at <sample>', found " + describe(*v),
                    "e.g. event swap(3, 5) at 1000;");
      } else {
        const Node &ev = *e[0];
        if (ev.kind == Node::Call && ev.text == "swap") {
          if (ev.args.size() != 2) {
            diags.error(ev.loc, "swap takes two class ids", "e.g. swap(3, 5)");
          } else {
            auto a = classSet(ev.args[0], classes);
            auto b = classSet(ev.args[1], classes);
            if (a && b && a->size() == 1 && b->size() == 1) {
              out.event = DriftEvent::SwapLabels;
              out.swapA = (*a)[0];
              out.swapB = (*b)[0];
              if (out.swapA == out.swapB)
                diags.error(ev.args[1].loc,
                            "swapping a class with itself "
                            "changes nothing",
                            "swap two different classes, e.g. swap(3, 5)");
            }
          }
        } else if (ev.kind == Node::Call && ev.text == "rotate") {
          if (auto a = args(ev, {"degrees"}); a && a->count("degrees")) {
            if (auto d =
                    integer(*a->at("degrees"), "the rotation", -359, 359)) {
              out.event = DriftEvent::Rotate;
              out.rotateDegrees = *d;
            }
          } else if (a) {
            diags.error(ev.loc, "rotate needs an angle", "e.g. rotate(90)");
          }
        } else if (ev.isName("invert")) {
          out.event = DriftEvent::Invert;
        } else {
          diags.error(ev.loc, "unknown drift event " + describe(ev),
                      "swap(a, b), invert or rotate(degrees)");
        }
        if (auto at = quantity(*e[2], Dimension::Count, "the event position"))
          out.eventAt = toInt(*at);
        if (out.streamSamples > 0 && out.eventAt >= out.streamSamples)
          diags.error(e[2]->loc,
                      llvm::formatv("the event at sample {0} is past the end "
                                    "of the {1}-sample stream",
                                    out.eventAt, out.streamSamples)
                          .str(),
                      "lengthen the stream or move the event earlier");
      }
    }
  }
  if (out.kind == ScenarioKind::Drift && out.event == DriftEvent::None &&
      settings.count("kind") && !settings.count("event"))
    require(s, settings, "event", "event swap(3, 5) at 1000;");
  if (out.kind != ScenarioKind::Drift && settings.count("event"))
    diags.error(settings["event"]->loc, "only a drift scenario has an event");
  if (out.kind == ScenarioKind::Transfer ||
      out.kind == ScenarioKind::Incremental) {
    bool newClass = false;
    for (int64_t c : out.deviceClasses)
      newClass |= !llvm::is_contained(out.pretrainClasses, c);
    if (!newClass && settings.count("kind") &&
        diags.errorCount() == errorsBefore)
      diags.error(s.loc,
                  "scenario '" + s.name +
                      "' streams no class that "
                      "pre-training left out",
                  "e.g. pretrain classes 0 .. 7; device classes 0 .. 9;");
  }
}

//===- SimulateTest.cpp - tnasc simulate's library ------------------------===//
#include "tnas/Pipelines/Pipelines.h"
#include "tnas/Simulate/ClassifierOutputs.h"
#include "tnas/Simulate/HostBuild.h"
#include "tnas/Simulate/Metrics.h"
#include "tnas/Simulate/Scenario.h"
#include "tnas/Simulate/Simulate.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

using namespace tnas;
using namespace tnas::simulate;

namespace {

RunTrace traceOf(llvm::StringRef correct) {
  RunTrace t;
  for (char c : correct) {
    t.labels.push_back(1);
    t.predicted.push_back(c == '1' ? 1 : 0);
  }
  return t;
}

TEST(SimulateMetrics, WindowedAccuracyCoversTheTrailingWindow) {
  RunTrace t = traceOf("1100");
  std::vector<double> w = windowedAccuracy(t, 2);
  ASSERT_EQ(w.size(), 4u);
  EXPECT_DOUBLE_EQ(w[0], 1.0); // one sample so far
  EXPECT_DOUBLE_EQ(w[1], 1.0);
  EXPECT_DOUBLE_EQ(w[2], 0.5);
  EXPECT_DOUBLE_EQ(w[3], 0.0);
  EXPECT_EQ(rangeAccuracy(t, 1, 3), 0.5);
  EXPECT_FALSE(rangeAccuracy(t, 3, 3).has_value());
}

TEST(SimulateMetrics, RecoveryCountsOnlySamplesAfterTheEvent) {
  // 20 right, event, 30 wrong, then right: the trailing window (clipped at
  // the event, at least 20 samples) reaches 90% once 9 of 10 are right.
  std::string s(20, '1');
  s += std::string(30, '0') + std::string(100, '1');
  RunTrace t = traceOf(s);
  std::optional<int64_t> r = recoverySamples(t, 20, 10, 0.9);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, 30 + 9);
  EXPECT_FALSE(recoverySamples(traceOf(std::string(60, '0')), 10, 10, 0.9));
}

TEST(SimulateMetrics, RecoveryMustHoldToTheEndOfTheStream) {
  // 20 right, event, 10 right (a lucky first window), then half right for
  // the rest: the window reached 90% but the model stays below it.
  std::string lucky(20, '1');
  lucky += std::string(10, '1');
  for (int i = 0; i < 100; ++i)
    lucky += i % 2 ? '1' : '0';
  EXPECT_FALSE(recoverySamples(traceOf(lucky), 20, 10, 0.9));
  // The same start, then all right: recovered at the first window, which
  // the rest of the stream holds.
  std::string holds(20, '1');
  holds += std::string(10, '1') + std::string(100, '1');
  EXPECT_EQ(recoverySamples(traceOf(holds), 20, 10, 0.9), 10);
}

TEST(SimulateMetrics, RecoveryNeedsAWindowAfterItToConfirm) {
  // Half right after the event, then a run of right answers at the very
  // end: the last window reaches 90%, but no samples after it confirm.
  std::string late(20, '1');
  for (int i = 0; i < 100; ++i)
    late += i % 2 ? '1' : '0';
  late += std::string(12, '1');
  EXPECT_FALSE(recoverySamples(traceOf(late), 20, 10, 0.9));
  // Ten more right answers confirm it: recovered at the first window with
  // one wrong answer, the last one (sample 98 after the event), so the
  // window that ends 107 samples in.
  late += std::string(10, '1');
  EXPECT_EQ(recoverySamples(traceOf(late), 20, 10, 0.9), 107);
}

TEST(SimulateMetrics, MeanAndSampleStd) {
  MeanStd m = meanStd({0.5, 0.7, 0.9});
  EXPECT_NEAR(m.mean, 0.7, 1e-12);
  EXPECT_NEAR(m.std, 0.2, 1e-12);
  EXPECT_EQ(m.count, 3);
  EXPECT_EQ(meanStd({0.4}).std, 0.0);
}

TEST(SimulateScenarios, ANameWinsOverAKind) {
  Spec spec;
  spec.file = "x.tnas";
  for (auto [name, kind] :
       {std::pair{"drift", ScenarioKind::Drift},
        std::pair{"inverted", ScenarioKind::Drift},
        std::pair{"late", ScenarioKind::Incremental}}) {
    spec.scenarios.emplace_back();
    spec.scenarios.back().name = name;
    spec.scenarios.back().kind = kind;
  }
  auto names = [&](llvm::StringRef selector) {
    std::string out;
    auto chosen = selectScenarios(spec, selector);
    if (!chosen)
      return "error: " + llvm::toString(chosen.takeError());
    for (const ScenarioSpec *s : *chosen)
      out += s->name + " ";
    return out;
  };
  EXPECT_EQ(names("drift"), "drift ");
  EXPECT_EQ(names("inverted"), "inverted ");
  EXPECT_EQ(names("incremental"), "late ");
  EXPECT_EQ(names("all"), "drift inverted late ");
  EXPECT_NE(names("transfer").find("unknown scenario 'transfer'"),
            std::string::npos);
}

TEST(SimulateSchemes, FamiliesExpandAndUnknownNamesAreListed) {
  auto tybox = parseSchemes("static,tybox,static");
  ASSERT_TRUE(bool(tybox));
  ASSERT_EQ(tybox->size(), 5u);
  EXPECT_FALSE((*tybox)[0].learns);
  EXPECT_EQ((*tybox)[3].name, "tybox-misclassified");
  EXPECT_EQ((*tybox)[4].name, "tybox-conflict");
  EXPECT_EQ(parseSchemes("all")->size(), allSchemes().size());
  auto tinyol = parseSchemes("tinyol");
  ASSERT_TRUE(bool(tinyol));
  ASSERT_EQ(tinyol->size(), 1u);
  EXPECT_TRUE((*tinyol)[0].learns);
  auto bad = parseSchemes("knn,sgd");
  ASSERT_FALSE(bool(bad));
  std::string msg = llvm::toString(bad.takeError());
  EXPECT_NE(msg.find("unknown scheme 'sgd'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("knn-hybrid"), std::string::npos) << msg;
}

/// 2x2 images whose pixels all equal 40 * class + index % 2.
data::Dataset imagesOf(int n, int classes) {
  data::Dataset d;
  d.shape = {2, 2, 1};
  d.numClasses = classes;
  for (int i = 0; i < n; ++i) {
    int c = i % classes;
    for (int p = 0; p < 4; ++p)
      d.raw.push_back(uint8_t(40 * c + i % 2));
    d.labels.push_back(c);
  }
  for (uint8_t r : d.raw)
    d.images.push_back(r / 255.0f);
  return d;
}

Spec specOf(int classes) {
  Spec spec;
  spec.dataset.height = 2;
  spec.dataset.width = 2;
  spec.dataset.channels = 1;
  spec.dataset.classes = classes;
  spec.dataset.normalization = Normalization::Scale;
  spec.dataset.scale = 255;
  return spec;
}

int classOfInput(const SampleSet &s, size_t i) {
  float v = s.inputs[i * size_t(s.elements)] * 255.0f;
  return int(v + 0.5f) / 40;
}

TEST(SimulateScenario, SwapChangesLabelsFromTheEventOn) {
  Spec spec = specOf(3);
  ScenarioSpec drift;
  drift.name = "d";
  drift.kind = ScenarioKind::Drift;
  drift.streamSamples = 60;
  drift.event = DriftEvent::SwapLabels;
  drift.swapA = 0;
  drift.swapB = 2;
  drift.eventAt = 30;
  ScenarioPlan plan = planScenario(spec, drift);
  EXPECT_EQ(plan.initialClasses, 3);
  EXPECT_EQ(plan.eventAt, 30);
  driver::SpecData data{imagesOf(30, 3), imagesOf(12, 3), imagesOf(30, 3)};
  auto streams = buildStreams(plan, spec, data, 1, 100);
  ASSERT_TRUE(bool(streams)) << llvm::toString(streams.takeError());
  const SampleSet &s = streams->stream;
  ASSERT_EQ(s.size(), 60u);
  int swapped = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    int c = classOfInput(s, i);
    int expect = i < 30 || c == 1 ? c : 2 - c;
    EXPECT_EQ(s.labels[i], expect) << "sample " << i;
    swapped += i >= 30 && c != 1;
  }
  EXPECT_GT(swapped, 0);
  ASSERT_EQ(streams->tests.size(), 2u);
  EXPECT_EQ(streams->tests[0].name, "before");
  EXPECT_EQ(streams->tests[1].name, "after");
  for (size_t i = 0; i < streams->tests[1].size(); ++i) {
    int c = classOfInput(streams->tests[1], i);
    EXPECT_EQ(streams->tests[1].labels[i], c == 1 ? 1 : 2 - c);
  }
  // Another seed, another order.
  auto other = buildStreams(plan, spec, data, 2, 100);
  ASSERT_TRUE(bool(other));
  EXPECT_NE(other->stream.labels, s.labels);
}

TEST(SimulateScenario, InvertTransformsTheRawPixels) {
  Spec spec = specOf(2);
  ScenarioSpec drift;
  drift.name = "inv";
  drift.kind = ScenarioKind::Drift;
  drift.streamSamples = 10;
  drift.event = DriftEvent::Invert;
  drift.eventAt = 5;
  ScenarioPlan plan = planScenario(spec, drift);
  driver::SpecData data{imagesOf(10, 2), imagesOf(10, 2), imagesOf(10, 2)};
  auto streams = buildStreams(plan, spec, data, 3, 100);
  ASSERT_TRUE(bool(streams));
  for (size_t i = 5; i < 10; ++i) {
    float v = streams->stream.inputs[i * 4] * 255.0f;
    // Raw values are 0, 1, 40 or 41: inverted, 214 or more.
    EXPECT_GE(v, 213.5f) << "sample " << i;
  }
  EXPECT_LE(streams->stream.inputs[0] * 255.0f, 41.5f);
}

TEST(SimulateScenario, IncrementalLabelsPretrainedClassesFirst) {
  Spec spec = specOf(4);
  ScenarioSpec inc;
  inc.name = "inc";
  inc.kind = ScenarioKind::Incremental;
  inc.pretrainClasses = {2, 0};
  inc.streamSamples = 40;
  ScenarioPlan plan = planScenario(spec, inc);
  EXPECT_EQ(plan.initialClasses, 2);
  EXPECT_EQ(plan.totalClasses, 4);
  EXPECT_EQ(plan.deviceLabel, (std::vector<int32_t>{0, 2, 1, 3}));
  driver::SpecData data{imagesOf(40, 4), imagesOf(8, 4), imagesOf(40, 4)};
  driver::SpecData pretrain = data;
  selectPretrainData(plan, pretrain);
  EXPECT_EQ(pretrain.train.size(), 20u);
  for (int32_t l : pretrain.train.labels)
    EXPECT_TRUE(l == 0 || l == 1);
  auto streams = buildStreams(plan, spec, data, 1, 100);
  ASSERT_TRUE(bool(streams));
  EXPECT_EQ(streams->tests[0].name, "pretrained");
  EXPECT_EQ(streams->tests[1].name, "new");
  for (int32_t l : streams->tests[1].labels)
    EXPECT_GE(l, 2);
}

TEST(SimulateClassifier, KeepsTheFirstOutputs) {
  mlir::DialectRegistry registry;
  registerLoweringDialects(registry);
  mlir::MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  const char *ir = R"mlir(
func.func @forward(%x: tensor<1x2xf32>) -> tensor<1x3xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = arith.constant dense<[7.0, 8.0, 9.0]> : tensor<3xf32>
  %y = tnas.dense %x, %w, %b : (tensor<1x2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}
)mlir";
  auto module = mlir::parseSourceString<mlir::ModuleOp>(ir, &ctx);
  ASSERT_TRUE(bool(module));
  ASSERT_FALSE(bool(keepClassifierOutputs(*module, 2)));
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  EXPECT_NE(text.find("dense<[[1.000000e+00, 2.000000e+00], [4.000000e+00, "
                      "5.000000e+00]]> : tensor<2x2xf32>"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("dense<[7.000000e+00, 8.000000e+00]> : tensor<2xf32>"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("-> tensor<1x2xf32>"), std::string::npos) << text;
  EXPECT_TRUE(mlir::succeeded(mlir::verify(*module)));
  llvm::Error tooMany = keepClassifierOutputs(*module, 5);
  ASSERT_TRUE(bool(tooMany));
  EXPECT_NE(llvm::toString(std::move(tooMany)).find("cannot keep 5"),
            std::string::npos);
}

} // namespace

//===- CostModelTest.cpp - MACs, params, Flash, RAM, latency --------------===//
#include "tnas/Search/CostModel.h"

#include "gtest/gtest.h"

using namespace tnas;
using namespace tnas::cost;

namespace {

/// The network of the training benchmark: stem conv3x3(8) + 2 NanoNAS cells
/// (maxpool, batchnorm, conv doubling the width) + global average pool +
/// dense(10). PyTorch counts 6,266 parameters for it.
Network benchmarkNet() {
  Network n;
  n.name = "nano";
  n.input = {28, 28, 1, false};
  n.numClasses = 10;
  n.layers = {Layer::conv(8, 3),
              Layer::of(LayerKind::Relu),
              Layer::maxPool(2, 2),
              Layer::of(LayerKind::BatchNorm),
              Layer::conv(16, 3),
              Layer::of(LayerKind::Relu),
              Layer::maxPool(2, 2),
              Layer::of(LayerKind::BatchNorm),
              Layer::conv(32, 3),
              Layer::of(LayerKind::Relu),
              Layer::of(LayerKind::GlobalAvgPool),
              Layer::of(LayerKind::Split),
              Layer::dense(10)};
  return n;
}

constexpr int64_t kCodeBytes = 1000; // every kernel, in the test table

KernelSizeTable fullTable() {
  KernelSizeTable table;
  for (Core core : {Core::CortexM0Plus, Core::CortexM4, Core::CortexM7})
    for (const char *k : {"conv_s8", "conv_s8_dsp", "depthwise_s8",
                          "pointwise_s8", "pointwise_s8_dsp", "max_pool_s8",
                          "avg_pool_s8", "global_avg_pool_s8", "dense_s8",
                          "requantize_s8", "trainer", "trainer_state", "knn"})
      table.set(core, k, kCodeBytes);
  return table;
}

TEST(CostModel, BenchmarkNetMacsAndParamsAreExact) {
  auto report = estimateCost(benchmarkNet(), Device(), fullTable());
  ASSERT_TRUE(bool(report)) << llvm::toString(report.takeError());
  EXPECT_EQ(report->params, 6266);
  EXPECT_EQ(report->layers[0].macs, 28 * 28 * 8 * 9 * 1);  // 56,448
  EXPECT_EQ(report->layers[4].macs, 14 * 14 * 16 * 9 * 8); // 225,792
  EXPECT_EQ(report->layers[8].macs, 7 * 7 * 32 * 9 * 16);  // 225,792
  EXPECT_EQ(report->layers[12].macs, 32 * 10);
  // The batchnorms after the pools fold into nothing: the device runs each
  // as a 1x1 depthwise conv, one MAC per output (14*14*8 and 7*7*16).
  EXPECT_EQ(report->layers[3].macs, 14 * 14 * 8);
  EXPECT_EQ(report->layers[7].macs, 7 * 7 * 16);
  EXPECT_EQ(report->macs, 508352 + 1568 + 784);
  EXPECT_EQ(report->layers[3].params, 16); // batchnorm: gamma, beta
  EXPECT_EQ(report->featureBytes, 32);
}

TEST(CostModel, StridedDepthwisePointwiseAndDenseLayers) {
  Network n;
  n.input = {28, 28, 1, false};
  n.numClasses = 10;
  n.layers = {Layer::conv(4, 3, 2), Layer::depthwise(3), Layer::pointwise(8),
              Layer::of(LayerKind::Flatten), Layer::dense(10)};
  auto report = estimateCost(n, Device(), fullTable());
  ASSERT_TRUE(bool(report)) << llvm::toString(report.takeError());
  EXPECT_EQ(report->layers[0].macs, 14 * 14 * 4 * 9);
  EXPECT_EQ(report->layers[0].params, 36 + 4);
  EXPECT_EQ(report->layers[1].macs, 14 * 14 * 4 * 9);
  EXPECT_EQ(report->layers[1].params, 36 + 4);
  EXPECT_EQ(report->layers[2].macs, 14 * 14 * 8 * 4);
  EXPECT_EQ(report->layers[2].params, 32 + 8);
  EXPECT_EQ(report->layers[4].macs, 1568 * 10);
  EXPECT_EQ(report->layers[4].params, 15690);
  // No split: everything is int8. Weights 1 byte, biases 4, multiplier and
  // shift 8 per output channel.
  EXPECT_EQ(report->flash.weights, 36 + 36 + 32 + 15680);
  EXPECT_EQ(report->flash.biases, 4 * (4 + 4 + 8 + 10));
  EXPECT_EQ(report->flash.quantParams, 8 * (4 + 4 + 8 + 10));
  EXPECT_EQ(report->flash.classifier, 0);
  EXPECT_EQ(report->layers[4].flashBytes, 15680 + 12 * 10);
}

TEST(CostModel, FlashCountsInt8WeightsClassifierAndKernelCode) {
  auto report = estimateCost(benchmarkNet(), Device(), fullTable());
  ASSERT_TRUE(bool(report)) << llvm::toString(report.takeError());
  const FlashBreakdown &f = report->flash;
  // The two batchnorms sit between a max pool and a padded conv: neither
  // folds (tnas-fold-batchnorm's rule), each runs as a 1x1 depthwise conv of
  // 8 and 16 channels.
  EXPECT_EQ(f.weights, 72 + 1152 + 4608 + 8 + 16);
  EXPECT_EQ(f.biases, 4 * (56 + 24));
  EXPECT_EQ(f.quantParams, kQuantParamBytesPerChannel * (56 + 24));
  EXPECT_EQ(f.classifier, 4 * 330);
  // Kernels used on an M4 with DSP: conv (DSP), depthwise (the batchnorms),
  // maxpool, global average pool, requantize (input / features) and the
  // trainer (three objects: trainerLearn links knn.cpp whatever the scheme).
  // Relu is fused: no kernel, no layer struct.
  EXPECT_EQ(report->kernels,
            (std::vector<std::string>{
                "conv_s8_dsp", "depthwise_s8", "global_avg_pool_s8", "knn",
                "max_pool_s8", "requantize_s8", "trainer", "trainer_state"}));
  EXPECT_EQ(f.code, 8 * kCodeBytes);
  EXPECT_EQ(f.layerConfig, 8 * kFlashPerLayerBytes);
  EXPECT_EQ(f.total(), 5856 + 320 + 640 + 1320 + 8000 + 8 * 96);
}

TEST(CostModel, MissingKernelIsAClearError) {
  KernelSizeTable partial;
  partial.set(Core::CortexM4, "conv_s8_dsp", 10);
  auto report = estimateCost(benchmarkNet(), Device(), partial);
  ASSERT_FALSE(bool(report));
  std::string msg = llvm::toString(report.takeError());
  EXPECT_NE(msg.find("no code size for kernel 'depthwise_s8' on "
                     "cortex-m4"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("scripts/measure_kernel_sizes.sh"), std::string::npos);
}

TEST(CostModel, MemoryPlanOfTheNanoNasCandidate) {
  auto fp = planFeatureExtractor(benchmarkNet(), Device());
  ASSERT_TRUE(bool(fp)) << llvm::toString(fp.takeError());
  // input, 3 conv scratch buffers (DSP im2col: 4 columns of Cin * 3 * 3
  // int16),
  // and one output per feature-extractor layer.
  ASSERT_EQ(fp->requests.size(), 1u + 3u + 11u);
  EXPECT_EQ(fp->requests[1].name, "conv0.scratch");
  EXPECT_EQ(fp->requests[1].size, 4 * 1 * 9 * 2);
  int inPlace = 0;
  for (const BufferPlacement &b : fp->plan.buffers)
    inPlace += b.inPlace;
  EXPECT_EQ(inPlace, 5); // three relus, two batchnorms
  // The largest step: conv0's 28x28x8 output (relu in place) and the
  // pooled 14x14x8 map.
  EXPECT_EQ(fp->plan.arenaSize, 6272 + 1568);
  EXPECT_EQ(peakLiveBytes(fp->requests, fp->plan), 6272 + 1568);
  EXPECT_FALSE(bool(verifyPlan(fp->requests, fp->plan)));
}

TEST(CostModel, RamAddsClassifierTrainerAndStack) {
  CostOptions options;
  options.trainerSamples = 100;
  auto report = estimateCost(benchmarkNet(), Device(), fullTable(), options);
  ASSERT_TRUE(bool(report)) << llvm::toString(report.takeError());
  const RamBreakdown &r = report->ram;
  EXPECT_EQ(r.arena, 7840);
  EXPECT_EQ(r.classifierWeights, 4 * 330);
  // The runtime's per-sample SGD updates in place: no gradient buffer. Its
  // scratch holds the dequantized features and the softmax / delta.
  EXPECT_EQ(r.classifierGradients, 0);
  EXPECT_EQ(r.classifierActivations, 4 * (32 + 10));
  // 100 samples of 32 int8 features + an int32 label, and the trainer.
  EXPECT_EQ(r.trainerBuffer, 100 * (32 + 4) + kTrainerStateBytes);
  EXPECT_EQ(r.stack, kStackAllowanceBytes);
  int64_t fixed =
      7840 + 1320 + 168 + kTrainerStateBytes + kStackAllowanceBytes;
  EXPECT_EQ(r.total(), fixed + 3600);
  // "buffer = fit" under 64 KiB: what is left, per 36-byte sample.
  // 512 bytes of the 64 KiB (1/128) stay free for the estimate's error.
  EXPECT_EQ(fitHeadroomBytes(64 * 1024), 512);
  EXPECT_EQ(fitHeadroomBytes(4096), kFitHeadroomMinBytes);
  EXPECT_EQ(trainerSamplesThatFit(*report, 64 * 1024),
            (65536 - 512 - fixed) / 36);
  EXPECT_EQ(trainerSamplesThatFit(*report, 1024), 0);

  options.storeGradients = true;
  auto withGradients =
      estimateCost(benchmarkNet(), Device(), fullTable(), options);
  ASSERT_TRUE(bool(withGradients));
  EXPECT_EQ(withGradients->ram.classifierGradients, 4 * 330);
}

TEST(CostModel, FrozenHeadLayersLiveInFlash) {
  Network n = benchmarkNet();
  n.layers.back() = Layer::dense(16);
  n.layers.push_back(Layer::of(LayerKind::Relu));
  n.layers.push_back(Layer::dense(10));
  auto report = estimateCost(n, Device(), fullTable());
  ASSERT_TRUE(bool(report)) << llvm::toString(report.takeError());
  EXPECT_EQ(report->params, 6266 - 330 + 528 + 170);
  // Both layers are in Flash; only the trained dense(10) is in RAM.
  EXPECT_EQ(report->flash.classifier, 4 * (528 + 170));
  EXPECT_EQ(report->ram.classifierWeights, 4 * 170);
  // Trainer scratch (16 inputs + 10 classes); the head's two arrays of the
  // widest width (the 32 features) are on the learning path's stack, which
  // is deeper than the extractor's.
  EXPECT_EQ(report->ram.classifierActivations, 4 * (16 + 10));
  auto headless = estimateCost(benchmarkNet(), Device(), fullTable());
  ASSERT_TRUE(bool(headless));
  EXPECT_EQ(headless->ram.stack, kStackAllowanceBytes);
  EXPECT_EQ(report->ram.stack, kStackHeadChainBytes + 8 * 32);
}

TEST(CostModel, LatencyFollowsTheCycleTable) {
  Device m4;
  m4.clockHz = 100'000'000;
  auto report = estimateCost(benchmarkNet(), m4, fullTable());
  ASSERT_TRUE(bool(report));
  CycleCosts conv = cycleCosts(m4, OpClass::Conv);
  EXPECT_DOUBLE_EQ(conv.perMac, kCortexM4DspInstructions[0].perMac *
                                    kCortexM4CyclesPerInstruction);
  EXPECT_DOUBLE_EQ(report->layers[0].cycles,
                   56448 * conv.perMac + 6272 * conv.perOutput + conv.perCall);
  EXPECT_EQ(report->layers[1].cycles, 0.0); // relu fused into the clamp
  EXPECT_DOUBLE_EQ(report->latencyMs, report->cycles / 1e5);

  Device portable = m4;
  portable.hasDsp = false;
  auto slow = estimateCost(benchmarkNet(), portable, fullTable());
  ASSERT_TRUE(bool(slow));
  EXPECT_GT(slow->cycles, report->cycles);
  EXPECT_EQ(slow->memory.requests.size(), 12u); // no im2col scratch

  Device m0;
  m0.core = Core::CortexM0Plus;
  m0.hasFpu = false;
  auto m0Report = estimateCost(benchmarkNet(), m0, fullTable());
  ASSERT_TRUE(bool(m0Report));
  EXPECT_GT(m0Report->cycles, slow->cycles);
  CycleCosts dense = cycleCosts(m0, OpClass::DenseF32);
  EXPECT_DOUBLE_EQ(m0Report->layers[12].cycles, 320 * kSoftFloatCyclesPerMac +
                                                    10 * dense.perOutput +
                                                    dense.perCall);
}

TEST(CostModel, BatchnormWithoutAdjacentConvIsNotFolded) {
  Network n;
  n.input = {8, 8, 4, false};
  n.layers = {Layer::maxPool(2, 2), Layer::of(LayerKind::BatchNorm),
              Layer::of(LayerKind::Relu), Layer::of(LayerKind::GlobalAvgPool)};
  auto report = estimateCost(n, Device(), fullTable());
  ASSERT_TRUE(bool(report)) << llvm::toString(report.takeError());
  EXPECT_FALSE(report->layers[1].fused);
  // A 1x1 depthwise conv: int8 scale, int32 shift, multiplier and shift.
  EXPECT_EQ(report->layers[1].flashBytes, 13 * 4);
  EXPECT_FALSE(report->layers[2].fused); // no kernel clamp to fuse into
  EXPECT_GT(report->layers[2].cycles, 0.0);
}

TEST(CostModel, BadNetworksAndDevicesAreErrors) {
  Network n = benchmarkNet();
  n.input = {2, 2, 1, false}; // pools run out of pixels
  auto report = estimateCost(n, Device(), fullTable());
  ASSERT_FALSE(bool(report));
  llvm::consumeError(report.takeError());
  Device broken;
  broken.clockHz = 0;
  auto r2 = estimateCost(benchmarkNet(), broken, fullTable());
  ASSERT_FALSE(bool(r2));
  EXPECT_NE(llvm::toString(r2.takeError()).find("must be positive"),
            std::string::npos);
}

TEST(KernelSizeTable, ParsesTheMeasuredFormat) {
  auto table = KernelSizeTable::parse(
      R"({"cores": {"cortex-m4": {"conv_s8": {"text": 800, "data": 4,
          "bytes": 804}}}})",
      "t.json");
  ASSERT_TRUE(bool(table)) << llvm::toString(table.takeError());
  auto bytes = table->lookup(Core::CortexM4, "conv_s8");
  ASSERT_TRUE(bool(bytes));
  EXPECT_EQ(*bytes, 804);
  auto missing = table->lookup(Core::CortexM7, "conv_s8");
  ASSERT_FALSE(bool(missing));
  EXPECT_NE(llvm::toString(missing.takeError()).find("t.json: no code size"),
            std::string::npos);
  auto bad = KernelSizeTable::parse(R"({"cores": {"cortex-z9": {}}})", "b");
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("unknown core"),
            std::string::npos);
}

TEST(KernelSizeTable, SharedFunctionsAreCountedOnce) {
  auto table = KernelSizeTable::parse(
      R"({"cores": {"cortex-m4": {
          "conv_s8_dsp": {"bytes": 5000, "shared": {"matMul": 1500, "x": 10}},
          "pointwise_s8_dsp": {"bytes": 2000, "shared": {"matMul": 1500}},
          "max_pool_s8": {"bytes": 250}}}})",
      "t.json");
  ASSERT_TRUE(bool(table)) << llvm::toString(table.takeError());
  auto both = table->linkedBytes(
      Core::CortexM4, {"conv_s8_dsp", "max_pool_s8", "pointwise_s8_dsp"});
  ASSERT_TRUE(bool(both));
  EXPECT_EQ(*both, 5000 + 250 + 2000 - 1500);
  auto one = table->linkedBytes(Core::CortexM4, {"pointwise_s8_dsp"});
  ASSERT_TRUE(bool(one));
  EXPECT_EQ(*one, 2000);
  auto missing = table->linkedBytes(Core::CortexM4, {"conv_s8"});
  EXPECT_FALSE(bool(missing));
  llvm::consumeError(missing.takeError());
  auto bad = KernelSizeTable::parse(
      R"({"cores": {"cortex-m4": {"k": {"bytes": 10, "shared": {"f": 11}}}}})",
      "b.json");
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("k.shared"),
            std::string::npos);
}

TEST(KernelSizeTable, TheRepositoryTableCoversTheRuntimeKernels) {
  auto table = KernelSizeTable::load(KernelSizeTable::defaultPath());
  ASSERT_TRUE(bool(table)) << llvm::toString(table.takeError());
  for (const char *k :
       {"conv_s8", "conv_s8_dsp", "depthwise_s8", "pointwise_s8", "max_pool_s8",
        "global_avg_pool_s8", "dense_s8", "requantize_s8", "trainer",
        "trainer_state"}) {
    auto bytes = table->lookup(Core::CortexM4, k);
    ASSERT_TRUE(bool(bytes)) << llvm::toString(bytes.takeError());
    EXPECT_GT(*bytes, 0) << k;
  }
}

} // namespace

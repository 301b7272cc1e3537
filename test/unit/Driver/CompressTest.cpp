//===- CompressTest.cpp - pruned IR read back, fine-tuning weight layouts -===//
#include "tnas/Builder/ForwardBuilder.h"
#include "tnas/Builder/NetworkFromIR.h"
#include "tnas/Dialect/Tnas/Transforms/Passes.h"
#include "tnas/Driver/CandidateTraining.h"
#include "tnas/JIT/ForwardJIT.h"
#include "tnas/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"

#include "gtest/gtest.h"

#include <random>

using namespace tnas;
using namespace tnas::driver;

namespace {

/// A NanoNAS-shaped network: BN sits between a pool and the next conv.
Network nanoNet() {
  Network n;
  n.name = "nano";
  n.input = {12, 12, 1};
  n.numClasses = 4;
  n.layers = {Layer::conv(8, 3),         Layer::of(LayerKind::Relu),
              Layer::maxPool(2, 2),      Layer::of(LayerKind::BatchNorm),
              Layer::conv(12, 3),        Layer::of(LayerKind::Relu),
              Layer::of(LayerKind::GlobalAvgPool),
              Layer::of(LayerKind::Split), Layer::dense(6),
              Layer::of(LayerKind::Relu), Layer::dense(4)};
  return n;
}

/// Weights with distinct filter norms and non-trivial BN statistics.
Weights someWeights(const Network &net) {
  auto w = initializeWeights(net, 5);
  EXPECT_TRUE(bool(w)) << llvm::toString(w.takeError());
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(0.5f, 1.5f);
  for (LayerWeights &l : w->layers) {
    for (float &g : l.gamma)
      g = u(rng);
    for (float &m : l.mean)
      m = u(rng) - 1.0f;
    for (float &v : l.variance)
      v = u(rng);
  }
  return std::move(*w);
}

class CompressTest : public ::testing::Test {
protected:
  CompressTest() {
    mlir::DialectRegistry registry;
    registerLoweringDialects(registry);
    ctx.appendDialectRegistry(registry);
    ctx.loadAllAvailableDialects();
  }
  mlir::OwningOpRef<mlir::ModuleOp> build(const Network &net,
                                          const Weights &w) {
    auto m = buildForwardModule(ctx, net, w, /*batch=*/1);
    EXPECT_TRUE(bool(m)) << llvm::toString(m.takeError());
    return std::move(*m);
  }
  void run(mlir::ModuleOp module, void (*add)(mlir::OpPassManager &)) {
    mlir::PassManager pm(&ctx);
    add(pm.nest<mlir::func::FuncOp>());
    ASSERT_TRUE(mlir::succeeded(pm.run(module)));
  }
  std::vector<float> forward(mlir::ModuleOp module,
                             const std::vector<float> &x) {
    mlir::OwningOpRef<mlir::ModuleOp> copy = module.clone();
    auto fwd = jit::CompiledForward::compile(*copy);
    EXPECT_TRUE(bool(fwd)) << llvm::toString(fwd.takeError());
    std::vector<float> y(4);
    (*fwd)->run(x.data(), y.data());
    return y;
  }
  mlir::MLIRContext ctx;
};

TEST_F(CompressTest, ReadsBackExactlyWhatWasBuilt) {
  Network net = nanoNet();
  Weights w = someWeights(net);
  auto module = build(net, w);
  auto read = readForwardModule(*module, net);
  ASSERT_TRUE(bool(read)) << llvm::toString(read.takeError());
  EXPECT_EQ(read->network.layers, net.layers);
  for (size_t i = 0; i < net.layers.size(); ++i) {
    EXPECT_EQ(read->weights.layers[i].filter, w.layers[i].filter) << i;
    EXPECT_EQ(read->weights.layers[i].bias, w.layers[i].bias) << i;
    EXPECT_EQ(read->weights.layers[i].gamma, w.layers[i].gamma) << i;
    EXPECT_EQ(read->weights.layers[i].variance, w.layers[i].variance) << i;
  }
}

TEST_F(CompressTest, PrunedNetworkIsReadWithFewerChannelsAndSameFunction) {
  Network net = nanoNet();
  auto module = build(net, someWeights(net));
  run(*module, [](mlir::OpPassManager &pm) {
    mlir::tnas::PruneFiltersPassOptions o;
    o.ratio = 0.5;
    pm.addPass(mlir::tnas::createPruneFiltersPass(o));
  });
  auto read = readForwardModule(*module, net);
  ASSERT_TRUE(bool(read)) << llvm::toString(read.takeError());
  EXPECT_EQ(read->network.layers[0].channels, 4);
  EXPECT_EQ(read->network.layers[4].channels, 6);
  EXPECT_EQ(read->network.layers[8].channels, 6); // dense: not pruned
  EXPECT_EQ(read->weights.layers[3].gamma.size(), 4u);
  EXPECT_EQ(read->weights.layers[8].filterShape,
            (std::vector<int64_t>{6, 6}));

  auto rebuilt = build(read->network, read->weights);
  std::vector<float> x(144);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = float((i * 7) % 13) / 13.0f;
  std::vector<float> a = forward(*module, x), b = forward(*rebuilt, x);
  for (int k = 0; k < 4; ++k)
    EXPECT_FLOAT_EQ(a[k], b[k]) << k;
}

TEST_F(CompressTest, FoldedIrNoLongerMatchesTheNetwork) {
  Network net = nanoNet();
  auto module = build(net, someWeights(net));
  run(*module, [](mlir::OpPassManager &pm) {
    pm.addPass(mlir::tnas::createFoldBatchNormPass());
  });
  auto read = readForwardModule(*module, net);
  ASSERT_FALSE(bool(read));
  EXPECT_NE(llvm::toString(read.takeError()).find("does not match"),
            std::string::npos);
}

TEST(FineTuneWeights, TrainerLayoutRoundTrip) {
  Network net = nanoNet();
  Weights w = someWeights(net);
  for (OptimizerKind opt : {OptimizerKind::Adam, OptimizerKind::SgdMomentum}) {
    auto flat = toTrainedWeights(net, w, opt);
    ASSERT_TRUE(bool(flat)) << llvm::toString(flat.takeError());
    EXPECT_EQ(int64_t(flat->params.size()), flat->layout.numParams);
    auto back = toModelWeights(net, *flat, w.layers[3].epsilon);
    ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
    for (size_t i = 0; i < net.layers.size(); ++i) {
      EXPECT_EQ(back->layers[i].filter, w.layers[i].filter) << i;
      EXPECT_EQ(back->layers[i].bias, w.layers[i].bias) << i;
      EXPECT_EQ(back->layers[i].beta, w.layers[i].beta) << i;
      EXPECT_EQ(back->layers[i].mean, w.layers[i].mean) << i;
    }
  }
}

TEST(FineTuneWeights, RejectsWeightsOfAnotherNetwork) {
  Network net = nanoNet();
  Weights w = someWeights(net);
  w.layers[0].filter.pop_back();
  auto flat = toTrainedWeights(net, w, OptimizerKind::Adam);
  EXPECT_FALSE(bool(flat));
  llvm::consumeError(flat.takeError());
}

} // namespace

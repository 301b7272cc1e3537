//===- GradientCheckTest.cpp - every op's backward vs finite differences --===//
//
// Each case is a small network around the op under test, built in f64. The
// gradient the compiled tnas_fwd_bwd returns for every parameter is compared
// with the central finite difference of the mean loss it reports. Ops that
// are not first in the network also have their input gradient exercised
// (through the parameters of the layers before them).
//
//===----------------------------------------------------------------------===//
#include "tnas/Training/TrainingKernels.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>

using namespace tnas;

namespace {

struct GradCase {
  const char *name;
  std::vector<Layer> layers;
};

class GradientCheck : public ::testing::TestWithParam<GradCase> {};

Network makeNet(const std::vector<Layer> &layers) {
  Network net;
  net.name = "gradcheck";
  net.input = {6, 6, 2, false};
  net.numClasses = 3;
  net.layers = layers;
  return net;
}

TEST_P(GradientCheck, MatchesCentralDifferences) {
  Network net = makeNet(GetParam().layers);
  TrainingStepConfig cfg;
  cfg.batch = 4;
  cfg.threads = 1;
  cfg.useF64 = true;
  cfg.optLevel = 1;
  cfg.entryPoints = StepEntryPoints::All; // tnas_fwd_bwd with one thread
  auto kernels = TrainingKernels::compile(net, cfg);
  ASSERT_TRUE(bool(kernels)) << llvm::toString(kernels.takeError());
  const TrainingKernels &k = **kernels;
  const ParameterLayout &l = k.layout();

  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<double> params(l.numParams), running(l.numBuffers, 1.0);
  for (double &p : params)
    p = 0.5 * u(rng);
  std::vector<double> x(cfg.batch * k.sampleElements());
  for (double &v : x)
    v = u(rng);
  std::vector<int32_t> labels = {0, 1, 2, 1};
  int32_t ctrl[4] = {7, 3, 0, 0};
  std::vector<double> grads(l.numParams), stats(l.numBuffers);
  double metrics[2];

  auto meanLoss = [&](const std::vector<double> &p) {
    std::vector<double> g(l.numParams), s(l.numBuffers);
    double m[2];
    k.forwardBackward(p.data(), running.data(), x.data(), labels.data(), ctrl,
                      g.data(), s.data(), m);
    return m[0] / double(cfg.batch);
  };
  k.forwardBackward(params.data(), running.data(), x.data(), labels.data(),
                    ctrl, grads.data(), stats.data(), metrics);
  ASSERT_TRUE(std::isfinite(metrics[0]));

  const double h = 1e-5;
  double worst = 0;
  for (int64_t i = 0; i < l.numParams; ++i) {
    std::vector<double> plus = params, minus = params;
    plus[i] += h;
    minus[i] -= h;
    double fd = (meanLoss(plus) - meanLoss(minus)) / (2 * h);
    double err = std::abs(fd - grads[i]) / (1e-6 + std::abs(fd));
    worst = std::max(worst, std::min(err, std::abs(fd - grads[i]) * 1e4));
    EXPECT_NEAR(grads[i], fd, 1e-6 + 1e-4 * std::abs(fd))
        << "parameter " << i << " of " << l.numParams;
  }
  // The check is not vacuous: some gradient is clearly non-zero.
  double norm = 0;
  for (double g : grads)
    norm += g * g;
  EXPECT_GT(norm, 1e-8);
}

const Layer relu = Layer::of(LayerKind::Relu);
const Layer gap = Layer::of(LayerKind::GlobalAvgPool);
const Layer bn = Layer::of(LayerKind::BatchNorm);

INSTANTIATE_TEST_SUITE_P(
    Ops, GradientCheck,
    ::testing::Values(
        GradCase{"Conv", {Layer::conv(3, 3), gap, Layer::dense(3)}},
        GradCase{
            "ConvStrideInputGrad",
            {Layer::conv(2, 3), Layer::conv(3, 3, 2), gap, Layer::dense(3)}},
        GradCase{"ConvValidPadding",
                 {Layer::conv(2, 3), Layer::conv(3, 3, 1, false), gap,
                  Layer::dense(3)}},
        GradCase{
            "Depthwise",
            {Layer::conv(2, 3), Layer::depthwise(3, 2), gap, Layer::dense(3)}},
        GradCase{
            "Pointwise",
            {Layer::conv(2, 3), Layer::pointwise(4), gap, Layer::dense(3)}},
        GradCase{"MaxPool",
                 {Layer::conv(2, 3), Layer::maxPool(2, 2), Layer::conv(2, 3),
                  gap, Layer::dense(3)}},
        GradCase{"MaxPoolOverlapping",
                 {Layer::conv(2, 3), Layer::maxPool(3, 2), Layer::conv(2, 1),
                  gap, Layer::dense(3)}},
        GradCase{"AvgPool",
                 {Layer::conv(2, 3), Layer::avgPool(2, 2), Layer::conv(2, 3),
                  gap, Layer::dense(3)}},
        // Stride 1: the window position (0, 0) of a forward window op is the
        // unshifted input (the forward ops take the positions as slices).
        GradCase{"StrideOneWindows",
                 {Layer::conv(2, 3), Layer::depthwise(3, 1),
                  Layer::maxPool(3, 1), Layer::avgPool(2, 1), gap,
                  Layer::dense(3)}},
        GradCase{"BatchNormSpatial",
                 {Layer::conv(3, 3), bn, relu, gap, Layer::dense(3)}},
        GradCase{"BatchNormFlat",
                 {Layer::conv(3, 3), gap, bn, Layer::dense(3)}},
        GradCase{"Relu6",
                 {Layer::conv(3, 3), Layer::of(LayerKind::Relu6), gap,
                  Layer::dense(3)}},
        GradCase{
            "Dropout",
            {Layer::conv(3, 3), gap, Layer::dropout(0.4), Layer::dense(3)}},
        GradCase{"FlattenDense",
                 {Layer::conv(2, 3, 2), Layer::of(LayerKind::Flatten),
                  Layer::dense(5), relu, Layer::dense(3)}}),
    [](const ::testing::TestParamInfo<GradCase> &info) {
      return std::string(info.param.name);
    });

} // namespace

//===- ObjectCacheTest.cpp - entry points and the JIT object cache --------===//
#include "tnas/Training/TrainingKernels.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cstring>
#include <vector>

using namespace tnas;

namespace {

Network tinyNet() {
  Network net;
  net.name = "cache";
  net.input = {8, 8, 1, false};
  net.numClasses = 3;
  net.layers = {Layer::conv(4, 3), Layer::of(LayerKind::Relu),
                Layer::of(LayerKind::BatchNorm),
                Layer::of(LayerKind::GlobalAvgPool), Layer::dense(3)};
  return net;
}

/// One split step (2 threads' worth of fwd_bwd on slice 0, then update) from
/// fixed inputs; returns the updated parameters.
std::vector<float> splitStep(const TrainingKernels &k) {
  const ParameterLayout &l = k.layout();
  std::vector<float> p(l.numParams), s(l.stateSize, 0.f), r(l.numBuffers, 1.f);
  for (int64_t i = 0; i < l.numParams; ++i)
    p[i] = 0.02f * float((i * 31) % 17) - 0.15f;
  int64_t n = k.sliceBatch();
  std::vector<float> x(n * k.sampleElements());
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = float((i * 7919) % 97) / 48.f - 1.f;
  std::vector<int32_t> labels(n);
  for (int64_t i = 0; i < n; ++i)
    labels[i] = int32_t(i % 3);
  int32_t ctrl[4] = {1, 0, 0, 0};
  std::vector<float> grads(2 * l.numParams), stats(2 * l.numBuffers);
  float metrics[2];
  for (int t = 0; t < 2; ++t)
    k.forwardBackward(p.data(), r.data(), x.data(), labels.data(), ctrl,
                      grads.data() + t * l.numParams,
                      stats.data() + t * l.numBuffers, metrics);
  float hyper[8] = {1e-2f, 0.9f, 0.999f, 1e-8f, 10.f, 1000.f, 0.f, 0.f};
  k.update(p.data(), s.data(), r.data(), grads.data(), stats.data(), hyper);
  return p;
}

// With several threads only the split step is built (the fused step would
// double the compile time for nothing); with one thread only the fused one.
TEST(TrainingKernels, BuildsOnlyTheEntryPointsOfTheThreadCount) {
  TrainingStepConfig cfg;
  cfg.batch = 8;
  cfg.threads = 2;
  cfg.optLevel = 1;
  EXPECT_FALSE(cfg.hasFusedStep());
  EXPECT_TRUE(cfg.hasSplitStep());
  cfg.threads = 1;
  EXPECT_TRUE(cfg.hasFusedStep());
  EXPECT_FALSE(cfg.hasSplitStep());
  cfg.entryPoints = StepEntryPoints::All;
  EXPECT_TRUE(cfg.hasFusedStep() && cfg.hasSplitStep());
}

// The parts compiled on two threads and one after the other are the same
// code: the same step bit for bit.
TEST(TrainingKernels, ParallelCompileComputesTheSameStep) {
  TrainingStepConfig cfg;
  cfg.batch = 8;
  cfg.threads = 2;
  cfg.optLevel = 1;
  auto parallel = TrainingKernels::compile(tinyNet(), cfg);
  ASSERT_TRUE(bool(parallel)) << llvm::toString(parallel.takeError());
  cfg.parallelCompile = false;
  auto sequential = TrainingKernels::compile(tinyNet(), cfg);
  ASSERT_TRUE(bool(sequential)) << llvm::toString(sequential.takeError());
  std::vector<float> a = splitStep(**parallel), b = splitStep(**sequential);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(0, std::memcmp(a.data(), b.data(), a.size() * sizeof(float)));
}

// The second compile of the same network loads the object code written by
// the first, and the loaded code computes the same update bit for bit.
TEST(TrainingKernels, ObjectCacheHitComputesTheSameStep) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("tnas-jit-cache", dir));
  TrainingStepConfig cfg;
  cfg.batch = 8;
  cfg.threads = 2;
  cfg.optLevel = 1;
  cfg.objectCacheDir = std::string(dir);

  auto first = TrainingKernels::compile(tinyNet(), cfg);
  ASSERT_TRUE(bool(first)) << llvm::toString(first.takeError());
  EXPECT_FALSE((*first)->compileTimings().cacheHit);
  EXPECT_EQ((*first)->compileTimings().parts, 2);
  // One object file per part.
  int files = 0;
  std::error_code listError;
  for (llvm::sys::fs::directory_iterator it(dir, listError), end;
       it != end && !listError; it.increment(listError))
    ++files;
  EXPECT_EQ(files, 2);
  auto second = TrainingKernels::compile(tinyNet(), cfg);
  ASSERT_TRUE(bool(second)) << llvm::toString(second.takeError());
  EXPECT_TRUE((*second)->compileTimings().cacheHit);

  std::vector<float> a = splitStep(**first), b = splitStep(**second);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(0, std::memcmp(a.data(), b.data(), a.size() * sizeof(float)));

  // Another network is another key: a miss.
  Network other = tinyNet();
  other.layers[0] = Layer::conv(6, 3);
  auto third = TrainingKernels::compile(other, cfg);
  ASSERT_TRUE(bool(third)) << llvm::toString(third.takeError());
  EXPECT_FALSE((*third)->compileTimings().cacheHit);

  // A corrupt object is not fatal: it is compiled afresh.
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    llvm::raw_fd_ostream os(it->path(), ec);
    ASSERT_FALSE(ec);
    os << "garbage";
  }
  auto fourth = TrainingKernels::compile(tinyNet(), cfg);
  ASSERT_TRUE(bool(fourth)) << llvm::toString(fourth.takeError());
  EXPECT_FALSE((*fourth)->compileTimings().cacheHit);
  std::vector<float> d = splitStep(**fourth);
  EXPECT_EQ(0, std::memcmp(a.data(), d.data(), a.size() * sizeof(float)));
  llvm::sys::fs::remove_directories(dir);
}

} // namespace

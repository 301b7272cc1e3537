//===- MemoryPlanTest.cpp - the arena of the C++ emitter ------------------===//
//
// planArena is the cost model's planner behind the emitter's buffer list;
// these tests hold the emitter-side contract (offsets, alignment, no live
// overlap, errors for impossible buffers).
//
//===----------------------------------------------------------------------===//
#include "tnas/Target/Cpp/MemoryPlan.h"

#include "tnas/Search/MemoryPlanner.h"

#include <random>

#include "gtest/gtest.h"

using namespace tnas;

namespace {

PlannedBuffer buffer(int64_t bytes, int first, int last) {
  PlannedBuffer b;
  b.bytes = bytes;
  b.firstUse = first;
  b.lastUse = last;
  return b;
}

int64_t plan(std::vector<PlannedBuffer> &b, int64_t alignment = 4) {
  return llvm::cantFail(planArena(b, alignment));
}

bool overlaps(const PlannedBuffer &a, const PlannedBuffer &b) {
  const bool alive = a.firstUse <= b.lastUse && b.firstUse <= a.lastUse;
  const bool space =
      a.offset < b.offset + b.bytes && b.offset < a.offset + a.bytes;
  return alive && space && a.bytes && b.bytes;
}

TEST(MemoryPlan, SequentialChainReusesDeadBuffers) {
  // A chain 0 -> 1 -> 2 -> 3: only neighbours are alive together, so two
  // slots of the largest pair suffice.
  std::vector<PlannedBuffer> b = {buffer(100, 0, 1), buffer(60, 1, 2),
                                  buffer(100, 2, 3), buffer(40, 3, 4)};
  EXPECT_EQ(plan(b), 160);
  EXPECT_EQ(b[0].offset, 0);
  EXPECT_EQ(b[2].offset, 0);
  EXPECT_EQ(b[1].offset, 100);
}

TEST(MemoryPlan, AlignsOffsets) {
  std::vector<PlannedBuffer> b = {buffer(10, 0, 1), buffer(7, 0, 1),
                                  buffer(3, 0, 1)};
  const int64_t total = plan(b, 4);
  for (const PlannedBuffer &x : b)
    EXPECT_EQ(x.offset % 4, 0);
  EXPECT_EQ(total, 24);
}

TEST(MemoryPlan, RandomPlansNeverOverlapLiveBuffers) {
  std::mt19937 rng(3);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<PlannedBuffer> b;
    int64_t sum = 0;
    for (int i = 0; i < 12; ++i) {
      int first = (int)(rng() % 10);
      int64_t bytes = (int64_t)(rng() % 500);
      b.push_back(buffer(bytes, first, first + (int)(rng() % 4)));
      sum += (bytes + 3) / 4 * 4;
    }
    const int64_t total = plan(b);
    EXPECT_LE(total, sum);
    for (size_t i = 0; i < b.size(); ++i) {
      EXPECT_LE(b[i].offset + b[i].bytes, total);
      for (size_t j = i + 1; j < b.size(); ++j)
        EXPECT_FALSE(overlaps(b[i], b[j])) << trial << ": " << i << "," << j;
    }
  }
}

TEST(MemoryPlan, ImpossibleBufferIsAnErrorNotACrash) {
  // A buffer read before it is written (a bug in the emitter's analysis)
  // comes back as an error naming the buffer.
  std::vector<PlannedBuffer> b = {buffer(16, 0, 1), buffer(8, 3, 2)};
  llvm::Expected<int64_t> total = planArena(b);
  ASSERT_FALSE(static_cast<bool>(total));
  EXPECT_NE(llvm::toString(total.takeError()).find("buffer1"),
            std::string::npos);
}

TEST(MemoryPlan, SameLayoutAsTheCostModelPlanner) {
  // One planner: the emitter's offsets are the cost model's for the same
  // lifetimes (here the benchmark net's first layers: conv0.out, pooled,
  // conv scratch, conv4.out).
  std::vector<PlannedBuffer> b = {buffer(784, 0, 0), buffer(6272, 0, 1),
                                  buffer(1568, 1, 2), buffer(288, 2, 2),
                                  buffer(3136, 2, 3)};
  std::vector<cost::BufferRequest> requests;
  for (const PlannedBuffer &x : b)
    requests.push_back({"b", x.bytes, x.firstUse, x.lastUse, std::nullopt});
  cost::MemoryPlan reference = llvm::cantFail(cost::planMemory(requests, 4));
  EXPECT_EQ(plan(b), reference.arenaSize);
  for (size_t i = 0; i < b.size(); ++i)
    EXPECT_EQ(b[i].offset, reference.buffers[i].offset) << i;
}

} // namespace

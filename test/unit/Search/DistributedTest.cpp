//===- DistributedTest.cpp - the distributed coordinator, no MPI needed ---===//
//
// Drives runSearchOnPool with an in-process pool that answers assignments in
// a seeded random order (as remote workers of different speeds would), can
// drop the first assignment of a candidate (a hung worker), and logs what it
// was given, so that ordering, concurrency and re-queues can be checked
// without MPI.
//
//===----------------------------------------------------------------------===//
#include "tnas/Search/Checkpoint.h"
#include "tnas/Search/DistributedCoordinator.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <set>
#include <thread>

using namespace tnas::search;

namespace {

std::vector<SpaceVariable> space3() {
  return {{"w", {4, 8, 16, 32}}, {"d", {1, 2, 3, 4}}, {"r", {0, 1, 2}}};
}

/// Deterministic figures; w * d > 64 breaks a RAM bound.
class FakeEvaluator final : public Evaluator {
public:
  CandidateRecord evaluate(const Choice &c) override {
    ++calls;
    CandidateRecord r;
    r.ramBytes = c[0] * c[1] * 1024;
    r.macs = c[0] * c[0] * c[1] * 1000 + c[2];
    if (c[0] * c[1] > 64) {
      r.status = CandidateStatus::Rejected;
      r.reason = "ram";
      return r;
    }
    r.status = CandidateStatus::Trained;
    r.accuracy = 0.5 + 0.01 * c[0] + 0.03 * c[1] - 0.004 * c[1] * c[1] +
                 0.002 * ((c[0] + 3 * c[1] + c[2]) % 5);
    r.trainSeconds = 1;
    return r;
  }
  int calls = 0;
};

class ScriptedPool final : public WorkerPool {
public:
  ScriptedPool(int workers, const std::vector<SpaceVariable> &space,
               Evaluator &evaluator, uint64_t seed)
      : workers(workers), space(space), evaluator(evaluator), rng(seed) {}

  int size() const override { return workers; }

  void assign(int worker, uint64_t slot, const Choice &choice) override {
    for (const Job &job : inFlight)
      EXPECT_NE(job.worker, worker) << "worker " << worker << " was busy";
    std::string key = choiceKey(space, choice);
    assigned.push_back({worker, key});
    if (hangOnce.erase(key)) // this worker never answers
      return;
    inFlight.push_back({worker, slot, choice});
    maxInFlight = std::max(maxInFlight, inFlight.size());
  }

  std::optional<WorkerAnswer> wait(double seconds) override {
    if (inFlight.empty()) {
      std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
      return std::nullopt;
    }
    if (interruptAfter && arrivals.size() == *interruptAfter)
      interrupt->store(true); // e.g. Ctrl-C while the next one trains
    size_t pick = uniformIndex(rng, inFlight.size());
    Job job = inFlight[pick];
    inFlight.erase(inFlight.begin() + pick);
    CandidateRecord record = evaluator.evaluate(job.choice);
    arrivals.push_back(choiceKey(space, job.choice));
    std::string text;
    llvm::raw_string_ostream os(text);
    os << (corrupt ? llvm::json::Value("garbage") : record.toJSON());
    return WorkerAnswer{job.worker, job.slot, os.str()};
  }

  void shutdown() override { ++shutdowns; }

  struct Job {
    int worker;
    uint64_t slot;
    Choice choice;
  };
  int workers;
  std::vector<SpaceVariable> space;
  Evaluator &evaluator;
  std::mt19937_64 rng;
  std::vector<Job> inFlight;
  std::set<std::string> hangOnce;
  std::vector<std::pair<int, std::string>> assigned;
  std::vector<std::string> arrivals;
  size_t maxInFlight = 0;
  int shutdowns = 0;
  bool corrupt = false;
  std::optional<size_t> interruptAfter;
  std::atomic<bool> *interrupt = nullptr;
};

std::unique_ptr<Strategy> makeStrategy(const std::string &kind,
                                       uint64_t seed = 11) {
  StrategyOptions options;
  options.kind = kind;
  options.seed = seed;
  options.samples = kind == "random" ? 20 : 0;
  options.population = 6;
  options.cycles = 12;
  options.widthVar = "w";
  options.depthVar = "d";
  auto strategy = createStrategy(space3(), options);
  EXPECT_TRUE(bool(strategy));
  return std::move(*strategy);
}

std::vector<std::string> keysOf(const SearchResult &result) {
  std::vector<std::string> keys;
  for (const CandidateRecord &r : result.records)
    keys.push_back(r.choiceKey + "/" + statusName(r.status).str());
  return keys;
}

SearchResult sequential(const std::string &kind,
                        const RunnerOptions &options = {}) {
  FakeEvaluator evaluator;
  auto strategy = makeStrategy(kind);
  auto result = runSearch(space3(), *strategy, evaluator, options);
  EXPECT_TRUE(bool(result));
  return std::move(*result);
}

TEST(Distributed, IndependentStrategiesMatchTheSequentialRunInAnyArrivalOrder) {
  for (const char *kind : {"grid", "random"}) {
    SearchResult expected = sequential(kind);
    for (int workers : {1, 2, 4}) {
      for (uint64_t order : {1, 2, 3}) {
        FakeEvaluator evaluator;
        ScriptedPool pool(workers, space3(), evaluator, order);
        auto strategy = makeStrategy(kind);
        auto result = runSearchOnPool(space3(), *strategy, pool, {});
        ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
        EXPECT_EQ(keysOf(*result), keysOf(expected)) << kind << " " << workers;
        EXPECT_EQ(result->trained, expected.trained);
        EXPECT_EQ(evaluator.calls, int(expected.records.size()));
        EXPECT_EQ(pool.maxInFlight, size_t(workers)); // every worker busy
        EXPECT_EQ(pool.shutdowns, 1);
      }
    }
  }
}

TEST(Distributed, CandidateBudgetStopsAtTheSameCandidate) {
  RunnerOptions options;
  options.candidateBudget = 7;
  SearchResult expected = sequential("random", options);
  ASSERT_EQ(expected.trained, 7);

  llvm::SmallString<128> path;
  ASSERT_FALSE(
      llvm::sys::fs::createTemporaryFile("tnas-budget", "jsonl", path));
  options.checkpointPath = path.str().str();
  options.fingerprint = "budget";
  FakeEvaluator evaluator;
  ScriptedPool pool(3, space3(), evaluator, 5);
  auto strategy = makeStrategy("random");
  auto result = runSearchOnPool(space3(), *strategy, pool, options);
  ASSERT_TRUE(bool(result));
  EXPECT_EQ(keysOf(*result), keysOf(expected));
  EXPECT_EQ(result->stop, StopReason::CandidateBudget);
  // Candidates still in flight at the stop were collected, not abandoned:
  // their records are in the checkpoint for a resume, not in the report.
  EXPECT_TRUE(pool.inFlight.empty());
  auto saved = readCheckpoint(options.checkpointPath, options.fingerprint);
  ASSERT_TRUE(bool(saved));
  EXPECT_EQ(saved->size(), size_t(evaluator.calls));
  EXPECT_GT(saved->size(), result->records.size());
  llvm::sys::fs::remove(path);
}

TEST(Distributed, NanoNasKeepsOneCandidateInFlight) {
  SearchResult expected = sequential("nanonas");
  FakeEvaluator evaluator;
  ScriptedPool pool(3, space3(), evaluator, 9);
  auto strategy = makeStrategy("nanonas");
  auto result = runSearchOnPool(space3(), *strategy, pool, {});
  ASSERT_TRUE(bool(result));
  EXPECT_EQ(keysOf(*result), keysOf(expected));
  EXPECT_EQ(pool.maxInFlight, 1u);
}

TEST(Distributed, EvolutionIsAsynchronousAndRecordsInArrivalOrder) {
  // One worker: the asynchronous variant is the sequential run.
  SearchResult expected = sequential("evolution");
  {
    FakeEvaluator evaluator;
    ScriptedPool pool(1, space3(), evaluator, 4);
    auto strategy = makeStrategy("evolution");
    auto result = runSearchOnPool(space3(), *strategy, pool, {});
    ASSERT_TRUE(bool(result));
    EXPECT_EQ(keysOf(*result), keysOf(expected));
  }
  // Three workers: a freed worker gets a child at once (all three busy),
  // and the records follow the arrivals.
  FakeEvaluator evaluator;
  ScriptedPool pool(3, space3(), evaluator, 4);
  auto strategy = makeStrategy("evolution");
  auto result = runSearchOnPool(space3(), *strategy, pool, {});
  ASSERT_TRUE(bool(result));
  EXPECT_EQ(pool.maxInFlight, 3u);
  std::vector<std::string> recorded;
  for (const CandidateRecord &r : result->records)
    recorded.push_back(r.choiceKey);
  EXPECT_EQ(recorded, pool.arrivals);
  EXPECT_LE(result->records.size(), 6u + 12u);
  EXPECT_EQ(result->stop, StopReason::Exhausted);
}

TEST(Distributed, HungWorkerHasItsCandidateRequeuedElsewhere) {
  SearchResult expected = sequential("grid");
  FakeEvaluator evaluator;
  ScriptedPool pool(2, space3(), evaluator, 3);
  pool.hangOnce.insert("w=8,d=2,r=1");
  DistributedOptions distributed;
  distributed.candidateTimeoutSeconds = 0.05;
  auto strategy = makeStrategy("grid");
  auto result = runSearchOnPool(space3(), *strategy, pool, {}, distributed);
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(keysOf(*result), keysOf(expected));
  std::vector<int> workersGiven;
  for (auto &[worker, key] : pool.assigned)
    if (key == "w=8,d=2,r=1")
      workersGiven.push_back(worker);
  ASSERT_EQ(workersGiven.size(), 2u);
  EXPECT_NE(workersGiven[0], workersGiven[1]);
  for (const CandidateRecord &r : result->records)
    EXPECT_EQ(r.requeued, r.choiceKey == "w=8,d=2,r=1" ? 1 : 0) << r.choiceKey;
  // The hung worker got nothing more: it never answered.
  for (size_t i = 0; i < pool.assigned.size(); ++i)
    if (pool.assigned[i].second == "w=8,d=2,r=1") {
      for (size_t j = i + 1; j < pool.assigned.size(); ++j)
        EXPECT_NE(pool.assigned[j].first, workersGiven[0]);
      break;
    }
}

TEST(Distributed, EveryWorkerHungIsAnError) {
  FakeEvaluator evaluator;
  ScriptedPool pool(1, space3(), evaluator, 3);
  pool.hangOnce.insert("w=4,d=1,r=2");
  DistributedOptions distributed;
  distributed.candidateTimeoutSeconds = 0.02;
  auto strategy = makeStrategy("grid");
  auto result = runSearchOnPool(space3(), *strategy, pool, {}, distributed);
  ASSERT_FALSE(bool(result));
  EXPECT_NE(llvm::toString(result.takeError()).find("timeout"),
            std::string::npos);
  EXPECT_EQ(pool.shutdowns, 1);
}

TEST(Distributed, MalformedAnswerIsAnError) {
  FakeEvaluator evaluator;
  ScriptedPool pool(2, space3(), evaluator, 3);
  pool.corrupt = true;
  auto strategy = makeStrategy("grid");
  auto result = runSearchOnPool(space3(), *strategy, pool, {});
  ASSERT_FALSE(bool(result));
  EXPECT_NE(llvm::toString(result.takeError()).find("worker"),
            std::string::npos);
}

// The workers wait for work from the start: a checkpoint the coordinator
// refuses must still release them, or the MPI job would hang.
TEST(Distributed, ForeignCheckpointOnResumeReleasesTheWorkers) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("tnas-dist", dir));
  llvm::SmallString<128> path(dir);
  llvm::sys::path::append(path, "search.jsonl");
  {
    CheckpointWriter writer;
    ASSERT_FALSE(
        llvm::errorToBool(writer.open(path.str().str(), "another-search",
                                      /*resume=*/false)));
  }
  RunnerOptions options;
  options.checkpointPath = path.str().str();
  options.fingerprint = "this-search";
  options.resume = true;
  FakeEvaluator evaluator;
  ScriptedPool pool(2, space3(), evaluator, 3);
  auto strategy = makeStrategy("grid");
  auto result = runSearchOnPool(space3(), *strategy, pool, options);
  ASSERT_FALSE(bool(result));
  EXPECT_NE(llvm::toString(result.takeError()).find("different search"),
            std::string::npos);
  EXPECT_EQ(pool.shutdowns, 1);
  EXPECT_EQ(evaluator.calls, 0);
  llvm::sys::fs::remove_directories(dir);
}

TEST(Distributed, EveryArrivalIsCheckpointedAndAResumeTrainsNothingTwice) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("tnas-dist", dir));
  llvm::SmallString<128> path(dir);
  llvm::sys::path::append(path, "search.jsonl");

  std::atomic<bool> interrupt{false};
  RunnerOptions options;
  options.checkpointPath = path.str().str();
  options.fingerprint = "grid-test";
  options.interrupt = &interrupt;
  FakeEvaluator first;
  ScriptedPool pool(3, space3(), first, 8);
  pool.interruptAfter = 20; // interrupted after 20 answers
  pool.interrupt = &interrupt;
  auto strategy = makeStrategy("grid");
  auto stopped = runSearchOnPool(space3(), *strategy, pool, options);
  ASSERT_TRUE(bool(stopped));
  EXPECT_EQ(stopped->stop, StopReason::Interrupted);
  // Out-of-order arrivals beyond the committed prefix are kept too; the
  // answer that came in after the interrupt is not.
  auto saved = readCheckpoint(options.checkpointPath, options.fingerprint);
  ASSERT_TRUE(bool(saved));
  EXPECT_EQ(saved->size(), 20u);
  EXPECT_LE(stopped->records.size(), 20u);

  // Resume in a single process: only the other candidates are evaluated.
  interrupt = false;
  options.resume = true;
  FakeEvaluator second;
  auto again = makeStrategy("grid");
  auto resumed = runSearch(space3(), *again, second, options);
  ASSERT_TRUE(bool(resumed));
  EXPECT_EQ(second.calls, 48 - 20);
  EXPECT_EQ(resumed->fromCheckpoint, 20);
  EXPECT_EQ(keysOf(*resumed), keysOf(sequential("grid")));
  llvm::sys::fs::remove_directories(dir);
}

} // namespace

//===- DistributedCoordinator.cpp - a search over a pool of workers -------===//
//
// Proposals live in slots, kept in proposal order until committed to the
// ledger (and observed by the strategy). A slot is answered by a worker, by
// the checkpoint of a previous run, or, when its choice repeats an earlier
// one, by the earlier record once that is committed. Independent and
// sequential strategies commit the longest answered prefix; asynchronous
// ones commit every answered slot at once, i.e. in arrival order.
//
//===----------------------------------------------------------------------===//
#include "tnas/Search/DistributedCoordinator.h"
#include "tnas/Search/Checkpoint.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <deque>

using namespace tnas::search;
namespace json = llvm::json;
using Clock = std::chrono::steady_clock;

WorkerPool::~WorkerPool() = default;

namespace {

struct Slot {
  Choice choice;
  std::string key;
  std::optional<CandidateRecord> record;
  bool fromCheckpoint = false;
  /// The choice repeats an earlier slot: answered from its record.
  bool repeat = false;
  int64_t requeued = 0;
};

struct WorkerState {
  std::optional<uint64_t> slot; ///< the candidate it is evaluating
  Clock::time_point assigned;
  /// Missed the timeout; gets no work until it answers again.
  bool hung = false;
};

class Coordinator {
public:
  Coordinator(const std::vector<SpaceVariable> &space, Strategy &strategy,
              WorkerPool &pool, const RunnerOptions &options,
              const DistributedOptions &distributed)
      : space(space), strategy(strategy), pool(pool), options(options),
        distributed(distributed), ledger(options), workers(pool.size()) {}

  llvm::Expected<SearchResult> run();

private:
  const std::vector<SpaceVariable> &space;
  Strategy &strategy;
  WorkerPool &pool;
  const RunnerOptions &options;
  const DistributedOptions &distributed;
  SearchLedger ledger;
  std::vector<WorkerState> workers;

  std::map<std::string, CandidateRecord> previous; // from the checkpoint
  CheckpointWriter checkpoint;
  std::map<uint64_t, Slot> slots;       // uncommitted, by id
  std::deque<uint64_t> order;           // uncommitted ids, proposal order
  std::deque<uint64_t> ready;           // ids waiting for a worker
  std::map<std::string, uint64_t> open; // key -> uncommitted evaluating slot
  uint64_t nextSlot = 0;
  bool strategyDone = false;

  size_t window() const;
  bool propose();
  bool committable(const Slot &slot) const {
    return slot.record || (slot.repeat && ledger.find(slot.key));
  }
  void commit(uint64_t id);
  std::optional<StopReason> commitAnswered();
  void dispatch();
  llvm::Error accept(const WorkerAnswer &answer);
  llvm::Error expireHungWorkers();
  double secondsToNextDeadline() const;
  void collectHealthyAnswers();
  SearchResult finish(StopReason stop) {
    SearchResult result = ledger.finish(stop);
    if (stop != StopReason::Interrupted)
      collectHealthyAnswers();
    pool.shutdown();
    return result;
  }
};

size_t Coordinator::window() const {
  size_t n = workers.size();
  switch (strategy.overlap()) {
  case Overlap::Independent:
    return n * std::max(1, distributed.lookaheadPerWorker);
  case Overlap::Asynchronous:
    return n;
  case Overlap::Sequential:
    return 1;
  }
  llvm_unreachable("unknown overlap");
}

/// Adds one proposal; false when the strategy has nothing to propose now.
bool Coordinator::propose() {
  std::optional<Choice> choice = strategy.propose();
  if (!choice) {
    // An asynchronous strategy may need more results before it can go on.
    if (strategy.overlap() != Overlap::Asynchronous || order.empty())
      strategyDone = true;
    return false;
  }
  uint64_t id = nextSlot++;
  Slot &slot = slots[id];
  slot.choice = std::move(*choice);
  slot.key = choiceKey(space, slot.choice);
  order.push_back(id);
  if (ledger.find(slot.key) || open.count(slot.key)) {
    slot.repeat = true;
    return true;
  }
  open[slot.key] = id;
  auto old = previous.find(slot.key);
  if (old != previous.end()) {
    slot.record = old->second;
    slot.fromCheckpoint = true;
  } else {
    ready.push_back(id);
  }
  return true;
}

void Coordinator::commit(uint64_t id) {
  Slot &slot = slots[id];
  if (slot.repeat) {
    strategy.observe(slot.choice, ledger.scoreOf(*ledger.find(slot.key)));
  } else {
    open.erase(slot.key);
    const CandidateRecord &added =
        ledger.add(std::move(*slot.record), slot.fromCheckpoint);
    strategy.observe(slot.choice, ledger.scoreOf(added));
  }
  slots.erase(id);
}

std::optional<StopReason> Coordinator::commitAnswered() {
  bool inOrder = strategy.overlap() != Overlap::Asynchronous;
  for (auto it = order.begin(); it != order.end();) {
    if (!committable(slots[*it])) {
      if (inOrder)
        break;
      ++it;
      continue;
    }
    commit(*it);
    it = order.erase(it);
    if (std::optional<StopReason> stop = ledger.stopReason())
      return stop;
  }
  return std::nullopt;
}

void Coordinator::dispatch() {
  for (size_t w = 0; w < workers.size(); ++w) {
    if (workers[w].slot || workers[w].hung)
      continue;
    // Skip slots that a late answer of a hung worker has settled meanwhile.
    while (!ready.empty() &&
           (!slots.count(ready.front()) || slots[ready.front()].record))
      ready.pop_front();
    if (ready.empty())
      return;
    uint64_t id = ready.front();
    ready.pop_front();
    workers[w].slot = id;
    workers[w].assigned = Clock::now();
    pool.assign(static_cast<int>(w), id, slots[id].choice);
  }
}

llvm::Error Coordinator::accept(const WorkerAnswer &answer) {
  if (answer.worker < 0 || size_t(answer.worker) >= workers.size())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "answer from unknown worker %d",
                                   answer.worker);
  WorkerState &worker = workers[answer.worker];
  worker.hung = false; // it is alive after all
  if (worker.slot == answer.slot)
    worker.slot.reset();
  auto it = slots.find(answer.slot);
  if (it == slots.end() || it->second.record)
    return llvm::Error::success(); // a second answer for a re-queued slot
  Slot &slot = it->second;
  llvm::Expected<json::Value> value = json::parse(answer.recordJSON);
  if (!value)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(), "worker %d sent malformed JSON: %s",
        answer.worker, llvm::toString(value.takeError()).c_str());
  llvm::Expected<CandidateRecord> record = CandidateRecord::fromJSON(*value);
  if (!record)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "worker %d: %s", answer.worker,
                                   llvm::toString(record.takeError()).c_str());
  record->choice = slot.choice;
  record->choiceKey = slot.key;
  record->requeued = slot.requeued;
  checkpoint.write(*record);
  slot.record = std::move(*record);
  return llvm::Error::success();
}

llvm::Error Coordinator::expireHungWorkers() {
  double timeout = distributed.candidateTimeoutSeconds;
  if (timeout <= 0)
    return llvm::Error::success();
  auto now = Clock::now();
  for (size_t w = 0; w < workers.size(); ++w) {
    WorkerState &worker = workers[w];
    if (!worker.slot ||
        std::chrono::duration<double>(now - worker.assigned).count() < timeout)
      continue;
    uint64_t id = *worker.slot;
    worker.slot.reset();
    worker.hung = true;
    auto it = slots.find(id);
    if (it == slots.end() || it->second.record)
      continue;
    ++it->second.requeued;
    ready.push_front(id);
    if (options.progress)
      *options.progress << llvm::formatv(
          "search: worker {0} missed the {1:F1}s timeout on {2}; re-queued\n",
          w + 1, timeout, it->second.key);
  }
  if (std::all_of(workers.begin(), workers.end(),
                  [](const WorkerState &w) { return w.hung; }))
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "every worker missed the per-candidate timeout of %.1fs; raise the "
        "timeout or check the candidates in flight",
        timeout);
  return llvm::Error::success();
}

double Coordinator::secondsToNextDeadline() const {
  constexpr double kPollSeconds = 0.05; // also bounds the interrupt latency
  double timeout = distributed.candidateTimeoutSeconds;
  double wait = kPollSeconds;
  if (timeout <= 0)
    return wait;
  auto now = Clock::now();
  for (const WorkerState &worker : workers)
    if (worker.slot)
      wait = std::min(
          wait,
          timeout -
              std::chrono::duration<double>(now - worker.assigned).count());
  return std::max(0.0, wait);
}

/// After a budget stop, workers still evaluating finish their candidate
/// before they can read the stop anyway (and MPI_Finalize waits for them).
/// Collecting their answers saves that work in the checkpoint for a later
/// resume, and keeps a worker from blocking forever in a send that nobody
/// receives (answers above MPI's eager limit). Hung workers are not waited
/// for.
void Coordinator::collectHealthyAnswers() {
  double timeout = distributed.candidateTimeoutSeconds;
  for (;;) {
    auto now = Clock::now();
    bool waiting = false;
    for (WorkerState &worker : workers) {
      if (!worker.slot || worker.hung)
        continue;
      if (timeout > 0 &&
          std::chrono::duration<double>(now - worker.assigned).count() >=
              timeout)
        worker.hung = true;
      else
        waiting = true;
    }
    if (!waiting)
      return;
    if (std::optional<WorkerAnswer> answer = pool.wait(secondsToNextDeadline()))
      llvm::consumeError(accept(*answer)); // the result is already final
  }
}

llvm::Expected<SearchResult> Coordinator::run() {
  if (workers.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "a distributed search needs a worker");
  // The workers are waiting for work: an error here must release them too.
  if (options.resume && !options.checkpointPath.empty()) {
    auto read = readCheckpoint(options.checkpointPath, options.fingerprint);
    if (!read) {
      pool.shutdown();
      return read.takeError();
    }
    previous = std::move(*read);
  }
  if (!options.checkpointPath.empty())
    if (llvm::Error e = checkpoint.open(options.checkpointPath,
                                        options.fingerprint, options.resume)) {
      pool.shutdown();
      return std::move(e);
    }

  for (;;) {
    if (std::optional<StopReason> stop = ledger.stopReason())
      return finish(*stop);
    // Propose and commit until neither makes progress without a worker.
    bool progressed = false;
    while (!strategyDone && order.size() < window() && propose())
      progressed = true;
    size_t before = order.size();
    if (std::optional<StopReason> stop = commitAnswered())
      return finish(*stop);
    progressed |= order.size() != before;
    if (strategyDone && order.empty())
      return finish(StopReason::Exhausted);
    if (progressed)
      continue;

    dispatch();
    if (std::optional<WorkerAnswer> answer =
            pool.wait(secondsToNextDeadline())) {
      // As in runSearch, an answer that comes in after an interrupt may be
      // cut short (workers see the same signal): it is neither recorded nor
      // checkpointed, and a resumed run evaluates the candidate again.
      if (options.interrupt && options.interrupt->load())
        return finish(StopReason::Interrupted);
      if (llvm::Error e = accept(*answer)) {
        pool.shutdown();
        return std::move(e);
      }
    }
    if (llvm::Error e = expireHungWorkers()) {
      pool.shutdown();
      return std::move(e);
    }
  }
}

} // namespace

llvm::Expected<SearchResult>
tnas::search::runSearchOnPool(const std::vector<SpaceVariable> &space,
                              Strategy &strategy, WorkerPool &pool,
                              const RunnerOptions &options,
                              const DistributedOptions &distributed) {
  return Coordinator(space, strategy, pool, options, distributed).run();
}

//===- DistributedDriver.cpp - one rank's part in a driver run ------------===//
#include "tnas/Search/DistributedDriver.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <chrono>
#include <thread>

#ifdef __linux__
#include <sched.h>
#endif

using namespace tnas::search;

namespace {

/// Cores this process may run on: its affinity mask (mpirun's or Slurm's
/// binding), else every core of the host.
unsigned coresOfThisRank() {
#ifdef __linux__
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
    return unsigned(CPU_COUNT(&set));
#endif
  return std::max(1u, std::thread::hardware_concurrency());
}

/// Completes a nonblocking collective without Open MPI's busy wait: the
/// other ranks may still be loading their data on the same cores.
void waitPolitely(MPI_Request &request) {
  for (;;) {
    int done = 0;
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    if (done)
      return;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message.str());
}

} // namespace

DistributedDriverRank::DistributedDriverRank(MPI_Comm comm) : comm(comm) {
  MPI_Comm_rank(comm, &rankInComm);
  MPI_Comm_size(comm, &ranks);

  // Worker ranks on this node share its cores; rank 0 needs next to none
  // while the search runs. A rank bound to fewer cores than its share (the
  // launcher bound it) uses those.
  MPI_Comm node;
  MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, rankInComm, MPI_INFO_NULL,
                      &node);
  int onNode = 1;
  MPI_Comm_size(node, &onNode);
  int isCoordinator = rankInComm == 0, coordinatorOnNode = 0;
  MPI_Allreduce(&isCoordinator, &coordinatorOnNode, 1, MPI_INT, MPI_MAX, node);
  MPI_Comm_free(&node);
  unsigned workersOnNode = unsigned(std::max(1, onNode - coordinatorOnNode));
  unsigned nodeCores = std::max(1u, std::thread::hardware_concurrency());
  workerThreads =
      std::max(1u, std::min(coresOfThisRank(), nodeCores / workersOnNode));
}

llvm::Error DistributedDriverRank::meetBeforeSearch(bool ok, unsigned threads) {
  if (didMeet)
    return error("meetBeforeSearch called twice");
  didMeet = true;
  // One int per rank: its training threads when ready, 0 when it failed.
  int mine = ok ? int(std::max(1u, threads)) : 0;
  threadsByRank.assign(ranks, 0);
  MPI_Request request;
  MPI_Iallgather(&mine, 1, MPI_INT, threadsByRank.data(), 1, MPI_INT, comm,
                 &request);
  waitPolitely(request);
  rank0Failed = threadsByRank[0] == 0;
  std::string failedWorkers;
  for (int r = 1; r < ranks; ++r)
    if (threadsByRank[r] == 0)
      failedWorkers += (failedWorkers.empty() ? "" : ", ") + std::to_string(r);
  if (rank0Failed)
    return error("rank 0 could not start the search");
  if (!failedWorkers.empty())
    return error("MPI rank(s) " + failedWorkers +
                 " could not start the search (see their messages)");
  return llvm::Error::success();
}

llvm::Expected<SearchResult> DistributedDriverRank::search(
    const std::vector<SpaceVariable> &space, Strategy &strategy,
    Evaluator &evaluator, const RunnerOptions &options,
    const DistributedOptions &distributed, unsigned threads) {
  if (llvm::Error e = meetBeforeSearch(true, threads))
    return std::move(e);
  llvm::raw_ostream *log = isCoordinator() ? options.progress : nullptr;
  if (log) {
    std::string perWorker;
    for (int r = 1; r < ranks; ++r)
      perWorker += (r > 1 ? "," : "") + std::to_string(threadsByRank[r]);
    *log << llvm::formatv(
        "search: {0} MPI worker ranks, training threads "
        "{1}, candidate timeout {2}\n",
        ranks - 1, perWorker,
        distributed.candidateTimeoutSeconds > 0
            ? llvm::formatv("{0:F1}s", distributed.candidateTimeoutSeconds)
                  .str()
            : std::string("none"));
  }
  auto result = runSearchDistributed(space, strategy, evaluator, options, comm,
                                     distributed);
  if (result && log) {
    int64_t evaluated =
        int64_t(result->records.size()) - result->fromCheckpoint;
    int64_t requeued = 0;
    for (const CandidateRecord &r : result->records)
      requeued += r.requeued;
    double minutes = std::max(result->seconds, 1e-9) / 60.0;
    *log << llvm::formatv("search: {0} candidates evaluated by {1} workers in "
                          "{2:F2}s ({3:F2} per minute), {4} re-queued\n",
                          evaluated, ranks - 1, result->seconds,
                          double(evaluated) / minutes, requeued);
  }
  return result;
}

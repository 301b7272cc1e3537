//===- DistributedDriver.h - one rank's part in a driver run ----*- C++ -*-===//
//
// What a compiler driver (tnasc-mpi) needs around runSearchDistributed when
// every rank runs the whole driver on the same input:
//  - a sensible number of training threads per worker rank;
//  - one collective meeting point just before the search, so that a rank
//    that failed on its own (say the dataset is missing on its node) makes
//    every rank stop with an error instead of leaving the others waiting,
//    and a failure every rank shares (a bad spec) is reported once, by
//    rank 0;
//  - the search itself, with rank 0 logging who took part and the
//    throughput.
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_SEARCH_DISTRIBUTEDDRIVER_H
#define TNAS_SEARCH_DISTRIBUTEDDRIVER_H

#include "tnas/Search/DistributedMPI.h"

#include "llvm/Support/raw_ostream.h"

namespace tnas::search {

class DistributedDriverRank {
public:
  /// Collective over `comm`: every rank constructs one, after MPI_Init.
  explicit DistributedDriverRank(MPI_Comm comm);

  int rank() const { return rankInComm; }
  int size() const { return ranks; }
  bool isCoordinator() const { return rankInComm == 0; }

  /// Training threads for a worker rank that was not told (-j): the cores
  /// this rank may run on, shared with the other worker ranks of its node
  /// (rank 0 only coordinates and is not counted). At least 1.
  unsigned defaultWorkerThreads() const { return workerThreads; }

  /// The collective meeting point before the search. Every rank calls it
  /// exactly once: with ok = true right before the search, or with ok =
  /// false when it failed before getting there. An error on every rank
  /// when some rank was not ok: on rank 0 it names the worker ranks that
  /// failed. `threads` is this rank's training threads, logged by rank 0.
  llvm::Error meetBeforeSearch(bool ok, unsigned threads);
  bool met() const { return didMeet; }
  /// After meetBeforeSearch: whether rank 0 failed (then it reports the
  /// failure and the workers stay quiet).
  bool coordinatorFailed() const { return rank0Failed; }

  /// meetBeforeSearch(true, threads), then runSearchDistributed. Rank 0
  /// logs to `options.progress` how many workers take part and, at the
  /// end, the candidates evaluated per minute.
  llvm::Expected<SearchResult> search(const std::vector<SpaceVariable> &space,
                                      Strategy &strategy, Evaluator &evaluator,
                                      const RunnerOptions &options,
                                      const DistributedOptions &distributed,
                                      unsigned threads);

private:
  MPI_Comm comm;
  int rankInComm = 0, ranks = 1;
  unsigned workerThreads = 1;
  bool didMeet = false, rank0Failed = false;
  std::vector<int> threadsByRank;
};

} // namespace tnas::search

#endif // TNAS_SEARCH_DISTRIBUTEDDRIVER_H

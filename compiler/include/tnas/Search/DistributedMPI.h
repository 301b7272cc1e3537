//===- DistributedMPI.h - candidate evaluation over MPI ranks ---*- C++ -*-===//
//
// Rank 0 of a communicator coordinates the search (strategy, cache,
// checkpoint, progress: see DistributedCoordinator.h); ranks 1..N-1 each
// evaluate one candidate at a time with their own Evaluator, which reads the
// dataset itself from a shared filesystem. Built only when MPI is found
// (TNAS_ENABLE_MPI; the library defines TNAS_HAVE_MPI for its users).
//
// Messages (docs/distributed.md has the byte counts):
//   rank 0 -> worker  kTagWork    int64[1 + variables]: slot id, choice values
//   rank 0 -> worker  kTagStop    empty: the search is over
//   worker -> rank 0  kTagResult  char[]: 8-byte slot id, the record's JSON
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_SEARCH_DISTRIBUTEDMPI_H
#define TNAS_SEARCH_DISTRIBUTEDMPI_H

#include "tnas/Search/DistributedCoordinator.h"
#include "tnas/Search/DistributedLaunch.h"

#include <mpi.h>

namespace tnas::search {

// launchedByMPI() (DistributedLaunch.h) reads the launcher's environment
// before MPI_Init, so that a plain run never initializes MPI.

/// Initializes MPI for the lifetime of the object (unless it already is) and
/// finalizes it at the end. Under a launcher only; see launchedByMPI().
class MPISession {
public:
  MPISession(int &argc, char **&argv);
  ~MPISession();
  MPISession(const MPISession &) = delete;
  MPISession &operator=(const MPISession &) = delete;
  int rank() const { return rankInWorld; }
  int size() const { return sizeOfWorld; }

private:
  bool owns = false;
  int rankInWorld = 0, sizeOfWorld = 1;
};

/// Ranks 1..N-1 of `comm` as a WorkerPool for the coordinator on rank 0.
class MPIWorkerPool final : public WorkerPool {
public:
  explicit MPIWorkerPool(MPI_Comm comm);
  int size() const override { return ranks - 1; }
  void assign(int worker, uint64_t slot, const Choice &choice) override;
  std::optional<WorkerAnswer> wait(double seconds) override;
  void shutdown() override;

private:
  MPI_Comm comm;
  int ranks = 1;
  bool stopped = false;
};

/// The loop of a worker rank: evaluates each choice rank 0 sends and answers
/// with the record, until rank 0 says stop.
void serveCandidates(Evaluator &evaluator, MPI_Comm comm);

/// Every rank of `comm` calls this with the same space and options. Rank 0
/// runs the search over the other ranks and returns its result; the other
/// ranks evaluate with `evaluator` and return an empty result (no records)
/// once rank 0 is done. With a single rank it is runSearch().
llvm::Expected<SearchResult>
runSearchDistributed(const std::vector<SpaceVariable> &space,
                     Strategy &strategy, Evaluator &evaluator,
                     const RunnerOptions &options, MPI_Comm comm,
                     const DistributedOptions &distributed = {});

} // namespace tnas::search

#endif // TNAS_SEARCH_DISTRIBUTEDMPI_H

//===- DistributedMPI.cpp - candidate evaluation over MPI ranks -----------===//
//
// Waiting is done by probing and sleeping briefly rather than in blocking
// MPI calls: Open MPI busy-polls inside MPI_Recv, and on an oversubscribed
// host an idle coordinator must not take a core from a training worker.
//
//===----------------------------------------------------------------------===//
#include "tnas/Search/DistributedMPI.h"

#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

using namespace tnas::search;

namespace {

constexpr int kCoordinator = 0;
constexpr int kTagWork = 1;
constexpr int kTagStop = 2;
constexpr int kTagResult = 3;
constexpr auto kPollInterval = std::chrono::microseconds(200);

/// Waits for a message matching (source, tag) for at most `seconds`
/// (forever when negative); true with `status` filled when one is there.
bool probe(MPI_Comm comm, int source, int tag, double seconds,
           MPI_Status &status) {
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::duration<double>(std::max(seconds, 0.0));
  for (;;) {
    int flag = 0;
    MPI_Iprobe(source, tag, comm, &flag, &status);
    if (flag)
      return true;
    if (seconds >= 0 && std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(kPollInterval);
  }
}

} // namespace

MPISession::MPISession(int &argc, char **&argv) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    MPI_Init(&argc, &argv);
    owns = true;
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rankInWorld);
  MPI_Comm_size(MPI_COMM_WORLD, &sizeOfWorld);
}

MPISession::~MPISession() {
  if (owns)
    MPI_Finalize();
}

MPIWorkerPool::MPIWorkerPool(MPI_Comm comm) : comm(comm) {
  MPI_Comm_size(comm, &ranks);
}

void MPIWorkerPool::assign(int worker, uint64_t slot, const Choice &choice) {
  std::vector<int64_t> message;
  message.reserve(choice.size() + 1);
  message.push_back(static_cast<int64_t>(slot));
  message.insert(message.end(), choice.begin(), choice.end());
  MPI_Send(message.data(), static_cast<int>(message.size()), MPI_INT64_T,
           worker + 1, kTagWork, comm);
}

std::optional<WorkerAnswer> MPIWorkerPool::wait(double seconds) {
  MPI_Status status;
  if (!probe(comm, MPI_ANY_SOURCE, kTagResult, seconds, status))
    return std::nullopt;
  int bytes = 0;
  MPI_Get_count(&status, MPI_CHAR, &bytes);
  std::string buffer(bytes, '\0');
  MPI_Recv(buffer.data(), bytes, MPI_CHAR, status.MPI_SOURCE, kTagResult, comm,
           MPI_STATUS_IGNORE);
  WorkerAnswer answer;
  answer.worker = status.MPI_SOURCE - 1;
  if (bytes < static_cast<int>(sizeof(uint64_t))) {
    answer.slot = UINT64_MAX; // no such slot: the coordinator ignores it
    return answer;
  }
  std::memcpy(&answer.slot, buffer.data(), sizeof(uint64_t));
  answer.recordJSON = buffer.substr(sizeof(uint64_t));
  return answer;
}

void MPIWorkerPool::shutdown() {
  if (stopped)
    return;
  stopped = true;
  // Eager, buffered sends: a busy or hung worker reads its stop later
  // without holding the coordinator up.
  for (int rank = 1; rank < ranks; ++rank)
    MPI_Send(nullptr, 0, MPI_CHAR, rank, kTagStop, comm);
}

void tnas::search::serveCandidates(Evaluator &evaluator, MPI_Comm comm) {
  for (;;) {
    MPI_Status status;
    probe(comm, kCoordinator, MPI_ANY_TAG, -1, status);
    if (status.MPI_TAG != kTagWork) {
      MPI_Recv(nullptr, 0, MPI_CHAR, kCoordinator, status.MPI_TAG, comm,
               MPI_STATUS_IGNORE);
      return;
    }
    int count = 0;
    MPI_Get_count(&status, MPI_INT64_T, &count);
    std::vector<int64_t> message(std::max(count, 1));
    MPI_Recv(message.data(), count, MPI_INT64_T, kCoordinator, kTagWork, comm,
             MPI_STATUS_IGNORE);
    uint64_t slot = static_cast<uint64_t>(message[0]);
    Choice choice(message.begin() + 1, message.begin() + std::max(count, 1));

    CandidateRecord record = evaluator.evaluate(choice);
    record.choice = choice;
    std::string answer(sizeof(uint64_t), '\0');
    std::memcpy(answer.data(), &slot, sizeof(uint64_t));
    llvm::raw_string_ostream os(answer);
    os << record.toJSON();
    os.flush();
    MPI_Send(answer.data(), static_cast<int>(answer.size()), MPI_CHAR,
             kCoordinator, kTagResult, comm);
  }
}

llvm::Expected<SearchResult>
tnas::search::runSearchDistributed(const std::vector<SpaceVariable> &space,
                                   Strategy &strategy, Evaluator &evaluator,
                                   const RunnerOptions &options, MPI_Comm comm,
                                   const DistributedOptions &distributed) {
  int rank = 0, ranks = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &ranks);
  if (ranks == 1)
    return runSearch(space, strategy, evaluator, options);
  if (rank != kCoordinator) {
    serveCandidates(evaluator, comm);
    return SearchResult();
  }
  MPIWorkerPool pool(comm);
  return runSearchOnPool(space, strategy, pool, options, distributed);
}

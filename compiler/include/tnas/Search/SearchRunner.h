//===- SearchRunner.h - drive a strategy under budgets ----------*- C++ -*-===//
//
// The runner asks the strategy for choices, answers repeats from its cache,
// evaluates the rest through an Evaluator (cost model first, training only for
// candidates within every bound), appends each finished record to a
// checkpoint file at once, and stops on the time budget, the candidate
// budget, the end of the strategy, or an interrupt.
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_SEARCH_SEARCHRUNNER_H
#define TNAS_SEARCH_SEARCHRUNNER_H

#include "tnas/Search/Candidate.h"

#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <map>

namespace tnas::search {

class Evaluator {
public:
  virtual ~Evaluator();
  /// Prices and, when within bounds, trains one candidate. Must return a
  /// record for every choice (Rejected or Failed with a reason on trouble).
  virtual CandidateRecord evaluate(const Choice &choice) = 0;
};

struct RunnerOptions {
  double timeBudgetSeconds = 0;  ///< 0: none
  int64_t candidateBudget = 0;   ///< trained candidates; 0: none
  /// Points in the space (0: unknown); bounds the ETA when the strategy can
  /// visit fewer candidates than the budget allows.
  uint64_t spacePoints = 0;
  std::string checkpointPath;    ///< JSON lines; empty: no checkpoint
  bool resume = false;           ///< read finished records from the checkpoint
  /// Identifies the search (space, strategy, seed, training recipe); a
  /// checkpoint written for another search is refused on resume.
  std::string fingerprint;
  std::vector<ObjectiveTerm> objective = {{"accuracy", true}};
  llvm::raw_ostream *progress = nullptr; ///< progress display, or none
  bool progressIsTerminal = false;       ///< redraw one line instead of many
  /// Set asynchronously (SIGINT/SIGTERM) to stop between candidates.
  const std::atomic<bool> *interrupt = nullptr;
};

enum class StopReason { Exhausted, TimeBudget, CandidateBudget, Interrupted };
llvm::StringRef stopReasonName(StopReason reason);

struct SearchResult {
  /// Every candidate the strategy visited, in visit order, each once.
  std::vector<CandidateRecord> records;
  int64_t trained = 0, rejected = 0, failed = 0;
  int64_t fromCheckpoint = 0; ///< records reused from a previous run
  StopReason stop = StopReason::Exhausted;
  double seconds = 0;
};

/// The bookkeeping every runner shares: the visited records and their
/// counts, the stop conditions, the score a strategy sees, and the progress
/// line. Runners differ only in how they get records evaluated.
class SearchLedger {
public:
  explicit SearchLedger(const RunnerOptions &options);

  double elapsed() const;
  /// Why the search must stop before visiting another candidate: an
  /// interrupt, the time budget, or the candidate budget; none otherwise.
  std::optional<StopReason> stopReason() const;
  /// The visited record of `key`, or null.
  const CandidateRecord *find(llvm::StringRef key) const;
  /// What the strategy observes: the first objective term, negated when it
  /// is minimized; std::nullopt unless the candidate trained.
  std::optional<double> scoreOf(const CandidateRecord &record) const;
  /// Appends a finished record, counts it and redraws the progress line.
  const CandidateRecord &add(CandidateRecord record, bool fromCheckpoint);
  /// Ends the progress display and hands the result over.
  SearchResult finish(StopReason stop);

private:
  const RunnerOptions &options;
  std::chrono::steady_clock::time_point start;
  SearchResult result;
  std::map<std::string, size_t> visited; // choice key -> index in records
  double trainSeconds = 0;               // fresh training time, for the ETA
  int64_t freshTrained = 0;

  void showProgress(const CandidateRecord &last);
};

llvm::Expected<SearchResult> runSearch(const std::vector<SpaceVariable> &space,
                                       Strategy &strategy, Evaluator &evaluator,
                                       const RunnerOptions &options);

} // namespace tnas::search

#endif // TNAS_SEARCH_SEARCHRUNNER_H

//===- SearchRunner.cpp - drive a strategy under budgets ------------------===//
#include "tnas/Search/SearchRunner.h"
#include "tnas/Search/Checkpoint.h"

#include "llvm/Support/FormatVariadic.h"

using namespace tnas::search;

Evaluator::~Evaluator() = default;

llvm::StringRef tnas::search::stopReasonName(StopReason reason) {
  switch (reason) {
  case StopReason::Exhausted: return "strategy finished";
  case StopReason::TimeBudget: return "time budget reached";
  case StopReason::CandidateBudget: return "candidate budget reached";
  case StopReason::Interrupted: return "interrupted";
  }
  llvm_unreachable("unknown stop reason");
}

namespace {

std::string formatDuration(double s) {
  if (s < 60)
    return llvm::formatv("{0}s", int64_t(s)).str();
  return llvm::formatv("{0}m{1:2}s", int64_t(s) / 60, int64_t(s) % 60).str();
}

} // namespace

SearchLedger::SearchLedger(const RunnerOptions &options)
    : options(options), start(std::chrono::steady_clock::now()) {}

double SearchLedger::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                       start)
      .count();
}

std::optional<StopReason> SearchLedger::stopReason() const {
  if (options.interrupt && options.interrupt->load())
    return StopReason::Interrupted;
  if (options.timeBudgetSeconds > 0 && elapsed() >= options.timeBudgetSeconds)
    return StopReason::TimeBudget;
  if (options.candidateBudget > 0 && result.trained >= options.candidateBudget)
    return StopReason::CandidateBudget;
  return std::nullopt;
}

const CandidateRecord *SearchLedger::find(llvm::StringRef key) const {
  auto it = visited.find(key.str());
  return it == visited.end() ? nullptr : &result.records[it->second];
}

std::optional<double>
SearchLedger::scoreOf(const CandidateRecord &record) const {
  // The strategy steers by the first objective term (accuracy normally),
  // negated when it is minimized so that larger is always better.
  if (record.status != CandidateStatus::Trained)
    return std::nullopt;
  const ObjectiveTerm &term = options.objective.front();
  std::optional<double> v = metricValue(record, term.metric);
  if (v && !term.maximize)
    *v = -*v;
  return v;
}

const CandidateRecord &SearchLedger::add(CandidateRecord record,
                                         bool fromCheckpoint) {
  if (fromCheckpoint)
    ++result.fromCheckpoint;
  else if (record.status == CandidateStatus::Trained) {
    trainSeconds += record.trainSeconds;
    ++freshTrained;
  }
  switch (record.status) {
  case CandidateStatus::Trained: ++result.trained; break;
  case CandidateStatus::Rejected: ++result.rejected; break;
  case CandidateStatus::Failed: ++result.failed; break;
  }
  visited[record.choiceKey] = result.records.size();
  result.records.push_back(std::move(record));
  showProgress(result.records.back());
  return result.records.back();
}

SearchResult SearchLedger::finish(StopReason stop) {
  if (options.progress && options.progressIsTerminal)
    *options.progress << "\n";
  result.stop = stop;
  result.seconds = elapsed();
  return std::move(result);
}

void SearchLedger::showProgress(const CandidateRecord &last) {
  if (!options.progress)
    return;
  std::optional<size_t> best = pickBest(result.records, options.objective);
  std::string line = llvm::formatv(
      "search: {0} visited, {1} trained, {2} rejected, {3} failed",
      result.records.size(), result.trained, result.rejected, result.failed);
  if (best)
    line += llvm::formatv(" | best {0:P1} ({1})",
                          result.records[*best].accuracy,
                          result.records[*best].choiceKey)
                .str();
  line += " | " + formatDuration(elapsed());
  // Candidates that may still be trained: the budget's, and never more than
  // the points not visited yet; the time budget caps the estimate.
  int64_t left = -1;
  if (options.candidateBudget > 0)
    left = options.candidateBudget - result.trained;
  if (options.spacePoints > 0) {
    int64_t unvisited = int64_t(options.spacePoints) - result.records.size();
    left = left < 0 ? unvisited : std::min(left, unvisited);
  }
  if (left >= 0 && freshTrained > 0) {
    double eta = left * trainSeconds / freshTrained;
    if (options.timeBudgetSeconds > 0)
      eta = std::min(eta, std::max(0.0, options.timeBudgetSeconds - elapsed()));
    line += ", ETA " + formatDuration(eta);
  } else if (options.timeBudgetSeconds > 0) {
    line += " of " + formatDuration(options.timeBudgetSeconds);
  }
  line += " | last " + last.choiceKey + " " + statusName(last.status).str();
  if (options.progressIsTerminal)
    *options.progress << "\r\x1b[K" << line;
  else
    *options.progress << line << "\n";
  options.progress->flush();
}

llvm::Expected<SearchResult>
tnas::search::runSearch(const std::vector<SpaceVariable> &space,
                        Strategy &strategy, Evaluator &evaluator,
                        const RunnerOptions &options) {
  SearchLedger ledger(options);
  std::map<std::string, CandidateRecord> previous;
  if (options.resume && !options.checkpointPath.empty()) {
    auto read = readCheckpoint(options.checkpointPath, options.fingerprint);
    if (!read)
      return read.takeError();
    previous = std::move(*read);
  }
  CheckpointWriter checkpoint;
  if (!options.checkpointPath.empty())
    if (llvm::Error e = checkpoint.open(options.checkpointPath,
                                        options.fingerprint, options.resume))
      return std::move(e);

  for (;;) {
    if (std::optional<StopReason> stop = ledger.stopReason())
      return ledger.finish(*stop);
    std::optional<Choice> choice = strategy.propose();
    if (!choice)
      return ledger.finish(StopReason::Exhausted);
    std::string key = choiceKey(space, *choice);
    if (const CandidateRecord *seen = ledger.find(key)) {
      // A strategy may revisit; never re-evaluate.
      strategy.observe(*choice, ledger.scoreOf(*seen));
      continue;
    }

    auto old = previous.find(key);
    bool fromCheckpoint = old != previous.end();
    CandidateRecord record;
    if (fromCheckpoint) {
      record = old->second;
    } else {
      record = evaluator.evaluate(*choice);
      record.choice = *choice;
      record.choiceKey = key;
      // An interrupt during training leaves the candidate unfinished: it is
      // neither recorded nor checkpointed, and a resumed run trains it again.
      if (options.interrupt && options.interrupt->load())
        return ledger.finish(StopReason::Interrupted);
      checkpoint.write(record);
    }
    const CandidateRecord &added = ledger.add(std::move(record), fromCheckpoint);
    strategy.observe(*choice, ledger.scoreOf(added));
  }
}

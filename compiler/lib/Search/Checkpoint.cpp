//===- Checkpoint.cpp - JSON-lines record of finished candidates ----------===//
#include "tnas/Search/Checkpoint.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace tnas::search;
namespace json = llvm::json;

static llvm::Error checkpointError(llvm::StringRef path,
                                   const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 path + ": " + msg);
}

llvm::Expected<std::map<std::string, CandidateRecord>>
tnas::search::readCheckpoint(llvm::StringRef path,
                             llvm::StringRef fingerprint) {
  std::map<std::string, CandidateRecord> records;
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer) {
    if (buffer.getError() == std::errc::no_such_file_or_directory)
      return records; // nothing to resume yet
    return checkpointError(path, buffer.getError().message());
  }
  llvm::SmallVector<llvm::StringRef> lines;
  (*buffer)->getBuffer().split(lines, '\n', -1, /*KeepEmpty=*/false);
  for (size_t i = 0; i < lines.size(); ++i) {
    llvm::Expected<json::Value> v = json::parse(lines[i]);
    if (!v) {
      llvm::consumeError(v.takeError());
      if (i + 1 == lines.size())
        break; // torn final write
      return checkpointError(path,
                             llvm::formatv("line {0} is not JSON", i + 1));
    }
    if (i == 0) {
      const json::Object *o = v->getAsObject();
      std::optional<llvm::StringRef> fp =
          o ? o->getString("search") : std::nullopt;
      if (!fp)
        return checkpointError(path, "not a tnasc checkpoint");
      if (*fp != fingerprint)
        return checkpointError(
            path, "was written by a different search (space, strategy, seed, "
                  "training recipe or thread count -j changed); remove it or "
                  "drop --resume");
      continue;
    }
    llvm::Expected<CandidateRecord> r = CandidateRecord::fromJSON(*v);
    if (!r)
      return checkpointError(
          path,
          llvm::formatv("line {0}: {1}", i + 1, llvm::toString(r.takeError())));
    records[r->choiceKey] = std::move(*r);
  }
  return records;
}

llvm::Error CheckpointWriter::open(llvm::StringRef path,
                                   llvm::StringRef fingerprint, bool append) {
  // A stream opened for appending reports position 0 until it writes:
  // whether the file already has its header is the file's size.
  uint64_t existing = 0;
  if (append && llvm::sys::fs::file_size(path, existing))
    existing = 0;
  std::error_code ec;
  os = std::make_unique<llvm::raw_fd_ostream>(
      path, ec, append ? llvm::sys::fs::OF_Append : llvm::sys::fs::OF_None);
  if (ec)
    return checkpointError(path, "cannot write: " + ec.message());
  if (!append || existing == 0) {
    *os << json::Value(
               json::Object{{"search", fingerprint}, {"tnas_checkpoint", 1}})
        << "\n";
    os->flush();
  }
  return llvm::Error::success();
}

void CheckpointWriter::write(const CandidateRecord &record) {
  if (!os)
    return;
  *os << record.toJSON() << "\n";
  os->flush();
}

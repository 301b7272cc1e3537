//===- MemoryPlan.cpp - the emitter's arena, laid out by the cost model ---===//
#include "tnas/Target/Cpp/MemoryPlan.h"

#include "tnas/Search/MemoryPlanner.h"

#include <string>

namespace tnas {

llvm::Expected<int64_t> planArena(std::vector<PlannedBuffer> &buffers,
                                  int64_t alignment) {
  std::vector<cost::BufferRequest> requests;
  requests.reserve(buffers.size());
  for (size_t i = 0; i < buffers.size(); ++i) {
    const PlannedBuffer &b = buffers[i];
    requests.push_back({"buffer" + std::to_string(i), b.bytes, b.firstUse,
                        b.lastUse, std::nullopt});
  }
  llvm::Expected<cost::MemoryPlan> plan = cost::planMemory(requests, alignment);
  if (!plan)
    return plan.takeError();
  for (size_t i = 0; i < buffers.size(); ++i)
    buffers[i].offset = plan->buffers[i].offset;
  return plan->arenaSize;
}

} // namespace tnas

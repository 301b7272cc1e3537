//===- MemoryPlan.h - offsets of the activation buffers in the arena ------===//
//
// The emitter's view of the static arena: each buffer lives from the layer
// that writes it to the last layer that reads it. The layout itself is the
// cost model's planner (tnas/Search/MemoryPlanner.h, greedy by size as TFLite
// Micro's), so the RAM the search priced and the arena the firmware gets are
// planned by one piece of code.
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_TARGET_CPP_MEMORYPLAN_H
#define TNAS_TARGET_CPP_MEMORYPLAN_H

#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace tnas {

struct PlannedBuffer {
  int64_t bytes = 0;
  int firstUse = 0; ///< index of the writing layer
  int lastUse = 0;  ///< index of the last reading layer
  int64_t offset = -1;
};

/// Assigns every buffer's offset with cost::planMemory; returns the arena
/// size (a multiple of `alignment`).
llvm::Expected<int64_t> planArena(std::vector<PlannedBuffer> &buffers,
                                  int64_t alignment = 4);

} // namespace tnas

#endif // TNAS_TARGET_CPP_MEMORYPLAN_H

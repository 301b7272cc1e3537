//===- CppWriter.h - prints the emitted library from a DeviceModel --------===//
#ifndef TNAS_TARGET_CPP_CPPWRITER_H
#define TNAS_TARGET_CPP_CPPWRITER_H

#include "tnas/Target/Cpp/DeviceModel.h"

#include <string>
#include <vector>

namespace tnas {

/// The trainer's storage, decided from the options and the RAM bound.
struct TrainerPlan {
  std::string scheme;     ///< runtime enumerator: TinyOL | TyBox | Knn
  std::string policy;     ///< Fifo | Reservoir | Misclassified | Conflict
  std::string adaptation; ///< Passive | Active | Hybrid
  std::string anchorScope; ///< All | Agreed
  int64_t bufferCapacity = 0;
  int64_t maxClasses = 0;
  int64_t stateBytes = 0;      ///< tnas_rt::trainerStateBytes
  int64_t trainerRamBytes = 0; ///< weights, bias, buffer, scratch
  uint32_t modelId = 0;
};

llvm::Expected<TrainerPlan> planTrainer(const DeviceModel &model,
                                        const EmitOptions &options);

std::string writeHeader(const DeviceModel &model, const TrainerPlan &plan,
                        const EmitOptions &options);
std::string writeSource(const DeviceModel &model, const TrainerPlan &plan,
                        const EmitOptions &options);
std::string writeBuildFile(const DeviceModel &model,
                           const std::vector<std::string> &runtimeFiles);

/// Runtime files (relative to runtime/include/tnas_rt or runtime/src) that
/// the emitted code uses, headers first.
std::vector<std::string> runtimeFilesFor(const DeviceModel &model,
                                         const EmitOptions &options);

} // namespace tnas

#endif // TNAS_TARGET_CPP_CPPWRITER_H

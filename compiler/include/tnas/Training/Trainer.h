//===- Trainer.h - the host training loop -----------------------*- C++ -*-===//
//
// Trains a Network on the host with the JIT-compiled step of
// TrainingKernels: epochs of shuffled mini-batches (the last partial batch
// is dropped), a learning-rate schedule, Adam or SGD with momentum, early
// stop when the loss becomes NaN/Inf, a progress line per epoch, and an
// interrupt flag checked between batches. For a given seed and thread count
// the result is deterministic bit for bit.
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_TRAINING_TRAINER_H
#define TNAS_TRAINING_TRAINER_H

#include "tnas/Model/Weights.h"
#include "tnas/Training/TrainingKernels.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace tnas {

enum class LrSchedule { Constant, Step, Cosine };

struct TrainedWeights;

struct TrainOptions {
  TrainingStepConfig step; ///< batch, threads, optimizer
  int64_t epochs = 1;
  double learningRate = 1e-3;
  double momentum = 0.9;             ///< SGD
  double beta1 = 0.9, beta2 = 0.999; ///< Adam
  double epsilon = 1e-8;             ///< Adam
  double weightDecay = 0.0;
  LrSchedule schedule = LrSchedule::Constant;
  int64_t stepEvery = 1;  ///< Step: epochs between decays
  double stepGamma = 0.1; ///< Step: decay factor
  uint64_t seed = 1;
  /// trainNetwork starts from these parameters instead of a seeded
  /// initialisation (fine-tuning); the layout must match the network's.
  const TrainedWeights *initialWeights = nullptr;
  /// Progress lines go here (nullptr: silent).
  llvm::raw_ostream *progress = nullptr;
  /// Checked between batches; training stops when it becomes true.
  const std::atomic<bool> *interrupt = nullptr;
};

/// A view of a labelled data set: NHWC float images and labels.
struct TrainingData {
  llvm::ArrayRef<float> images;
  llvm::ArrayRef<int32_t> labels;
  size_t size() const { return labels.size(); }
};

/// The trained parameters, in the flat layout of ParameterLayout.
struct TrainedWeights {
  ParameterLayout layout;
  std::vector<float> params;  ///< P values
  std::vector<float> running; ///< B values: batchnorm running statistics
  /// The values of one slot (e.g. layout.layers[i].weight).
  llvm::ArrayRef<float> paramSlot(const FlatSlot &s) const {
    return llvm::ArrayRef<float>(params).slice(s.offset, s.size());
  }
  llvm::ArrayRef<float> bufferSlot(const FlatSlot &s) const {
    return llvm::ArrayRef<float>(running).slice(s.offset, s.size());
  }
};

/// The trained parameters as the per-layer fp32 Weights the inference IR
/// builder and the quantizer take (checked with checkWeights).
llvm::Expected<Weights> toWeights(const Network &net, const TrainedWeights &w,
                                  double bnEpsilon);

struct EpochStats {
  int64_t epoch = 0;
  double loss = 0, accuracy = 0; ///< training, over the epoch's samples
  double samplesPerSecond = 0, seconds = 0;
  double learningRate = 0;
  double validationAccuracy = -1; ///< -1 without validation data
};

struct EvalStats {
  double loss = 0, accuracy = 0;
  int64_t samples = 0;
};

struct TrainResult {
  TrainedWeights weights;
  std::vector<EpochStats> epochs;
  bool failed = false;       ///< the loss became NaN/Inf
  std::string failureReason; ///< why, when failed
  bool interrupted = false;
  double compileSeconds = 0;
};

class Trainer {
public:
  ~Trainer();
  static llvm::Expected<std::unique_ptr<Trainer>>
  create(const Network &net, const TrainOptions &options);

  /// PyTorch's default initialisation: weights and biases uniform in
  /// +-1/sqrt(fan_in), batchnorm gamma 1, beta 0, running (0, 1).
  void initialize(uint64_t seed);
  /// Replaces the parameters (e.g. to resume or to test).
  void setWeights(const TrainedWeights &w);
  TrainedWeights weights() const;

  /// One pass over `data` in a seeded shuffled order. Sets `failed` (with a
  /// reason) when the loss is not finite; stops early when interrupted.
  EpochStats runEpoch(const TrainingData &data, int64_t epoch);
  /// Inference-mode loss and accuracy over every sample of `data`.
  EvalStats evaluate(const TrainingData &data);

  bool failed() const { return failed_; }
  const std::string &failureReason() const { return failure_; }
  bool interrupted() const { return interrupted_; }
  const TrainingKernels &kernels() const { return *kernels_; }
  int64_t stepsDone() const { return step_; }

private:
  Trainer() = default;
  double learningRateAt(int64_t epoch, int64_t stepInEpoch,
                        int64_t stepsPerEpoch) const;
  void runStep(const float *x, const int32_t *labels, double lr,
               float metrics[2]);

  class Workers;
  TrainOptions options_;
  std::unique_ptr<TrainingKernels> kernels_;
  std::unique_ptr<Workers> workers_;
  std::vector<float> params_, state_, running_;
  std::vector<float> grads_, batchStats_, sliceMetrics_;
  std::vector<float> batchX_;
  std::vector<int32_t> batchLabels_;
  int64_t step_ = 0;
  bool failed_ = false, interrupted_ = false;
  std::string failure_;
};

/// Compiles, initialises and trains for options.epochs epochs, with an
/// optional validation set evaluated after each epoch.
llvm::Expected<TrainResult> trainNetwork(const Network &net,
                                         const TrainingData &train,
                                         const TrainingData *validation,
                                         const TrainOptions &options);

} // namespace tnas

#endif // TNAS_TRAINING_TRAINER_H

//===- CandidateTraining.h - train networks the way the spec says -*- C++ -*-===//
#ifndef TNAS_DRIVER_CANDIDATETRAINING_H
#define TNAS_DRIVER_CANDIDATETRAINING_H

#include "tnas/Driver/SpecData.h"
#include "tnas/Driver/SpecEvaluator.h"
#include "tnas/Model/Weights.h"
#include "tnas/Training/Trainer.h"

namespace tnas::driver {

/// Trainer options from the spec's recipe (optimizer, learning rate, batch,
/// seed), for `epochs` epochs on `threads` threads.
TrainOptions trainOptionsFor(const Spec &spec, int64_t epochs,
                             unsigned threads);

/// Epochs of the final training of the chosen architecture: the spec's
/// `final epochs`, else three times the candidates' epochs.
int64_t finalEpochs(const Spec &spec);

/// The search's TrainCandidateFn: trains a candidate on the recipe's subset
/// of the training set and scores it on the validation set. A candidate
/// whose loss becomes NaN/Inf fails with that reason; the search goes on.
/// `jitCacheDir` (may be empty: none) keeps the compiled training steps, so
/// that the final training and a resumed search do not compile them again.
TrainCandidateFn makeCandidateTrainer(const Spec &spec, const SpecData &data,
                                      unsigned threads,
                                      const std::atomic<bool> *interrupt,
                                      llvm::raw_ostream *progress,
                                      std::string jitCacheDir = "");

/// The per-layer fp32 weights of a trained network (the IR builder's input).
llvm::Expected<Weights> toModelWeights(const Network &net,
                                       const TrainedWeights &trained,
                                       float bnEpsilon);

/// The inverse: per-layer weights in the trainer's flat layout, to continue
/// training them (fine-tuning after pruning).
llvm::Expected<TrainedWeights> toTrainedWeights(const Network &net,
                                                const Weights &weights,
                                                OptimizerKind optimizer);

/// Trainer options of the final training of the chosen architecture: the
/// spec's `final` recipe over the candidates' one (--quick: 2 epochs).
TrainOptions finalTrainOptions(const Spec &spec, bool quick, unsigned threads);

} // namespace tnas::driver

#endif // TNAS_DRIVER_CANDIDATETRAINING_H

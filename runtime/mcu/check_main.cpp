//===- check_main.cpp - does the device reproduce the host's int8? --------===//
//
// Linked with an emitted library and the check_data.h tnasc wrote beside it
// (<out>/check/). For each reference image: quantize the float input as the
// firmware would, run the int8 feature extractor, compare every byte with the
// host JIT's features, and classify with the trained classifier. Exits with
// 0 only when no byte differs and the classifier picks the host's class
// wherever the host's decision is clear. Runs on the host and, with -DTNAS_MCU,
// under QEMU (scripts/device-check.sh).
//
//===----------------------------------------------------------------------===//
#include "check_data.h"

#include <stdio.h>
#ifdef TNAS_MCU
#include "mcu_harness.h"
#endif

int main() {
  if (tnas_init() != TNAS_OK) {
    printf("device-check: tnas_init failed\n");
    return 2;
  }
  static int8_t input[kCheckPixels];
  static int8_t features[kCheckFeatures];
  int mismatchedBytes = 0, mismatchedSamples = 0, correct = 0;
  int agree = 0, decisiveDisagreements = 0;
  for (int i = 0; i < kCheckSamples; ++i) {
    tnas_quantize_input(kCheckImages[i], input);
    if (tnas_extract_features(input, features) != TNAS_OK) {
      printf("device-check: feature extraction failed on sample %d\n", i);
      return 2;
    }
    int bad = 0;
    for (int f = 0; f < kCheckFeatures; ++f)
      bad += features[f] != kCheckExpected[i][f];
    if (bad && mismatchedSamples++ < 5)
      printf("device-check: sample %d differs in %d of %d bytes\n", i, bad,
             (int)kCheckFeatures);
    mismatchedBytes += bad;
    tnas_prediction_t prediction;
    const int32_t status = tnas_predict(input, &prediction);
    if (status != TNAS_OK) {
      printf("device-check: tnas_predict failed on sample %d (%d)\n", i,
             (int)status);
      return 2;
    }
    correct += prediction.label == kCheckLabels[i];
    if (prediction.label == kCheckHostLabels[i])
      ++agree;
    else if (kCheckDecisive[i] && decisiveDisagreements++ < 5)
      printf("device-check: sample %d: class %d, the host says %d\n", i,
             (int)prediction.label, (int)kCheckHostLabels[i]);
  }
  /* A few learning steps, so that the stack measured next includes the
   * trainer's (the classifier has been compared already). */
  for (int i = 0; i < kCheckSamples && i < 8; ++i) {
    tnas_quantize_input(kCheckImages[i], input);
    if (tnas_learn(input, kCheckLabels[i]) != TNAS_OK) {
      printf("device-check: tnas_learn failed on sample %d\n", i);
      return 2;
    }
  }
  /* Saving and restoring the learned state, as firmware does to keep it in
   * flash (this also links the whole API into the measured footprint). */
  static tnas_state_t state;
  if (tnas_save_state(&state) != TNAS_OK ||
      tnas_restore_state(&state) != TNAS_OK) {
    printf("device-check: saving or restoring the classifier state failed\n");
    return 2;
  }
#ifdef TNAS_MCU
  /* Deepest stack of the library calls, before printf adds its own. */
  const unsigned libraryStack = (unsigned)mcu_stack_high_water();
#endif
  printf("device-check: %d samples, %d features each, %d mismatched bytes, "
         "accuracy %d/%d\n",
         (int)kCheckSamples, (int)kCheckFeatures, mismatchedBytes, correct,
         (int)kCheckSamples);
  printf("device-check: classifier agrees with the host on %d/%d\n", agree,
         (int)kCheckSamples);
#ifdef TNAS_MCU
  printf("device-check: stack high-water %u bytes (library calls), %u bytes "
         "(with printf)\n",
         libraryStack, (unsigned)mcu_stack_high_water());
#endif
  return mismatchedBytes == 0 && decisiveDisagreements == 0 ? 0 : 1;
}

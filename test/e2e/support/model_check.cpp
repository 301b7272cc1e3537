//===- model_check.cpp - an emitted library through its public API --------===//
//
// Links out/model.{h,cpp} (emitted with --name=model) and drives it the way
// firmware would: predictions on deterministic pseudo-random inputs, a fixed
// labelled stream for tnas_learn, a run-time class, save / restore, and the
// bad inputs that must return an error and change nothing. Built for the
// host and for the Cortex-M4; the lit tests compare both outputs (lines
// starting with "mcu:" are figures of the MCU build only).
//
//===----------------------------------------------------------------------===//
#include "model.h"

#include <stdio.h>
#include <string.h>

#ifdef TNAS_MCU
#include "mcu_harness.h"
#endif

namespace {

uint32_t rngState = 12345u;
int8_t nextByte() {
  rngState ^= rngState << 13;
  rngState ^= rngState >> 17;
  rngState ^= rngState << 5;
  return (int8_t)(rngState >> 24);
}

int8_t input[TNAS_INPUT_ELEMENTS];
int8_t features[TNAS_FEATURES];
tnas_state_t state, corrupt;
int failures = 0;

void makeInput(int32_t cls) {
  // Class-dependent structure plus noise, so that learning has a signal.
  for (int32_t i = 0; i < TNAS_INPUT_ELEMENTS; ++i) {
    int32_t v = nextByte() / 4 + (cls % 4) * 70 - 110 + ((i + cls) % 3) * 20;
    input[i] = (int8_t)(v > 127 ? 127 : (v < -128 ? -128 : v));
  }
}

void expect(bool ok, const char *what) {
  if (!ok) {
    printf("FAILED: %s\n", what);
    ++failures;
  }
}

void printPrediction(const char *tag, int32_t index) {
  tnas_prediction_t p;
  expect(tnas_predict(input, &p) == TNAS_OK, "tnas_predict");
  printf("%s %d label=%d scores", tag, (int)index, (int)p.label);
  for (int32_t c = 0; c < p.num_classes; ++c)
    printf(" %.6f", (double)p.scores[c]);
  printf("\n");
}

} // namespace

int main() {
  expect(tnas_learn(input, 0) == TNAS_ERR_NOT_INITIALIZED, "learn before init");
  expect(tnas_init() == TNAS_OK, "tnas_init");
  printf("classes=%d features=%d\n", (int)tnas_num_classes(),
         (int)TNAS_FEATURES);

  // Int8 features and predictions of the trained classifier.
  for (int32_t i = 0; i < 20; ++i) {
    makeInput(i % TNAS_NUM_CLASSES);
    expect(tnas_extract_features(input, features) == TNAS_OK, "features");
    printf("features %d", (int)i);
    for (int32_t f = 0; f < TNAS_FEATURES; ++f)
      printf(" %d", (int)features[f]);
    printf("\n");
    printPrediction("predict", i);
    tnas_prediction_t byInput, byFeatures;
    memset(&byInput, 0, sizeof(byInput));
    memset(&byFeatures, 0, sizeof(byFeatures));
    tnas_predict(input, &byInput);
    expect(tnas_predict_features(features, &byFeatures) == TNAS_OK,
           "tnas_predict_features");
    expect(memcmp(&byInput, &byFeatures, sizeof(byInput)) == 0,
           "tnas_predict_features differs from tnas_predict");
  }

  // Bad inputs: an error code, and the classifier unchanged.
  makeInput(0);
  tnas_prediction_t before, after;
  memset(&before, 0, sizeof(before)); // scores beyond num_classes stay 0
  memset(&after, 0, sizeof(after));
  tnas_predict(input, &before);
  expect(tnas_learn(nullptr, 0) == TNAS_ERR_NULL_POINTER, "null input");
  expect(tnas_learn(input, -1) == TNAS_ERR_BAD_LABEL, "label -1");
  expect(tnas_learn(input, TNAS_NUM_CLASSES) == TNAS_ERR_BAD_LABEL,
         "label = classes");
  expect(tnas_predict(input, nullptr) == TNAS_ERR_NULL_POINTER, "null out");
  expect(tnas_predict(nullptr, &after) == TNAS_ERR_NULL_POINTER,
         "null predict input");
  expect(tnas_learn_features(nullptr, 0) == TNAS_ERR_NULL_POINTER,
         "null features");
  expect(tnas_learn_features(features, TNAS_NUM_CLASSES) ==
             TNAS_ERR_BAD_LABEL,
         "features label = classes");
  expect(tnas_predict_features(nullptr, &after) == TNAS_ERR_NULL_POINTER,
         "null predict features");
  expect(tnas_save_state(nullptr) == TNAS_ERR_NULL_POINTER, "null state");
  expect(tnas_restore_state(nullptr) == TNAS_ERR_NULL_POINTER, "null state");
  tnas_predict(input, &after);
  expect(memcmp(&before, &after, sizeof(before)) == 0,
         "bad inputs changed the classifier");

  // A fixed labelled stream.
  uint32_t learnTicks = 0;
  for (int32_t i = 0; i < 30; ++i) {
    makeInput(i % TNAS_NUM_CLASSES);
#ifdef TNAS_MCU
    mcu_timer_start();
#endif
    expect(tnas_learn(input, i % TNAS_NUM_CLASSES) == TNAS_OK, "tnas_learn");
#ifdef TNAS_MCU
    learnTicks += mcu_timer_ticks();
#endif
  }
  (void)learnTicks;
  for (int32_t i = 0; i < 6; ++i) {
    makeInput(i % TNAS_NUM_CLASSES);
    printPrediction("learned", i);
  }

  // One update through tnas_learn_features trains as tnas_learn does.
  expect(tnas_save_state(&state) == TNAS_OK, "save before learn_features");
  makeInput(2);
  expect(tnas_extract_features(input, features) == TNAS_OK, "features");
  expect(tnas_learn(input, 2) == TNAS_OK, "learn by input");
  tnas_predict(input, &before);
  expect(tnas_restore_state(&state) == TNAS_OK, "restore");
  expect(tnas_learn_features(features, 2) == TNAS_OK, "learn by features");
  tnas_predict(input, &after);
  expect(memcmp(&before, &after, sizeof(before)) == 0,
         "tnas_learn_features differs from tnas_learn");

  // Save, corrupt, restore.
  expect(tnas_save_state(&state) == TNAS_OK, "save");
  printf("state bytes=%u\n", (unsigned)state.bytes);
  makeInput(1);
  tnas_predict(input, &before);
  memcpy(&corrupt, &state, sizeof(state));
  corrupt.words[12] ^= 0x00010000u;
  expect(tnas_restore_state(&corrupt) == TNAS_ERR_BAD_CHECKSUM,
         "corrupt state refused");
  memcpy(&corrupt, &state, sizeof(state));
  corrupt.words[2] ^= 1u; /* the model id */
  expect(tnas_restore_state(&corrupt) == TNAS_ERR_FOREIGN_STATE,
         "foreign state refused");
  tnas_predict(input, &after);
  expect(memcmp(&before, &after, sizeof(before)) == 0,
         "a refused state changed the classifier");
  makeInput(1);
  tnas_predict(input, &before);
  expect(tnas_reset_classifier() == TNAS_OK, "reset");
  tnas_predict(input, &after);
  printf("after reset label=%d\n", (int)after.label);
  expect(tnas_restore_state(&state) == TNAS_OK, "restore");
  tnas_predict(input, &after);
  expect(memcmp(&before, &after, sizeof(before)) == 0,
         "restored state predicts as before");

  // Class-incremental learning.
  int32_t added = -1;
  if (TNAS_MAX_CLASSES > TNAS_NUM_CLASSES) {
    expect(tnas_add_class(&added) == TNAS_OK, "add class");
    for (int32_t i = 0; i < 10; ++i) {
      makeInput(7);
      expect(tnas_learn(input, added) == TNAS_OK, "learn new class");
    }
    makeInput(7);
    printPrediction("new-class", added);
  }
  printf("added=%d failures=%d\n", (int)added, failures);
#ifdef TNAS_MCU
  printf("mcu: instructions_per_learn=%lu stack_high_water=%lu\n",
         (unsigned long)(learnTicks * 40u / 30u),
         (unsigned long)mcu_stack_high_water());
#endif
  return failures;
}

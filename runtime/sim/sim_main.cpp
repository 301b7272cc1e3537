/*===- sim_main.cpp - the host harness of `tnasc simulate` -----------------===*
 *
 * Runs an emitted library (built for the host with -target=host, the same
 * sources as the device's) on a labelled stream the way a device would:
 * for each sample, tnas_predict (prequential: the prediction is scored
 * before the label is known), then tnas_learn with the label. A label the
 * model has no output for yet is added with tnas_add_class first. At
 * checkpoints, the held-out test sets are scored with
 * tnas_predict_features on their features, extracted once: only the
 * classifier learns, and before the first checkpoint every test image's
 * tnas_predict_features is checked against its tnas_predict.
 *
 *   sim LEARN EVERY EVENT STREAM TEST...
 *
 * LEARN 0 runs the static model (no tnas_learn). Checkpoints: before the
 * first sample, every EVERY samples, at EVENT and after the last sample.
 * Sample files (written by tnasc, see Scenario.h): "TSIM", u32 version 1,
 * u32 count, u32 elements, count * elements f32 (normalized inputs; the
 * harness quantizes them with tnas_quantize_input as the firmware would),
 * count i32 labels.
 *
 * Output, one record per line:
 *   memory arena=A state=S buffer=B max_classes=M
 *   p INDEX LABEL PREDICTED
 *   c INDEX SET CORRECT TOTAL
 *   done
 * Build: c++ -O2 -DTNAS_SIM_MODEL_HEADER='"model.h"' -I out sim_main.cpp
 *        out/model.cpp out/tnas_rt/\*.cpp
 *===----------------------------------------------------------------------===*/
#include TNAS_SIM_MODEL_HEADER

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

struct SampleSet {
  uint32_t count = 0, elements = 0;
  std::vector<float> inputs;
  std::vector<int32_t> labels;
  std::vector<int8_t> features; // TNAS_FEATURES per sample, test sets only
};

[[noreturn]] void fail(const char *what, const char *detail) {
  std::fprintf(stderr, "sim: %s%s%s\n", what, detail ? ": " : "",
               detail ? detail : "");
  std::exit(1);
}

uint32_t readU32(FILE *f, const char *path) {
  unsigned char b[4];
  if (std::fread(b, 1, 4, f) != 4)
    fail("truncated sample file", path);
  return uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 |
         uint32_t(b[3]) << 24;
}

SampleSet readSet(const char *path) {
  FILE *f = std::fopen(path, "rb");
  if (!f)
    fail("cannot open", path);
  char magic[4];
  if (std::fread(magic, 1, 4, f) != 4 || std::memcmp(magic, "TSIM", 4) != 0)
    fail("not a sample file", path);
  if (readU32(f, path) != 1)
    fail("unknown sample file version", path);
  SampleSet s;
  s.count = readU32(f, path);
  s.elements = readU32(f, path);
  if (s.elements != TNAS_INPUT_ELEMENTS)
    fail("sample size differs from the model's input", path);
  s.inputs.resize(size_t(s.count) * s.elements);
  for (float &x : s.inputs) {
    uint32_t bits = readU32(f, path);
    std::memcpy(&x, &bits, 4);
  }
  s.labels.resize(s.count);
  for (int32_t &l : s.labels)
    l = int32_t(readU32(f, path));
  std::fclose(f);
  return s;
}

int32_t predict(const SampleSet &s, uint32_t i) {
  int8_t input[TNAS_INPUT_ELEMENTS];
  tnas_quantize_input(&s.inputs[size_t(i) * s.elements], input);
  tnas_prediction_t prediction;
  if (tnas_predict(input, &prediction) != TNAS_OK)
    fail("tnas_predict failed", nullptr);
  return prediction.label;
}

/// Extracts the features of every sample of `s` (the extractor's weights
/// never change) and checks that classifying them predicts as tnas_predict.
void extractFeatures(SampleSet &s) {
  s.features.resize(size_t(s.count) * TNAS_FEATURES);
  int8_t input[TNAS_INPUT_ELEMENTS];
  for (uint32_t i = 0; i < s.count; ++i) {
    int8_t *features = &s.features[size_t(i) * TNAS_FEATURES];
    tnas_quantize_input(&s.inputs[size_t(i) * s.elements], input);
    if (tnas_extract_features(input, features) != TNAS_OK)
      fail("tnas_extract_features failed", nullptr);
    tnas_prediction_t byFeatures;
    if (tnas_predict_features(features, &byFeatures) != TNAS_OK)
      fail("tnas_predict_features failed", nullptr);
    if (byFeatures.label != predict(s, i))
      fail("tnas_predict_features differs from tnas_predict", nullptr);
  }
}

void checkpoint(uint32_t index, const std::vector<SampleSet> &tests) {
  for (size_t t = 0; t < tests.size(); ++t) {
    uint32_t correct = 0;
    for (uint32_t i = 0; i < tests[t].count; ++i) {
      tnas_prediction_t p;
      if (tnas_predict_features(&tests[t].features[size_t(i) * TNAS_FEATURES],
                                &p) != TNAS_OK)
        fail("tnas_predict_features failed", nullptr);
      correct += p.label == tests[t].labels[i];
    }
    std::printf("c %u %zu %u %u\n", index, t, correct, tests[t].count);
  }
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 5)
    fail("usage: sim LEARN EVERY EVENT STREAM TEST...", nullptr);
  const bool learn = std::atoi(argv[1]) != 0;
  const uint32_t every = uint32_t(std::atoi(argv[2]));
  const uint32_t event = uint32_t(std::atoi(argv[3]));
  SampleSet stream = readSet(argv[4]);
  std::vector<SampleSet> tests;
  for (int a = 5; a < argc; ++a)
    tests.push_back(readSet(argv[a]));

  if (tnas_init() != TNAS_OK)
    fail("tnas_init failed", nullptr);
  std::printf("memory arena=%d state=%d buffer=%d max_classes=%d\n",
              int(TNAS_ARENA_BYTES), int(TNAS_STATE_BYTES),
              int(TNAS_BUFFER_CAPACITY), int(TNAS_MAX_CLASSES));
  for (SampleSet &t : tests)
    extractFeatures(t);
  checkpoint(0, tests);
  int8_t input[TNAS_INPUT_ELEMENTS];
  for (uint32_t i = 0; i < stream.count; ++i) {
    if (i > 0 && ((every > 0 && i % every == 0) || i == event))
      checkpoint(i, tests);
    int32_t label = stream.labels[i];
    std::printf("p %u %d %d\n", i, int(label), int(predict(stream, i)));
    if (!learn)
      continue;
    // A class the model has not met: the firmware adds an output for it.
    while (label >= tnas_num_classes()) {
      int32_t added;
      if (tnas_add_class(&added) != TNAS_OK)
        fail("tnas_add_class: no class slot left", nullptr);
    }
    tnas_quantize_input(&stream.inputs[size_t(i) * stream.elements], input);
    if (tnas_learn(input, label) != TNAS_OK)
      fail("tnas_learn failed", nullptr);
  }
  checkpoint(stream.count, tests);
  std::printf("done\n");
  return 0;
}

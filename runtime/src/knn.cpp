//===- knn.cpp - TML-CD style kNN over the knowledge set, CUSUM detector --===//
//
// The knowledge set is the trainer's buffer. Passive adaptation adds every
// misclassified sample to it (condensed nearest neighbour, oldest replaced
// when full); Active adaptation fills it once, then changes it only when
// the CUSUM test on the error rate fires: the set is then discarded and
// refilled from the samples that follow. Hybrid does both. The nearest-
// neighbour search also serves TyBox's Conflict policy (nearestBuffered).
//
//===----------------------------------------------------------------------===//
#include "tnas_rt/trainer.h"

namespace tnas_rt {

static int32_t squaredDistance(const int8_t *a, const int8_t *b, int32_t n) {
  int32_t d = 0;
  for (int32_t i = 0; i < n; ++i) {
    const int32_t diff = (int32_t)a[i] - b[i];
    d += diff * diff;
  }
  return d;
}

int32_t nearestBuffered(const Trainer *t, const int8_t *features) {
  int32_t nearest = -1, nearestDist = 0;
  for (int32_t i = 0; i < t->bufferCount; ++i) {
    const int32_t d = squaredDistance(
        features, t->memory.bufferFeatures + (size_t)i * t->features,
        t->features);
    if (nearest < 0 || d < nearestDist) {
      nearest = i;
      nearestDist = d;
    }
  }
  return nearest;
}

int32_t knnPredict(Trainer *t, const int8_t *features, float *scores) {
  constexpr int32_t kMaxK = 16;
  int32_t k = t->config.k < kMaxK ? t->config.k : kMaxK;
  if (k > t->bufferCount)
    k = t->bufferCount;
  /* The k nearest by insertion into a sorted list; ties keep the older
   * sample, so the result does not depend on anything but the set. */
  int32_t bestDist[kMaxK] = {0}, bestLabel[kMaxK] = {0}, found = 0;
  for (int32_t i = 0; i < t->bufferCount; ++i) {
    const int32_t d = squaredDistance(
        features, t->memory.bufferFeatures + (size_t)i * t->features,
        t->features);
    if (found == k && d >= bestDist[k - 1])
      continue;
    int32_t pos = found < k ? found++ : k - 1;
    while (pos > 0 && bestDist[pos - 1] > d) {
      bestDist[pos] = bestDist[pos - 1];
      bestLabel[pos] = bestLabel[pos - 1];
      --pos;
    }
    bestDist[pos] = d;
    bestLabel[pos] = t->memory.bufferLabels[i];
  }
  float *votes = scores ? scores : t->memory.scratch + t->inputs;
  for (int32_t c = 0; c < t->numClasses; ++c)
    votes[c] = 0.0f;
  for (int32_t i = 0; i < found; ++i)
    votes[bestLabel[i]] += 1.0f / (float)found;
  /* Most votes; a tie goes to the class of the nearest neighbour. */
  int32_t best = bestLabel[0];
  for (int32_t c = 0; c < t->numClasses; ++c)
    if (votes[c] > votes[best])
      best = c;
  return best;
}

static void appendToSet(Trainer *t, const int8_t *features, int32_t label) {
  const int32_t cap = t->config.bufferCapacity;
  const int32_t slot = t->bufferNext;
  for (int32_t i = 0; i < t->features; ++i)
    t->memory.bufferFeatures[(size_t)slot * t->features + i] = features[i];
  t->memory.bufferLabels[slot] = label;
  t->bufferNext = (slot + 1) % cap;
  if (t->bufferCount < cap)
    ++t->bufferCount;
}

/* One-sided CUSUM on the 0/1 error sequence of the complete set: the base
 * rate is estimated over its first cusumWarmup samples, then
 * g = max(0, g + e - rate - drift). */
static bool cusumDetects(Trainer *t, bool wrong) {
  ++t->cusumSamples;
  if (t->cusumSamples <= t->config.cusumWarmup) {
    t->cusumErrors += wrong ? 1 : 0;
    return false;
  }
  const float rate = (float)t->cusumErrors / (float)t->config.cusumWarmup;
  float g =
      t->cusumStatistic + (wrong ? 1.0f : 0.0f) - rate - t->config.cusumDrift;
  t->cusumStatistic = g > 0.0f ? g : 0.0f;
  return t->cusumStatistic > t->config.cusumThreshold;
}

void knnLearn(Trainer *t, const int8_t *features, int32_t label,
              int32_t predicted) {
  const bool wrong = predicted != label;
  const KnnAdaptation mode = t->config.adaptation;
  /* The detector watches the complete set only: while it fills, a set of a
   * few samples gets most predictions wrong, and a base rate taken then
   * would hide any later change that errs less often than that. */
  if (mode != KnnAdaptation::Passive && !t->collecting &&
      cusumDetects(t, wrong)) {
    /* A change: forget the old concept and restart the detector. */
    ++t->changes;
    t->bufferCount = 0;
    t->bufferNext = 0;
    t->collecting = 1;
    t->cusumSamples = 0;
    t->cusumErrors = 0;
    t->cusumStatistic = 0.0f;
  }
  if (t->collecting) {
    appendToSet(t, features, label);
    if (t->bufferCount == t->config.bufferCapacity)
      t->collecting = 0;
    return;
  }
  if (mode != KnnAdaptation::Active && wrong)
    appendToSet(t, features, label);
}

} // namespace tnas_rt

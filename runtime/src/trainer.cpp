//===- trainer.cpp - dense classifier SGD and the TinyOL / TyBox schemes --===//
#include "tnas_rt/trainer.h"

#include <math.h>
#include <string.h>

namespace tnas_rt {

static bool validConfig(const TrainerConfig &c, const TrainerMemory &m,
                        int32_t features, int32_t numClasses,
                        int32_t maxClasses) {
  if (features <= 0 || numClasses <= 0 || maxClasses < numClasses ||
      c.epochs < 0 || !(c.learningRate >= 0.0f) || !(c.featureScale > 0.0f) ||
      !(c.anchor >= 0.0f) ||
      (c.anchorScope != AnchorScope::All &&
       c.anchorScope != AnchorScope::Agreed) ||
      (c.transform && c.transformOutputs <= 0))
    return false;
  if (c.scheme == Scheme::TinyOL)
    return true;
  if (c.scheme != Scheme::TyBox && c.scheme != Scheme::Knn)
    return false;
  if (c.bufferCapacity <= 0 || !m.bufferFeatures || !m.bufferLabels)
    return false;
  if (c.scheme == Scheme::TyBox)
    return c.policy == BufferPolicy::Fifo ||
           c.policy == BufferPolicy::Reservoir ||
           c.policy == BufferPolicy::Misclassified ||
           c.policy == BufferPolicy::Conflict;
  return c.k > 0 && c.cusumWarmup > 0 &&
         (c.adaptation == KnnAdaptation::Passive ||
          c.adaptation == KnnAdaptation::Active ||
          c.adaptation == KnnAdaptation::Hybrid);
}

Status trainerInit(Trainer *t, const TrainerConfig *config,
                   const TrainerMemory *memory, int32_t features,
                   int32_t numClasses, int32_t maxClasses,
                   const float *initialWeight, const float *initialBias) {
  if (!t || !config || !memory || !memory->weight || !memory->bias ||
      !memory->scratch || !initialWeight || !initialBias)
    return StatusNullPointer;
  if (!validConfig(*config, *memory, features, numClasses, maxClasses))
    return StatusBadConfig;
  memset(t, 0, sizeof(*t));
  t->config = *config;
  t->memory = *memory;
  t->initialWeight = initialWeight;
  t->initialBias = initialBias;
  t->features = features;
  t->inputs = config->transform ? config->transformOutputs : features;
  t->initialClasses = numClasses;
  t->maxClasses = maxClasses;
  return trainerReset(t);
}

Status trainerReset(Trainer *t) {
  if (!t || !t->memory.weight)
    return StatusNullPointer;
  const size_t f = (size_t)t->inputs;
  t->numClasses = t->initialClasses;
  memset(t->memory.weight, 0, (size_t)t->maxClasses * f * sizeof(float));
  memset(t->memory.bias, 0, (size_t)t->maxClasses * sizeof(float));
  memcpy(t->memory.weight, t->initialWeight,
         (size_t)t->initialClasses * f * sizeof(float));
  memcpy(t->memory.bias, t->initialBias,
         (size_t)t->initialClasses * sizeof(float));
  t->bufferCount = 0;
  t->bufferNext = 0;
  t->seen = 0;
  t->rng = t->config.seed ? t->config.seed : 0x9e3779b9u;
  t->cusumSamples = 0;
  t->cusumErrors = 0;
  t->cusumStatistic = 0.0f;
  t->collecting = 1;
  t->changes = 0;
  return StatusOk;
}

int32_t denseForward(Trainer *t, const int8_t *features, float *scores) {
  const int32_t f = t->inputs, n = t->numClasses;
  float *x = t->memory.scratch;
  float *p = scores ? scores : t->memory.scratch + f;
  if (t->config.transform)
    t->config.transform(features, x);
  else
    for (int32_t i = 0; i < f; ++i)
      x[i] =
          ((int32_t)features[i] - t->config.featureZp) * t->config.featureScale;
  float maxLogit = -INFINITY;
  for (int32_t c = 0; c < n; ++c) {
    const float *w = t->memory.weight + (size_t)c * f;
    float z = t->memory.bias[c];
    for (int32_t i = 0; i < f; ++i)
      z += w[i] * x[i];
    p[c] = z;
    maxLogit = z > maxLogit ? z : maxLogit;
  }
  float sum = 0.0f;
  for (int32_t c = 0; c < n; ++c) {
    p[c] = expf(p[c] - maxLogit);
    sum += p[c];
  }
  int32_t best = 0;
  for (int32_t c = 0; c < n; ++c) {
    p[c] /= sum;
    if (p[c] > p[best])
      best = c;
  }
  return best;
}

/* The flashed classifier's argmax on the trained layer's input x: the
 * anchor scope Agreed pulls a class only where this equals the label. */
static int32_t flashedArgmax(const Trainer *t, const float *x) {
  const int32_t f = t->inputs;
  int32_t best = 0;
  float bestLogit = -INFINITY;
  for (int32_t c = 0; c < t->initialClasses; ++c) {
    const float *w0 = t->initialWeight + (size_t)c * f;
    float z = t->initialBias[c];
    for (int32_t i = 0; i < f; ++i)
      z += w0[i] * x[i];
    if (z > bestLogit) {
      bestLogit = z;
      best = c;
    }
  }
  return best;
}

void denseSgdStep(Trainer *t, const int8_t *features, int32_t label) {
  const int32_t f = t->inputs, n = t->numClasses;
  float *p = t->memory.scratch + f;
  denseForward(t, features, p);
  const float *x = t->memory.scratch;
  const float lr = t->config.learningRate;
  /* The classes this step pulls: [0, pulledEnd) with scope All; only the
   * label's row (if the flash agrees) with scope Agreed, at
   * flashedClasses times the strength so that a pass over a balanced
   * buffer pulls an agreeing class as hard as All does. */
  float anchor = t->config.anchor;
  int32_t pulledBegin = 0, pulledEnd = t->initialClasses;
  if (anchor != 0.0f && t->config.anchorScope == AnchorScope::Agreed) {
    const bool agreed =
        label < t->initialClasses && flashedArgmax(t, x) == label;
    pulledBegin = label;
    pulledEnd = agreed ? label + 1 : label;
    anchor *= (float)t->initialClasses;
  }
  for (int32_t c = 0; c < n; ++c) {
    const float delta = p[c] - (c == label ? 1.0f : 0.0f);
    float *w = t->memory.weight + (size_t)c * f;
    /* A class added on the device has no flashed value to keep: plain SGD
     * (a pull toward its zero start would slow the learning of exactly the
     * classes the device is there to learn). */
    if (anchor == 0.0f || c < pulledBegin || c >= pulledEnd) {
      for (int32_t i = 0; i < f; ++i)
        w[i] -= lr * delta * x[i];
      t->memory.bias[c] -= lr * delta;
      continue;
    }
    const float *w0 = t->initialWeight + (size_t)c * f;
    for (int32_t i = 0; i < f; ++i)
      w[i] -= lr * (delta * x[i] + anchor * (w[i] - w0[i]));
    t->memory.bias[c] -= lr * (delta + anchor * (t->memory.bias[c] -
                                                 t->initialBias[c]));
  }
}

static uint32_t nextRandom(Trainer *t) {
  uint32_t x = t->rng;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  t->rng = x;
  return x;
}

static void storeSample(Trainer *t, int32_t slot, const int8_t *features,
                        int32_t label) {
  memcpy(t->memory.bufferFeatures + (size_t)slot * t->features, features,
         (size_t)t->features);
  t->memory.bufferLabels[slot] = label;
}

/* Inserts by the TyBox policy; `wrong` tells whether the classifier
 * misclassified the sample. */
static void tyboxInsert(Trainer *t, const int8_t *features, int32_t label,
                        bool wrong) {
  const int32_t cap = t->config.bufferCapacity;
  ++t->seen;
  switch (t->config.policy) {
  case BufferPolicy::Conflict: {
    /* Only a full buffer: while it fills, the samples of classes that look
     * alike would otherwise keep overwriting each other and it would not
     * grow. */
    const int32_t nearest =
        t->bufferCount == cap ? nearestBuffered(t, features) : -1;
    if (nearest >= 0 && t->memory.bufferLabels[nearest] != label) {
      storeSample(t, nearest, features, label);
      return;
    }
    break;
  }
  case BufferPolicy::Misclassified:
    if (!wrong)
      return;
    break;
  case BufferPolicy::Fifo:
    break;
  case BufferPolicy::Reservoir: {
    if (t->bufferCount < cap) {
      storeSample(t, t->bufferCount++, features, label);
      return;
    }
    const uint32_t j = nextRandom(t) % t->seen;
    if (j < (uint32_t)cap)
      storeSample(t, (int32_t)j, features, label);
    return;
  }
  }
  /* Fifo, and what Misclassified / Conflict keep: the oldest slot. */
  storeSample(t, t->bufferNext, features, label);
  t->bufferNext = (t->bufferNext + 1) % cap;
  if (t->bufferCount < cap)
    ++t->bufferCount;
}

Status trainerPredict(Trainer *t, const int8_t *features, float *scores,
                      int32_t *predicted) {
  if (!t || !features || !predicted)
    return StatusNullPointer;
  if (t->config.scheme == Scheme::Knn && t->bufferCount > 0)
    *predicted = knnPredict(t, features, scores);
  else
    *predicted = denseForward(t, features, scores);
  return StatusOk;
}

Status trainerLearn(Trainer *t, const int8_t *features, int32_t label) {
  if (!t || !features)
    return StatusNullPointer;
  if (label < 0 || label >= t->numClasses)
    return StatusBadLabel;
  switch (t->config.scheme) {
  case Scheme::TinyOL:
    for (int32_t e = 0; e < t->config.epochs; ++e)
      denseSgdStep(t, features, label);
    break;
  case Scheme::TyBox: {
    const bool wrong = denseForward(t, features, nullptr) != label;
    tyboxInsert(t, features, label, wrong);
    for (int32_t e = 0; e < t->config.epochs; ++e)
      for (int32_t i = 0; i < t->bufferCount; ++i)
        denseSgdStep(t, t->memory.bufferFeatures + (size_t)i * t->features,
                     t->memory.bufferLabels[i]);
    break;
  }
  case Scheme::Knn: {
    int32_t predicted = 0;
    trainerPredict(t, features, nullptr, &predicted);
    knnLearn(t, features, label, predicted);
    for (int32_t e = 0; e < t->config.epochs; ++e)
      denseSgdStep(t, features, label);
    break;
  }
  }
  return StatusOk;
}

Status trainerAddClass(Trainer *t, int32_t *label) {
  if (!t || !label)
    return StatusNullPointer;
  if (t->numClasses >= t->maxClasses)
    return StatusNoRoom;
  const int32_t c = t->numClasses++;
  memset(t->memory.weight + (size_t)c * t->inputs, 0,
         (size_t)t->inputs * sizeof(float));
  t->memory.bias[c] = 0.0f;
  *label = c;
  return StatusOk;
}

} // namespace tnas_rt

//===- trainer_state.cpp - save / restore of the learned classifier -------===//
#include "tnas_rt/trainer.h"

#include <string.h>

namespace tnas_rt {

uint32_t crc32(const void *data, size_t bytes, uint32_t crc) {
  const uint8_t *p = (const uint8_t *)data;
  crc = ~crc;
  for (size_t i = 0; i < bytes; ++i) {
    crc ^= p[i];
    for (int b = 0; b < 8; ++b)
      crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

static bool hasBuffer(const Trainer *t) {
  return t->config.scheme != Scheme::TinyOL;
}

static size_t payloadBytes(const Trainer *t, int32_t numClasses,
                           int32_t bufferCount) {
  size_t bytes = (size_t)numClasses * ((size_t)t->inputs + 1) * sizeof(float);
  if (hasBuffer(t))
    bytes += (size_t)bufferCount * ((size_t)t->features + sizeof(int32_t));
  return bytes;
}

Status trainerSaveState(const Trainer *t, uint32_t modelId, void *blob,
                        size_t capacity, size_t *written) {
  if (!t || !blob || !written)
    return StatusNullPointer;
  const int32_t count = hasBuffer(t) ? t->bufferCount : 0;
  const size_t payload = payloadBytes(t, t->numClasses, count);
  if (capacity < sizeof(StateHeader) + payload)
    return StatusNoRoom;
  StateHeader h;
  h.magic = kStateMagic;
  h.version = kStateVersion;
  h.modelId = modelId;
  h.scheme = (uint32_t)t->config.scheme;
  h.features = (uint32_t)t->features;
  h.numClasses = (uint32_t)t->numClasses;
  h.bufferCount = (uint32_t)count;
  h.bufferNext = hasBuffer(t) ? (uint32_t)t->bufferNext : 0;
  h.seen = t->seen;
  h.rng = t->rng;
  h.payloadBytes = (uint32_t)payload;
  h.checksum = 0;
  uint8_t *out = (uint8_t *)blob + sizeof(StateHeader);
  const size_t wBytes = (size_t)t->numClasses * t->inputs * sizeof(float);
  memcpy(out, t->memory.weight, wBytes);
  out += wBytes;
  memcpy(out, t->memory.bias, (size_t)t->numClasses * sizeof(float));
  out += (size_t)t->numClasses * sizeof(float);
  if (count) {
    memcpy(out, t->memory.bufferFeatures, (size_t)count * t->features);
    out += (size_t)count * t->features;
    memcpy(out, t->memory.bufferLabels, (size_t)count * sizeof(int32_t));
  }
  uint32_t crc = crc32(&h, sizeof(h), 0);
  h.checksum = crc32((const uint8_t *)blob + sizeof(StateHeader), payload, crc);
  memcpy(blob, &h, sizeof(h));
  *written = sizeof(StateHeader) + payload;
  return StatusOk;
}

Status trainerLoadState(Trainer *t, uint32_t modelId, const void *blob,
                        size_t bytes) {
  if (!t || !blob)
    return StatusNullPointer;
  StateHeader h;
  if (bytes < sizeof(h))
    return StatusForeignState;
  memcpy(&h, blob, sizeof(h));
  if (h.magic != kStateMagic || h.version != kStateVersion ||
      h.modelId != modelId || h.scheme != (uint32_t)t->config.scheme ||
      h.features != (uint32_t)t->features || h.numClasses == 0 ||
      h.numClasses > (uint32_t)t->maxClasses ||
      h.numClasses < (uint32_t)t->initialClasses ||
      (hasBuffer(t) && h.bufferCount > (uint32_t)t->config.bufferCapacity) ||
      (!hasBuffer(t) && (h.bufferCount != 0 || h.bufferNext != 0)))
    return StatusForeignState;
  /* A buffer still filling writes at its end; a full one anywhere. */
  if (hasBuffer(t) &&
      (h.bufferCount < (uint32_t)t->config.bufferCapacity
           ? h.bufferNext != h.bufferCount
           : h.bufferNext >= (uint32_t)t->config.bufferCapacity))
    return StatusForeignState;
  const size_t payload =
      payloadBytes(t, (int32_t)h.numClasses, (int32_t)h.bufferCount);
  if (h.payloadBytes != payload || bytes < sizeof(h) + payload)
    return StatusForeignState;
  const uint32_t stored = h.checksum;
  h.checksum = 0;
  const uint8_t *in = (const uint8_t *)blob + sizeof(h);
  if (crc32(in, payload, crc32(&h, sizeof(h), 0)) != stored)
    return StatusBadChecksum;
  const int32_t labelLimit = (int32_t)h.numClasses;
  const uint8_t *labels =
      in + (size_t)h.numClasses * (t->inputs + 1) * sizeof(float) +
      (size_t)h.bufferCount * t->features;
  for (uint32_t i = 0; i < h.bufferCount; ++i) {
    int32_t label;
    memcpy(&label, labels + i * sizeof(int32_t), sizeof(label));
    if (label < 0 || label >= labelLimit)
      return StatusForeignState;
  }
  /* Everything checked: now load. */
  trainerReset(t);
  t->numClasses = (int32_t)h.numClasses;
  const size_t wBytes = (size_t)h.numClasses * t->inputs * sizeof(float);
  memcpy(t->memory.weight, in, wBytes);
  in += wBytes;
  memcpy(t->memory.bias, in, (size_t)h.numClasses * sizeof(float));
  in += (size_t)h.numClasses * sizeof(float);
  if (h.bufferCount) {
    memcpy(t->memory.bufferFeatures, in, (size_t)h.bufferCount * t->features);
    in += (size_t)h.bufferCount * t->features;
    memcpy(t->memory.bufferLabels, in, (size_t)h.bufferCount * sizeof(int32_t));
  }
  t->bufferCount = (int32_t)h.bufferCount;
  t->bufferNext = (int32_t)h.bufferNext;
  t->seen = h.seen;
  t->rng = h.rng;
  t->collecting = t->bufferCount < t->config.bufferCapacity;
  return StatusOk;
}

} // namespace tnas_rt

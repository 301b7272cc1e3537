/*===- trainer.h - the on-device incremental trainer ----------------------===*
 *
 * The frozen int8 feature extractor ends in a feature vector (int8, with a
 * scale and zero point); the trainer owns what follows it:
 *
 *  - an fp32 dense classifier, logits = W x + b with x the dequantized
 *    features, trained by softmax cross-entropy SGD: with p = softmax(logits)
 *    and t the one-hot label, delta = p - t, W -= lr * delta x^T,
 *    b -= lr * delta; with an anchor a, each step also pulls the weights
 *    and biases of the flashed classes toward their flashed values,
 *    W -= lr * a * (W - W0) (a class added on the device has none), which
 *    keeps a retrained buffer from drifting off the classifier that the
 *    whole training set produced (W0 is already in flash for trainerReset:
 *    no RAM); with the anchor scope Agreed, a step pulls only the row of
 *    the sample's own class, and only when the flashed classifier
 *    classifies the sample as its label (see AnchorScope);
 *  - scheme TinyOL: one update (times `epochs`) on the latest sample only;
 *  - scheme TyBox: a buffer of int8 feature vectors + labels, filled by the
 *    policy Fifo, Reservoir (Algorithm R), Misclassified (only samples the
 *    classifier got wrong) or Conflict (Fifo, except that once the buffer is
 *    full, a sample whose nearest buffered neighbour carries another label
 *    overwrites that neighbour instead of the oldest sample: after a concept
 *    drift a stale label leaves the buffer when its first contradiction
 *    arrives, not after a full turn of the buffer),
 *    and `epochs` passes over the buffer per labelled sample;
 *  - scheme Knn (TML-CD): a k-nearest-neighbour classifier over the buffer
 *    (its knowledge set, squared L2 on the int8 features, exact in int32),
 *    with Passive adaptation (misclassified samples join the set), Active
 *    adaptation (a CUSUM test on the error rate; on a detected change the set
 *    is discarded and refilled from the following samples) or Hybrid (both).
 *    The dense classifier still learns, and predicts while the set is empty.
 *
 * Frozen fp32 layers between the features and the trained layer (a spec's
 * hidden classifier layers, e.g. dense(32) -> relu) are a FeatureTransform:
 * the trained layer then reads its `transformOutputs` values instead of the
 * dequantized features. The buffer still holds the compact int8 features.
 *
 * All memory is the caller's (the emitted code passes static arrays): no
 * malloc, no global state. Every entry point checks its inputs first and
 * returns a Status; on an error nothing changes.
 *===----------------------------------------------------------------------===*/
#ifndef TNAS_RT_TRAINER_H
#define TNAS_RT_TRAINER_H

#include <stddef.h>
#include <stdint.h>

namespace tnas_rt {

enum Status : int32_t {
  StatusOk = 0,
  StatusNullPointer = -1,
  StatusBadLabel = -2,     /* label < 0 or >= the current class count */
  StatusBadChecksum = -3,  /* a saved state whose checksum does not match */
  StatusForeignState = -4, /* saved by another model, version or shape */
  StatusNoRoom = -5,       /* no class slot left, or a too small blob */
  StatusBadConfig = -6,
};

enum class Scheme : int32_t { TinyOL = 0, TyBox = 1, Knn = 2 };
enum class BufferPolicy : int32_t {
  Fifo = 0,
  Reservoir = 1,
  Misclassified = 2,
  Conflict = 3
};
enum class KnnAdaptation : int32_t { Passive = 0, Active = 1, Hybrid = 2 };

/* Which flashed classes an SGD step pulls toward their flashed values.
 *
 * All: every flashed class, at every step. It holds the classifier near the
 * flash whatever the stream says, which helps on a local drift (two labels
 * swapped: the eight untouched classes stay put while the buffer turns
 * over) and hurts on a global one (inverted images: no flashed row fits
 * any more, and the pull fights every step).
 *
 * Agreed: a step on sample (x, y) pulls row y, with strength
 * anchor * flashedClasses, only if the flashed classifier's argmax on x is
 * y. Over a pass on a buffer balanced across classes, a class whose
 * buffered samples the flash all gets right is pulled as hard as under
 * All; a class whose samples the flash now gets wrong (a swapped label,
 * every class after an inversion) is not pulled. The evidence is the
 * stream's own, per sample: no counters, no RAM, one flashed-classifier
 * argmax (flashedClasses x inputs MACs from flash) per step. */
enum class AnchorScope : int32_t { All = 0, Agreed = 1 };

/* Computes the trained layer's input (transformOutputs floats) from one int8
 * feature vector. */
typedef void (*FeatureTransform)(const int8_t *features, float *inputs);

struct TrainerConfig {
  Scheme scheme;
  float learningRate;
  int32_t epochs;         /* SGD passes per labelled sample (TinyOL, TyBox) */
  BufferPolicy policy;    /* TyBox */
  int32_t bufferCapacity; /* TyBox, Knn: samples the buffer holds */
  KnnAdaptation adaptation;
  int32_t k;            /* Knn: neighbours that vote */
  int32_t cusumWarmup;  /* Knn: samples that estimate the base error rate */
  float cusumDrift;     /* Knn: allowed increase of the error rate */
  float cusumThreshold; /* Knn: alarm level of the CUSUM statistic */
  float featureScale;   /* dequantization of the int8 features */
  int32_t featureZp;
  uint32_t seed;              /* Reservoir sampling (xorshift32), nonzero */
  FeatureTransform transform; /* null: the dequantized features */
  int32_t transformOutputs;   /* inputs of the trained layer with a transform */
  /* L2 pull toward the flashed classifier (L2-SP): each SGD step descends
   * cross-entropy + anchor/2 * |theta - theta0|^2 over the flashed classes,
   * theta0 their initial weight and bias; a class added on the device is
   * not pulled. 0: plain SGD. */
  float anchor;
  AnchorScope anchorScope;
};

/* Caller-owned storage, sized by the trainer*Elements functions. */
struct TrainerMemory {
  float *weight; /* [maxClasses][inputs] */
  float *bias;   /* [maxClasses] */
  int8_t
      *bufferFeatures; /* [bufferCapacity][features]; may be null for TinyOL */
  int32_t *bufferLabels; /* [bufferCapacity] */
  float *scratch;        /* [inputs + maxClasses] */
};

struct Trainer {
  TrainerConfig config;
  TrainerMemory memory;
  const float *initialWeight; /* [initialClasses][inputs], in flash */
  const float *initialBias;
  int32_t features; /* int8 feature vector length */
  int32_t inputs;   /* the trained layer's inputs (= features without a
                       transform) */
  int32_t numClasses;
  int32_t initialClasses;
  int32_t maxClasses;
  /* Buffer / knowledge set. */
  int32_t bufferCount;
  int32_t bufferNext; /* Fifo write position */
  uint32_t seen;      /* labelled samples so far (Reservoir) */
  uint32_t rng;
  /* CUSUM change detector (Knn). */
  int32_t cusumSamples;
  int32_t cusumErrors;
  float cusumStatistic;
  int32_t collecting; /* Active: the set is being refilled */
  int32_t changes;    /* detected changes so far */
};

/* `inputs`: the trained layer's inputs (the feature count without a
 * transform). */
constexpr int32_t trainerScratchElements(int32_t inputs, int32_t maxClasses) {
  return inputs + maxClasses;
}

/* Binds storage and copies the initial classifier into it. */
Status trainerInit(Trainer *t, const TrainerConfig *config,
                   const TrainerMemory *memory, int32_t features,
                   int32_t numClasses, int32_t maxClasses,
                   const float *initialWeight, const float *initialBias);

/* Back to the initial classifier; the buffer and the detector are cleared. */
Status trainerReset(Trainer *t);

/* scores[numClasses]: softmax probabilities (dense) or vote fractions (Knn
 * with a non-empty knowledge set). `scores` may be null. */
Status trainerPredict(Trainer *t, const int8_t *features, float *scores,
                      int32_t *predicted);

/* One labelled sample. */
Status trainerLearn(Trainer *t, const int8_t *features, int32_t label);

/* A new output class with zero weights; its label is written to *label. */
Status trainerAddClass(Trainer *t, int32_t *label);

/* The raw SGD step of the dense classifier (delta = p - t), used by the
 * schemes and by the tests of the gradient. */
void denseSgdStep(Trainer *t, const int8_t *features, int32_t label);

/* Dense classifier probabilities into scores[numClasses]; returns argmax. */
int32_t denseForward(Trainer *t, const int8_t *features, float *scores);

/* Buffer internals (knn.cpp): the index of the buffered sample nearest to
 * `features` (squared L2 on the int8 values, exact in int32; the older
 * lower index on a tie), or -1 for an empty buffer. */
int32_t nearestBuffered(const Trainer *t, const int8_t *features);

/* Knn internals (knn.cpp). */
int32_t knnPredict(Trainer *t, const int8_t *features, float *scores);
void knnLearn(Trainer *t, const int8_t *features, int32_t label,
              int32_t predicted);

/*---------------------------------------------------------------------------
 * Saved state: a blob the firmware can write to flash. Layout: StateHeader,
 * then weight[numClasses][inputs], bias[numClasses], and for TyBox / Knn
 * the buffer (features then labels). The checksum is a CRC-32 over the
 * header (with checksum = 0) and the payload; modelId identifies the model
 * (the emitter hashes its name and shapes).
 *-------------------------------------------------------------------------*/
constexpr uint32_t kStateMagic = 0x53414e54u; /* "TNAS" */
constexpr uint32_t kStateVersion = 2;

struct StateHeader {
  uint32_t magic;
  uint32_t version;
  uint32_t modelId;
  uint32_t scheme;
  uint32_t features;
  uint32_t numClasses;
  uint32_t bufferCount;
  /* Where the buffer policies were, so that a restored trainer goes on as
   * the saved one would have: the FIFO's oldest slot, the samples seen
   * (reservoir odds) and the random state. */
  uint32_t bufferNext;
  uint32_t seen;
  uint32_t rng;
  uint32_t payloadBytes;
  uint32_t checksum;
};
static_assert(sizeof(StateHeader) == 48, "CppWriter's TNAS_STATE_BYTES");

/* The largest blob the trainer can produce. */
constexpr size_t trainerStateBytes(int32_t features, int32_t inputs,
                                   int32_t maxClasses, int32_t bufferCapacity) {
  return sizeof(StateHeader) +
         (size_t)maxClasses * ((size_t)inputs + 1) * sizeof(float) +
         (size_t)bufferCapacity * ((size_t)features + sizeof(int32_t));
}

uint32_t crc32(const void *data, size_t bytes, uint32_t crc);

/* Writes the state into blob[capacity]; *written receives its size. */
Status trainerSaveState(const Trainer *t, uint32_t modelId, void *blob,
                        size_t capacity, size_t *written);

/* Validates everything first; loads only a state of this model. */
Status trainerLoadState(Trainer *t, uint32_t modelId, const void *blob,
                        size_t bytes);

} // namespace tnas_rt

#endif /* TNAS_RT_TRAINER_H */

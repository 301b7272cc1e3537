// RUN: rm -rf %t && tnas-translate --emit-cpp %S/Inputs/small_cnn.mlir -o %t/tinyol --scheme=tinyol --learning-rate=0.5 --epochs=3
// RUN: FileCheck %s --check-prefix=TINYOL < %t/tinyol/small_cnn.cpp
// RUN: tnas-translate --emit-cpp %S/Inputs/small_cnn.mlir -o %t/knn --scheme=knn --adaptation=active --k=5 --buffer=40
// RUN: FileCheck %s --check-prefix=KNN < %t/knn/small_cnn.cpp
// RUN: tnas-translate --emit-cpp %S/Inputs/small_cnn.mlir -o %t/fit --policy=reservoir --ram=8192
// RUN: FileCheck %s --check-prefix=FIT < %t/fit/small_cnn.h
// RUN: tnas-translate --emit-cpp %S/Inputs/small_cnn.mlir -o %t/conflict --scheme=tybox --policy=conflict --buffer=24 --anchor=0.25
// RUN: FileCheck %s --check-prefix=CONFLICT < %t/conflict/small_cnn.cpp
// RUN: not tnas-translate --emit-cpp %S/Inputs/small_cnn.mlir -o %t/bad --scheme=tybox --policy=newest 2>&1 | FileCheck %s --check-prefix=BADPOLICY
// RUN: not tnas-translate --emit-cpp %S/Inputs/small_cnn.mlir -o %t/bad --anchor=-1 2>&1 | FileCheck %s --check-prefix=BADANCHOR
// RUN: tnas-translate --emit-cpp %S/Inputs/small_cnn.mlir -o %t/agreed --buffer=24 --anchor=0.1 --anchor-scope=agreed
// RUN: FileCheck %s --check-prefix=AGREED < %t/agreed/small_cnn.cpp
// RUN: not tnas-translate --emit-cpp %S/Inputs/small_cnn.mlir -o %t/bad --anchor=0.1 --anchor-scope=some 2>&1 | FileCheck %s --check-prefix=BADSCOPE

// TinyOL keeps no buffer.
// TINYOL: tnas_rt::Scheme::TinyOL, 0.5f, 3, tnas_rt::BufferPolicy::Fifo, 0,
// TINYOL-NOT: gBufferFeatures
// Without an anchor, plain SGD: the anchor is 0 (its scope the default).
// TINYOL: {{[0-9]+}}u, nullptr, 0, 0.0f, tnas_rt::AnchorScope::All};
// TINYOL: const tnas_rt::TrainerMemory memory = {gWeight, gBias, nullptr, nullptr, gTrainerScratch};

// kNN with active adaptation; the buffer is its knowledge set. The change
// detector: base rate over 100 samples, slack 0.1, threshold 8.
// KNN: tnas_rt::Scheme::Knn, {{.*}}, 40,
// KNN-NEXT: tnas_rt::KnnAdaptation::Active, 5, 100, 0.100000001f, 8.0f,
// KNN: int8_t gBufferFeatures[TNAS_BUFFER_CAPACITY * TNAS_FEATURES];

// TyBox whose buffer replaces a contradicted nearest neighbour.
// CONFLICT: tnas_rt::Scheme::TyBox, {{.*}}, tnas_rt::BufferPolicy::Conflict, 24,
// Each SGD step pulled toward the flashed classifier with strength 0.25.
// CONFLICT: u, nullptr, 0, 0.25f, tnas_rt::AnchorScope::All};
// With the scope Agreed, only where the flashed classifier agrees.
// AGREED: u, nullptr, 0, 0.100000001f, tnas_rt::AnchorScope::Agreed};
// BADSCOPE: unknown anchor scope 'some' (expected all or agreed)
// BADANCHOR: the anchor must be >= 0
// BADPOLICY: unknown buffer policy 'newest' (expected fifo, reservoir, misclassified or conflict)

// "fit": 8192 bytes of RAM - 448 arena (with the im2col scratch) - 3 * 9 * 4
// classifier - 11 * 4 trainer scratch - 4096 stack reserve = 3496 bytes, 12
// per sample.
// FIT: #define TNAS_BUFFER_CAPACITY 291

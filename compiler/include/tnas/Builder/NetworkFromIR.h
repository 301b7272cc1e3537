//===- NetworkFromIR.h - a Network and weights read back from IR -*- C++ -*-===//
//
// The inverse of buildForwardModule for float IR whose ops still map one to
// one onto the layers of the network it was built from. A pass that only
// changes channel counts (tnas-prune-filters) keeps that mapping, so the
// pruned network can be trained again (fine-tuning) and rebuilt.
//
//===----------------------------------------------------------------------===//
#ifndef TNAS_BUILDER_NETWORKFROMIR_H
#define TNAS_BUILDER_NETWORKFROMIR_H

#include "tnas/Model/Network.h"
#include "tnas/Model/Weights.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

namespace tnas {

struct NetworkAndWeights {
  Network network;
  Weights weights;
};

/// Reads @forward of `module`: layer i of `like` must be the i-th tnas op
/// of the same kind; channel counts and every weight come from the IR.
/// Errors: an op that does not match its layer (e.g. BN already folded),
/// weights that are not constants, or shapes that no longer infer.
llvm::Expected<NetworkAndWeights> readForwardModule(mlir::ModuleOp module,
                                                    const Network &like);

} // namespace tnas

#endif // TNAS_BUILDER_NETWORKFROMIR_H

//===- tnas-translate.cpp - emit the MCU C++ library from int8 tnas IR ----===//
//
//   tnas-translate --emit-cpp model.mlir -o out/ [--target=cortex-m4] ...
//
// Reads a module of int8 tnas IR (as tnas-quantize leaves it) and writes the
// library of emitCppLibrary; the lit tests of test/Target use it. tnasc
// reaches the same function with the options of the spec.
//
//===----------------------------------------------------------------------===//
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "tnas/Dialect/Tnas/IR/TnasDialect.h"
#include "tnas/Target/Cpp/EmitCpp.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<input.mlir>"),
                                      cl::Required);
static cl::opt<std::string> outDir("o", cl::desc("output directory"),
                                   cl::value_desc("dir"), cl::Required);
static cl::opt<bool> emitCpp("emit-cpp",
                             cl::desc("write the C++ library (the default "
                                      "and only translation)"),
                             cl::init(true));
static cl::opt<std::string> target("target",
                                   cl::desc("cortex-m4 | cortex-m7 | "
                                            "cortex-m0plus | host"),
                                   cl::init("cortex-m4"));
static cl::opt<std::string> name("name", cl::desc("library name (default: the "
                                                  "function's)"));
static cl::opt<std::string> scheme("scheme", cl::desc("tybox | tinyol | knn"),
                                   cl::init("tybox"));
static cl::opt<std::string>
    policy("policy", cl::desc("tybox buffer: fifo | reservoir | misclassified | conflict"),
           cl::init("fifo"));
static cl::opt<std::string>
    adaptation("adaptation", cl::desc("knn: passive | active | hybrid"),
               cl::init("hybrid"));
static cl::opt<double> learningRate("learning-rate", cl::init(0.01));
static cl::opt<int64_t> epochs("epochs", cl::init(1));
static cl::opt<double>
    anchor("anchor",
           cl::desc("L2 pull of each SGD step toward the flashed classifier"),
           cl::init(0.0));
static cl::opt<std::string>
    anchorScope("anchor-scope",
                cl::desc("classes the anchor pulls: all | agreed (a "
                         "sample's own, where the flash agrees)"),
                cl::init("all"));
static cl::opt<int64_t> bufferCapacity("buffer",
                                       cl::desc("samples; -1 = fit the RAM"),
                                       cl::init(-1));
static cl::opt<int64_t> extraClasses("extra-classes", cl::init(0));
static cl::opt<int64_t> knnK("k", cl::init(3));
static cl::opt<int64_t> ramBytes("ram", cl::desc("device RAM in bytes"),
                                 cl::init(0));
static cl::opt<bool> noBuildFile("no-build-file",
                                 cl::desc("do not write CMakeLists.txt"));
static cl::opt<std::string> runtimeDir("runtime-dir",
                                       cl::desc("runtime/ of the sources"));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "tnas C++ emitter\n");
  auto core = tnas::parseTargetCore(target);
  if (!core) {
    llvm::WithColor::error(llvm::errs(), "tnas-translate")
        << "unknown target '" << target
        << "' (expected cortex-m4, cortex-m7, cortex-m0plus or host)\n";
    return 1;
  }
  mlir::DialectRegistry registry;
  registry.insert<mlir::tnas::TnasDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect>();
  mlir::MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  std::string error;
  auto file = mlir::openInputFile(inputFile, &error);
  if (!file) {
    llvm::WithColor::error(llvm::errs(), "tnas-translate") << error << "\n";
    return 1;
  }
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;

  tnas::EmitOptions options;
  options.name = name;
  options.target = *core;
  options.trainer.scheme = scheme;
  options.trainer.policy = policy;
  options.trainer.adaptation = adaptation;
  options.trainer.learningRate = learningRate;
  options.trainer.epochs = epochs;
  options.trainer.anchor = anchor;
  options.trainer.anchorScope = anchorScope;
  options.trainer.bufferCapacity = bufferCapacity;
  options.trainer.extraClasses = extraClasses;
  options.trainer.knnK = knnK;
  options.ramBytes = ramBytes;
  options.emitBuildFile = !noBuildFile;
  options.runtimeDir = runtimeDir;
  if (llvm::Error err = tnas::emitCppLibrary(*module, options, outDir)) {
    llvm::errs() << llvm::toString(std::move(err)) << "\n";
    return 1;
  }
  return 0;
}

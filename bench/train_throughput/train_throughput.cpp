//===- train_throughput.cpp - train a network with the JIT step -----------===//
//
// Trains a network given on the command line with the JIT-compiled training
// step and prints, per epoch, samples/s, loss and accuracy on stderr, then
// the test accuracy and a summary line on stdout:
//   ours: batch=64 threads=2 samples_per_s=... test_accuracy=...
// --emit-ir prints the training module (before lowering) instead; the lit
// tests under test/Training use that. --compile-only times the compilation
// of the step (build, MLIR lowering, translation, LLVM) and exits.
//
//===----------------------------------------------------------------------===//
#include "tnas/Data/Dataset.h"
#include "tnas/Data/Readers.h"
#include "tnas/Training/Trainer.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <csignal>

using namespace tnas;
namespace cl = llvm::cl;

static cl::opt<std::string>
    netSpec("net",
            cl::desc("layers separated by spaces, e.g. \"conv3x3(8) relu "
                     "maxpool2 batchnorm conv3x3(16) relu global_avgpool "
                     "dense(10)\""),
            cl::init("conv3x3(8) relu maxpool2 batchnorm conv3x3(16) relu "
                     "maxpool2 batchnorm conv3x3(32) relu global_avgpool "
                     "dense(10)"));
static cl::opt<std::string> dataset("dataset", cl::desc("fashion | synthetic"),
                                    cl::init("fashion"));
static cl::opt<std::string>
    dataDir("data-dir", cl::desc("directory of the Fashion-MNIST IDX files"),
            cl::init("/usr/share/datasets/fashion-mnist"));
static cl::opt<int64_t> batch("batch", cl::init(64));
static cl::opt<int64_t> threads("train-threads", cl::init(2));
static cl::opt<int64_t> microBatch(
    "micro-batch",
    cl::desc("with several threads, at most this many samples per "
             "forward+backward call (batchnorm statistics per micro-batch); "
             "0: batch / threads"),
    cl::init(0));
static cl::opt<int64_t> epochs("epochs", cl::init(1));
static cl::opt<int64_t> trainLimit("train-samples",
                                   cl::desc("use the first N (0: all)"),
                                   cl::init(0));
static cl::opt<std::string> optimizer("optimizer", cl::desc("adam | sgd"),
                                      cl::init("adam"));
static cl::opt<double> lr("lr", cl::init(1e-3));
static cl::opt<std::string> schedule("schedule",
                                     cl::desc("constant | step | cosine"),
                                     cl::init("constant"));
static cl::opt<uint64_t> seed("seed", cl::init(1));
static cl::opt<bool> emitIR("emit-ir",
                            cl::desc("print the training module and exit"));
static cl::opt<bool> useF64("f64", cl::desc("build the module in f64"));
static cl::opt<bool>
    compileOnly("compile-only",
                cl::desc("compile the training step, print where the time "
                         "went (compile: ...) and exit"));
static cl::opt<bool> allEntryPoints(
    "all-entry-points",
    cl::desc("compile the fused and the split step whatever the thread "
             "count (the compile time before StepEntryPoints::ForThreads)"));
static cl::opt<bool> parallelCompile(
    "parallel-compile",
    cl::desc("optimise and generate the step's parts on two threads at once "
             "(=false: one after the other)"),
    cl::init(TrainingStepConfig().parallelCompile));
static cl::opt<unsigned> optLevel("opt-level",
                                  cl::desc("LLVM -O level of the JIT (0-3)"),
                                  cl::init(TrainingStepConfig().optLevel));

static std::atomic<bool> interrupted{false};

/// Parses one layer token as printed by Network::key().
static llvm::Expected<Layer> parseLayer(llvm::StringRef tok) {
  auto fail = [&] {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "--net: cannot parse layer '" + tok + "'");
  };
  llvm::StringRef head = tok, arg;
  if (tok.ends_with(")")) {
    size_t open = tok.find('(');
    if (open == llvm::StringRef::npos)
      return fail();
    head = tok.take_front(open);
    arg = tok.slice(open + 1, tok.size() - 1);
  }
  int64_t stride = 1, k = 1, channels = 0;
  auto [base, strideText] = head.split("/s");
  if (!strideText.empty() && strideText.getAsInteger(10, stride))
    return fail();
  if (!arg.empty() && !base.starts_with("dropout") &&
      arg.getAsInteger(10, channels))
    return fail();
  auto kernelOf = [&](llvm::StringRef prefix) -> bool {
    llvm::StringRef rest = base.drop_front(prefix.size());
    return !rest.split('x').first.getAsInteger(10, k);
  };
  if (base.starts_with("conv") && kernelOf("conv"))
    return Layer::conv(channels, k, stride);
  if (base.starts_with("dwconv") && kernelOf("dwconv"))
    return Layer::depthwise(k, stride);
  if (base == "pwconv")
    return Layer::pointwise(channels);
  if (base.starts_with("maxpool") && !base.drop_front(7).getAsInteger(10, k))
    return Layer::maxPool(k, strideText.empty() ? k : stride);
  if (base.starts_with("avgpool") && !base.drop_front(7).getAsInteger(10, k))
    return Layer::avgPool(k, strideText.empty() ? k : stride);
  if (base == "batchnorm" || base == "bn")
    return Layer::of(LayerKind::BatchNorm);
  if (base == "relu")
    return Layer::of(LayerKind::Relu);
  if (base == "relu6")
    return Layer::of(LayerKind::Relu6);
  if (base == "global_avgpool" || base == "gap")
    return Layer::of(LayerKind::GlobalAvgPool);
  if (base == "flatten")
    return Layer::of(LayerKind::Flatten);
  if (base == "dense")
    return Layer::dense(channels);
  if (base == "dropout") {
    double rate;
    if (arg.getAsDouble(rate))
      return fail();
    return Layer::dropout(rate);
  }
  return fail();
}

static int fail(llvm::Error err) {
  llvm::errs() << "train-throughput: error: " << llvm::toString(std::move(err))
               << "\n";
  return 1;
}

int main(int argc, char **argv) {
  cl::ParseCommandLineOptions(argc, argv, "JIT training throughput\n");
  Network net;
  net.name = "bench";
  llvm::SmallVector<llvm::StringRef> toks;
  llvm::StringRef(netSpec).split(toks, ' ', -1, false);
  for (llvm::StringRef tok : toks) {
    auto layer = parseLayer(tok);
    if (!layer)
      return fail(layer.takeError());
    net.layers.push_back(*layer);
  }

  data::Dataset train, test;
  if (dataset == "fashion") {
    auto tr = data::loadIdx(dataDir + "/train-images-idx3-ubyte.gz",
                            dataDir + "/train-labels-idx1-ubyte.gz");
    if (!tr)
      return fail(tr.takeError());
    auto te = data::loadIdx(dataDir + "/t10k-images-idx3-ubyte.gz",
                            dataDir + "/t10k-labels-idx1-ubyte.gz");
    if (!te)
      return fail(te.takeError());
    train = std::move(*tr);
    test = std::move(*te);
  } else if (dataset == "synthetic") {
    data::SyntheticOptions so;
    so.count = 4096;
    so.seed = seed;
    auto all = data::makeSynthetic(so);
    if (!all)
      return fail(all.takeError());
    auto split = data::splitValidation(*all, 0.25, seed);
    if (!split)
      return fail(split.takeError());
    train = std::move(split->train);
    test = std::move(split->validation);
  } else {
    return fail(llvm::createStringError(llvm::inconvertibleErrorCode(),
                                        "--dataset must be fashion or "
                                        "synthetic"));
  }
  // Standardize both splits with the training statistics.
  data::Normalization norm;
  norm.standardize = true;
  auto [mean, stddev] = train.normalize(norm);
  norm.mean = mean;
  norm.stddev = stddev;
  test.normalize(norm);
  if (trainLimit > 0)
    train = train.take(size_t(trainLimit));
  net.input = {train.shape.height, train.shape.width, train.shape.channels,
               false};
  net.numClasses = train.numClasses;

  TrainOptions opts;
  opts.step.batch = batch;
  opts.step.threads = threads;
  opts.step.microBatch = microBatch;
  opts.step.useF64 = useF64;
  opts.step.optLevel = optLevel;
  opts.step.parallelCompile = parallelCompile;
  if (allEntryPoints)
    opts.step.entryPoints = StepEntryPoints::All;
  if (optimizer == "sgd")
    opts.step.optimizer = OptimizerKind::SgdMomentum;
  else if (optimizer != "adam")
    return fail(llvm::createStringError(llvm::inconvertibleErrorCode(),
                                        "--optimizer must be adam or sgd"));
  opts.schedule = schedule == "step"     ? LrSchedule::Step
                  : schedule == "cosine" ? LrSchedule::Cosine
                                         : LrSchedule::Constant;
  opts.epochs = epochs;
  opts.learningRate = lr;
  opts.seed = seed;
  opts.progress = &llvm::errs();
  opts.interrupt = &interrupted;

  if (emitIR) {
    mlir::DialectRegistry registry;
    registerTrainingDialects(registry);
    mlir::MLIRContext ctx(registry);
    TrainingStepConfig all = opts.step;
    all.entryPoints = StepEntryPoints::All;
    auto module = buildTrainingModule(ctx, net, all);
    if (!module)
      return fail(module.takeError());
    (*module)->print(llvm::outs());
    llvm::outs() << "\n";
    return 0;
  }

  if (compileOnly) {
    auto kernels = TrainingKernels::compile(net, opts.step);
    if (!kernels)
      return fail(kernels.takeError());
    const CompileTimings &c = (*kernels)->compileTimings();
    llvm::outs() << llvm::formatv(
        "compile: params={0} build_s={1:f2} mlir_s={2:f2} translate_s={3:f2} "
        "llvm_opt_s={4:f2} codegen_s={5:f2} total_s={6:f2} cache_hit={7} "
        "parts={8}\n",
        (*kernels)->layout().numParams, c.build, c.mlir, c.translate, c.llvmOpt,
        c.codegen, (*kernels)->compileSeconds(), c.cacheHit ? 1 : 0, c.parts);
    return 0;
  }

  std::signal(SIGINT, [](int) { interrupted = true; });
  TrainingData trainView{train.images, train.labels};
  TrainingData testView{test.images, test.labels};
  llvm::errs() << "network: " << net.key() << " on " << train.size()
               << " samples\n";
  auto result = trainNetwork(net, trainView, &testView, opts);
  if (!result)
    return fail(result.takeError());
  if (result->failed) {
    llvm::errs() << "train-throughput: training failed: "
                 << result->failureReason << "\n";
    return 2;
  }
  // Throughput: the best epoch (the first one includes page faults of
  // fresh buffers).
  double best = 0;
  for (const EpochStats &e : result->epochs)
    best = std::max(best, e.samplesPerSecond);
  llvm::outs() << llvm::formatv(
      "ours: batch={0} threads={1} params={2} compile_s={3} "
      "samples_per_s={4} test_accuracy={5}\n",
      batch, threads, result->weights.layout.numParams,
      llvm::format("%.2f", result->compileSeconds), llvm::format("%.0f", best),
      llvm::format("%.4f", result->epochs.back().validationAccuracy));
  return 0;
}

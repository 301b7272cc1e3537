//===- Scenario.cpp - a spec's scenario as data for the device ------------===//
#include "tnas/Simulate/Scenario.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

using namespace tnas;
using namespace tnas::simulate;

static llvm::Error error(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg.str());
}

static std::vector<int64_t> sortedOrAll(std::vector<int64_t> ids,
                                        int64_t classes) {
  if (ids.empty())
    for (int64_t c = 0; c < classes; ++c)
      ids.push_back(c);
  llvm::sort(ids);
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

ScenarioPlan tnas::simulate::planScenario(const Spec &spec,
                                          const ScenarioSpec &scenario) {
  ScenarioPlan plan;
  plan.spec = &scenario;
  int64_t classes = spec.dataset.classes;
  plan.pretrainClasses = sortedOrAll(scenario.pretrainClasses, classes);
  plan.deviceClasses = sortedOrAll(scenario.deviceClasses, classes);
  plan.deviceLabel.assign(size_t(classes), -1);
  int32_t next = 0;
  for (int64_t c : plan.pretrainClasses)
    plan.deviceLabel[size_t(c)] = next++;
  plan.initialClasses = next;
  for (int64_t c : plan.deviceClasses)
    if (plan.deviceLabel[size_t(c)] < 0)
      plan.deviceLabel[size_t(c)] = next++;
  plan.totalClasses = next;
  plan.eventAt = scenario.kind == ScenarioKind::Drift ? scenario.eventAt : 0;
  return plan;
}

/// The samples of `d` whose class `keep` accepts, relabelled.
static data::Dataset relabelled(const data::Dataset &d,
                                llvm::function_ref<int32_t(int32_t)> label) {
  std::vector<size_t> indices;
  for (size_t i = 0; i < d.size(); ++i)
    if (label(d.labels[i]) >= 0)
      indices.push_back(i);
  data::Dataset out = cantFail(d.subset(indices));
  for (int32_t &l : out.labels)
    l = label(l);
  return out;
}

void tnas::simulate::selectPretrainData(const ScenarioPlan &plan,
                                        driver::SpecData &data) {
  auto label = [&](int32_t c) -> int32_t {
    if (c < 0 || size_t(c) >= plan.deviceLabel.size() ||
        !llvm::is_contained(plan.pretrainClasses, int64_t(c)))
      return -1;
    return plan.deviceLabel[size_t(c)];
  };
  data.train = relabelled(data.train, label);
  data.validation = relabelled(data.validation, label);
  data.test = relabelled(data.test, label);
  for (data::Dataset *d : {&data.train, &data.validation, &data.test})
    d->numClasses = plan.initialClasses;
}

//===----------------------------------------------------------------------===//
// Input transformations of a drift event, on the raw pixels (what a sensor
// would deliver), normalized afterwards as the spec says.
//===----------------------------------------------------------------------===//

static void invert(llvm::MutableArrayRef<uint8_t> raw) {
  for (uint8_t &p : raw)
    p = uint8_t(255 - p);
}

/// Rotation about the image centre, nearest neighbour, zero outside.
static void rotate(llvm::MutableArrayRef<uint8_t> raw,
                   const data::ImageShape &shape, int64_t degrees) {
  std::vector<uint8_t> from(raw.begin(), raw.end());
  double a = double(degrees) * M_PI / 180.0;
  double cs = std::cos(a), sn = std::sin(a);
  double cy = (shape.height - 1) / 2.0, cx = (shape.width - 1) / 2.0;
  for (int64_t y = 0; y < shape.height; ++y)
    for (int64_t x = 0; x < shape.width; ++x) {
      // The source pixel that lands on (y, x).
      double dy = y - cy, dx = x - cx;
      int64_t sy = int64_t(std::lround(cy + cs * dy + sn * dx));
      int64_t sx = int64_t(std::lround(cx - sn * dy + cs * dx));
      bool inside = sy >= 0 && sy < shape.height && sx >= 0 && sx < shape.width;
      for (int64_t c = 0; c < shape.channels; ++c)
        raw[size_t((y * shape.width + x) * shape.channels + c)] =
            inside ? from[size_t((sy * shape.width + sx) * shape.channels + c)]
                   : 0;
    }
}

namespace {

/// Appends samples to a SampleSet, applying the drift's input transform
/// when asked.
class SetBuilder {
public:
  SetBuilder(const Spec &spec, const ScenarioSpec &scenario, SampleSet &set)
      : spec(spec), scenario(scenario), set(set) {
    set.elements =
        spec.dataset.height * spec.dataset.width * spec.dataset.channels;
  }

  void add(const data::Dataset &d, size_t index, int32_t label,
           bool transformed) {
    llvm::ArrayRef<float> images = d.sample(index);
    if (!transformed || (scenario.event != DriftEvent::Invert &&
                         scenario.event != DriftEvent::Rotate)) {
      set.inputs.insert(set.inputs.end(), images.begin(), images.end());
    } else {
      data::Dataset one;
      one.shape = d.shape;
      one.raw.assign(d.rawSample(index).begin(), d.rawSample(index).end());
      if (scenario.event == DriftEvent::Invert)
        invert(one.raw);
      else
        rotate(one.raw, d.shape, scenario.rotateDegrees);
      driver::applyNormalization(one, spec.dataset);
      set.inputs.insert(set.inputs.end(), one.images.begin(), one.images.end());
    }
    set.labels.push_back(label);
  }

private:
  const Spec &spec;
  const ScenarioSpec &scenario;
  SampleSet &set;
};

} // namespace

/// The device label of dataset class `c` once the drift event happened.
static int32_t labelAfterEvent(const ScenarioPlan &plan, int64_t c) {
  const ScenarioSpec &s = *plan.spec;
  if (s.kind == ScenarioKind::Drift && s.event == DriftEvent::SwapLabels) {
    if (c == s.swapA)
      c = s.swapB;
    else if (c == s.swapB)
      c = s.swapA;
  }
  return plan.deviceLabel[size_t(c)];
}

llvm::Expected<ScenarioStreams>
tnas::simulate::buildStreams(const ScenarioPlan &plan, const Spec &spec,
                             const driver::SpecData &full, uint64_t seed,
                             int64_t testLimit) {
  const ScenarioSpec &s = *plan.spec;
  int64_t classes = spec.dataset.classes;
  if (s.kind == ScenarioKind::Drift && s.event == DriftEvent::SwapLabels)
    for (int64_t c : {s.swapA, s.swapB})
      if (c < 0 || c >= classes || plan.deviceLabel[size_t(c)] < 0)
        return error("scenario '" + s.name + "': swapped class " +
                     llvm::Twine(c) + " is not streamed on the device");

  // Per class, the samples the final training did not see: the validation
  // split, and the training split of classes left out of pre-training.
  struct Source {
    const data::Dataset *set;
    size_t index;
  };
  std::vector<std::vector<Source>> pool(static_cast<size_t>(classes));
  for (size_t i = 0; i < full.validation.size(); ++i)
    pool[size_t(full.validation.labels[i])].push_back({&full.validation, i});
  for (size_t i = 0; i < full.train.size(); ++i) {
    int64_t c = full.train.labels[i];
    bool pretrained = llvm::is_contained(plan.pretrainClasses, c);
    // Without a validation split, pre-trained classes can only be streamed
    // from what the host trained on.
    if (!pretrained || pool[size_t(c)].empty() ||
        pool[size_t(c)].front().set == &full.train)
      pool[size_t(c)].push_back({&full.train, i});
  }
  for (int64_t c : plan.deviceClasses)
    if (pool[size_t(c)].empty())
      return error("scenario '" + s.name +
                   "': the data has no sample of "
                   "class " +
                   llvm::Twine(c) + " to stream");

  data::SplitMix64 rng(seed * 0x9E3779B97F4A7C15ull + 0x51ED);
  for (std::vector<Source> &p : pool)
    for (size_t i = p.size(); i > 1; --i)
      std::swap(p[i - 1], p[size_t(rng.below(i))]);
  std::vector<size_t> cursor(size_t(classes), 0);

  ScenarioStreams out;
  out.stream.name = "stream";
  SetBuilder stream(spec, s, out.stream);
  for (int64_t i = 0; i < s.streamSamples; ++i) {
    int64_t c =
        plan.deviceClasses[size_t(rng.below(plan.deviceClasses.size()))];
    std::vector<Source> &p = pool[size_t(c)];
    const Source &src = p[cursor[size_t(c)]++ % p.size()];
    bool after = s.kind == ScenarioKind::Drift && i >= plan.eventAt;
    stream.add(*src.set, src.index,
               after ? labelAfterEvent(plan, c) : plan.deviceLabel[size_t(c)],
               after);
  }

  // Test sets: the same seeded subset for every repetition.
  std::vector<size_t> order = data::shuffledIndices(
      full.test.size(), uint64_t(spec.search.seed) + 0x7E57);
  auto testSet = [&](llvm::StringRef name, auto keep, bool after) {
    SampleSet set;
    set.name = name.str();
    SetBuilder builder(spec, s, set);
    for (size_t i : order) {
      if (int64_t(set.size()) >= testLimit)
        break;
      int64_t c = full.test.labels[i];
      if (!keep(c))
        continue;
      builder.add(full.test, i,
                  after ? labelAfterEvent(plan, c)
                        : plan.deviceLabel[size_t(c)],
                  after);
    }
    return set;
  };
  auto onDevice = [&](int64_t c) {
    return llvm::is_contained(plan.deviceClasses, c);
  };
  auto pretrained = [&](int64_t c) {
    return llvm::is_contained(plan.pretrainClasses, c);
  };
  if (s.kind == ScenarioKind::Drift) {
    out.tests.push_back(testSet("before", onDevice, false));
    out.tests.push_back(testSet("after", onDevice, true));
  } else {
    out.tests.push_back(testSet("pretrained", pretrained, false));
    out.tests.push_back(testSet(
        "new", [&](int64_t c) { return onDevice(c) && !pretrained(c); },
        false));
  }
  for (const SampleSet &t : out.tests)
    if (t.size() == 0)
      return error("scenario '" + s.name +
                   "': the test split has no "
                   "sample for the '" +
                   t.name + "' test set");
  return out;
}

llvm::Error tnas::simulate::writeSampleSet(const SampleSet &set,
                                           llvm::StringRef path) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return error("cannot write '" + path + "': " + ec.message());
  auto u32 = [&](uint32_t v) {
    char b[4] = {char(v), char(v >> 8), char(v >> 16), char(v >> 24)};
    os.write(b, 4);
  };
  os << "TSIM";
  u32(1);
  u32(uint32_t(set.size()));
  u32(uint32_t(set.elements));
  for (float f : set.inputs) {
    uint32_t bits;
    static_assert(sizeof bits == sizeof f);
    memcpy(&bits, &f, 4);
    u32(bits);
  }
  for (int32_t l : set.labels)
    u32(uint32_t(l));
  os.close();
  if (os.has_error())
    return error("cannot write '" + path + "': " + os.error().message());
  return llvm::Error::success();
}

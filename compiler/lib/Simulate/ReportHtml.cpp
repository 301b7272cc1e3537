//===- ReportHtml.cpp - simulate.html: curves and figures -----------------===//
//
// One self-contained page (no scripts, no external files): per scenario an
// inline SVG of the windowed prequential accuracy, one polyline per scheme
// with the event as a dashed vertical line, and a table of the figures.
//
//===----------------------------------------------------------------------===//
#include "tnas/Simulate/Report.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace tnas;
using namespace tnas::simulate;

static std::string escape(llvm::StringRef s) {
  std::string out;
  for (char c : s)
    switch (c) {
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '&':
      out += "&amp;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      out += c;
    }
  return out;
}

/// 21205927 -> "21,205,927": counts of millions are read at a glance.
static std::string grouped(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out;
}

static const char *const kColors[] = {"#555555", "#1f77b4", "#d62728",
                                      "#ff7f0e", "#9467bd", "#2ca02c",
                                      "#17becf", "#8c564b", "#e377c2"};

static std::string percent(const MeanStd &m) {
  if (m.count == 0)
    return "&ndash;";
  if (m.count == 1)
    return llvm::formatv("{0:F1}%", 100 * m.mean);
  return llvm::formatv("{0:F1} &plusmn; {1:F1}%", 100 * m.mean, 100 * m.std);
}

static void writeSvg(llvm::raw_ostream &os, const ScenarioResult &r,
                     const std::vector<SchemeSummary> &summaries) {
  const double width = 760, height = 320, left = 50, right = 150, top = 15,
               bottom = 40;
  const double plotW = width - left - right, plotH = height - top - bottom;
  int64_t n = std::max<int64_t>(r.plan.spec->streamSamples, 1);
  auto x = [&](double i) { return left + plotW * i / double(n); };
  auto y = [&](double a) { return top + plotH * (1.0 - a); };
  os << llvm::formatv("<svg xmlns=\"http://www.w3.org/2000/svg\" "
                      "width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
                      "font-family=\"sans-serif\" font-size=\"11\">\n",
                      width, height);
  // Axes and grid.
  for (int g = 0; g <= 10; g += 2) {
    double a = g / 10.0;
    os << llvm::formatv("<line x1=\"{0}\" y1=\"{1:F1}\" x2=\"{2}\" "
                        "y2=\"{1:F1}\" stroke=\"#ddd\"/>\n"
                        "<text x=\"{3}\" y=\"{4:F1}\" text-anchor=\"end\">"
                        "{5}%</text>\n",
                        left, y(a), left + plotW, left - 4, y(a) + 4, g * 10);
  }
  for (int g = 0; g <= 4; ++g) {
    double i = double(n) * g / 4.0;
    os << llvm::formatv("<text x=\"{0:F1}\" y=\"{1}\" text-anchor=\"middle\">"
                        "{2}</text>\n",
                        x(i), top + plotH + 15, int64_t(i));
  }
  os << llvm::formatv("<rect x=\"{0}\" y=\"{1}\" width=\"{2}\" height=\"{3}\" "
                      "fill=\"none\" stroke=\"#888\"/>\n",
                      left, top, plotW, plotH);
  os << llvm::formatv("<text x=\"{0:F1}\" y=\"{1}\" text-anchor=\"middle\">"
                      "labelled samples on the device (window {2})</text>\n",
                      left + plotW / 2, height - 6, r.window);
  // The event.
  os << llvm::formatv(
      "<line class=\"event\" x1=\"{0:F1}\" y1=\"{1}\" "
      "x2=\"{0:F1}\" y2=\"{2}\" stroke=\"#c00\" "
      "stroke-dasharray=\"5,4\"/>\n"
      "<text x=\"{3:F1}\" y=\"{4}\" fill=\"#c00\">event</text>\n",
      x(double(r.plan.eventAt)), top, top + plotH,
      x(double(r.plan.eventAt)) + 3, top + 12);
  // One line per scheme, and the legend.
  for (size_t k = 0; k < summaries.size(); ++k) {
    const SchemeSummary &s = summaries[k];
    const char *color = kColors[k % std::size(kColors)];
    os << "<polyline class=\"scheme\" fill=\"none\" stroke-width=\"1.5\" "
       << "stroke=\"" << color << "\" points=\"";
    for (size_t i = 0; i < s.curve.size(); ++i)
      os << llvm::formatv("{0:F1},{1:F1} ", x(double(s.curveIndex[i])),
                          y(s.curve[i]));
    os << "\"><title>" << escape(s.result->variant.name)
       << "</title></polyline>\n";
    double ly = top + 10 + 16 * double(k);
    os << llvm::formatv("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" "
                        "stroke=\"{3}\" stroke-width=\"2\"/>\n"
                        "<text x=\"{4}\" y=\"{5}\">{6}</text>\n",
                        width - right + 10, ly, width - right + 30, color,
                        width - right + 35, ly + 4,
                        escape(s.result->variant.name));
  }
  os << "</svg>\n";
}

static void writeTable(llvm::raw_ostream &os, const ScenarioResult &r,
                       const std::vector<SchemeSummary> &summaries) {
  const bool drift = r.plan.spec->kind == ScenarioKind::Drift;
  os << "<table>\n<tr><th>scheme</th><th>"
     << (drift ? "before the event (window)" : "pre-trained classes at start")
     << "</th><th>last window</th><th>recovery (samples to 90%)</th>";
  for (const std::string &t : r.testSets)
    os << "<th>test " << escape(t) << " at the end</th>";
  os << "<th>RAM (trainer)</th><th>buffer</th><th>instructions / update"
        "</th><th>instructions / prediction</th></tr>\n";
  for (const SchemeSummary &s : summaries) {
    const SchemeResult &res = *s.result;
    os << "<tr><td>" << escape(res.variant.name) << "</td><td>"
       << (s.preEvent ? percent(*s.preEvent) : "&ndash;") << "</td><td>"
       << percent(s.postEvent) << "</td><td>";
    int64_t runs = int64_t(res.runs.size());
    if (s.recovered == 0)
      os << "not recovered";
    else
      os << llvm::formatv("{0:F0}", s.recovery.mean)
         << (s.recovered < runs
                 ? llvm::formatv(" ({0} of {1} runs)", s.recovered, runs).str()
                 : std::string());
    os << "</td>";
    for (const MeanStd &m : s.testEnd)
      os << "<td>" << percent(m) << "</td>";
    os << llvm::formatv("<td>{0} B ({1} B)</td><td>{2}</td>",
                        grouped(res.memory.ramBytes()),
                        grouped(res.memory.trainerBytes),
                        grouped(res.memory.bufferCapacity));
    auto cost = r.learnCost.perScheme.find(res.variant.name);
    if (cost != r.learnCost.perScheme.end())
      os << "<td>" << grouped(cost->second.learn) << "</td><td>"
         << grouped(cost->second.predict) << "</td></tr>\n";
    else
      os << "<td>not measured</td><td>not measured</td></tr>\n";
  }
  os << "</table>\n";
  os << "<p>Instructions: " << escape(r.learnCost.note.empty()
                                          ? std::string("not measured")
                                          : r.learnCost.note)
     << ".</p>\n";
}

std::string
tnas::simulate::reportHtml(const Spec &spec,
                           const std::vector<ScenarioResult> &results,
                           llvm::ArrayRef<std::string> pending) {
  std::string html;
  llvm::raw_string_ostream os(html);
  os << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
        "charset=\"utf-8\">\n"
     << "<title>tnasc simulate: " << escape(spec.file) << "</title>\n"
     << "<style>body{font-family:sans-serif;margin:2em;max-width:1000px}"
        "table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
        "td:first-child{text-align:left}</style>\n</head>\n<body>\n"
     << "<h1>On-device learning: " << escape(spec.file) << "</h1>\n"
     << "<p>The emitted library, built for the host, learns from a labelled "
        "stream (tnas_predict, then tnas_learn). Curves: prequential "
        "accuracy over a trailing window, mean over the repetitions.</p>\n";
  if (!pending.empty()) {
    os << "<p><strong>Not run yet</strong> (the run was stopped or is still "
          "going):";
    for (const std::string &name : pending)
      os << " " << escape(name);
    os << ".</p>\n";
  }
  for (const ScenarioResult &r : results) {
    const ScenarioSpec &s = *r.plan.spec;
    std::vector<SchemeSummary> summaries;
    for (const SchemeResult &scheme : r.schemes)
      summaries.push_back(summarize(r, scheme));
    os << "<h2>" << escape(s.name) << "</h2>\n<p>"
       << escape(eventDescription(r)) << "; " << s.streamSamples << " samples, "
       << (r.schemes.empty() ? 0 : r.schemes.front().runs.size())
       << " repetition(s).</p>\n";
    writeSvg(os, r, summaries);
    writeTable(os, r, summaries);
  }
  os << "</body>\n</html>\n";
  return html;
}

//===- Report.cpp - report.json and report.html of a search ---------------===//
#include "tnas/Search/Report.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <set>

using namespace tnas::search;
namespace json = llvm::json;

json::Value ReportTable::toJSON() const {
  json::Array rowsJson;
  for (const auto &row : rows) {
    json::Object o;
    for (size_t i = 0; i < columns.size() && i < row.size(); ++i)
      o[columns[i]] = row[i];
    rowsJson.push_back(std::move(o));
  }
  return json::Object{{"title", title}, {"rows", std::move(rowsJson)}};
}

json::Value tnas::search::reportJSON(const ReportInput &in) {
  const SearchResult &r = *in.result;
  json::Array candidates;
  for (const CandidateRecord &c : r.records)
    candidates.push_back(c.toJSON());
  json::Array pareto;
  for (size_t i : in.pareto)
    pareto.push_back(int64_t(i));
  json::Object bounds;
  for (const auto &[k, v] : in.bounds)
    bounds[k] = v;
  json::Array tables;
  for (const ReportTable &t : in.chosenTables)
    tables.push_back(t.toJSON());
  json::Object o{
      {"spec", in.specPath},
      {"strategy", in.strategy},
      {"stop", stopReasonName(r.stop)},
      {"seconds", r.seconds},
      {"counts", json::Object{{"visited", int64_t(r.records.size())},
                              {"trained", r.trained},
                              {"rejected", r.rejected},
                              {"failed", r.failed},
                              {"from_checkpoint", r.fromCheckpoint}}},
      {"bounds", std::move(bounds)},
      {"candidates", std::move(candidates)},
      {"pareto", std::move(pareto)},
      {"chosen_tables", std::move(tables)}};
  if (in.chosen)
    o["chosen"] = int64_t(*in.chosen);
  for (const auto &kv : in.extra)
    o[kv.first] = kv.second;
  return o;
}

namespace {

std::string escape(llvm::StringRef s) {
  std::string out;
  for (char c : s) {
    switch (c) {
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '&': out += "&amp;"; break;
    case '"': out += "&quot;"; break;
    default: out += c;
    }
  }
  return out;
}

std::string humanBytes(double b) {
  if (b >= 1024 * 1024)
    return llvm::formatv("{0:F1} MiB", b / (1024 * 1024)).str();
  if (b >= 1024)
    return llvm::formatv("{0:F1} KiB", b / 1024).str();
  return llvm::formatv("{0} B", int64_t(b)).str();
}

/// An axis tick or table cell for a resource value in its natural unit.
std::string humanBytesOrValue(llvm::StringRef resource, double v) {
  if (resource == "ram" || resource == "flash")
    return humanBytes(v);
  if (resource == "latency")
    return llvm::formatv("{0:F1} ms", v * 1e3).str();
  if (v >= 1e6)
    return llvm::formatv("{0:F2} M", v / 1e6).str();
  if (v >= 1e3)
    return llvm::formatv("{0:F1} k", v / 1e3).str();
  return llvm::formatv("{0}", int64_t(v)).str();
}

/// Accuracy (y) against one resource (x) for every trained candidate; the
/// Pareto points joined by a step line, the chosen one ringed, the bound
/// dashed.
std::string scatterSVG(const ReportInput &in, llvm::StringRef resource,
                       llvm::StringRef label) {
  const auto &records = in.result->records;
  const double W = 460, H = 300, L = 60, R = 20, T = 20, B = 45;
  double xmax = 0, ymin = 1, ymax = 0;
  for (const CandidateRecord &c : records)
    if (c.status == CandidateStatus::Trained) {
      xmax = std::max(xmax, c.resource(resource).value_or(0));
      ymin = std::min(ymin, c.accuracy);
      ymax = std::max(ymax, c.accuracy);
    }
  auto bound = in.bounds.find(resource.str());
  if (bound != in.bounds.end())
    xmax = std::max(xmax, bound->second);
  if (xmax <= 0)
    xmax = 1;
  xmax *= 1.05;
  ymin = std::max(0.0, ymin - 0.02);
  ymax = std::min(1.0, ymax + 0.02);
  if (ymax <= ymin)
    ymax = ymin + 0.01;
  auto px = [&](double x) { return L + x / xmax * (W - L - R); };
  auto py = [&](double y) { return T + (ymax - y) / (ymax - ymin) * (H - T - B); };

  std::string s = llvm::formatv(
      "<svg xmlns='http://www.w3.org/2000/svg' width='{0}' height='{1}' "
      "viewBox='0 0 {0} {1}' role='img'><title>accuracy vs {2}</title>\n",
      W, H, escape(label));
  s += llvm::formatv("<rect x='{0}' y='{1}' width='{2}' height='{3}' "
                     "fill='#fafafa' stroke='#888'/>\n",
                     L, T, W - L - R, H - T - B);
  for (int i = 0; i <= 4; ++i) {
    double x = xmax * i / 4, y = ymin + (ymax - ymin) * i / 4;
    s += llvm::formatv("<text x='{0}' y='{1}' font-size='10' "
                       "text-anchor='middle'>{2}</text>\n",
                       px(x), H - B + 14, humanBytesOrValue(resource, x));
    s += llvm::formatv("<text x='{0}' y='{1}' font-size='10' "
                       "text-anchor='end'>{2:F1}%</text>\n",
                       L - 4, py(y) + 3, y * 100);
  }
  s += llvm::formatv("<text x='{0}' y='{1}' font-size='12' "
                     "text-anchor='middle'>{2}</text>\n",
                     (L + W - R) / 2, H - 8, escape(label));
  s += llvm::formatv("<text x='14' y='{0}' font-size='12' text-anchor='middle' "
                     "transform='rotate(-90 14 {0})'>accuracy</text>\n",
                     (T + H - B) / 2);
  if (bound != in.bounds.end())
    s += llvm::formatv("<line x1='{0}' y1='{1}' x2='{0}' y2='{2}' "
                       "stroke='#c00' stroke-dasharray='4 3'/>"
                       "<text x='{0}' y='{3}' font-size='10' fill='#c00' "
                       "text-anchor='end'>bound</text>\n",
                       px(bound->second), T, H - B, T + 10);
  std::set<size_t> front(in.pareto.begin(), in.pareto.end());
  std::vector<std::pair<double, double>> frontPts;
  for (size_t i = 0; i < records.size(); ++i) {
    const CandidateRecord &c = records[i];
    if (c.status != CandidateStatus::Trained)
      continue;
    double x = px(c.resource(resource).value_or(0)), y = py(c.accuracy);
    bool onFront = front.count(i);
    if (onFront)
      frontPts.push_back({x, y});
    s += llvm::formatv("<circle cx='{0:F1}' cy='{1:F1}' r='4' fill='{2}'>"
                       "<title>{3}: {4:P1}</title></circle>\n",
                       x, y, onFront ? "#1f77b4" : "#bbb",
                       escape(c.choiceKey), c.accuracy);
    if (in.chosen && *in.chosen == i)
      s += llvm::formatv("<circle cx='{0:F1}' cy='{1:F1}' r='8' fill='none' "
                         "stroke='#d62728' stroke-width='2'/>\n",
                         x, y);
  }
  std::sort(frontPts.begin(), frontPts.end());
  if (frontPts.size() > 1) {
    s += "<polyline fill='none' stroke='#1f77b4' points='";
    for (auto [x, y] : frontPts)
      s += llvm::formatv("{0:F1},{1:F1} ", x, y);
    s += "'/>\n";
  }
  s += "</svg>\n";
  return s;
}

} // namespace

std::string tnas::search::reportHTML(const ReportInput &in) {
  const SearchResult &r = *in.result;
  std::string h =
      "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
      "<title>tnasc search report</title><style>"
      "body{font-family:sans-serif;margin:2em;color:#222}"
      "table{border-collapse:collapse;margin:1em 0;font-size:13px}"
      "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
      "th{background:#eee}td.l{text-align:left;font-family:monospace}"
      "tr.chosen{background:#fde0e0}tr.pareto{background:#e3eefa}"
      ".plots{display:flex;gap:2em;flex-wrap:wrap}"
      "</style></head><body>\n";
  h += "<h1>tnasc search report</h1>\n";
  h += llvm::formatv("<p>Spec <code>{0}</code>, strategy <b>{1}</b>: {2} "
                     "candidates visited, {3} trained, {4} rejected by a "
                     "bound before training, {5} failed; {6} ({7:F1} s).</p>\n",
                     escape(in.specPath), escape(in.strategy),
                     r.records.size(), r.trained, r.rejected, r.failed,
                     stopReasonName(r.stop), r.seconds);
  if (in.chosen) {
    const CandidateRecord &c = r.records[*in.chosen];
    h += llvm::formatv("<p>Chosen: <code>{0}</code> — <code>{1}</code>, "
                       "accuracy {2:P2}, RAM {3}, Flash {4}, {5} MACs, "
                       "latency {6}.</p>\n",
                       escape(c.choiceKey), escape(c.architecture), c.accuracy,
                       humanBytes(c.ramBytes), humanBytes(c.flashBytes),
                       humanBytesOrValue("macs", c.macs),
                       humanBytesOrValue("latency", c.latencySeconds));
  } else {
    h += "<p><b>No candidate was trained.</b></p>\n";
  }
  // What the driver added after the search (final training, compression,
  // emission), one table per object.
  for (const auto &kv : in.extra) {
    const llvm::json::Object *o = kv.second.getAsObject();
    if (!o)
      continue;
    h += "<h2>After the search: " + escape(kv.first.str()) +
         "</h2>\n<table>\n";
    std::vector<std::string> keys;
    for (const auto &e : *o)
      keys.push_back(e.first.str());
    llvm::sort(keys);
    for (const std::string &k : keys) {
      const llvm::json::Value &v = *o->get(k);
      std::string text;
      if (std::optional<double> d = v.getAsNumber())
        text = k.find("accuracy") != std::string::npos
                   ? llvm::formatv("{0:P2}", *d).str()
                   : llvm::formatv("{0}", v).str();
      else if (std::optional<llvm::StringRef> str = v.getAsString())
        text = str->str();
      else
        text = llvm::formatv("{0}", v).str();
      h += "<tr><th>" + escape(k) + "</th><td class='l'>" + escape(text) +
           "</td></tr>\n";
    }
    h += "</table>\n";
  }
  h += "<h2>Pareto front</h2>\n<div class='plots'>\n";
  h += scatterSVG(in, "ram", "peak RAM");
  h += scatterSVG(in, "flash", "Flash");
  h += "</div>\n";
  for (const ReportTable &t : in.chosenTables) {
    h += "<h2>" + escape(t.title) + "</h2>\n<table><tr>";
    for (const std::string &c : t.columns)
      h += "<th>" + escape(c) + "</th>";
    h += "</tr>\n";
    for (const auto &row : t.rows) {
      h += "<tr>";
      for (size_t i = 0; i < row.size(); ++i)
        h += (i == 0 ? "<td class='l'>" : "<td>") + escape(row[i]) + "</td>";
      h += "</tr>\n";
    }
    h += "</table>\n";
  }
  h += "<h2>All candidates</h2>\n<table><tr><th>#</th><th>choice</th>"
       "<th>status</th><th>accuracy</th><th>RAM</th><th>Flash</th>"
       "<th>MACs</th><th>latency</th><th>params</th><th>train</th>"
       "<th>note</th></tr>\n";
  std::set<size_t> front(in.pareto.begin(), in.pareto.end());
  for (size_t i = 0; i < r.records.size(); ++i) {
    const CandidateRecord &c = r.records[i];
    const char *cls = in.chosen && *in.chosen == i ? " class='chosen'"
                      : front.count(i)             ? " class='pareto'"
                                                   : "";
    bool trained = c.status == CandidateStatus::Trained;
    h += llvm::formatv(
        "<tr{0}><td>{1}</td><td class='l'>{2}</td><td>{3}</td><td>{4}</td>"
        "<td>{5}</td><td>{6}</td><td>{7}</td><td>{8}</td><td>{9}</td>"
        "<td>{10}</td><td class='l'>{11}</td></tr>\n",
        cls, i, escape(c.choiceKey), statusName(c.status),
        trained ? llvm::formatv("{0:P2}", c.accuracy).str() : std::string("–"),
        humanBytes(c.ramBytes), humanBytes(c.flashBytes),
        humanBytesOrValue("macs", c.macs),
        humanBytesOrValue("latency", c.latencySeconds), c.params,
        trained ? llvm::formatv("{0:F1} s", c.trainSeconds).str()
                : std::string("–"),
        escape(c.reason));
  }
  h += "</table>\n</body></html>\n";
  return h;
}

llvm::Error tnas::search::writeReport(const ReportInput &in,
                                      llvm::StringRef outDir) {
  if (std::error_code ec = llvm::sys::fs::create_directories(outDir))
    return llvm::createStringError(ec, "cannot create '" + outDir + "': " +
                                           ec.message());
  auto write = [&](llvm::StringRef name, llvm::StringRef text) -> llvm::Error {
    llvm::SmallString<256> path(outDir);
    llvm::sys::path::append(path, name);
    return llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
      os << text;
      return llvm::Error::success();
    });
  };
  std::string jsonText;
  llvm::raw_string_ostream js(jsonText);
  js << llvm::formatv("{0:2}", reportJSON(in)) << "\n";
  if (llvm::Error e = write("report.json", jsonText))
    return e;
  return write("report.html", reportHTML(in));
}

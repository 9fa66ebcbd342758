#include "bench/report.hpp"

#include <fmt/format.h>

#include <fstream>
#include <thread>

namespace swabline::bench {
namespace {

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kPass: return "PASS";
    case Verdict::kMiss: return "MISS";
    case Verdict::kSkip: return "SKIP";
    case Verdict::kInfo: break;
  }
  return "—";
}

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<int>(c));
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

std::string FirstLineWith(const std::string& file, const std::string& prefix) {
  std::ifstream f(file);
  std::string line;
  while (std::getline(f, line))
    if (line.rfind(prefix, 0) == 0) return line.substr(line.find(':') + 1);
  return {};
}

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(s.begin());
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  return s;
}

}  // namespace

void Report::AddPhase(const std::string& name, const LoadResult& r) {
  phases_.push_back({name, r.ok, r.errors, r.transport_errors, r.seconds, r.OkPerSecond(),
                     r.latency.Percentile(50), r.latency.Percentile(90), r.latency.Percentile(99),
                     r.latency.Percentile(99.9), r.latency.max(), r.first_error});
}

Figure RelativeRate(std::string key, std::string name, std::string target, double rate,
                    std::string_view unit, double min_ratio, double min_value, std::string note) {
  Figure f{std::move(key), std::move(name), std::move(target), fmt::format("{:.0f} {}", rate, unit),
           rate,           std::nullopt,    Verdict::kMiss,    std::move(note)};
  f.relative = true;
  f.min_ratio = min_ratio;
  f.min_value = min_value;
  return f;
}

Figure RelativeInfo(std::string key, std::string name, double rate, std::string_view unit,
                    std::string note) {
  Figure f = RelativeRate(std::move(key), std::move(name), "—", rate, unit, 0, 0, std::move(note));
  f.verdict = Verdict::kInfo;
  return f;
}

Figure* Report::Find(std::string_view key) {
  for (auto& f : figures_)
    if (f.key == key) return &f;
  return nullptr;
}

void Report::Finish(double baseline) {
  for (auto& f : figures_) {
    if (!f.relative) continue;
    f.ratio = baseline > 0 ? std::optional<double>(f.value / baseline) : std::nullopt;
    if (f.verdict == Verdict::kInfo) continue;
    const bool pass = f.value > 0 && f.value >= f.min_value && f.ratio && *f.ratio >= f.min_ratio;
    f.verdict = pass ? Verdict::kPass : Verdict::kMiss;
  }
}

std::string Report::Table() const {
  std::string out =
      "| figure | target | measured | ratio to /healthz | verdict |\n"
      "|---|---|---|---|---|\n";
  for (const auto& f : figures_) {
    std::string measured = f.measured;
    if (!f.note.empty()) measured += " — " + f.note;
    out +=
        fmt::format("| {} | {} | {} | {} | {} |\n", f.name, f.target, measured,
                    f.ratio ? fmt::format("{:.0f}%", *f.ratio * 100) : "—", VerdictName(f.verdict));
  }
  return out;
}

std::string Report::Json(int residents, std::size_t connections, double duration,
                         double total) const {
  std::string out = fmt::format(
      "{{\n  \"machine\": \"{}\",\n  \"residents\": {},\n  \"connections\": {},\n"
      "  \"phase_seconds\": {},\n  \"run_seconds\": {:.1f},\n  \"figures\": [\n",
      Escape(MachineSummary()), residents, connections, duration, total);
  for (std::size_t i = 0; i < figures_.size(); ++i) {
    const auto& f = figures_[i];
    out += fmt::format(
        "    {{\"key\": \"{}\", \"name\": \"{}\", \"target\": \"{}\", \"measured\": \"{}\", "
        "\"value\": {:.1f}, \"ratio\": {}, \"verdict\": \"{}\", \"note\": \"{}\"}}{}\n",
        f.key, Escape(f.name), Escape(f.target), Escape(f.measured), f.value,
        f.ratio ? fmt::format("{:.3f}", *f.ratio) : "null", VerdictName(f.verdict), Escape(f.note),
        i + 1 < figures_.size() ? "," : "");
  }
  out += "  ],\n  \"phases\": [\n";
  for (std::size_t i = 0; i < phases_.size(); ++i) {
    const auto& p = phases_[i];
    out += fmt::format(
        "    {{\"name\": \"{}\", \"ok\": {}, \"errors\": {}, \"transport_errors\": {}, "
        "\"seconds\": {:.3f}, \"per_second\": {:.1f}, \"p50_us\": {}, \"p90_us\": {}, "
        "\"p99_us\": {}, \"p999_us\": {}, \"max_us\": {}, \"first_error\": \"{}\"}}{}\n",
        Escape(p.name), p.ok, p.errors, p.transport_errors, p.seconds, p.per_second, p.p50, p.p90,
        p.p99, p.p999, p.max, Escape(p.first_error), i + 1 < phases_.size() ? "," : "");
  }
  out += "  ]\n}\n";
  return out;
}

std::optional<std::string> Report::SmokeFailure() const {
  if (!problems_.empty()) return problems_.front();
  for (const auto& p : phases_) {
    if (p.errors || p.transport_errors)
      return fmt::format("{}: {} bad answers, {} socket errors; first: {}", p.name, p.errors,
                         p.transport_errors, p.first_error);
    if (p.ok == 0) return p.name + ": no successful answer";
  }
  return std::nullopt;
}

std::string MachineSummary() {
  const std::string cpu = Trimmed(FirstLineWith("/proc/cpuinfo", "model name"));
  const std::string mem = Trimmed(FirstLineWith("/proc/meminfo", "MemTotal"));
  double gib = 0;
  if (!mem.empty()) gib = std::stod(mem) / (1024.0 * 1024.0);
  std::ifstream loadavg("/proc/loadavg");
  std::string load;
  loadavg >> load;
  return fmt::format("{} cores ({}), {:.1f} GiB RAM; load average {} at the start",
                     std::thread::hardware_concurrency(), cpu.empty() ? "unknown CPU" : cpu, gib,
                     load.empty() ? "?" : load);
}

}  // namespace swabline::bench

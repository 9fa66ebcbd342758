#pragma once
/// The figures of a `swabline bench` run: the table it prints, the JSON it writes, and the
/// smoke verdict.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bench/loadgen.hpp"

namespace swabline::bench {

enum class Verdict { kPass, kMiss, kInfo, kSkip };

struct Figure {
  Figure(std::string key_, std::string name_, std::string target_, std::string measured_,
         double value_, std::optional<double> ratio_, Verdict verdict_, std::string note_ = {})
      : key(std::move(key_)),
        name(std::move(name_)),
        target(std::move(target_)),
        measured(std::move(measured_)),
        value(value_),
        ratio(ratio_),
        verdict(verdict_),
        note(std::move(note_)) {}

  std::string key;  // stable name in the JSON
  std::string name;
  std::string target;
  std::string measured;         // for people
  double value = 0;             // for machines: per second, µs or bytes as the key says
  std::optional<double> ratio;  // to the /healthz rate of the same run
  Verdict verdict = Verdict::kInfo;
  std::string note;
  /// A rate judged against the /healthz rate: Report::Finish sets `ratio` and, unless the
  /// verdict is kInfo, the verdict (PASS when value ≥ min_value and ratio ≥ min_ratio).
  bool relative = false;
  double min_ratio = 0;
  double min_value = 0;
};

/// A rate judged against the /healthz rate by Report::Finish: PASS when `rate` ≥ `min_value`
/// and ≥ `min_ratio` of the baseline. Measured reads "<rate> <unit>".
Figure RelativeRate(std::string key, std::string name, std::string target, double rate,
                    std::string_view unit, double min_ratio, double min_value = 0,
                    std::string note = {});

/// A rate shown with its ratio to the /healthz rate but not judged (Verdict::kInfo).
Figure RelativeInfo(std::string key, std::string name, double rate, std::string_view unit,
                    std::string note = {});

struct PhaseFigures {
  std::string name;
  std::uint64_t ok = 0;
  std::uint64_t errors = 0;
  std::uint64_t transport_errors = 0;
  double seconds = 0;
  double per_second = 0;
  std::uint64_t p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;  // µs
  std::string first_error;
};

class Report {
 public:
  void Add(Figure f) { figures_.push_back(std::move(f)); }
  /// The figure with `key`, or nullptr.
  Figure* Find(std::string_view key);
  void AddPhase(const std::string& name, const LoadResult& r);
  /// Judges the relative figures against `baseline` (the /healthz rate); 0 = none measured.
  void Finish(double baseline);
  /// Something went wrong outside a load phase's own counts.
  void MarkError(std::string why) { problems_.push_back(std::move(why)); }

  /// A Markdown table: figure, target, measured, ratio to /healthz, verdict.
  std::string Table() const;
  std::string Json(int residents, std::size_t connections, double duration, double total) const;
  /// Why a smoke run fails: a phase with errors or without a single success.
  std::optional<std::string> SmokeFailure() const;

 private:
  std::vector<Figure> figures_;
  std::vector<PhaseFigures> phases_;
  std::vector<std::string> problems_;
};

/// "2 × AMD EPYC …, 23.4 GiB RAM, /tmp on ext4 (/dev/…)".
std::string MachineSummary();

}  // namespace swabline::bench

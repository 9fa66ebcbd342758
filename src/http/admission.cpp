#include "http/admission.hpp"

#include <fmt/format.h>

namespace swabline::http {

bool Admission::Enter(Clock::time_point now, Ticket& ticket) {
  const std::size_t before = waiting_.fetch_add(1);
  if (limits_.max_queued > 0 && before >= limits_.max_queued) {
    waiting_.fetch_sub(1);
    refused_full_.fetch_add(1);
    return false;
  }
  ticket.queued_at = now;
  return true;
}

bool Admission::Start(const Ticket& ticket, Clock::time_point now) {
  waiting_.fetch_sub(1);
  if (limits_.budget.count() <= 0) return true;
  if (now - ticket.queued_at <= limits_.budget) {
    late_since_.store(kOnTime);
    return true;
  }
  const std::int64_t at = now.time_since_epoch().count();
  std::int64_t since = kOnTime;
  // The first late one starts the clock and is served: the queue may be a passing burst.
  if (late_since_.compare_exchange_strong(since, at)) return true;
  if (Clock::duration(at - since) <= limits_.budget) return true;
  refused_late_.fetch_add(1);
  return false;
}

std::string RenderAdmission(const Admission& readers, const Admission& writer) {
  std::string out =
      "# HELP swabline_overloaded_total Requests answered 503 overloaded, by queue and why: "
      "the queue was full, or the request waited past the budget.\n"
      "# TYPE swabline_overloaded_total counter\n";
  const std::pair<const char*, const Admission*> queues[] = {{"readers", &readers},
                                                             {"writer", &writer}};
  for (const auto& [name, q] : queues) {
    out += fmt::format("swabline_overloaded_total{{queue=\"{}\",reason=\"full\"}} {}\n", name,
                       q->refused_full());
    out += fmt::format("swabline_overloaded_total{{queue=\"{}\",reason=\"late\"}} {}\n", name,
                       q->refused_late());
  }
  out +=
      "# HELP swabline_queued Requests waiting for a database thread, by queue.\n"
      "# TYPE swabline_queued gauge\n";
  for (const auto& [name, q] : queues)
    out += fmt::format("swabline_queued{{queue=\"{}\"}} {}\n", name, q->waiting());
  return out;
}

}  // namespace swabline::http

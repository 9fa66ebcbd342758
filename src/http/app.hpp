#pragma once
/// What the handlers share: the database's reader pool and writer, the keys and clock, the
/// metrics, and the two helpers every handler goes through — Read and Write — which
/// authenticate, run the use case on the right thread, and (for writes) honour
/// Idempotency-Key. Handlers stay thin: decode, call one use case, encode.

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/text.hpp"
#include "http/admission.hpp"
#include "http/message.hpp"
#include "http/metrics.hpp"
#include "http/rate_limit.hpp"
#include "http/router.hpp"
#include "service/env.hpp"
#include "service/live_feed.hpp"
#include "service/stream_tickets.hpp"
#include "store/reader_pool.hpp"
#include "store/writer.hpp"

namespace swabline::service {
class SettableClock;
}

namespace swabline::http {

/// Recently verified tokens, so most requests skip the session lookup: a cached token costs a
/// hash look-up under a mutex, no SQL. Entries live at most `ttl`, which bounds how long a
/// revoked session keeps working. Thread-safe.
class TokenCache {
 public:
  explicit TokenCache(core::Micros ttl) : ttl_(ttl) {}
  std::optional<service::Actor> Get(std::string_view token, core::Micros now);
  /// As Get, without copying the actor out (a gate that only needs to know).
  bool Contains(std::string_view token, core::Micros now);
  /// The role of a live token's user, without copying the rest of the actor.
  std::optional<core::Role> RoleOf(std::string_view token, core::Micros now);
  void Put(const std::string& token, const service::Actor& actor, core::Micros now);
  void Forget(const std::string& token);

 private:
  struct Entry {
    service::Actor actor;
    core::Micros until;
  };
  using Map = std::unordered_map<std::string, Entry, core::StringHash, std::equal_to<>>;

  /// REQUIRES: mu_ held. The live entry for `token`, erasing it when expired.
  Entry* Live(std::string_view token, core::Micros now);

  core::Micros ttl_;
  std::mutex mu_;
  Map entries_;
};

class App {
 public:
  App(service::Env env, store::Writer& writer, store::ReaderPool& readers, std::string web_dir);

  using ReadFn = std::function<Reply(store::Connection&, const service::Actor&)>;
  using WriteFn = std::function<Reply(store::Tx&, const service::Actor&)>;

  /// Authenticates, then runs `fn` on a reader thread and responds with its reply.
  void Read(const Request& req, Respond respond, ReadFn fn);
  /// As Read, but `fn` runs at once on the calling thread (ReaderPool::RunHere) and `respond`
  /// is called before it returns. Only for reads of a few index look-ups (a person's status):
  /// on an IO thread, the hand-off to a reader and back costs more than such a read, while a
  /// long read there would stall every session of the thread.
  void ReadNow(const Request& req, const Respond& respond, const ReadFn& fn);
  /// As Read, without authentication (the public site list and queues).
  void ReadPublic(Respond respond, std::function<Reply(store::Connection&)> fn);
  /// As ReadNow, without authentication (the public status look-up by personal code).
  void ReadPublicNow(const Respond& respond, const std::function<Reply(store::Connection&)>& fn);
  /// Authenticates, then runs `fn` in the group-commit writer. A reply of status < 400 keeps
  /// the changes, anything else rolls them back. The reply is sent once the commit is
  /// durable. With an Idempotency-Key, a 2xx reply is stored and replayed for a repeat.
  void Write(const Request& req, Respond respond, WriteFn fn);
  /// Lets `handler` run only for a valid token whose role `access` admits: at once when the
  /// token is cached, else after a session look-up on a reader thread (the handler then runs
  /// there). Answers 401 and 403 itself.
  /// What the handler throws on a reader thread is answered there (AnswerOnce); on the
  /// calling thread it passes to the caller, which answers it (Dispatch).
  void Gate(Request req, Respond respond, const Access& access,
            const std::function<void(Request&, Respond)>& handler);
  /// Authenticates on a reader thread, then calls `next` there (for work that must follow
  /// authentication but is too slow for the writer, such as hashing a new password).
  void Authenticated(const Request& req, Respond respond,
                     std::function<void(const service::Actor&, Respond)> next);
  /// Runs `fn` in the writer without authentication (login).
  void WritePublic(Respond respond, std::function<Reply(store::Tx&)> fn);
  /// As WritePublic, for a resident without a token: `who` names them in the transaction (a
  /// resident id, or the problem to answer), then `fn` runs for them. An Idempotency-Key is
  /// honoured per resident, as Write does per user.
  void WriteAsResident(const Request& req, Respond respond,
                       std::function<core::Result<std::int64_t>(store::Tx&)> who,
                       std::function<Reply(store::Tx&, std::int64_t)> fn);

  /// `fn` is called on the writer thread after every commit (to nudge the outbox worker).
  /// REQUIRES: set before the server starts; `fn` is quick.
  void SetCommitListener(std::function<void()> fn) { commit_listener_ = std::move(fn); }

  const service::Env& env() const { return env_; }
  Metrics& metrics() { return metrics_; }
  TokenCache& tokens() { return tokens_; }
  /// REQUIRES: before the server starts.
  void SetRateLimits(const RateLimits& limits);
  /// How long a request may wait for a reader or the writer, and how many may wait
  /// (http/admission.hpp). REQUIRES: before the server starts.
  void SetAdmission(const AdmissionLimits& limits);
  const Admission& reader_admission() const { return reader_admission_; }
  const Admission& writer_admission() const { return writer_admission_; }
  RateLimiter& login_attempts() { return login_attempts_; }
  RateLimiter& login_failures() { return login_failures_; }
  RateLimiter& status_lookups() { return status_lookups_; }
  /// The live dashboard's events, fed by the writer after each commit.
  service::LiveFeed& feed() { return feed_; }
  service::StreamTickets& stream_tickets() { return stream_tickets_; }
  /// Takes one of the address's public look-ups by personal code (`--status-rate`); when none
  /// is left, answers 429 rate_limited itself and returns false.
  bool TakeCodeLookup(const Request& req, const Respond& respond);
  RateLimiter& request_submissions() { return request_submissions_; }
  store::ReaderPool& readers() { return readers_; }
  const std::string& web_dir() const { return web_dir_; }
  /// The clock PUT /clock moves (the one env() reads), set before the router is built by
  /// `serve --settable-clock`; null otherwise, and then /clock does not exist.
  void set_settable_clock(service::SettableClock* clock) { settable_clock_ = clock; }
  service::SettableClock* settable_clock() const { return settable_clock_; }

  /// Authenticates on `db` (through the token cache).
  core::Result<service::Actor> Authenticate(store::Connection& db, const Request& req);

 private:
  /// Authenticates, then runs `fn`, in one snapshot of `db`; a thrown error becomes a 503
  /// (busy or failing storage) or a 500.
  Reply ReadAs(store::Connection& db, const Request& req, const ReadFn& fn);
  /// Queues `job` on a reader, or answers `respond` 503 overloaded: at once when too many
  /// wait, or instead of running `job` when it waited past the budget.
  void QueueRead(Respond respond, std::function<void(store::Connection&, Respond)> job);
  /// Queues `job` in the writer, or answers `respond` 503 overloaded as QueueRead does.
  /// `respond` is the one `job` answers through.
  void QueueWrite(Respond respond, std::unique_ptr<store::WriteJob> job);

  service::Env env_;
  store::Writer& writer_;
  store::ReaderPool& readers_;
  std::string web_dir_;
  Metrics metrics_;
  std::function<void()> commit_listener_;
  TokenCache tokens_{60LL * 1'000'000};
  RateLimiter login_attempts_{{}};
  RateLimiter login_failures_{{}};
  RateLimiter status_lookups_{{}};
  service::LiveFeed feed_;
  service::StreamTickets stream_tickets_;
  RateLimiter request_submissions_{{}};
  Admission reader_admission_;
  Admission writer_admission_;
  service::SettableClock* settable_clock_ = nullptr;
};

/// 503 overloaded (with Retry-After, as every 503).
Reply OverloadedReply();

/// 429 rate_limited, with Retry-After from `limiter`'s bucket for `key`.
Reply RateLimitedReply(RateLimiter& limiter, std::string_view key, core::Micros now,
                       std::string detail);

/// A JSON reply.
Reply JsonReply(int status, std::string body);

/// Calls `fn(respond)` so that the request is answered exactly once, whatever `fn` does: when
/// it throws, the error is logged and, unless it had answered already, the answer is 500
/// internal; a second answer is dropped. On an IO thread and a reader thread alike, a failing
/// handler answers rather than dropping the connection.
void AnswerOnce(Respond respond, const std::function<void(Respond)>& fn);

}  // namespace swabline::http

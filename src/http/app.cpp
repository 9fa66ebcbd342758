#include "http/app.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <memory>

#include "http/problem.hpp"
#include "service/auth.hpp"
#include "store/idempotency.hpp"

namespace swabline::http {
namespace {

std::string Fingerprint(const Request& req) {
  unsigned char digest[16];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(req.body.data()),
                     req.body.size(), nullptr, 0);
  return req.method + " " + req.target + " " +
         store::ToHex(std::string_view(reinterpret_cast<char*>(digest), sizeof digest));
}

Reply InternalError(const std::string& why) {
  spdlog::error("internal error: {}", why);
  return ProblemReply(core::ErrorCode::kInternal, "the server failed; the error has been logged");
}

/// The answer to a use case that failed on its way to the database: the database was busy or
/// storage failed (503: the client retries), or anything else, which is a bug (500). SQLite's
/// message goes to the log only: it may quote SQL.
Reply FailedReply(const core::Error& error) {
  switch (error.code) {
    case core::ErrorCode::kBusy:
      spdlog::warn("database busy: {}", error.detail);
      return ProblemReply(error.code, "the database is busy; retry shortly");
    case core::ErrorCode::kStorageUnavailable:
      spdlog::error("storage unavailable: {}", error.detail);
      return ProblemReply(error.code, "storage is unavailable; retry later");
    default: return InternalError(error.detail);
  }
}

/// The answer to a read that threw: as FailedReply for a StoreError, else a bug (500).
Reply ExceptionReply(const std::exception& e) {
  const auto* store_error = dynamic_cast<const store::StoreError*>(&e);
  return store_error ? FailedReply(store::ErrorOf(*store_error)) : InternalError(e.what());
}

/// Whether `key` (not empty) was used before by `owner`: then `reply` is the stored answer, or
/// idempotency_key_reused when the request differs.
bool Replayed(store::Connection& db, std::int64_t owner, const std::string& key,
              const std::string& fingerprint, Reply& reply) {
  if (key.empty()) return false;
  auto stored = store::FindIdempotent(db, owner, key);
  if (!stored) return false;
  if (stored->fingerprint != fingerprint) {
    reply = ProblemReply(core::ErrorCode::kIdempotencyKeyReused,
                         "this Idempotency-Key was used for a different request");
    return true;
  }
  reply = Reply{stored->status, stored->content_type, stored->body, {}, std::nullopt, {}};
  reply.headers.emplace_back("Idempotent-Replayed", "true");
  return true;
}

/// Whether to keep the changes behind `reply`, storing it under `key` (if any) when so. Only
/// successes are stored: a refused request changed nothing, so a repeat of it is judged
/// afresh (an offline station may send a scan before the tube it names).
/// A reply stored for replay is rendered here, in the transaction that keeps it.
bool Keep(store::Tx& tx, std::int64_t owner, const std::string& key, const std::string& fingerprint,
          Reply& reply, core::Micros now) {
  const bool keep = reply.status < 400;
  if (keep && !key.empty()) {
    Render(reply);
    store::InsertIdempotent(tx, owner, key,
                            {fingerprint, reply.status, reply.content_type, reply.body}, now);
  }
  return keep;
}

/// One write request in the group-commit writer.
class WriteRequestJob : public store::WriteJob {
 public:
  WriteRequestJob(App& app, const Request& req, Respond respond, App::WriteFn fn)
      : app_(app), respond_(std::move(respond)), fn_(std::move(fn)) {
    // Keep what the job needs, not the body: an import's body may be hundreds of megabytes,
    // and the use case has already taken what it needs from it.
    req_.authorization = req.authorization;
    // GET ?reveal=true runs here only to commit its audit record; it is not a mutating call,
    // and its answer holds a clear ID number that must not be stored for replay.
    if (req.method != "GET") {
      req_.idempotency_key = req.idempotency_key;
      if (!req_.idempotency_key.empty()) fingerprint_ = Fingerprint(req);
    }
  }

  bool Run(store::Tx& tx) override {
    auto actor = app_.Authenticate(tx.db(), req_);
    if (!actor) {
      reply_ = ProblemReply(actor.error());
      return false;
    }
    // Replayed: nothing to keep, the first request's changes stand.
    if (Replayed(tx.db(), actor->user_id, req_.idempotency_key, fingerprint_, reply_)) return false;
    reply_ = fn_(tx, *actor);
    return Keep(tx, actor->user_id, req_.idempotency_key, fingerprint_, reply_,
                app_.env().clock.Now());
  }
  void Committed() override { respond_(std::move(reply_)); }
  void Failed(const core::Error& error) override { respond_(FailedReply(error)); }

 private:
  App& app_;
  Request req_;
  std::string fingerprint_;
  Respond respond_;
  App::WriteFn fn_;
  Reply reply_;
};

/// A resident's write without a token (WriteAsResident). Their stored answers are keyed by
/// the resident id negated, apart from every user's (user ids are positive).
class ResidentWriteJob : public store::WriteJob {
 public:
  ResidentWriteJob(App& app, const Request& req, Respond respond,
                   std::function<core::Result<std::int64_t>(store::Tx&)> who,
                   std::function<Reply(store::Tx&, std::int64_t)> fn)
      : app_(app),
        key_(req.idempotency_key),
        fingerprint_(key_.empty() ? "" : Fingerprint(req)),
        respond_(std::move(respond)),
        who_(std::move(who)),
        fn_(std::move(fn)) {}

  bool Run(store::Tx& tx) override {
    auto resident = who_(tx);
    if (!resident) {
      reply_ = ProblemReply(resident.error());
      return false;
    }
    const std::int64_t owner = -*resident;
    if (Replayed(tx.db(), owner, key_, fingerprint_, reply_)) return false;
    reply_ = fn_(tx, *resident);
    return Keep(tx, owner, key_, fingerprint_, reply_, app_.env().clock.Now());
  }
  void Committed() override { respond_(std::move(reply_)); }
  void Failed(const core::Error& error) override { respond_(FailedReply(error)); }

 private:
  App& app_;
  std::string key_;
  std::string fingerprint_;
  Respond respond_;
  std::function<core::Result<std::int64_t>(store::Tx&)> who_;
  std::function<Reply(store::Tx&, std::int64_t)> fn_;
  Reply reply_;
};

class PublicWriteJob : public store::WriteJob {
 public:
  PublicWriteJob(Respond respond, std::function<Reply(store::Tx&)> fn)
      : respond_(std::move(respond)), fn_(std::move(fn)) {}
  bool Run(store::Tx& tx) override {
    reply_ = fn_(tx);
    return reply_.status < 400;
  }
  void Committed() override { respond_(std::move(reply_)); }
  void Failed(const core::Error& error) override { respond_(FailedReply(error)); }

 private:
  Respond respond_;
  std::function<Reply(store::Tx&)> fn_;
  Reply reply_;
};

/// A write job that is refused unserved when it waited in the writer's queue past the budget.
class AdmittedWriteJob : public store::WriteJob {
 public:
  AdmittedWriteJob(Admission& admission, Admission::Ticket ticket, Respond respond,
                   std::unique_ptr<store::WriteJob> job)
      : admission_(admission),
        ticket_(ticket),
        respond_(std::move(respond)),
        job_(std::move(job)) {}

  bool Run(store::Tx& tx) override {
    late_ = !admission_.Start(ticket_, Admission::Clock::now());
    return !late_ && job_->Run(tx);
  }
  void Committed() override { late_ ? respond_(OverloadedReply()) : job_->Committed(); }
  void Failed(const core::Error& error) override {
    late_ ? respond_(OverloadedReply()) : job_->Failed(error);
  }

 private:
  Admission& admission_;
  Admission::Ticket ticket_;
  Respond respond_;
  std::unique_ptr<store::WriteJob> job_;
  bool late_ = false;
};

}  // namespace

Reply OverloadedReply() {
  return ProblemReply(core::ErrorCode::kOverloaded,
                      "the server has more requests than it can serve in time; retry shortly");
}

TokenCache::Entry* TokenCache::Live(std::string_view token, core::Micros now) {
  auto it = entries_.find(token);
  if (it == entries_.end()) return nullptr;
  if (it->second.until <= now) {
    entries_.erase(it);
    return nullptr;
  }
  return &it->second;
}

std::optional<service::Actor> TokenCache::Get(std::string_view token, core::Micros now) {
  std::lock_guard lock(mu_);
  if (const Entry* e = Live(token, now)) return e->actor;
  return std::nullopt;
}

bool TokenCache::Contains(std::string_view token, core::Micros now) {
  std::lock_guard lock(mu_);
  return Live(token, now) != nullptr;
}

std::optional<core::Role> TokenCache::RoleOf(std::string_view token, core::Micros now) {
  std::lock_guard lock(mu_);
  if (const Entry* e = Live(token, now)) return e->actor.role;
  return std::nullopt;
}

void TokenCache::Put(const std::string& token, const service::Actor& actor, core::Micros now) {
  std::lock_guard lock(mu_);
  if (entries_.size() > 100'000) entries_.clear();  // a crude bound; misses only cost a lookup
  entries_[token] = Entry{actor, now + ttl_};
}

void TokenCache::Forget(const std::string& token) {
  std::lock_guard lock(mu_);
  entries_.erase(token);
}

namespace {

/// Event ids start from the wall clock, so that they grow across restarts: an id a client
/// kept from an earlier run is then too old, never mistaken for a new event.
std::uint64_t FirstEventId() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

}  // namespace

App::App(service::Env env, store::Writer& writer, store::ReaderPool& readers, std::string web_dir)
    : env_(env),
      writer_(writer),
      readers_(readers),
      web_dir_(std::move(web_dir)),
      feed_(FirstEventId()) {
  writer_.SetEventSink([this](std::span<const core::LiveEvent> events) { feed_.Publish(events); });
  SetRateLimits(RateLimits{});
  writer_.SetBatchObserver([this](std::size_t n) {
    metrics_.ObserveBatch(n);
    if (commit_listener_) commit_listener_();
  });
  writer_.SetFailureObserver([this](const core::Error& cause) {
    spdlog::critical("the writer refuses every write until restarted: {}", cause.detail);
    metrics_.SetWriterFailed();
  });
}

void App::SetRateLimits(const RateLimits& limits) {
  login_attempts_.Configure({limits.login_attempts, limits.login_attempts});
  login_failures_.Configure({limits.login_failures, limits.login_failures});
  status_lookups_.Configure({limits.status_lookups, limits.status_lookups});
  request_submissions_.Configure({limits.request_submissions, limits.request_submissions});
}

void App::SetAdmission(const AdmissionLimits& limits) {
  reader_admission_.Configure(limits);
  writer_admission_.Configure(limits);
}

void App::QueueRead(Respond respond, std::function<void(store::Connection&, Respond)> job) {
  Admission::Ticket ticket;
  if (!reader_admission_.Enter(Admission::Clock::now(), ticket)) return respond(OverloadedReply());
  readers_.Submit([this, ticket, respond = std::move(respond),
                   job = std::move(job)](store::Connection& db) mutable {
    if (!reader_admission_.Start(ticket, Admission::Clock::now()))
      return respond(OverloadedReply());
    job(db, std::move(respond));
  });
}

void App::QueueWrite(Respond respond, std::unique_ptr<store::WriteJob> job) {
  Admission::Ticket ticket;
  if (!writer_admission_.Enter(Admission::Clock::now(), ticket)) return respond(OverloadedReply());
  writer_.Submit(std::make_unique<AdmittedWriteJob>(writer_admission_, ticket, std::move(respond),
                                                    std::move(job)));
}

bool App::TakeCodeLookup(const Request& req, const Respond& respond) {
  const core::Micros now = env_.clock.Now();
  if (status_lookups_.Take(req.remote, now)) return true;
  respond(RateLimitedReply(status_lookups_, req.remote, now,
                           "too many look-ups by personal code from this address; wait and try "
                           "again"));
  return false;
}

Reply RateLimitedReply(RateLimiter& limiter, std::string_view key, core::Micros now,
                       std::string detail) {
  Reply r = ProblemReply(core::ErrorCode::kRateLimited, std::move(detail));
  r.headers.emplace_back("Retry-After", std::to_string(limiter.RetryAfterSeconds(key, now)));
  return r;
}

core::Result<service::Actor> App::Authenticate(store::Connection& db, const Request& req) {
  const std::string_view token = req.BearerToken();
  const core::Micros now = env_.clock.Now();
  if (auto cached = tokens_.Get(token, now)) return std::move(*cached);
  auto actor = service::Authenticate(db, env_, token);
  if (actor) tokens_.Put(std::string(token), *actor, now);
  return actor;
}

namespace {

/// Runs `fn()` in one read snapshot of `db`; a thrown error becomes a 503 or a 500.
template <typename Fn>
Reply InSnapshot(store::Connection& db, Fn&& fn) {
  try {
    // One snapshot for the whole read, however many queries it makes.
    db.Query("BEGIN")->RunOrThrow();  // cached: parsed once per connection
    Reply reply = fn();
    db.Query("COMMIT")->RunOrThrow();
    return reply;
  } catch (const std::exception& e) {
    try {
      db.Exec("ROLLBACK");
    } catch (const std::exception&) {
      // No transaction left to end.
    }
    return ExceptionReply(e);
  }
}

/// Runs `fn(Connection&)` on the calling thread (ReaderPool::RunHere).
template <typename Fn>
Reply Here(store::ReaderPool& readers, Fn&& fn) {
  try {
    return readers.RunHere(std::forward<Fn>(fn));
  } catch (const std::exception& e) {
    return ExceptionReply(e);  // no connection could be opened
  }
}

}  // namespace

Reply App::ReadAs(store::Connection& db, const Request& req, const ReadFn& fn) {
  return InSnapshot(db, [&] {
    auto actor = Authenticate(db, req);
    return actor ? fn(db, *actor) : ProblemReply(actor.error());
  });
}

void App::Read(const Request& req, Respond respond, ReadFn fn) {
  QueueRead(std::move(respond),
            [this, req, fn = std::move(fn)](store::Connection& db, const Respond& respond) {
              respond(ReadAs(db, req, fn));
            });
}

void App::ReadNow(const Request& req, const Respond& respond, const ReadFn& fn) {
  respond(Here(readers_, [&](store::Connection& db) { return ReadAs(db, req, fn); }));
}

namespace {

/// 403 for a role `access` does not admit, as the use case's own check words it.
std::optional<Reply> Refused(const Access& access, core::Role role) {
  if (access.Admits(role)) return std::nullopt;
  return ProblemReply(core::ErrorCode::kForbidden,
                      "the role '" + std::string(core::RoleName(role)) + "' may not do this");
}

}  // namespace

void App::Gate(Request req, Respond respond, const Access& access,
               const std::function<void(Request&, Respond)>& handler) {
  const std::string_view token = req.BearerToken();
  if (token.empty())
    return respond(
        ProblemReply(core::ErrorCode::kUnauthenticated, "send Authorization: Bearer <token>"));
  if (auto role = tokens_.RoleOf(token, env_.clock.Now())) {
    if (auto refused = Refused(access, *role)) return respond(std::move(*refused));
    return handler(req, std::move(respond));
  }
  QueueRead(std::move(respond), [this, req = std::move(req), access, &handler](
                                    store::Connection& db, Respond respond) mutable {
    core::Result<service::Actor> actor = core::Fail(core::ErrorCode::kInternal, "");
    try {
      actor = Authenticate(db, req);
    } catch (const std::exception& e) {
      return respond(ExceptionReply(e));
    }
    if (!actor) return respond(ProblemReply(actor.error()));
    if (auto refused = Refused(access, actor->role)) return respond(std::move(*refused));
    // On this reader thread no caller is left to catch what the handler throws.
    AnswerOnce(std::move(respond), [&](Respond r) { handler(req, std::move(r)); });
  });
}

void App::Authenticated(const Request& req, Respond respond,
                        std::function<void(const service::Actor&, Respond)> next) {
  QueueRead(std::move(respond), [this, token = req.authorization, next = std::move(next)](
                                    store::Connection& db, Respond respond) mutable {
    core::Result<service::Actor> actor = core::Fail(core::ErrorCode::kInternal, "");
    try {
      Request probe;
      probe.authorization = token;
      actor = Authenticate(db, probe);
    } catch (const std::exception& e) {
      return respond(ExceptionReply(e));
    }
    if (!actor) return respond(ProblemReply(actor.error()));
    AnswerOnce(std::move(respond), [&](Respond r) { next(*actor, std::move(r)); });
  });
}

void App::ReadPublic(Respond respond, std::function<Reply(store::Connection&)> fn) {
  QueueRead(std::move(respond),
            [fn = std::move(fn)](store::Connection& db, const Respond& respond) {
              respond(InSnapshot(db, [&] { return fn(db); }));
            });
}

void App::ReadPublicNow(const Respond& respond,
                        const std::function<Reply(store::Connection&)>& fn) {
  respond(Here(readers_,
               [&](store::Connection& db) { return InSnapshot(db, [&] { return fn(db); }); }));
}

void App::Write(const Request& req, Respond respond, WriteFn fn) {
  auto job = std::make_unique<WriteRequestJob>(*this, req, respond, std::move(fn));
  QueueWrite(std::move(respond), std::move(job));
}

void App::WritePublic(Respond respond, std::function<Reply(store::Tx&)> fn) {
  auto job = std::make_unique<PublicWriteJob>(respond, std::move(fn));
  QueueWrite(std::move(respond), std::move(job));
}

void App::WriteAsResident(const Request& req, Respond respond,
                          std::function<core::Result<std::int64_t>(store::Tx&)> who,
                          std::function<Reply(store::Tx&, std::int64_t)> fn) {
  auto job = std::make_unique<ResidentWriteJob>(*this, req, respond, std::move(who), std::move(fn));
  QueueWrite(std::move(respond), std::move(job));
}

void AnswerOnce(Respond respond, const std::function<void(Respond)>& fn) {
  auto answered = std::make_shared<std::atomic<bool>>(false);
  Respond once = [answered, respond = std::move(respond)](Reply reply) {
    if (!answered->exchange(true)) respond(std::move(reply));
  };
  try {
    fn(once);
  } catch (const std::exception& e) {
    once(ExceptionReply(e));  // a busy database is 503 here too
  } catch (...) {
    once(InternalError("a handler threw something other than a std::exception"));
  }
}

Reply JsonReply(int status, std::string body) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

}  // namespace swabline::http

#pragma once
/// For http unit tests only: an App on a real migrated database with its writer and readers,
/// a Respond that keeps what it is given, and the check of a 500 answer.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <mutex>
#include <string>
#include <vector>

#include "http/app.hpp"
#include "service/auth.hpp"
#include "support/service/test_support.hpp"

namespace swabline::http::test {

/// The recorder the tests act as: user 7, scoped to the whole tree.
inline service::Actor Recorder() {
  service::Actor a;
  a.user_id = 7;
  a.username = "recorder1";
  a.role = core::Role::kRecorder;
  return a;
}

class AppWorld {
 public:
  AppWorld()
      : writer_(world_.db.path()),
        readers_(world_.db.path(), 2),
        app_(world_.env, writer_, readers_, "") {}

  App& app() { return app_; }
  store::Writer& writer() { return writer_; }
  /// The database's world: its own connection (`conn()`) plays another process.
  service::test::World& world() { return world_; }

  /// A token the app knows only from the database: a gated handler runs on a reader.
  std::string SessionToken() {
    world_.conn().Exec(
        "INSERT INTO users(id, username, password_hash, role, created_at) "
        "VALUES (7, 'recorder1', 'x', 'recorder', 0)");
    return world_.InTx(
        [&](store::Tx& tx) { return service::CreateSession(tx, world_.env, Recorder()).token; });
  }

  /// A token already in the app's cache: a gated handler runs at once, on the calling thread.
  std::string CachedToken() {
    app_.tokens().Put("cached-token", Recorder(), world_.clock.Now());
    return "cached-token";
  }

  /// A Respond that keeps every reply it is given, from any thread.
  Respond Keep(std::vector<Reply>& into) {
    return [this, &into](Reply r) {
      Render(r);
      std::lock_guard lock(mu_);
      into.push_back(std::move(r));
    };
  }

  /// Returns once the readers have run every job queued so far (they stop).
  void Drain() { readers_.Stop(); }

 private:
  service::test::World world_;
  store::Writer writer_;
  store::ReaderPool readers_;
  App app_;
  std::mutex mu_;
};

/// A GET of some /api path with `token`.
inline Request WithToken(const std::string& token, std::string path = "/api/v1/anything") {
  Request req;
  req.method = "GET";
  req.target = req.path = std::move(path);
  req.authorization = "Bearer " + token;
  return req;
}

/// `replies` is one 500 problem+json of code internal.
inline void ExpectOneInternalProblem(const std::vector<Reply>& replies) {
  ASSERT_EQ(replies.size(), 1u) << "answered exactly once";
  EXPECT_EQ(replies[0].status, 500);
  EXPECT_EQ(replies[0].content_type, "application/problem+json");
  const auto body = boost::json::parse(replies[0].body).as_object();
  EXPECT_EQ(body.at("code").as_string(), "internal");
  EXPECT_EQ(body.at("status").as_int64(), 500);
}

}  // namespace swabline::http::test

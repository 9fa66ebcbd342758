#include "http/decode.hpp"
#include "http/routes.hpp"
#include "service/auth.hpp"

namespace swabline::http {
namespace json = boost::json;

namespace {

json::object UserJson(const service::Actor& a) {
  json::object u;
  u["username"] = a.username;
  u["role"] = core::RoleName(a.role);
  u["scope"] = a.scope_path.empty() ? json::value(nullptr) : json::value(a.scope_path);
  u["scope_place_id"] = a.scope_place_id ? json::value(*a.scope_place_id) : json::value(nullptr);
  return u;
}

void Login(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(username, RequireString(*body, "username"));
  SWB_DECODE(password, RequireString(*body, "password"));

  // Two limits, both keyed by the client's address, so that a stranger cannot lock a user
  // out: failures per (address, username) stop guessing at one account, attempts per address
  // stop guessing across accounts (and bound the Argon2id work one address can cause).
  const core::Micros now = app.env().clock.Now();
  const std::string pair_key = req.remote + '\n' + *username;
  if (!app.login_failures().Has(pair_key, now))
    return respond(RateLimitedReply(app.login_failures(), pair_key, now,
                                    "too many failed logins for this username from this "
                                    "address; wait and try again"));
  if (!app.login_attempts().Take(req.remote, now))
    return respond(RateLimitedReply(app.login_attempts(), req.remote, now,
                                    "too many logins from this address; wait and try again"));

  // Argon2id takes tens of milliseconds: verify on a reader thread, never in the writer.
  app.readers().Submit([&app, respond = std::move(respond), username = *username,
                        password = *password, pair_key, now](store::Connection& db) mutable {
    core::Result<service::Actor> actor = core::Fail(core::ErrorCode::kInternal, "");
    try {
      actor = service::VerifyCredentials(db, username, password);
    } catch (const std::exception& e) {
      return respond(ProblemReply(core::ErrorCode::kInternal, e.what()));
    }
    if (!actor) {
      app.login_failures().Take(pair_key, now);
      return respond(ProblemReply(actor.error()));
    }
    app.login_failures().Forgive(pair_key);
    app.WritePublic(std::move(respond), [&app, a = *actor](store::Tx& tx) {
      service::NewSession s = service::CreateSession(tx, app.env(), a);
      json::object o;
      o["token"] = s.token;
      o["expires_at"] = core::FormatRfc3339(s.expires_at);
      o["user"] = UserJson(a);
      return JsonReply(201, json::value(std::move(o)));
    });
  });
}

void AddUser(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(username, RequireString(*body, "username"));
  SWB_DECODE(role, RequireString(*body, "role"));
  SWB_DECODE(password, RequireString(*body, "password"));
  SWB_DECODE(scope, OptionalString(*body, "scope"));
  service::AddUserInput in{*username, *role, scope->value_or(""), ""};
  // Who asks is settled before the (slow, Argon2id) hashing, which runs on a reader thread:
  // an anonymous caller neither learns the password rules nor costs us a hash.
  app.Authenticated(
      req, std::move(respond),
      [&app, req, in, password = *password](const service::Actor& actor, Respond respond) mutable {
        if (auto allowed = service::Require(actor, core::Permission::kManageUsers); !allowed)
          return respond(ProblemReply(allowed.error()));
        auto hash = service::HashPassword(password);
        if (!hash) return respond(ProblemReply(hash.error()));
        in.password_hash = *hash;
        app.Write(req, std::move(respond), [&app, in](store::Tx& tx, const service::Actor& actor) {
          return Answer(201, service::AddUser(tx, app.env(), actor, in), [&in](std::int64_t id) {
            json::object o;
            o["id"] = id;
            o["username"] = in.username;
            o["role"] = in.role;
            o["scope"] = in.scope_path.empty() ? json::value(nullptr) : json::value(in.scope_path);
            return o;
          });
        });
      });
}

void Logout(App& app, Request& req, Respond respond) {
  std::string token(req.BearerToken());
  app.Write(req, std::move(respond), [&app, token](store::Tx& tx, const service::Actor&) {
    service::EndSession(tx, app.env(), token);
    app.tokens().Forget(token);
    Reply r;
    r.status = 204;
    return r;
  });
}

}  // namespace

void AddAuthRoutes(Router& router, App& app) {
  router.Add("POST", "/api/v1/sessions", Public(),
             [&app](Request& req, Respond respond) { Login(app, req, std::move(respond)); });
  router.Add("DELETE", "/api/v1/sessions", SignedIn(),
             [&app](Request& req, Respond respond) { Logout(app, req, std::move(respond)); });
  router.Add("GET", "/api/v1/me", SignedIn(), [&app](Request& req, Respond respond) {
    app.Read(req, std::move(respond), [](store::Connection&, const service::Actor& a) {
      return JsonReply(200, json::value(UserJson(a)));
    });
  });
  router.Add("POST", "/api/v1/users", Needs(core::Permission::kManageUsers),
             [&app](Request& req, Respond respond) { AddUser(app, req, std::move(respond)); });
}

}  // namespace swabline::http

// Residents' requests: reading them, and the hours each category may wait (the settings row
// "request_due_hours").
#include "service/place_scope.hpp"
#include "service/request_rows.hpp"
#include "service/requests.hpp"
#include "store/audit.hpp"
#include "store/settings.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

constexpr std::string_view kDueSettingKey = "request_due_hours";

core::Status Invalid(const std::string& field, const std::string& why) {
  return core::Fail(ErrorCode::kInvalidField, field + " " + why).With("field", field);
}

RequestDueSettings ReadDueSettings(store::Connection& db) {
  RequestDueSettings out;
  out.hours = LoadRequestDueHours(db);
  auto q = db.Query("SELECT updated_at, updated_by FROM settings WHERE key = ?");
  q->Bind(1, kDueSettingKey);
  if (q->Next() == store::Step::kRow) {
    out.updated_at = q->Int(0);
    out.updated_by = q->OptStr(1).value_or("");
  }
  return out;
}

}  // namespace

ResidentRequest RequestOf(store::Connection& db, const Env& env, const store::RequestRow& row,
                          bool detailed) {
  ResidentRequest out;
  out.id = row.id;
  out.status = row.status;
  out.category = row.category;
  out.detail = row.detail;
  out.person = {row.resident_id, row.person_name, row.person_masked};
  out.place_id = row.home_place_id;
  out.source = row.source;
  out.created_by = row.created_by;
  out.assignee = row.assignee;
  out.resolution = row.resolution;
  out.created_at = row.created_at;
  out.due_at = row.due_at;
  out.closed_at = row.closed_at;
  out.overdue = row.status != "closed" && row.due_at < env.clock.Now();
  out.zoned = row.zoned;
  out.detailed = detailed;
  if (!detailed) return out;
  for (store::RequestEventRow& e : store::RequestEvents(db, row.id)) {
    RequestEvent event{e.at, std::move(e.event), std::move(e.detail), std::move(e.actor)};
    if (event.event == "comment") out.comments.push_back(event);
    out.timeline.push_back(std::move(event));
  }
  return out;
}

core::Result<store::RequestRow> FindScopedRequest(store::Connection& db, const Actor& actor,
                                                  std::int64_t id) {
  auto row = store::FindRequest(db, id);
  if (!row)
    return core::Fail(ErrorCode::kUnknownRequest, "no request with id " + std::to_string(id));
  SWB_TRY(RequireInScope(actor, row->home_id_path));
  return std::move(*row);
}

core::RequestDueHours LoadRequestDueHours(store::Connection& db) {
  core::RequestDueHours due;
  auto leaves = store::FindSettingLeaves(db, kDueSettingKey);
  if (!leaves) return due;
  for (const store::SettingLeaf& leaf : *leaves) {
    const auto category = core::ParseRequestCategory(leaf.key);
    const auto* hours = std::get_if<std::int64_t>(&leaf.value);
    if (category && hours && *hours >= 1 && *hours <= core::kMaxRequestDueHours)
      due.Of(*category) = *hours;
  }
  return due;
}

core::Result<ResidentRequest> GetRequest(store::Connection& db, const Env& env, const Actor& actor,
                                         std::int64_t id) {
  SWB_TRY(Require(actor, core::Permission::kReadRequests));
  store::RequestRow row;
  SWB_TRY_ASSIGN(row, FindScopedRequest(db, actor, id));
  return RequestOf(db, env, row, true);
}

core::Result<RequestPage> ListRequests(store::Connection& db, const Env& env, const Actor& actor,
                                       const RequestQuery& query) {
  SWB_TRY(Require(actor, core::Permission::kReadRequests));
  if (query.status && query.status != "open" && query.status != "assigned" &&
      query.status != "closed")
    return core::Fail(ErrorCode::kInvalidField, "status must be open, assigned or closed")
        .With("field", "status");
  store::RequestFilter filter;
  SWB_TRY_ASSIGN(filter.under_id_path, ListedIdPath(db, actor, query.place_id));
  filter.status = query.status;
  if (query.overdue) filter.overdue_at = env.clock.Now();
  filter.offset = query.cursor;
  filter.limit = query.limit + 1;  // one more, to know whether a page follows
  std::vector<store::RequestRow> rows = store::ListRequestRows(db, filter);
  RequestPage page;
  if (rows.size() > static_cast<std::size_t>(query.limit)) {
    rows.resize(static_cast<std::size_t>(query.limit));
    page.next_cursor = query.cursor + query.limit;
  }
  for (const store::RequestRow& row : rows) page.requests.push_back(RequestOf(db, env, row, false));
  return page;
}

core::Result<RequestDueSettings> GetRequestDueSettings(store::Connection& db, const Actor& actor) {
  SWB_TRY(Require(actor, core::Permission::kReadRequests));
  return ReadDueSettings(db);
}

core::Result<RequestDueSettings> PutRequestDueSettings(
    store::Tx& tx, const Env& env, const Actor& actor,
    const std::vector<std::pair<std::string, std::int64_t>>& hours) {
  if (actor.role != core::Role::kAdmin)
    return core::Fail(ErrorCode::kForbidden, "only an admin changes the hours requests may wait");
  core::RequestDueHours due = LoadRequestDueHours(tx.db());
  std::string detail;
  for (const auto& [name, value] : hours) {
    const auto category = core::ParseRequestCategory(name);
    if (!category) return Invalid(name, "is not a request category").take_error();
    if (value < 1 || value > core::kMaxRequestDueHours)
      return Invalid(name, "must be 1 to " + std::to_string(core::kMaxRequestDueHours) + " hours")
          .take_error();
    due.Of(*category) = value;
    detail += (detail.empty() ? "" : ", ") + name + " " + std::to_string(value) + " h";
  }
  std::vector<store::SettingLeaf> leaves;
  leaves.reserve(core::kRequestCategories.size());
  for (core::RequestCategory c : core::kRequestCategories)
    leaves.push_back({std::string(core::RequestCategoryName(c)), due.Of(c)});
  const core::Micros now = env.clock.Now();
  store::PutSetting(tx, kDueSettingKey, leaves, now, actor.username);
  store::AppendAudit(tx, now,
                     {actor.username, "settings.request_due_hours", "setting",
                      std::string(kDueSettingKey), detail.empty() ? "unchanged" : detail});
  return ReadDueSettings(tx.db());
}

}  // namespace swabline::service

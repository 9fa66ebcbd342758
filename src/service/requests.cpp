// Residents' requests: the use cases that make and change them (docs/api.md, "Community
// operations"). Reads and the due-hours setting are in request_views.cpp.
#include "service/requests.hpp"

#include "core/personal_code.hpp"
#include "core/text.hpp"
#include "service/live_events.hpp"
#include "service/people.hpp"
#include "service/personal_code.hpp"
#include "service/request_rows.hpp"
#include "store/audit.hpp"
#include "store/outbox.hpp"
#include "store/requests.hpp"
#include "store/users.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

/// The actor's name on a timeline and in the audit log for a resident with a personal code.
constexpr const char* kResidentActor = "resident";

core::Result<core::RequestCategory> CategoryOf(const std::string& name) {
  auto category = core::ParseRequestCategory(name);
  if (!category)
    return core::Fail(ErrorCode::kInvalidField,
                      "category must be medicine, food, medical, code_popup or other")
        .With("field", "category");
  return *category;
}

core::Status RequireText(std::string_view text, const char* field) {
  if (core::TrimBlanks(text).empty())
    return core::Fail(ErrorCode::kMissingField, std::string(field) + " must not be blank")
        .With("field", field);
  return core::Ok{};
}

/// Inserts the request, its first timeline entry, the audit record and the outbox row that
/// tells the community over the home (or the home) that a request waits.
ResidentRequest Insert(store::Tx& tx, const Env& env, const store::ResidentRow& resident,
                       core::RequestCategory category, const std::string& detail,
                       const std::string& source, const std::string& by) {
  const core::Micros now = env.clock.Now();
  store::RequestRow row;
  row.resident_id = resident.id;
  row.category = std::string(core::RequestCategoryName(category));
  row.detail = std::string(core::TrimBlanks(detail));
  row.source = source;
  row.created_by = by;
  row.created_at = now;
  row.due_at = core::RequestDueAt(LoadRequestDueHours(tx.db()), category, now);
  const std::int64_t id = store::InsertRequest(tx, row);
  const std::string id_text = std::to_string(id);
  store::AppendRequestEvent(tx, id, {now, "created", row.category + ": " + row.detail, by});
  store::AppendAudit(tx, now,
                     {by, "request.create", "request", id_text,
                      row.category + " for person " + std::to_string(resident.id)});
  store::AppendOutbox(tx, {"request_created", "place", std::to_string(resident.place_id),
                           "{\"request_id\":" + id_text + "}", now});
  PublishAt(tx, core::LiveEventKind::kRequestOpened, resident.place_id_path, id, now,
            core::RequestCategoryName(category));
  return RequestOf(tx.db(), env, *store::FindRequest(tx.db(), id), true);
}

/// The request the actor may change: kForbidden, kUnknownRequest; kRequestClosed when
/// `open_only` and it is closed.
core::Result<store::RequestRow> Changeable(store::Connection& db, const Actor& actor,
                                           std::int64_t id, bool open_only) {
  SWB_TRY(Require(actor, core::Permission::kManageRequests));
  store::RequestRow row;
  SWB_TRY_ASSIGN(row, FindScopedRequest(db, actor, id));
  if (open_only && row.status == "closed")
    return core::Fail(ErrorCode::kRequestClosed, "request " + std::to_string(id) + " is closed");
  return row;
}

void Record(store::Tx& tx, core::Micros now, const Actor& actor, std::int64_t id,
            const std::string& event, const std::string& detail) {
  store::AppendRequestEvent(tx, id, {now, event, detail, actor.username});
  store::AppendAudit(tx, now,
                     {actor.username, "request." + event, "request", std::to_string(id), detail});
}

}  // namespace

core::Result<ResidentRequest> SubmitRequest(store::Tx& tx, const Env& env, const Actor& actor,
                                            const std::string& person, const std::string& category,
                                            const std::string& detail) {
  SWB_TRY(Require(actor, core::Permission::kManageRequests));
  core::RequestCategory parsed{};
  SWB_TRY_ASSIGN(parsed, CategoryOf(category));
  SWB_TRY(RequireText(detail, "detail"));
  PersonLookup found;
  SWB_TRY_ASSIGN(found, LookUpPerson(tx.db(), env, person));
  if (!found.resident) return core::Fail(ErrorCode::kUnknownPerson, "no such person registered");
  SWB_TRY(RequireInScope(actor, found.resident->place_id_path));
  return Insert(tx, env, *found.resident, parsed, detail, "staff", actor.username);
}

core::Result<std::int64_t> ResidentOfCode(store::Connection& db, const Env& env,
                                          const std::string& code) {
  const std::string_view text = core::TrimBlanks(code);
  if (!core::LooksLikePersonalCode(text))
    return core::Fail(ErrorCode::kUnauthenticated,
                      "without a token, a request names its sender by their personal code");
  return ResolvePersonalCode(db, env, text);
}

core::Result<ResidentRequest> SubmitOwnRequest(store::Tx& tx, const Env& env,
                                               std::int64_t resident_id,
                                               const std::string& category,
                                               const std::string& detail) {
  core::RequestCategory parsed{};
  SWB_TRY_ASSIGN(parsed, CategoryOf(category));
  SWB_TRY(RequireText(detail, "detail"));
  auto resident = store::FindResident(tx.db(), resident_id);
  if (!resident)
    return core::Fail(ErrorCode::kInvalidPersonalCode, "this code names nobody registered");
  return Insert(tx, env, *resident, parsed, detail, "resident", kResidentActor);
}

core::Result<ResidentRequest> AssignRequest(store::Tx& tx, const Env& env, const Actor& actor,
                                            std::int64_t id, const std::string& assignee) {
  SWB_TRY(Changeable(tx.db(), actor, id, true));
  const std::string name(core::TrimBlanks(assignee));
  if (name.empty())
    return core::Fail(ErrorCode::kMissingField, "name the assignee").With("field", "assignee");
  if (!store::FindUserByName(tx.db(), name))
    return core::Fail(ErrorCode::kUnknownAssignee, "no user named '" + name + "'")
        .With("field", "assignee");
  const core::Micros now = env.clock.Now();
  store::AssignRequestRow(tx, id, name);
  Record(tx, now, actor, id, "assigned", "assigned to " + name);
  store::AppendOutbox(
      tx, {"request_assigned", "user", name, "{\"request_id\":" + std::to_string(id) + "}", now});
  return RequestOf(tx.db(), env, *store::FindRequest(tx.db(), id), true);
}

core::Result<ResidentRequest> CloseRequest(store::Tx& tx, const Env& env, const Actor& actor,
                                           std::int64_t id, const std::string& resolution) {
  store::RequestRow row;
  SWB_TRY_ASSIGN(row, Changeable(tx.db(), actor, id, false));
  const std::string text(core::TrimBlanks(resolution));
  if (text.empty())
    return core::Fail(ErrorCode::kResolutionRequired, "say how the request was resolved")
        .With("field", "resolution");
  if (row.status == "closed")
    return core::Fail(ErrorCode::kRequestClosed, "request " + std::to_string(id) + " is closed");
  const core::Micros now = env.clock.Now();
  store::CloseRequestRow(tx, id, text, now);
  Record(tx, now, actor, id, "closed", text);
  const auto category = core::ParseRequestCategory(row.category);
  PublishAtPlace(tx, core::LiveEventKind::kRequestClosed, row.home_place_id, id, now,
                 category ? core::RequestCategoryName(*category) : std::string_view());
  return RequestOf(tx.db(), env, *store::FindRequest(tx.db(), id), true);
}

core::Result<ResidentRequest> CommentOnRequest(store::Tx& tx, const Env& env, const Actor& actor,
                                               std::int64_t id, const std::string& text) {
  SWB_TRY(Changeable(tx.db(), actor, id, false));
  SWB_TRY(RequireText(text, "text"));
  Record(tx, env.clock.Now(), actor, id, "comment", std::string(core::TrimBlanks(text)));
  return RequestOf(tx.db(), env, *store::FindRequest(tx.db(), id), true);
}

}  // namespace swabline::service

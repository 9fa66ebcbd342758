#include "service/status.hpp"

#include "core/place.hpp"
#include "service/page.hpp"
#include "service/people.hpp"
#include "service/personal_code.hpp"
#include "service/zone_policy.hpp"
#include "store/residents.hpp"
#include "store/sample_history.hpp"
#include "store/status_facts.hpp"

namespace swabline::service {
namespace {

core::SampleFact FactOf(const store::SampleFactRow& s) {
  core::SampleFact f;
  f.result = s.result;
  f.capacity = s.capacity;
  f.purpose = s.purpose;
  return f;
}

}  // namespace

PersonStatusView StatusOf(store::Connection& db, const store::ResidentRow& r) {
  PersonStatusView view;
  view.person = BriefOf(r);
  view.home_place_ids = core::IdsAlong(r.place_id_path);
  core::StatusInputs in;
  const store::StatusFactsRow facts = store::StatusFactsOf(db, r.id, r.place_id_path);
  const auto& sample = facts.latest_sample;
  auto round = facts.latest_round;
  if (sample && (!round || sample->round_id >= *round)) round = sample->round_id;
  view.latest_round_id = round;
  if (sample) {
    view.latest = LatestSample{sample->round_id, sample->tube, sample->sampled_at, sample->result};
    const core::PersonState earlier = core::StateOf(FactOf(*sample));
    // A newer round in which the person has no sample yet leaves them not_sampled — unless
    // the earlier sample still demands follow-up (a positive is not erased by a new round).
    if (sample->round_id == *round || earlier == core::PersonState::kPositive ||
        earlier == core::PersonState::kPoolPositive)
      in.latest = FactOf(*sample);
  }
  // Missed: never sampled in the last closed round over their home, nor in any round since.
  if (const auto closed = facts.latest_closed_round)
    in.missed_previous_round =
        !facts.sampled_in_latest_closed && !(sample && sample->round_id > *closed);
  for (const std::string& level : facts.zone_levels)
    if (auto z = core::ParseZoneLevel(level)) in.zones.push_back(*z);
  // The policy is read only for someone in a zone: most status reads stay index look-ups.
  view.status = core::DeriveStatus(
      in, in.zones.empty() ? core::HowZonesLiftWords{} : HowZonesLift(LoadZonePolicy(db)));
  return view;
}

core::Result<PersonStatusView> GetPersonStatus(store::Connection& db, const Env& env,
                                               const Actor& actor, std::string_view person) {
  SWB_TRY(Require(actor, core::Permission::kReadStatus));
  PersonLookup who;
  SWB_TRY_ASSIGN(who, LookUpPerson(db, env, person));
  if (!who.resident)
    return core::Fail(core::ErrorCode::kUnknownPerson, "this person is not registered");
  SWB_TRY(RequireInScope(actor, who.resident->place_id_path));
  return StatusOf(db, *who.resident);
}

core::Result<PersonStatusView> GetStatusByCode(store::Connection& db, const Env& env,
                                               std::string_view code) {
  std::int64_t id = 0;
  SWB_TRY_ASSIGN(id, ResolvePersonalCode(db, env, code));
  auto r = store::FindResident(db, id);
  if (!r)
    return core::Fail(core::ErrorCode::kInvalidPersonalCode, "this code names nobody registered");
  return StatusOf(db, *r);
}

core::Result<OwnSamplesPage> GetHistoryByCode(store::Connection& db, const Env& env,
                                              std::string_view code, std::int64_t cursor,
                                              int limit) {
  std::int64_t id = 0;
  SWB_TRY_ASSIGN(id, ResolvePersonalCode(db, env, code));
  std::vector<store::SampleHistoryRow> rows = store::SampleHistoryOf(db, id, cursor, limit + 1);
  OwnSamplesPage page;
  page.next_cursor = CutPage(rows, limit);
  page.samples.reserve(rows.size());
  for (const auto& row : rows)
    page.samples.push_back(OwnSample{row.id, row.round_id, row.round_name, row.tube, row.sampled_at,
                                     row.result, row.capacity > 1, row.purpose});
  return page;
}

}  // namespace swabline::service

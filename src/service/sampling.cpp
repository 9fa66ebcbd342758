#include "service/sampling.hpp"

#include <algorithm>

#include "core/tube.hpp"
#include "service/live_events.hpp"
#include "service/people.hpp"
#include "service/tube_batches.hpp"
#include "service/zone_policy.hpp"
#include "store/audit.hpp"
#include "store/boxes.hpp"
#include "store/incidents.hpp"
#include "store/places.hpp"
#include "store/rounds.hpp"
#include "store/tubes.hpp"

namespace swabline::service {

using core::ErrorCode;

namespace {

core::Result<store::TubeRow> LoadTube(store::Connection& db, const std::string& barcode) {
  auto tube = store::FindTube(db, barcode);
  if (!tube) return core::Fail(ErrorCode::kUnknownTube, "no tube with barcode '" + barcode + "'");
  return std::move(*tube);
}

core::TubeFill FillOf(const store::TubeRow& t) { return {t.status, t.count, t.capacity}; }

TubeView ViewOf(store::TubeRow t) {
  return {Tube{std::move(t.barcode), t.round_id, t.site_id, t.capacity, t.count, t.status, t.result,
               t.purpose, t.incident_id, std::move(t.box_barcode), t.opened_at, t.first_sample_at,
               t.sealed_at, t.boxed_at, t.dispatched_at, t.received_at, t.resulted_at},
          {},
          false};
}

/// Registers an unknown but valid document holder at the site's community (docs/api.md, "The scan,
/// in the order it is checked", 3).
store::ResidentRow RegisterWalkIn(store::Tx& tx, const Env& env, const Actor& actor,
                                  const PersonLookup& who, const std::string& name,
                                  const store::TubeRow& tube) {
  auto site = store::FindSite(tx.db(), tube.site_id);
  store::ResidentRow row;
  row.name = name;
  row.doc_type = *who.doc_type;
  row.doc_hash = env.vault.Digest(DocumentDigestKey(*who.doc_type, who.document));
  row.doc_cipher = env.vault.Seal(who.document);
  row.doc_masked = core::MaskDocument(*who.doc_type, who.document);
  // A walk-in belongs to the site's community (docs/openapi.yaml), even when the site is filed
  // under a building or a unit; a site above community level keeps its own place.
  row.place_id = site->place_id;
  for (std::int64_t id : core::IdsAlong(site->place_id_path)) {
    auto place = store::FindPlace(tx.db(), id);
    if (place && place->kind == core::PlaceKind::kCommunity) {
      row.place_id = place->id;
      break;
    }
  }
  row.walk_in = true;
  const core::Micros now = env.clock.Now();
  row.id = *store::InsertResident(tx, row, now);
  store::AppendAudit(tx, now,
                     {actor.username, "resident.walk_in", "resident", std::to_string(row.id),
                      "site=" + std::to_string(tube.site_id)});
  return *store::FindResident(tx.db(), row.id);
}

/// A screening tube's capacity when none is given: the pool size of its batch or round, or the
/// smaller one the zone policy asks where the site's place is under a zone (docs/outbreak.md,
/// "Zones and the policy": sealed 1, controlled 10, prevention 20 by default).
int PoolSizeAt(store::Connection& db, const store::SiteRow& site, int pool_size) {
  const std::optional<int> zoned = ZonedPoolSize(db, site.place_id_path);
  return zoned ? std::min(pool_size, *zoned) : pool_size;
}

}  // namespace

PersonBrief BriefOf(const store::ResidentRow& r) { return {r.id, r.name, r.doc_masked}; }

core::Result<TubeView> OpenTube(store::Tx& tx, const Env& env, const Actor& actor,
                                const OpenTubeInput& in) {
  SWB_TRY(Require(actor, core::Permission::kSample));
  SWB_TRY(core::CheckBarcode(in.barcode));
  if (store::BarcodeUsed(tx.db(), in.barcode))
    return core::Fail(
        ErrorCode::kBarcodeInUse,
        "the barcode '" + in.barcode + "' was used before; a barcode is used once, ever");
  auto round = store::FindRound(tx.db(), in.round_id);
  if (!round)
    return core::Fail(ErrorCode::kUnknownRound, "no round with id " + std::to_string(in.round_id));
  if (round->status == core::RoundStatus::kClosed)
    return core::Fail(ErrorCode::kRoundClosed, "the round '" + round->name + "' is closed");
  auto site = store::FindSite(tx.db(), in.site_id);
  if (!site)
    return core::Fail(ErrorCode::kUnknownSite, "no site with id " + std::to_string(in.site_id));
  SWB_TRY(RequireInScope(actor, site->place_id_path));
  std::optional<int> batch_pool_size;
  SWB_TRY_ASSIGN(batch_pool_size, CheckIssuedTube(tx.db(), env, in.barcode, in.site_id));

  store::TubeRow t;
  auto purpose = core::ParseTubePurpose(in.purpose.value_or("screening"));
  if (!purpose)
    return core::Fail(ErrorCode::kInvalidField, "purpose must be screening or retest")
        .With("field", "purpose");
  t.purpose = *purpose;
  if (*purpose == core::TubePurpose::kRetest) {
    if (!in.incident_id)
      return core::Fail(ErrorCode::kMissingField, "a retest tube names its incident_id")
          .With("field", "incident_id");
    const auto incident = store::FindIncident(tx.db(), *in.incident_id);
    if (!incident)
      return core::Fail(ErrorCode::kUnknownIncident,
                        "no incident with id " + std::to_string(*in.incident_id));
    if (incident->status == "closed")
      return core::Fail(ErrorCode::kIncidentClosed,
                        "incident " + std::to_string(*in.incident_id) + " is closed");
    t.incident_id = in.incident_id;
  }
  t.capacity = in.capacity.value_or(
      *purpose == core::TubePurpose::kRetest
          ? 1
          : PoolSizeAt(tx.db(), *site, batch_pool_size.value_or(round->pool_size)));
  SWB_TRY(core::CheckTubeCapacity(t.capacity));
  t.barcode = in.barcode;
  t.round_id = in.round_id;
  t.site_id = in.site_id;
  t.opened_by = actor.username;
  t.opened_at = env.clock.Now();
  if (!store::InsertTube(tx, t))
    return core::Fail(ErrorCode::kBarcodeInUse, "the barcode '" + in.barcode + "' was used before");
  store::AppendAudit(
      tx, t.opened_at,
      {actor.username, "tube.open", "tube", t.barcode, "round=" + std::to_string(t.round_id)});
  CheckSiteStock(tx, t.site_id, t.opened_at);
  return ViewOf(*store::FindTube(tx.db(), t.barcode));
}

core::Result<AddedSample> AddSample(store::Tx& tx, const Env& env, const Actor& actor,
                                    const std::string& barcode, const AddSampleInput& in) {
  SWB_TRY(Require(actor, core::Permission::kSample));
  store::TubeRow tube;
  SWB_TRY_ASSIGN(tube, LoadTube(tx.db(), barcode));
  SWB_TRY(RequireInScope(actor, tube.site_id_path));
  PersonLookup who;
  SWB_TRY_ASSIGN(who, LookUpPerson(tx.db(), env, in.person, PersonDetail::kBrief));
  if (!who.resident && !(who.doc_type && in.name && !in.name->empty()))
    return core::Fail(ErrorCode::kUnknownPerson,
                      "this person is not registered; send their name to register a walk-in");
  SWB_TRY(core::CheckTubeTakesSample(FillOf(tube)));
  const bool screening = tube.purpose == core::TubePurpose::kScreening;
  store::EarlierSamples earlier_samples;
  if (who.resident)
    earlier_samples = store::FindEarlierSamples(tx.db(), barcode, tube.round_id, who.resident->id);
  if (earlier_samples.in_tube)
    return core::Fail(ErrorCode::kDuplicateInTube, "this person is already in this tube");
  if (screening) {
    if (const auto& earlier = earlier_samples.screening) {
      if (!in.allow_repeat)
        return core::Fail(ErrorCode::kAlreadySampled,
                          "already sampled in this round, in tube " + earlier->tube_barcode)
            .With("tube", earlier->tube_barcode)
            .With("sampled_at", core::FormatRfc3339(earlier->sampled_at));
      if (!in.reason || in.reason->empty())
        return core::Fail(ErrorCode::kReasonRequired, "a repeat sample needs a reason");
    }
  }
  if (!screening && tube.incident_id &&
      (!who.resident || !store::IsIncidentMember(tx.db(), *tube.incident_id, who.resident->id)))
    return core::Fail(ErrorCode::kNotInIncident, "this person is not a member of incident " +
                                                     std::to_string(*tube.incident_id));

  store::ResidentRow person =
      who.resident ? *who.resident : RegisterWalkIn(tx, env, actor, who, *in.name, tube);
  const core::Micros now = env.clock.Now();
  if (!store::TakeTubeSlot(tx, barcode, now))
    return core::Fail(ErrorCode::kTubeFull, "the tube filled up a moment ago: open a new tube");
  const int count = tube.count + 1;
  store::SampleRow s;
  s.tube_barcode = barcode;
  s.round_id = tube.round_id;
  s.resident_id = person.id;
  s.screening = screening;
  if (in.allow_repeat && in.reason && !in.reason->empty() && screening && earlier_samples.screening)
    s.repeat_reason = in.reason;
  s.sampled_at = now;
  s.sampled_by = actor.username;
  auto id = store::InsertSample(tx, s);
  if (!id)  // the unique indexes caught what the checks above should have: keep them honest
    return core::Fail(ErrorCode::kAlreadySampled, "already sampled in this round");
  // The tube as it now stands, from what this use case read and wrote (no second read on
  // the hot path of every scan).
  tube.count = count;
  if (!tube.first_sample_at) tube.first_sample_at = now;
  if (core::SealsItself(count, tube.capacity)) {
    store::SealTubeRow(tx, barcode, true, now);
    tube.status = core::TubeStatus::kSealed;
    tube.auto_sealed = true;
    tube.sealed_at = now;
    CheckSiteStock(tx, tube.site_id, now);
    PublishAt(tx, core::LiveEventKind::kTubesSealed, tube.site_id_path, tube.site_id, now);
  }
  store::AppendAudit(tx, now,
                     {actor.username, "sample.add", "sample", std::to_string(*id),
                      "tube=" + barcode + " resident=" + std::to_string(person.id)});
  PublishAt(tx, core::LiveEventKind::kSamples, tube.site_id_path, tube.site_id, now);
  return AddedSample{*id, BriefOf(person), now, ViewOf(std::move(tube))};
}

core::Result<TubeView> SealTube(store::Tx& tx, const Env& env, const Actor& actor,
                                const std::string& barcode) {
  SWB_TRY(Require(actor, core::Permission::kSample));
  store::TubeRow tube;
  SWB_TRY_ASSIGN(tube, LoadTube(tx.db(), barcode));
  SWB_TRY(RequireInScope(actor, tube.site_id_path));
  SWB_TRY(core::CheckSealAllowed(FillOf(tube)));
  if (tube.status == core::TubeStatus::kOpen) {
    const core::Micros now = env.clock.Now();
    store::SealTubeRow(tx, barcode, false, now);
    store::AppendAudit(
        tx, now,
        {actor.username, "tube.seal", "tube", barcode, "count=" + std::to_string(tube.count)});
    PublishAt(tx, core::LiveEventKind::kTubesSealed, tube.site_id_path, tube.site_id, now);
    CheckSiteStock(tx, tube.site_id, now);
  }
  return ViewOf(*store::FindTube(tx.db(), barcode));
}

core::Result<VoidedSample> VoidSample(store::Tx& tx, const Env& env, const Actor& actor,
                                      std::int64_t sample_id, const std::string& reason) {
  SWB_TRY(Require(actor, core::Permission::kSample));
  auto sample = store::FindSample(tx.db(), sample_id);
  if (!sample)
    return core::Fail(ErrorCode::kUnknownSample, "no sample with id " + std::to_string(sample_id));
  store::TubeRow tube;
  SWB_TRY_ASSIGN(tube, LoadTube(tx.db(), sample->tube_barcode));
  SWB_TRY(RequireInScope(actor, tube.site_id_path));
  if (reason.empty()) return core::Fail(ErrorCode::kReasonRequired, "say why the sample is voided");
  SWB_TRY(core::CheckVoidAllowed(tube.status));
  const core::Micros now = env.clock.Now();
  if (!sample->voided_at) {
    store::VoidSampleRow(tx, sample_id, reason, now);
    store::ReturnTubeSlot(tx, tube.barcode);
    store::AppendAudit(
        tx, now, {actor.username, "sample.void", "sample", std::to_string(sample_id), reason});
  }
  auto after = store::FindSample(tx.db(), sample_id);
  return VoidedSample{sample_id, after->void_reason.value_or(reason),
                      after->voided_at.value_or(now),
                      ViewOf(*store::FindTube(tx.db(), tube.barcode))};
}

core::Result<TubeView> GetTube(store::Connection& db, const Actor& actor,
                               const std::string& barcode) {
  SWB_TRY(Require(actor, core::Permission::kReadTubes));
  store::TubeRow tube;
  SWB_TRY_ASSIGN(tube, LoadTube(db, barcode));
  SWB_TRY(RequireInScope(actor, tube.site_id_path));
  TubeView view = ViewOf(std::move(tube));
  view.with_samples = true;
  for (const auto& s : store::ValidSamplesInTube(db, barcode)) {
    auto r = store::FindResident(db, s.resident_id);
    view.samples.push_back(
        {s.id, r ? BriefOf(*r) : PersonBrief{s.resident_id, "", ""}, s.sampled_at});
  }
  return view;
}

}  // namespace swabline::service

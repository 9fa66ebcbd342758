#include "service/transport.hpp"

#include "core/box.hpp"
#include "core/tube.hpp"
#include "store/audit.hpp"
#include "store/boxes.hpp"
#include "store/tubes.hpp"

namespace swabline::service {

using core::ErrorCode;

namespace {

core::Result<store::BoxRow> LoadBox(store::Connection& db, const std::string& barcode) {
  auto box = store::FindBox(db, barcode);
  if (!box) return core::Fail(ErrorCode::kUnknownBox, "no box with barcode '" + barcode + "'");
  return std::move(*box);
}

BoxView ViewOf(store::Connection& db, store::BoxRow b) {
  BoxView view{{std::move(b.barcode), b.status, b.created_at, b.dispatched_at, b.received_at}, {}};
  for (auto& t : store::TubesInBox(db, view.box.barcode))
    view.tubes.push_back(std::move(t.barcode));
  return view;
}

}  // namespace

core::Result<BoxView> CreateBox(store::Tx& tx, const Env& env, const Actor& actor,
                                const std::string& barcode) {
  SWB_TRY(Require(actor, core::Permission::kTransport));
  SWB_TRY(core::CheckBarcode(barcode));
  const core::Micros now = env.clock.Now();
  if (store::BarcodeUsed(tx.db(), barcode) || !store::InsertBox(tx, barcode, actor.username, now))
    return core::Fail(
        ErrorCode::kBarcodeInUse,
        "the barcode '" + barcode + "' was used before; a barcode is used once, ever");
  store::AppendAudit(tx, now, {actor.username, "box.create", "box", barcode, ""});
  return ViewOf(tx.db(), *store::FindBox(tx.db(), barcode));
}

core::Result<BoxView> AddTubeToBox(store::Tx& tx, const Env& env, const Actor& actor,
                                   const std::string& box_barcode, const std::string& barcode) {
  SWB_TRY(Require(actor, core::Permission::kTransport));
  store::BoxRow box;
  SWB_TRY_ASSIGN(box, LoadBox(tx.db(), box_barcode));
  auto tube = store::FindTube(tx.db(), barcode);
  if (!tube) return core::Fail(ErrorCode::kUnknownTube, "no tube with barcode '" + barcode + "'");
  SWB_TRY(RequireInScope(actor, tube->site_id_path));
  if (auto boxable = core::CheckTubeBoxable(tube->status, tube->box_barcode.has_value());
      !boxable) {
    core::Error error = boxable.take_error();
    if (tube->box_barcode) {
      error.detail = "the tube is already in box " + *tube->box_barcode;
      error.With("box", *tube->box_barcode);
    }
    return error;
  }
  SWB_TRY(core::CheckBoxTakesTubes(box.status));
  const core::Micros now = env.clock.Now();
  if (!store::PutTubeInBox(tx, barcode, box_barcode, now))  // a concurrent move won
    return core::Fail(ErrorCode::kTubeInBox, "the tube was boxed a moment ago");
  store::AppendAudit(tx, now,
                     {actor.username, "box.add_tube", "box", box_barcode, "tube=" + barcode});
  return ViewOf(tx.db(), *store::FindBox(tx.db(), box_barcode));
}

core::Result<BoxView> DispatchBox(store::Tx& tx, const Env& env, const Actor& actor,
                                  const std::string& box_barcode) {
  SWB_TRY(Require(actor, core::Permission::kTransport));
  store::BoxRow box;
  SWB_TRY_ASSIGN(box, LoadBox(tx.db(), box_barcode));
  BoxView view = ViewOf(tx.db(), std::move(box));
  core::DispatchChange change;
  SWB_TRY_ASSIGN(change, core::DecideDispatch(view.box.status, view.tubes.size()));
  if (change == core::DispatchChange::kUnchanged) return view;
  const core::Micros now = env.clock.Now();
  store::DispatchBoxRow(tx, box_barcode, now);
  store::AppendAudit(tx, now,
                     {actor.username, "box.dispatch", "box", box_barcode,
                      "tubes=" + std::to_string(view.tubes.size())});
  return ViewOf(tx.db(), *store::FindBox(tx.db(), box_barcode));
}

core::Result<BoxView> GetBox(store::Connection& db, const Actor& actor, const std::string& box) {
  SWB_TRY(Require(actor, core::Permission::kReadTubes));
  store::BoxRow row;
  SWB_TRY_ASSIGN(row, LoadBox(db, box));
  return ViewOf(db, std::move(row));
}

}  // namespace swabline::service

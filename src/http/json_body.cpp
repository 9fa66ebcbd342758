#include "http/json_body.hpp"

#include <charconv>

#include "http/app.hpp"
#include "http/json_guard.hpp"
#include "http/json_text.hpp"

namespace swabline::http {

namespace json = boost::json;

core::Result<json::object> ParseObject(const Request& req) {
  // The content type is not enforced: scanners and scripts often send JSON as
  // form-urlencoded (curl -d); the body itself decides.
  boost::system::error_code ec;
  json::value v = json::parse(req.body, ec);
  if (ec)
    return core::Fail(core::ErrorCode::kInvalidRequest, "the body is not JSON: " + ec.message());
  if (!v.is_object())
    return core::Fail(core::ErrorCode::kInvalidRequest, "the body must be a JSON object");
  if (auto hazard = JsonHazard(req.body)) return std::move(*hazard);
  return std::move(v.as_object());
}

core::Result<std::string> RequireString(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null())
    return core::Fail(core::ErrorCode::kMissingField, "'" + std::string(key) + "' is required")
        .With("field", std::string(key));
  if (!it->value().is_string())
    return core::Fail(core::ErrorCode::kInvalidField, "'" + std::string(key) + "' must be a string")
        .With("field", std::string(key));
  return std::string(it->value().as_string());
}

core::Result<std::optional<std::string>> OptionalString(const json::object& o,
                                                        std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::optional<std::string>();
  if (!it->value().is_string())
    return core::Fail(core::ErrorCode::kInvalidField, "'" + std::string(key) + "' must be a string")
        .With("field", std::string(key));
  return std::optional<std::string>(std::string(it->value().as_string()));
}

core::Result<std::optional<std::int64_t>> OptionalInt(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::optional<std::int64_t>();
  const json::value& v = it->value();
  if (v.is_int64()) return std::optional<std::int64_t>(v.as_int64());
  if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return std::optional<std::int64_t>(static_cast<std::int64_t>(v.as_uint64()));
  return core::Fail(core::ErrorCode::kInvalidField, "'" + std::string(key) + "' must be an integer")
      .With("field", std::string(key));
}

core::Result<std::optional<bool>> OptionalBool(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::optional<bool>();
  if (!it->value().is_bool())
    return core::Fail(core::ErrorCode::kInvalidField,
                      "'" + std::string(key) + "' must be true or false")
        .With("field", std::string(key));
  return std::optional<bool>(it->value().as_bool());
}

namespace {

core::Error ArrayError(core::ErrorCode code, std::string_view key, std::string_view must) {
  return core::Fail(code, "'" + std::string(key) + "' " + std::string(must))
      .With("field", std::string(key));
}

/// The elements of a required array member, each taken by `take` (false: wrong element).
template <typename T, typename Take>
core::Result<std::vector<T>> ArrayOf(const json::object& o, std::string_view key,
                                     std::string_view what, std::string_view element, Take take) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null())
    return ArrayError(core::ErrorCode::kMissingField, key, "is required");
  if (!it->value().is_array())
    return ArrayError(core::ErrorCode::kInvalidField, key,
                      "must be an array of " + std::string(what));
  std::vector<T> out;
  out.reserve(it->value().as_array().size());
  for (const auto& v : it->value().as_array())
    if (!take(v, out)) return ArrayError(core::ErrorCode::kInvalidField, key, element);
  return out;
}

}  // namespace

core::Result<std::vector<std::int64_t>> IdArray(const json::object& o, std::string_view key) {
  return ArrayOf<std::int64_t>(o, key, "ids", "must hold positive integer ids",
                               [](const json::value& v, std::vector<std::int64_t>& out) {
                                 if (!v.is_int64() || v.as_int64() <= 0) return false;
                                 out.push_back(v.as_int64());
                                 return true;
                               });
}

core::Result<std::vector<std::string>> StringArray(const json::object& o, std::string_view key) {
  return ArrayOf<std::string>(o, key, "barcodes", "must hold barcodes as strings",
                              [](const json::value& v, std::vector<std::string>& out) {
                                if (!v.is_string()) return false;
                                out.emplace_back(v.as_string());
                                return true;
                              });
}

core::Result<Paging> ParsePaging(const Request& req, int default_limit, int max_limit) {
  auto number = [](std::string_view text) -> std::optional<std::int64_t> {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size() || v < 0) return std::nullopt;
    return v;
  };
  Paging paging{0, default_limit};
  if (auto c = req.Query("cursor"); c && !c->empty()) {
    auto v = number(*c);
    if (!v)
      return core::Fail(core::ErrorCode::kInvalidField, "the cursor is malformed")
          .With("field", "cursor");
    paging.cursor = *v;
  }
  if (auto l = req.Query("limit")) {
    auto v = number(*l);
    if (!v || *v == 0)
      return core::Fail(core::ErrorCode::kInvalidField, "limit must be a positive integer")
          .With("field", "limit");
    paging.limit = static_cast<int>(std::min<std::int64_t>(*v, max_limit));
  }
  return paging;
}

json::object PlaceJson(const core::Place& p) {
  json::object o;
  o["id"] = p.id;
  o["kind"] = core::PlaceKindName(p.kind);
  o["name"] = p.name;
  o["path"] = p.path;
  o["parent_id"] = p.parent_id ? json::value(*p.parent_id) : json::value(nullptr);
  return o;
}

json::value CursorJson(std::optional<std::int64_t> cursor) {
  return cursor ? json::value(std::to_string(*cursor)) : json::value(nullptr);
}

json::value TimeJson(std::optional<core::Micros> t) {
  return t ? json::value(core::FormatRfc3339(*t)) : json::value(nullptr);
}

json::object RoundJson(const service::Round& r) {
  json::object o;
  o["id"] = r.id;
  o["name"] = r.name;
  json::array places;
  for (auto id : r.place_ids) places.emplace_back(id);
  o["place_ids"] = std::move(places);
  o["pool_size"] = r.pool_size;
  o["status"] = core::RoundStatusName(r.status);
  o["starts_at"] = TimeJson(r.starts_at);
  o["ends_at"] = TimeJson(r.ends_at);
  o["created_at"] = TimeJson(r.created_at);
  o["closed_at"] = TimeJson(r.closed_at);
  return o;
}

json::object SiteJson(const service::Site& s) {
  json::object o;
  o["id"] = s.id;
  o["name"] = s.name;
  o["place_id"] = s.place_id;
  o["address"] = s.address;
  json::array hours;
  for (const auto& h : s.hours)
    hours.emplace_back(
        json::object{{"from", core::FormatClock(h.from)}, {"to", core::FormatClock(h.to)}});
  o["hours"] = std::move(hours);
  json::array lanes;
  for (core::Lane lane : s.lanes) lanes.emplace_back(core::LaneName(lane));
  o["lanes"] = std::move(lanes);
  return o;
}

json::object PersonBriefJson(const service::PersonBrief& p) {
  json::object o;
  o["id"] = p.id;
  o["name"] = p.name;
  o["id_number_masked"] = p.id_number_masked;
  return o;
}

json::object TubeJson(const service::TubeView& v) {
  const service::Tube& t = v.tube;
  json::object o;
  o["barcode"] = t.barcode;
  o["round_id"] = t.round_id;
  o["site_id"] = t.site_id;
  o["capacity"] = t.capacity;
  o["count"] = t.count;
  o["status"] = core::TubeStatusName(t.status);
  o["result"] = t.result ? json::value(core::TubeResultName(*t.result)) : json::value(nullptr);
  o["purpose"] = core::TubePurposeName(t.purpose);
  o["incident_id"] = t.incident_id ? json::value(*t.incident_id) : json::value(nullptr);
  o["box"] = t.box ? json::value(*t.box) : json::value(nullptr);
  o["opened_at"] = TimeJson(t.opened_at);
  o["first_sample_at"] = TimeJson(t.first_sample_at);
  o["sealed_at"] = TimeJson(t.sealed_at);
  o["boxed_at"] = TimeJson(t.boxed_at);
  o["dispatched_at"] = TimeJson(t.dispatched_at);
  o["received_at"] = TimeJson(t.received_at);
  o["resulted_at"] = TimeJson(t.resulted_at);
  if (v.with_samples) {
    json::array samples;
    for (const auto& s : v.samples)
      samples.emplace_back(json::object{{"id", s.id},
                                        {"person", PersonBriefJson(s.person)},
                                        {"sampled_at", core::FormatRfc3339(s.sampled_at)}});
    o["samples"] = std::move(samples);
  }
  return o;
}

json::object ResidentJson(const core::Resident& r) {
  json::object o;
  o["id"] = r.id;
  o["name"] = r.name;
  o["doc_type"] = core::DocumentTypeName(r.doc_type);
  o["id_number_masked"] = r.id_number_masked;
  if (!r.id_number.empty()) o["id_number"] = r.id_number;
  o["phone"] = r.phone;
  o["place_id"] = r.place_id;
  o["address"] = r.address;
  json::array tags;
  for (const auto& t : r.tags) tags.emplace_back(t);
  o["tags"] = std::move(tags);
  o["walk_in"] = r.walk_in;
  return o;
}

// Not through app.hpp's JsonReply(int, std::string): the parsers link without the server.
Reply JsonReply(int status, const json::value& v) {
  Reply r;
  r.status = status;
  r.body = JsonText(v);
  return r;
}

}  // namespace swabline::http

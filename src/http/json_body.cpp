#include "http/json_body.hpp"

#include <charconv>

#include "http/app.hpp"

namespace swabline::http {

namespace json = boost::json;

core::Result<json::object> ParseObject(const Request& req) {
  // The content type is not enforced: scanners and scripts often send JSON as
  // form-urlencoded (curl -d); the body itself decides.
  boost::system::error_code ec;
  json::value v = json::parse(req.body, ec);
  if (ec) return core::Fail(core::ErrorCode::kInvalidRequest, "the body is not JSON: " + ec.message());
  if (!v.is_object())
    return core::Fail(core::ErrorCode::kInvalidRequest, "the body must be a JSON object");
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

core::Result<std::optional<std::int64_t>> OptionalInt(const json::object& o,
                                                      std::string_view key) {
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
    return core::Fail(core::ErrorCode::kInvalidField, "'" + std::string(key) + "' must be true or false")
        .With("field", std::string(key));
  return std::optional<bool>(it->value().as_bool());
}

std::optional<std::int64_t> ParseId(std::string_view text) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v <= 0) return std::nullopt;
  return v;
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

Reply JsonReply(int status, const json::value& v) { return JsonReply(status, json::serialize(v)); }

}  // namespace swabline::http

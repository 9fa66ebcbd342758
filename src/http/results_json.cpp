#include "http/results_json.hpp"

#include <string>

#include "core/lab_result.hpp"
#include "http/json_body.hpp"
#include "http/json_text.hpp"

namespace swabline::http {
namespace json = boost::json;

namespace {

/// One Ct member of a row's "ct" object; a value that is not a plausible Ct marks the row.
void ReadCt(const json::object& ct, std::string_view key, std::optional<double>& value,
            std::string& malformed) {
  const json::value* v = ct.if_contains(key);
  if (!v || v->is_null()) return;
  if (v->is_number() && core::IsCtValue(v->to_number<double>())) {
    value = v->to_number<double>();
  } else if (malformed.empty()) {
    malformed = "ct." + std::string(key) + " must be a number from 0 to 100";
  }
}

}  // namespace

core::Result<std::vector<service::UploadedResult>> ResultRowsFromJson(const Request& req) {
  SWB_TRY_ASSIGN(json::object body, ParseObject(req));
  const json::value* results = body.if_contains("results");
  if (!results || !results->is_array())
    return core::Fail(core::ErrorCode::kInvalidRequest,
                      "the body must be {\"results\":[{\"tube\",\"result\"}, …]}");
  const json::array& items = results->as_array();
  if (items.size() > core::kMaxResultRows)
    return core::Fail(
        core::ErrorCode::kPayloadTooLarge,
        "at most " + std::to_string(core::kMaxResultRows) + " results per upload; split it");
  std::vector<service::UploadedResult> rows(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_object())
      return core::Fail(core::ErrorCode::kInvalidRequest,
                        "results[" + std::to_string(i) + "] must be an object")
          .With("index", std::to_string(i));
    const json::object& o = items[i].as_object();
    service::UploadedResult& row = rows[i];
    row.index = i;
    if (const json::value* t = o.if_contains("tube"); t && t->is_string())
      row.tube = t->as_string();
    if (const json::value* r = o.if_contains("result"); r && r->is_string())
      row.result = r->as_string();
    else if (r && !r->is_null())
      row.result = JsonText(*r);
    if (const json::value* ct = o.if_contains("ct"); ct && !ct->is_null()) {
      if (ct->is_object()) {
        ReadCt(ct->as_object(), "orf1ab", row.ct_orf1ab, row.malformed);
        ReadCt(ct->as_object(), "n", row.ct_n, row.malformed);
      } else {
        row.malformed = R"(ct must be an object {"orf1ab": n, "n": n})";
      }
    }
    if (const json::value* c = o.if_contains("correction_reason"); c && c->is_string())
      row.correction_reason = c->as_string();
    else if (c && !c->is_null() && row.malformed.empty())
      row.malformed = "correction_reason must be text";
  }
  return rows;
}

}  // namespace swabline::http

#pragma once
/// Decoding request bodies and encoding domain values with Boost.JSON. Only src/http sees
/// Boost.JSON; services take and give plain structs.

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/place.hpp"
#include "core/resident.hpp"
#include "core/result.hpp"
#include "http/message.hpp"
#include "service/rounds.hpp"
#include "service/sampling.hpp"

namespace swabline::http {

/// Parses the body as a JSON object; kInvalidRequest with the parser's message otherwise.
core::Result<boost::json::object> ParseObject(const Request& req);

/// A required string member; kMissingField or kInvalidField (wrong type).
core::Result<std::string> RequireString(const boost::json::object& o, std::string_view key);
/// An optional string member; kInvalidField when present with another type.
core::Result<std::optional<std::string>> OptionalString(const boost::json::object& o,
                                                        std::string_view key);
core::Result<std::optional<std::int64_t>> OptionalInt(const boost::json::object& o,
                                                      std::string_view key);
core::Result<std::optional<bool>> OptionalBool(const boost::json::object& o, std::string_view key);
/// A required array of positive integer ids; kMissingField or kInvalidField.
core::Result<std::vector<std::int64_t>> IdArray(const boost::json::object& o, std::string_view key);
/// A required array of barcodes (strings); kMissingField or kInvalidField.
core::Result<std::vector<std::string>> StringArray(const boost::json::object& o,
                                                   std::string_view key);

struct Paging {
  std::int64_t cursor = 0;  // 0 = from the start
  int limit = 0;
};

/// `?limit=&cursor=` of a list (docs/openapi.yaml): both non-negative integers when present, limit
/// capped at `max_limit`; kInvalidField otherwise.
core::Result<Paging> ParsePaging(const Request& req, int default_limit, int max_limit);

/// A cursor as the API sends it: the number as text, or null on the last page.
boost::json::value CursorJson(std::optional<std::int64_t> cursor);

/// A page of a list: its items under `key`, then "next_cursor".
template <typename Item, typename Encode>
boost::json::object PageJson(std::string_view key, const std::vector<Item>& items,
                             std::optional<std::int64_t> next_cursor, Encode encode) {
  boost::json::array out;
  out.reserve(items.size());
  for (const auto& item : items) out.emplace_back(encode(item));
  return boost::json::object{{key, std::move(out)}, {"next_cursor", CursorJson(next_cursor)}};
}

/// RFC 3339 text, or null.
boost::json::value TimeJson(std::optional<core::Micros> t);

boost::json::object PlaceJson(const core::Place& p);
boost::json::object RoundJson(const service::Round& r);
boost::json::object SiteJson(const service::Site& s);
boost::json::object PersonBriefJson(const service::PersonBrief& p);
/// A tube as docs/openapi.yaml shows it; its samples too when the view carries them.
boost::json::object TubeJson(const service::TubeView& t);
boost::json::object ResidentJson(const core::Resident& r);

Reply JsonReply(int status, const boost::json::value& v);

}  // namespace swabline::http

// A request body as every JSON route decodes it (http/json_body.hpp, http/json_guard.hpp):
// parsed, checked for duplicate names and NULs, then read member by member.
#include "http/json_body.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/json_guard.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace http = swabline::http;
  http::Request req;
  req.body.assign(reinterpret_cast<const char*>(data), size);
  (void)http::JsonHazard(req.body);
  auto body = http::ParseObject(req);
  if (!body) return 0;
  for (std::string_view key : {"barcode", "ids", "tubes", "limit", "name", "active"}) {
    (void)http::RequireString(*body, key);
    (void)http::OptionalString(*body, key);
    (void)http::OptionalInt(*body, key);
    (void)http::OptionalBool(*body, key);
    (void)http::IdArray(*body, key);
    (void)http::StringArray(*body, key);
  }
  return 0;
}

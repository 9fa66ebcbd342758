#include "http/json_text.hpp"

#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <string_view>

namespace swabline::http {
namespace json = boost::json;

namespace {

template <typename Number>
void AppendNumber(std::string& out, Number n) {
  std::array<char, 32> buf;  // the longest double, 24 characters, and any 64-bit integer fit
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), n);
  out.append(buf.data(), end);
}

/// As Boost.JSON escapes: the quote, the backslash and control characters; the rest, UTF-8
/// included, as it is.
void AppendString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out.push_back(kHex[(c >> 4) & 0xf]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void Append(std::string& out, const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: out += "null"; break;
    case json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
    case json::kind::int64: AppendNumber(out, v.get_int64()); break;
    case json::kind::uint64: AppendNumber(out, v.get_uint64()); break;
    case json::kind::double_:
      if (std::isfinite(v.get_double()))
        AppendNumber(out, v.get_double());
      else
        out += "null";
      break;
    case json::kind::string: AppendString(out, v.get_string()); break;
    case json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const json::value& item : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        Append(out, item);
      }
      out.push_back(']');
      break;
    }
    case json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const json::key_value_pair& member : v.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        AppendString(out, member.key());
        out.push_back(':');
        Append(out, member.value());
      }
      out.push_back('}');
      break;
    }
  }
}

}  // namespace

std::string JsonText(const json::value& v) {
  std::string out;
  Append(out, v);
  return out;
}

}  // namespace swabline::http

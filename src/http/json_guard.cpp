#include "http/json_guard.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <string>
#include <unordered_set>
#include <vector>

namespace swabline::http {
namespace {

using boost::json::string_view;
using boost::system::error_code;

/// A boost::json::basic_parser handler that builds nothing: it keeps the member names of each
/// open object and stops at the first repeated one or the first U+0000.
class HazardFinder {
 public:
  // Names boost::json::basic_parser requires of its handler.
  // NOLINTBEGIN(readability-identifier-naming)
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);
  // NOLINTEND(readability-identifier-naming)

  std::optional<core::Error> hazard;

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_array_begin(error_code&) { return true; }
  bool on_array_end(std::size_t, error_code&) { return true; }
  bool on_object_begin(error_code&) {
    open_.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    open_.pop_back();
    return true;
  }
  bool on_string_part(string_view s, std::size_t, error_code& ec) { return Clean(s, ec); }
  bool on_string(string_view s, std::size_t, error_code& ec) { return Clean(s, ec); }
  bool on_key_part(string_view s, std::size_t, error_code& ec) {
    key_.append(s.data(), s.size());
    return Clean(s, ec);
  }
  bool on_key(string_view s, std::size_t, error_code& ec) {
    if (!Clean(s, ec)) return false;
    key_.append(s.data(), s.size());
    const bool fresh = open_.back().insert(key_).second;
    if (!fresh) {
      hazard = core::Error(core::ErrorCode::kDuplicateKey,
                           "the member '" + key_ + "' appears twice in one object")
                   .With("key", key_);
      ec = boost::json::error::syntax;
    }
    key_.clear();
    return fresh;
  }
  bool on_number_part(string_view, error_code&) { return true; }
  bool on_int64(std::int64_t, string_view, error_code&) { return true; }
  bool on_uint64(std::uint64_t, string_view, error_code&) { return true; }
  bool on_double(double, string_view, error_code&) { return true; }
  bool on_bool(bool, error_code&) { return true; }
  bool on_null(error_code&) { return true; }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }

 private:
  bool Clean(string_view s, error_code& ec) {
    if (s.find('\0') == string_view::npos) return true;
    hazard = core::Error(core::ErrorCode::kNulCharacter,
                         "a string holds the character U+0000 (\\u0000)");
    ec = boost::json::error::syntax;
    return false;
  }

  std::vector<std::unordered_set<std::string>> open_;
  std::string key_;
};

}  // namespace

std::optional<core::Error> JsonHazard(std::string_view text) {
  boost::json::basic_parser<HazardFinder> parser(boost::json::parse_options{});
  error_code ec;
  parser.write_some(false, text.data(), text.size(), ec);
  return std::move(parser.handler().hazard);
}

}  // namespace swabline::http

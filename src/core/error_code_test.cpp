#include "core/error_code.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace swabline::core {
namespace {

/// `name: status` pairs of the ErrorCode schema's `x-http-status` map, and the names of its
/// `enum`, read from docs/openapi.yaml by its layout (eight spaces in, under those keys).
struct Documented {
  std::map<std::string, int> status;
  std::set<std::string> names;
};

Documented ReadDocumented() {
  std::ifstream in(std::string(SWABLINE_SOURCE_DIR) + "/docs/openapi.yaml");
  EXPECT_TRUE(in) << "docs/openapi.yaml not found";
  Documented d;
  std::string line;
  bool in_schema = false;
  std::string section;
  const std::regex status_row(R"(^ {8}([a-z_]+): (\d{3})\s*$)");
  const std::regex enum_row(R"(^ {8}- ([a-z_]+)\s*$)");
  while (std::getline(in, line)) {
    if (line == "    ErrorCode:") {
      in_schema = true;
      continue;
    }
    if (!in_schema) continue;
    if (line.rfind("    ", 0) == 0 && line.size() > 4 && line[4] != ' ') break;  // next schema
    if (line == "      enum:" || line == "      x-http-status:") {
      section = line.substr(6);
      continue;
    }
    if (line.rfind("      ", 0) == 0 && line.size() > 6 && line[6] != ' ') section.clear();
    std::smatch m;
    if (section == "x-http-status:" && std::regex_match(line, m, status_row)) {
      d.status[m[1]] = std::stoi(m[2]);
    } else if (section == "enum:" && std::regex_match(line, m, enum_row)) {
      d.names.insert(m[1]);
    }
  }
  return d;
}

TEST(ErrorTable, NamesAreUniqueAndSnakeCase) {
  std::set<std::string_view> seen;
  for (const ErrorInfo& e : AllErrors()) {
    EXPECT_TRUE(seen.insert(e.name).second) << e.name << " appears twice";
    EXPECT_TRUE(std::regex_match(std::string(e.name), std::regex("[a-z][a-z_]*"))) << e.name;
    EXPECT_GE(e.http_status, 400) << e.name;
    EXPECT_LT(e.http_status, 600) << e.name;
  }
}

TEST(ErrorTable, LooksUpByCode) {
  EXPECT_EQ(ErrorCodeName(ErrorCode::kTubeFull), "tube_full");
  EXPECT_EQ(HttpStatusOf(ErrorCode::kTubeFull), 409);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kBusy), 503);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kStorageUnavailable), 503);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kInternal), 500);
}

TEST(ErrorTable, MatchesTheOpenApiDocument) {
  const Documented d = ReadDocumented();
  ASSERT_FALSE(d.status.empty()) << "no x-http-status map under ErrorCode in docs/openapi.yaml";
  std::set<std::string> ours;
  for (const ErrorInfo& e : AllErrors()) {
    ours.insert(std::string(e.name));
    auto it = d.status.find(std::string(e.name));
    if (it == d.status.end()) {
      ADD_FAILURE() << e.name << " is not in the document's x-http-status";
    } else {
      EXPECT_EQ(it->second, e.http_status) << e.name;
    }
    EXPECT_TRUE(d.names.count(std::string(e.name))) << e.name << " is not in the document's enum";
  }
  for (const auto& [name, status] : d.status) {
    EXPECT_TRUE(ours.count(name)) << name << " is documented but the server has no such code";
  }
  EXPECT_EQ(d.names, ours);
}

}  // namespace
}  // namespace swabline::core

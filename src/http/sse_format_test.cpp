#include "http/sse_format.hpp"

#include <gtest/gtest.h>

namespace swabline::http {
namespace {

TEST(AppendSseEvent, WritesIdEventAndOneLineOfData) {
  core::LiveEvent e;
  e.id = 42;
  e.kind = core::LiveEventKind::kResults;
  e.place = core::PlaceIdsOf("/1/2/3/4/");
  e.subject = 9;
  e.count = 5;
  e.positives = 1;
  e.at = 0;
  std::string out;
  AppendSseEvent(out, e);
  EXPECT_EQ(out,
            "id: 42\nevent: results\ndata: "
            "{\"site_id\":9,\"place_id\":4,\"community_id\":3,\"count\":5,\"positives\":1,"
            "\"at\":\"1970-01-01T00:00:00Z\"}\n\n");
}

TEST(AppendSseEvent, NamesTheLabelAfterTheKind) {
  core::LiveEvent e;
  e.id = 1;
  e.kind = core::LiveEventKind::kZoneStarted;
  e.place = core::PlaceIdsOf("/1/");
  e.subject = 3;
  e.label = "sealed";
  std::string out;
  AppendSseEvent(out, e);
  EXPECT_NE(out.find("\"zone_id\":3"), std::string::npos);
  EXPECT_NE(out.find("\"community_id\":null"), std::string::npos);
  EXPECT_NE(out.find("\"level\":\"sealed\""), std::string::npos);
}

TEST(AppendSseReset, CarriesTheIdToGoOnFrom) {
  std::string out;
  AppendSseReset(out, 77);
  EXPECT_EQ(out, "id: 77\nevent: reset\ndata: {}\n\n");
}

}  // namespace
}  // namespace swabline::http

#include "http/access_log.hpp"

#include <gtest/gtest.h>

namespace swabline::http {
namespace {

TEST(LoggableTarget, MasksIdNumbersAndDropsQueryValues) {
  EXPECT_EQ(LoggableTarget("/api/v1/people/11010519900307123X/status"),
            "/api/v1/people/110105********123X/status");
  EXPECT_EQ(LoggableTarget("/api/v1/residents?q=王伟&limit=5&flag"),
            "/api/v1/residents?q&limit&flag");
  EXPECT_EQ(LoggableTarget("/api/v1/tubes/T-000123"), "/api/v1/tubes/T-000123")
      << "short digit runs stay";
  EXPECT_EQ(LoggableTarget("/x?"), "/x?");
}

TEST(LoggableTarget, CutsSessionTokensAndPersonalCodesInThePathToTheirPrefix) {
  EXPECT_EQ(LoggableTarget("/api/v1/people/SW1.abc.def/status"), "/api/v1/people/SW1.***/status");
  EXPECT_EQ(LoggableTarget("/api/v1/tubes/swb_0123abcd?token=swb_0123abcd"),
            "/api/v1/tubes/swb_***?token");
  EXPECT_EQ(LoggableTarget("/api/v1/tubes/swb_"), "/api/v1/tubes/swb_");
}

}  // namespace
}  // namespace swabline::http

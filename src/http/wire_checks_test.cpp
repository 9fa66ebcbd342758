#include "http/wire_checks.hpp"

#include <gtest/gtest.h>

#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>
#include <string>

namespace swabline::http {
namespace {

namespace bhttp = boost::beast::http;
using core::ErrorCode;

bhttp::request_header<bhttp::fields> Head(std::string target = "/api/v1/me") {
  bhttp::request_header<bhttp::fields> h;
  h.method(bhttp::verb::post);
  h.target(target);
  h.version(11);
  h.insert(bhttp::field::host, "swabline");
  return h;
}

std::optional<ErrorCode> CodeOf(const bhttp::request_header<bhttp::fields>& h) {
  auto problem = CheckHead(h);
  return problem ? std::optional(problem->code) : std::nullopt;
}

TEST(CheckHead, AcceptsAPlainRequestAndOneChunkedTransferEncoding) {
  EXPECT_EQ(CodeOf(Head()), std::nullopt);
  auto h = Head();
  h.insert(bhttp::field::transfer_encoding, "Chunked");
  EXPECT_EQ(CodeOf(h), std::nullopt);
}

TEST(CheckHead, RefusesAnyOtherTransferEncodingOrOneWithContentLength) {
  for (const char* te : {"gzip", "xchunked", "chunked, gzip", "gzip, chunked"}) {
    auto h = Head();
    h.insert(bhttp::field::transfer_encoding, te);
    EXPECT_EQ(CodeOf(h), ErrorCode::kAmbiguousFraming) << te;
  }
  auto both = Head();
  both.insert(bhttp::field::transfer_encoding, "chunked");
  both.insert(bhttp::field::content_length, "5");
  EXPECT_EQ(CodeOf(both), ErrorCode::kAmbiguousFraming);
  auto twice = Head();
  twice.insert(bhttp::field::transfer_encoding, "chunked");
  twice.insert(bhttp::field::transfer_encoding, "chunked");
  EXPECT_EQ(CodeOf(twice), ErrorCode::kAmbiguousFraming);
}

TEST(CheckHead, WantsExactlyOneHostOnHttp11AndAtMostOneOnHttp10) {
  auto none = Head();
  none.erase(bhttp::field::host);
  EXPECT_EQ(CodeOf(none), ErrorCode::kInvalidHost);
  none.version(10);
  EXPECT_EQ(CodeOf(none), std::nullopt);
  auto two = Head();
  two.insert(bhttp::field::host, "elsewhere");
  EXPECT_EQ(CodeOf(two), ErrorCode::kInvalidHost);
}

TEST(CheckHead, RefusesTwoAuthorizationHeaders) {
  auto h = Head();
  h.insert(bhttp::field::authorization, "Bearer a");
  EXPECT_EQ(CodeOf(h), std::nullopt);
  h.insert(bhttp::field::authorization, "Bearer b");
  EXPECT_EQ(CodeOf(h), ErrorCode::kDuplicateHeader);
}

TEST(CheckHead, RefusesAQueryOfMoreParametersThanTheCap) {
  std::string target = "/api/v1/status?a=1";
  for (std::size_t i = 1; i < kMaxQueryParameters; ++i) target += "&a=1";
  EXPECT_EQ(CodeOf(Head(target)), std::nullopt);
  EXPECT_EQ(CodeOf(Head(target + "&a")), ErrorCode::kTooManyParameters);
}

TEST(ParseFailure, TellsALongRequestLineFromLargeHeaders) {
  const boost::beast::error_code limit = bhttp::error::header_limit;
  EXPECT_EQ(ParseFailure(limit, false).code, ErrorCode::kUriTooLong);
  EXPECT_EQ(ParseFailure(limit, true).code, ErrorCode::kHeaderTooLarge);
  EXPECT_EQ(ParseFailure(bhttp::error::bad_chunk, true).code, ErrorCode::kMalformedHttp);
  EXPECT_EQ(ParseFailure(bhttp::error::bad_content_length, true).code,
            ErrorCode::kAmbiguousFraming);
}

TEST(IsMalformed, IsTrueForBadHttpAndFalseForAClosedConnection) {
  EXPECT_TRUE(IsMalformed(bhttp::error::bad_chunk));
  EXPECT_TRUE(IsMalformed(bhttp::error::header_limit));
  EXPECT_FALSE(IsMalformed(bhttp::error::end_of_stream));
  EXPECT_FALSE(IsMalformed(bhttp::error::partial_message));
  EXPECT_FALSE(IsMalformed(boost::asio::error::connection_reset));
}

}  // namespace
}  // namespace swabline::http

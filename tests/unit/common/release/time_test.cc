// common/core/time.h is tested here because the manifest is its reason to exist.
#include "common/core/time.h"

#include <doctest/doctest.h>

namespace vantus {
namespace {

TEST_CASE("RFC 3339 UTC timestamps format and parse back to the same second") {
  CHECK(formatRfc3339Utc(0) == "1970-01-01T00:00:00Z");
  CHECK(formatRfc3339Utc(1795370400) == "2026-11-22T18:00:00Z");
  CHECK(formatRfc3339Utc(951782400) == "2000-02-29T00:00:00Z");
  CHECK(*parseRfc3339Utc("2026-11-22T18:00:00Z") == 1795370400);
  CHECK(*parseRfc3339Utc("1970-01-01T00:00:00Z") == 0);
  CHECK(*parseRfc3339Utc("2000-02-29T00:00:00Z") == 951782400);
  CHECK(*parseRfc3339Utc("9999-12-31T23:59:59Z") == 253402300799);
  for (std::int64_t seconds : {std::int64_t{1}, std::int64_t{86399}, std::int64_t{1700000000},
                               std::int64_t{4102444799}, std::int64_t{253402300799}}) {
    CAPTURE(seconds);
    CHECK(*parseRfc3339Utc(formatRfc3339Utc(seconds)) == seconds);
  }
}

TEST_CASE("formatting clamps seconds that need more than four year digits") {
  CHECK(formatRfc3339Utc(253402300800) == "9999-12-31T23:59:59Z");
  CHECK(formatRfc3339Utc(-62167219201) == "0000-01-01T00:00:00Z");
}

TEST_CASE("RFC 3339 parsing refuses every other form") {
  for (const char* text :
       {"", "2026-11-22", "2026-11-22T18:00:00", "2026-11-22t18:00:00Z", "2026-11-22T18:00:00z",
        "2026-11-22 18:00:00Z", "2026-11-22T18:00:00.5Z", "2026-11-22T18:00:00+00:00",
        "2026-11-22T18:00Z", "26-11-22T18:00:00Z", "2026-1a-22T18:00:00Z", "+026-11-22T18:00:00Z",
        " 2026-11-22T18:00:00Z", "2026-11-22T18:00:00Z "}) {
    CAPTURE(text);
    auto parsed = parseRfc3339Utc(text);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == ErrorCode::kInvalidInput);
    CHECK(parsed.error().message.find("not of the form") != std::string::npos);
  }
}

TEST_CASE("RFC 3339 parsing refuses dates and times that do not exist") {
  for (const char* text :
       {"2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-01-00T00:00:00Z",
        "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z", "2026-12-31T23:59:60Z"}) {
    CAPTURE(text);
    auto parsed = parseRfc3339Utc(text);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().message.find("does not exist") != std::string::npos);
  }
  CHECK(parseRfc3339Utc("2024-02-29T00:00:00Z"));
}

}  // namespace
}  // namespace vantus

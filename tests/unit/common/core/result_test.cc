#include "common/core/result.h"

#include <doctest/doctest.h>

#include <memory>

namespace vantus {
namespace {

Result<int> half(int value) {
  if (value % 2 != 0) {
    return fail(ErrorCode::kInvalidInput, "odd", "value");
  }
  return value / 2;
}

Result<int> quarter(int value) {
  VANTUS_TRY(int halved, half(value));
  return half(halved);
}

TEST_CASE("a Result holds a value or an error, and VANTUS_TRY propagates the error") {
  CHECK(*half(4) == 2);
  auto odd = quarter(6);
  REQUIRE_FALSE(odd);
  CHECK(odd.error().code == ErrorCode::kInvalidInput);
  CHECK(odd.error().describe() == "value: odd");
  CHECK(quarter(8).value() == 2);
}

TEST_CASE("Result carries move-only values") {
  Result<std::unique_ptr<int>> boxed = std::make_unique<int>(7);
  REQUIRE(boxed);
  std::unique_ptr<int> taken = std::move(boxed).value();
  CHECK(*taken == 7);
  Result<void> nothing = ok();
  CHECK(nothing.has_value());
}

}  // namespace
}  // namespace vantus

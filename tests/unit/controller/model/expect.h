#pragma once
// Assertions shared by the model tests: a parser accepts an input and normalises it to an
// expected value, or rejects it with kInvalidInput, the field at fault and a reason.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "common/core/result.h"

namespace vantus::controller::testing {

template <typename T, typename U>
void checkAccepted(const Result<T>& result, const U& expected) {
  if (!result) {
    FAIL_CHECK("rejected: " << result.error().describe());
    return;
  }
  CHECK(*result == expected);
}

// `reason` must occur in the message; an empty `reason` only checks code and field.
template <typename T>
void checkRejected(const Result<T>& result, std::string_view field, std::string_view reason = {}) {
  if (result) {
    FAIL_CHECK("accepted, expected a rejection naming " << field);
    return;
  }
  const Error& error = result.error();
  CHECK(error.code == ErrorCode::kInvalidInput);
  CHECK(error.field == field);
  if (!reason.empty() && error.message.find(reason) == std::string::npos) {
    FAIL_CHECK("message \"" << error.message << "\" lacks \"" << reason << "\"");
  }
  // A message quotes input escaped: never a raw line break in a log line or a response.
  CHECK(error.message.find('\n') == std::string::npos);
  CHECK(error.message.find('\r') == std::string::npos);
}

}  // namespace vantus::controller::testing

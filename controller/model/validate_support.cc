#include "controller/model/validate_support.h"

#include <fmt/format.h>

namespace vantus::controller::validate_support {

namespace {
constexpr std::size_t kQuoteLimit = 80;
}  // namespace

std::string quote(std::string_view raw) {
  if (raw.size() <= kQuoteLimit) {
    return fmt::format("{:?}", raw);
  }
  return fmt::format("{:?}...", raw.substr(0, kQuoteLimit));
}

std::string describeChar(char c) {
  auto byte = static_cast<unsigned char>(c);
  if (c == ' ') {
    return "a space";
  }
  if (byte >= 0x80) {
    return "a non-ASCII character";
  }
  return fmt::format("{:?}", std::string_view(&c, 1));
}

Unexpected invalid(std::string_view field, std::string_view raw, std::string_view what,
                   std::string_view reason) {
  return invalid(field, fmt::format("{} is not {}: {}", quote(raw), what, reason));
}

Unexpected invalid(std::string_view field, std::string message) {
  return fail(ErrorCode::kInvalidInput, std::move(message), std::string(field));
}

std::string_view trimSpaces(std::string_view raw) {
  std::size_t begin = raw.find_first_not_of(' ');
  if (begin == std::string_view::npos) {
    return {};
  }
  std::size_t end = raw.find_last_not_of(' ');
  return raw.substr(begin, end - begin + 1);
}

std::string toLowerAscii(std::string_view raw) {
  std::string out(raw);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

bool isLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || isDigit(c); }

bool isAllDigits(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    if (!isDigit(c)) {
      return false;
    }
  }
  return true;
}

Result<std::int64_t> checkRange(std::int64_t value, std::int64_t min, std::int64_t max,
                                std::string_view field) {
  if (value < min || value > max) {
    return invalid(field, fmt::format("must be between {} and {}, got {}", min, max, value));
  }
  return value;
}

}  // namespace vantus::controller::validate_support

#include "common/core/time.h"

#include <chrono>
#include <ctime>

namespace vantus {
namespace {

// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
constexpr std::int64_t kMinUnixSeconds = -62167219200;
constexpr std::int64_t kMaxUnixSeconds = 253402300799;

bool readDigits(std::string_view text, size_t pos, size_t count, int* value) {
  int result = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
    result = result * 10 + (text[i] - '0');
  }
  *value = result;
  return true;
}

bool isLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int daysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && isLeapYear(year) ? 29 : kDays[month - 1];
}

void appendPadded(std::string& out, long value, int width) {
  std::string digits = std::to_string(value);
  out.append(digits.size() < static_cast<size_t>(width) ? width - digits.size() : 0, '0');
  out += digits;
}

}  // namespace

std::int64_t systemUnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string formatRfc3339Utc(std::int64_t unix_seconds) {
  if (unix_seconds < kMinUnixSeconds) {
    unix_seconds = kMinUnixSeconds;
  } else if (unix_seconds > kMaxUnixSeconds) {
    unix_seconds = kMaxUnixSeconds;
  }
  const std::time_t seconds = static_cast<std::time_t>(unix_seconds);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  std::string out;
  out.reserve(20);
  appendPadded(out, parts.tm_year + 1900L, 4);
  out += '-';
  appendPadded(out, parts.tm_mon + 1, 2);
  out += '-';
  appendPadded(out, parts.tm_mday, 2);
  out += 'T';
  appendPadded(out, parts.tm_hour, 2);
  out += ':';
  appendPadded(out, parts.tm_min, 2);
  out += ':';
  appendPadded(out, parts.tm_sec, 2);
  out += 'Z';
  return out;
}

Result<std::int64_t> parseRfc3339Utc(std::string_view text) {
  auto malformed = [&] {
    return fail(ErrorCode::kInvalidInput,
                "timestamp \"" + std::string(text) + "\" is not of the form 2026-11-22T18:00:00Z");
  };
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != 'Z') {
    return malformed();
  }
  int year, month, day, hour, minute, second;
  if (!readDigits(text, 0, 4, &year) || !readDigits(text, 5, 2, &month) ||
      !readDigits(text, 8, 2, &day) || !readDigits(text, 11, 2, &hour) ||
      !readDigits(text, 14, 2, &minute) || !readDigits(text, 17, 2, &second)) {
    return malformed();
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 59) {
    return fail(ErrorCode::kInvalidInput,
                "timestamp \"" + std::string(text) + "\" names a date or time that does not exist");
  }
  std::tm parts{};
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  parts.tm_mday = day;
  parts.tm_hour = hour;
  parts.tm_min = minute;
  parts.tm_sec = second;
  return static_cast<std::int64_t>(timegm(&parts));
}

}  // namespace vantus

#pragma once
// Helpers shared by the validate_*.cc files; not part of the model's public surface.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace vantus::controller::validate_support {

// The input as a double-quoted, escaped string for an error message; inputs longer than 80
// bytes are cut and marked with "...", so a message never carries a raw newline or a
// megabyte of attacker text.
std::string quote(std::string_view raw);
// How an error message names one offending byte: "\";\"", "a space", "\"\\n\"", "a non-ASCII
// character".
std::string describeChar(char c);
// `<quoted raw> is not <what>: <reason>`, the shape of most rejections.
Unexpected invalid(std::string_view field, std::string_view raw, std::string_view what,
                   std::string_view reason);
Unexpected invalid(std::string_view field, std::string message);

std::string_view trimSpaces(std::string_view raw);
std::string toLowerAscii(std::string_view raw);
bool isDigit(char c);
bool isLowerAlnum(char c);
bool isAllDigits(std::string_view text);  // false when empty

// Shared by the number parsers: "must be between MIN and MAX, got VALUE".
Result<std::int64_t> checkRange(std::int64_t value, std::int64_t min, std::int64_t max,
                                std::string_view field);

}  // namespace vantus::controller::validate_support

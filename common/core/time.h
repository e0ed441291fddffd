#pragma once
// RFC 3339 timestamps in the one form Vantus writes and accepts: "2026-11-22T18:00:00Z"
// (UTC, whole seconds). Pure functions, safe from any thread.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace vantus {

// Unix seconds now. Injected wherever time decides something, so tests set it instead of
// sleeping; systemUnixSeconds is the real one.
using UnixClock = std::function<std::int64_t()>;
std::int64_t systemUnixSeconds();

// Unix seconds -> "YYYY-MM-DDTHH:MM:SSZ". Years outside 0000..9999 cannot be written in
// this form; such inputs are clamped to the nearest representable second.
std::string formatRfc3339Utc(std::int64_t unix_seconds);

// The inverse of formatRfc3339Utc: exactly 20 characters, 'T' and 'Z' upper case, no
// fractional seconds, no offsets, no leap second, day valid for its month.
Result<std::int64_t> parseRfc3339Utc(std::string_view text);

}  // namespace vantus

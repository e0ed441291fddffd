#pragma once
// Structured logging: one JSON object per line on stderr (journald keeps it as is).
// Values under secret-looking keys and strings that look like credentials are redacted
// before they are written, so a caller cannot leak a token by logging a request.
// The sink is the one process-wide singleton; thread-safe.
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace vantus::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// "debug", "info", "warn", "error".
std::string_view levelName(Level level);
std::optional<Level> parseLevel(std::string_view name);

void setLevel(Level level);
// Replaces the stderr sink (tests capture lines); pass nullptr to restore stderr.
void setSink(std::function<void(std::string_view line)> sink);

// Returns `fields` with secrets replaced by "[redacted]".
nlohmann::json redact(const nlohmann::json& fields);
// `text` with each credential-shaped part replaced by "[redacted]" and the rest kept: API
// tokens, node credentials and enrolment tokens (`vt_`, `vn_`, `ve_` followed by at least 16
// token characters), the credential after "Bearer " or "Basic ", and PEM blocks.
std::string redactCredentialsIn(std::string_view text);

void write(Level level, std::string_view event, const nlohmann::json& fields);

inline void debug(std::string_view event, const nlohmann::json& fields = nlohmann::json::object()) {
  write(Level::kDebug, event, fields);
}
inline void info(std::string_view event, const nlohmann::json& fields = nlohmann::json::object()) {
  write(Level::kInfo, event, fields);
}
inline void warn(std::string_view event, const nlohmann::json& fields = nlohmann::json::object()) {
  write(Level::kWarn, event, fields);
}
inline void error(std::string_view event, const nlohmann::json& fields = nlohmann::json::object()) {
  write(Level::kError, event, fields);
}

}  // namespace vantus::log

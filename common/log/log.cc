#include "common/log/log.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <optional>

namespace vantus::log {

namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::mutex g_sink_mutex;
std::function<void(std::string_view)> g_sink;

constexpr std::string_view kSecretKeyParts[] = {"password",      "passwd",     "secret",  "token",
                                                "authorization", "credential", "private", "cookie",
                                                "session",       "api_key",    "apikey"};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

bool isSecretKey(std::string_view key) {
  const std::string name = lower(key);
  for (std::string_view part : kSecretKeyParts) {
    if (name.find(part) != std::string::npos) {
      return true;
    }
  }
  return false;
}

bool looksLikeCredential(std::string_view value) {
  const std::string text = lower(value);
  return text.find("bearer ") != std::string::npos || text.find("vt_") != std::string::npos ||
         text.find("vn_") != std::string::npos || text.find("ve_") != std::string::npos ||
         text.find("-----begin") != std::string::npos;
}

bool isTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool isSchemeCredentialChar(char c) {
  return isTokenChar(c) || c == '.' || c == '~' || c == '+' || c == '/' || c == '=';
}

std::size_t runLength(std::string_view text, std::size_t from, bool (*allowed)(char)) {
  std::size_t end = from;
  while (end < text.size() && allowed(text[end])) {
    ++end;
  }
  return end - from;
}

constexpr std::string_view kRedacted = "[redacted]";
constexpr std::size_t kMinTokenTail = 16;  // shorter tails are words, not credentials

// How many bytes of `text` from `at` form a credential (0: none starts there); `keep` is how
// many of them stay readable (the "Bearer " of an authorization value).
std::size_t credentialAt(std::string_view text, const std::string& lowered, std::size_t at,
                         std::size_t& keep) {
  keep = 0;
  const std::string_view rest = std::string_view(lowered).substr(at);
  for (std::string_view prefix : {"vt_", "vn_", "ve_"}) {
    if (rest.starts_with(prefix)) {
      const std::size_t tail = runLength(text, at + prefix.size(), isTokenChar);
      return tail >= kMinTokenTail ? prefix.size() + tail : 0;
    }
  }
  for (std::string_view scheme : {"bearer ", "basic "}) {
    if (rest.starts_with(scheme)) {
      const std::size_t tail = runLength(text, at + scheme.size(), isSchemeCredentialChar);
      keep = scheme.size();
      return tail > 0 ? scheme.size() + tail : 0;
    }
  }
  if (rest.starts_with("-----begin")) {
    const std::size_t end = rest.find("-----end");
    if (end == std::string_view::npos) {
      return rest.size();
    }
    const std::size_t close = rest.find("-----", end + 8);
    return close == std::string_view::npos ? rest.size() : close + 5;
  }
  return 0;
}

}  // namespace

std::string redactCredentialsIn(std::string_view text) {
  const std::string lowered = lower(text);
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t keep = 0;
    if (const std::size_t length = credentialAt(text, lowered, at, keep); length > 0) {
      out.append(text.substr(at, keep));
      out.append(kRedacted);
      at += length;
    } else {
      out.push_back(text[at]);
      ++at;
    }
  }
  return out;
}

std::string_view levelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

std::optional<Level> parseLevel(std::string_view name) {
  for (Level level : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (name == levelName(level)) {
      return level;
    }
  }
  return std::nullopt;
}

void setLevel(Level level) { g_level = static_cast<int>(level); }

void setSink(std::function<void(std::string_view)> sink) {
  std::lock_guard lock(g_sink_mutex);
  g_sink = std::move(sink);
}

nlohmann::json redact(const nlohmann::json& fields) {
  if (fields.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, value] : fields.items()) {
      out[key] = isSecretKey(key) ? nlohmann::json("[redacted]") : redact(value);
    }
    return out;
  }
  if (fields.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& value : fields) {
      out.push_back(redact(value));
    }
    return out;
  }
  if (fields.is_string() && looksLikeCredential(fields.get_ref<const std::string&>())) {
    return "[redacted]";
  }
  return fields;
}

void write(Level level, std::string_view event, const nlohmann::json& fields) {
  if (static_cast<int>(level) < g_level.load()) {
    return;
  }
  nlohmann::json line = nlohmann::json::object();
  auto now = std::chrono::system_clock::now();
  line["ts"] = fmt::format("{:%Y-%m-%dT%H:%M:%S}Z",
                           std::chrono::time_point_cast<std::chrono::milliseconds>(now));
  line["level"] = levelName(level);
  line["event"] = event;
  if (fields.is_object()) {
    const nlohmann::json safe_fields = redact(fields);
    for (const auto& [key, value] : safe_fields.items()) {
      line[key] = value;
    }
  }
  const std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard lock(g_sink_mutex);
  if (g_sink) {
    g_sink(text);
  } else {
    std::fwrite(text.data(), 1, text.size(), stderr);
  }
}

}  // namespace vantus::log

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

}  // namespace

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

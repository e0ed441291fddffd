#include "agent/config/agent_config.h"

#include <fmt/format.h>

#include <charconv>
#include <functional>
#include <map>

#include "common/config/yaml_node.h"
#include "common/core/files.h"

namespace vantus::agent {
namespace {

using config::YamlNode;

constexpr size_t kMaxConfigBytes = 64 * 1024;
// A reader's marker for "the value is not of the key's type", reported with the key's line.
constexpr std::string_view kWrongType = "\x01wrong type";

// Reads one YAML mapping strictly: every key must be known, each at most once. Errors name
// "<origin>:<line>" and set `field` to the dotted key.
class Section {
 public:
  using Reader = std::function<Result<void>(const YamlNode& value, const std::string& key)>;

  Section(std::string_view origin, std::string prefix) : origin_(origin), prefix_(prefix) {}

  void on(std::string name, Reader reader) { readers_.emplace(std::move(name), std::move(reader)); }

  Result<void> read(const YamlNode& mapping) const {
    if (!mapping.isMap()) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("{}: {} must be a mapping", where(mapping),
                              prefix_.empty() ? "the file" : prefix_),
                  prefix_);
    }
    std::map<std::string, bool> seen;
    for (const auto& entry : mapping.entries()) {
      const std::string& name = entry.key.scalar();
      const std::string key = prefix_.empty() ? name : prefix_ + "." + name;
      auto reader = readers_.find(name);
      if (reader == readers_.end()) {
        return fail(ErrorCode::kInvalidInput,
                    fmt::format("{}: unknown key {:?}", where(entry.key), key), key);
      }
      if (seen[name]) {
        return fail(ErrorCode::kInvalidInput,
                    fmt::format("{}: {} is given twice", where(entry.key), key), key);
      }
      seen[name] = true;
      Result<void> read = reader->second(entry.value, key);
      if (!read && read.error().field == kWrongType) {
        return fail(ErrorCode::kInvalidInput,
                    fmt::format("{}: {} has the wrong type", where(entry.key), key), key);
      }
      VANTUS_TRY_VOID(std::move(read));
    }
    return ok();
  }

  std::string where(const YamlNode& node) const {
    return node.line() == 0 ? std::string(origin_) : fmt::format("{}:{}", origin_, node.line());
  }

 private:
  std::string_view origin_;
  std::string prefix_;
  std::map<std::string, Reader> readers_;
};

Unexpected invalid(const std::string& key, std::string message) {
  return fail(ErrorCode::kInvalidInput, fmt::format("{}: {}", key, message), key);
}

Section::Reader text(std::string& target) {
  return [&target](const YamlNode& value, const std::string& key) -> Result<void> {
    if (!value.isScalar()) {
      return invalid(key, "must be a string");
    }
    target = value.scalar();
    return ok();
  };
}

Section::Reader path(std::filesystem::path& target) {
  return [&target](const YamlNode& value, const std::string& key) -> Result<void> {
    if (!value.isScalar() || value.scalar().empty() || value.scalar().front() != '/') {
      return invalid(key, "must be an absolute path");
    }
    target = value.scalar();
    return ok();
  };
}

Section::Reader flag(bool& target) {
  return [&target](const YamlNode& value, const std::string& key) -> Result<void> {
    if (!value.isScalar()) {
      return invalid(key, "must be true or false");
    }
    std::optional<bool> parsed = value.boolean();
    if (!parsed) {
      return fail(ErrorCode::kInvalidInput, "", std::string(kWrongType));
    }
    target = *parsed;
    return ok();
  };
}

Section::Reader integer(int& target, int low, int high) {
  return [&target, low, high](const YamlNode& value, const std::string& key) -> Result<void> {
    const std::string raw = value.isScalar() ? value.scalar() : "";
    int parsed = 0;
    auto [end, error] = std::from_chars(raw.data(), raw.data() + raw.size(), parsed);
    if (raw.empty() || error != std::errc() || end != raw.data() + raw.size() || parsed < low ||
        parsed > high) {
      return invalid(key, fmt::format("must be a whole number in {}..{}", low, high));
    }
    target = parsed;
    return ok();
  };
}

template <typename Duration>
Section::Reader duration(Duration& target, std::int64_t low, std::int64_t high) {
  return [&target, low, high](const YamlNode& value, const std::string& key) -> Result<void> {
    int parsed = 0;
    VANTUS_TRY_VOID(integer(parsed, static_cast<int>(low), static_cast<int>(high))(value, key));
    target = Duration(parsed);
    return ok();
  };
}

Section::Reader addresses(std::vector<std::string>& target) {
  return [&target](const YamlNode& value, const std::string& key) -> Result<void> {
    if (!value.isSequence()) {
      return invalid(key, "must be a list of host:port addresses");
    }
    target.clear();
    for (const auto& item : value.items()) {
      if (!item.isScalar()) {
        return invalid(key, "must be a list of host:port addresses");
      }
      target.push_back(item.scalar());
    }
    return ok();
  };
}

std::string defaultProbeAddress(const std::string& listen) {
  std::string address = listen;
  if (address.starts_with("*:")) {
    return "127.0.0.1" + address.substr(1);
  }
  if (address.starts_with("0.0.0.0:")) {
    return "127.0.0.1" + address.substr(7);
  }
  if (address.starts_with("[::]:")) {
    return "[::1]" + address.substr(4);
  }
  return address;
}

}  // namespace

bool StatusRanges::contains(int status) const {
  for (const auto& [low, high] : ranges) {
    if (status >= low && status <= high) {
      return true;
    }
  }
  return false;
}

Result<StatusRanges> parseStatusRanges(std::string_view text) {
  StatusRanges parsed;
  parsed.ranges.clear();
  auto number = [](std::string_view raw) -> std::optional<int> {
    int value = 0;
    auto [end, error] = std::from_chars(raw.data(), raw.data() + raw.size(), value);
    if (raw.empty() || error != std::errc() || end != raw.data() + raw.size() || value < 100 ||
        value > 599) {
      return std::nullopt;
    }
    return value;
  };
  while (!text.empty()) {
    const size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') {
      item.remove_prefix(1);
    }
    while (!item.empty() && item.back() == ' ') {
      item.remove_suffix(1);
    }
    const size_t dash = item.find('-');
    auto low = number(item.substr(0, dash));
    auto high = dash == std::string_view::npos ? low : number(item.substr(dash + 1));
    if (!low || !high || *low > *high) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("{:?} is not a status or a range like 200-399 (100..599)", item),
                  "probe.expected_status");
    }
    parsed.ranges.emplace_back(*low, *high);
  }
  if (parsed.ranges.empty()) {
    return fail(ErrorCode::kInvalidInput, "name at least one status", "probe.expected_status");
  }
  return parsed;
}

Result<AgentConfig> parseAgentConfig(std::string_view yaml, std::string_view origin) {
  VANTUS_TRY(YamlNode root, config::parseYaml(yaml, origin));
  AgentConfig config;
  std::string level = "info";
  std::string expected_status;
  int poll_interval_ms = static_cast<int>(config.poll_interval.count());
  int jitter_percent = static_cast<int>(config.poll_jitter * 100);

  Section nginx(origin, "nginx");
  nginx.on("binary", path(config.nginx_binary));
  nginx.on("runtime_dir", path(config.runtime_dir));
  nginx.on("http_listen", addresses(config.http_listen));
  nginx.on("https_listen", addresses(config.https_listen));
  nginx.on("status_listen", text(config.status_listen));
  nginx.on("worker_processes", integer(config.worker_processes, 0, 1024));
  nginx.on("worker_connections", integer(config.worker_connections, 64, 65536));
  nginx.on("start", flag(config.start_nginx));
  nginx.on("tls_dir", path(config.tls_dir));
  nginx.on("test_timeout_s", duration(config.nginx_test_timeout, 1, 3600));
  nginx.on("reload_confirm_timeout_s", duration(config.reload_confirm_timeout, 1, 600));

  Section poll(origin, "poll");
  poll.on("interval_ms", integer(poll_interval_ms, 100, 3600 * 1000));
  poll.on("jitter_percent", integer(jitter_percent, 0, 100));
  poll.on("long_poll_s", duration(config.long_poll, 0, 300));

  Section probe(origin, "probe");
  probe.on("address", text(config.probe_address));
  probe.on("expected_status", text(expected_status));
  probe.on("timeout_ms", duration(config.probe_timeout, 10, 60000));

  std::filesystem::path ca_file;
  Section top(origin, "");
  top.on("ca_file", path(ca_file));
  top.on("controller_url", text(config.controller_url));
  top.on("allow_plain_http", flag(config.allow_plain_http));
  top.on("state_dir", path(config.state_dir));
  top.on("nginx",
         [&nginx](const YamlNode& value, const std::string&) { return nginx.read(value); });
  top.on("poll", [&poll](const YamlNode& value, const std::string&) { return poll.read(value); });
  top.on("probe",
         [&probe](const YamlNode& value, const std::string&) { return probe.read(value); });
  top.on("heartbeat_interval_s", duration(config.heartbeat_interval, 1, 3600));
  top.on("drift_check_interval_s", duration(config.drift_check_interval, 1, 86400));
  top.on("keep_releases", integer(config.keep_releases, 2, 100));
  top.on("log_level", text(level));

  if (!root.isNull()) {
    VANTUS_TRY_VOID(top.read(root));
  }
  config.ca_file = ca_file.string();
  config.poll_interval = std::chrono::milliseconds(poll_interval_ms);
  config.poll_jitter = jitter_percent / 100.0;
  if (config.controller_url.empty()) {
    return invalid("controller_url", "is required (e.g. https://controller.example:8440)");
  }
  while (config.controller_url.ends_with('/')) {
    config.controller_url.pop_back();
  }
  if (config.state_dir.empty()) {
    return invalid("state_dir", "is required (e.g. /var/lib/vantus-agent)");
  }
  if (config.http_listen.empty()) {
    return invalid("nginx.http_listen", "name at least one address nginx listens on");
  }
  if (config.runtime_dir.empty()) {
    config.runtime_dir = config.state_dir / "nginx";
  }
  if (config.probe_address.empty()) {
    config.probe_address = defaultProbeAddress(config.http_listen.front());
  }
  if (!expected_status.empty()) {
    VANTUS_TRY(config.probe_expected_status, parseStatusRanges(expected_status));
  }
  std::optional<log::Level> parsed_level = log::parseLevel(level);
  if (!parsed_level) {
    return invalid("log_level", fmt::format("must be debug, info, warn or error, not {:?}", level));
  }
  config.log_level = *parsed_level;
  return config;
}

Result<AgentConfig> loadAgentConfig(const std::filesystem::path& file) {
  VANTUS_TRY(std::string yaml, readFile(file.string(), kMaxConfigBytes));
  return parseAgentConfig(yaml, file.string());
}

}  // namespace vantus::agent

#pragma once
// The agent's settings, read from /etc/vantus/agent.yaml (see docs/agent.md for every key).
// Only controller_url, state_dir and nginx.http_listen are required; everything else has the
// default below. Unknown keys, wrong types and out-of-range values are kInvalidInput with
// `field` naming the key ("nginx.status_listen").
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "common/log/log.h"

namespace vantus::agent {

// Inclusive HTTP status ranges a tenant probe accepts, e.g. "200-399,404".
struct StatusRanges {
  std::vector<std::pair<int, int>> ranges{{100, 599}};
  bool contains(int status) const;
};
Result<StatusRanges> parseStatusRanges(std::string_view text);

struct AgentConfig {
  std::string controller_url;  // https://host:port (http:// only to loopback, see below)
  std::string ca_file;         // verifies the controller's certificate; empty = system store
  bool allow_plain_http = false;
  std::filesystem::path state_dir;

  std::filesystem::path nginx_binary = "/usr/sbin/nginx";
  std::filesystem::path runtime_dir;  // pid, logs, temp; default <state_dir>/nginx
  std::vector<std::string> http_listen;
  std::vector<std::string> https_listen;
  std::string status_listen = "127.0.0.1:8081";
  int worker_processes = 0;  // 0 = auto
  int worker_connections = 1024;
  bool start_nginx = true;        // start the master when it is not running
  std::filesystem::path tls_dir;  // <slug>.crt/.key per tenant; empty = placeholders

  std::chrono::milliseconds poll_interval{5000};
  double poll_jitter = 0.2;            // 0..1: each wait is interval * (1 ± jitter)
  std::chrono::seconds long_poll{25};  // 0 = plain polling
  std::chrono::seconds heartbeat_interval{15};
  std::chrono::seconds drift_check_interval{60};

  std::string probe_address;  // host:port the tenant probes go to; default from http_listen
  StatusRanges probe_expected_status;
  std::chrono::milliseconds probe_timeout{3000};
  std::chrono::seconds nginx_test_timeout{120};
  std::chrono::seconds reload_confirm_timeout{15};
  int keep_releases = 5;  // 2..100 release dirs on disk, the serving one included
  log::Level log_level = log::Level::kInfo;
};

Result<AgentConfig> loadAgentConfig(const std::filesystem::path& file);
Result<AgentConfig> parseAgentConfig(std::string_view yaml, std::string_view origin);

}  // namespace vantus::agent

#pragma once
// The controller's settings, read from <state-dir>/controller.yaml. Every key is optional
// (absent = the default below); an unknown or repeated key, a value of the wrong type or out
// of range is a kInvalidInput error whose `field` names the key.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/core/result.h"
#include "common/log/log.h"
#include "controller/mail/smtp_settings.h"
#include "controller/server/client_address.h"
#include "controller/server/host_port.h"

namespace vantus::controller {

struct ControllerConfig {
  HostPort listen{"127.0.0.1", 8440};
  // Committer identity of the config repository's commits (the author is the actor).
  std::string committer_name = "Vantus";
  std::string committer_email = "controller@vantus.local";
  int release_expiry_days = 7;   // 1..365: how long an agent accepts a signed release
  int resign_before_hours = 48;  // 1..expiry-1h: re-sign a release this long before expiry
  // Used for the pre-check (`nginx -t`). The file may be absent: the caller then skips the
  // pre-check; loading does not look at the file system.
  std::filesystem::path nginx_binary = "/usr/sbin/nginx";
  bool precheck = true;
  log::Level log_level = log::Level::kInfo;
  // The base URL agents and browsers use to reach this controller, without a trailing '/';
  // empty when not set.
  std::string public_url;
  // HTTPS when both are set; plain HTTP only on loopback unless allow_plain_http.
  std::filesystem::path tls_cert_file;
  std::filesystem::path tls_key_file;
  bool allow_plain_http = false;
  int node_offline_after_seconds = 60;           // 5..86400
  int rate_limit_writes_per_minute = 3000;       // 0 = off
  int rate_limit_deploys_per_minute = 120;       // 0 = off
  int rate_limit_auth_failures_per_minute = 60;  // 0 = off
  int session_idle_minutes = 30;                 // 1..1440: a UI session idle this long ends
  int session_absolute_hours = 12;               // 1..720: a UI session ends this long after login

  // --- e-mail of one-time links ---
  // When set, password links and invitations are e-mailed (needs public_url for the links).
  std::optional<mail::SmtpSettings> smtp;
  int invitation_valid_days = 7;  // 1..30: how long an invitation link works
  // --- the clients behind proxies, and the agents' budget ---
  // Networks (canonical CIDRs) whose `forwarded_header` is believed (server/client_address.h).
  std::vector<std::string> trusted_proxies;
  ForwardedHeader forwarded_header = ForwardedHeader::kXForwardedFor;
  int rate_limit_node_requests_per_minute = 240;  // per enrolled node on /agent/v1; 0 = off
};

// kNotFound if the file does not exist, kIo if it cannot be read, kInvalidInput otherwise.
// An empty file yields the defaults.
Result<ControllerConfig> loadControllerConfig(const std::filesystem::path& file);

// Parses YAML text; `origin` names it in error messages.
Result<ControllerConfig> parseControllerConfig(std::string_view yaml, std::string_view origin);

// The commented file `init` writes: every key with its default value.
std::string defaultControllerConfigYaml();

}  // namespace vantus::controller

#include "controller/app/controller_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <set>

#include "common/config/yaml_node.h"
#include "common/core/files.h"
#include "common/http/http_client.h"
#include "controller/mail/mail_message.h"
#include "controller/model/validate.h"

namespace vantus::controller {
namespace {

using config::YamlNode;
using config::yamlQuoted;

constexpr size_t kMaxConfigBytes = 64 * 1024;
constexpr std::array<std::string_view, 20> kKnownKeys = {"listen",
                                                         "committer_name",
                                                         "committer_email",
                                                         "release_expiry_days",
                                                         "resign_before_hours",
                                                         "nginx_binary",
                                                         "precheck",
                                                         "log_level",
                                                         "public_url",
                                                         "tls_cert_file",
                                                         "tls_key_file",
                                                         "allow_plain_http",
                                                         "node_offline_after_seconds",
                                                         "rate_limit_writes_per_minute",
                                                         "rate_limit_deploys_per_minute",
                                                         "rate_limit_auth_failures_per_minute",
                                                         "session_idle_minutes",
                                                         "session_absolute_hours",
                                                         "smtp",
                                                         "invitation_valid_days"};

// Keys of the client-address and agent-budget block, read by applyClientKey.
constexpr std::array<std::string_view, 3> kClientKeys = {"trusted_proxies", "forwarded_header",
                                                         "rate_limit_node_requests_per_minute"};

// Reports "<origin>:<line>: <message>" with `field` set to the key at fault. The line is
// the key's once one is being read: an empty value's own mark points past the line.
class Problems {
 public:
  explicit Problems(std::string_view origin) : origin_(origin) {}

  void readingKey(const YamlNode& key_node) { key_line_ = key_node.line(); }

  Unexpected at(const YamlNode& node, std::string_view key, std::string message) const {
    const int line = key_line_ == 0 ? node.line() : key_line_;
    std::string where = line == 0 ? std::string(origin_) : fmt::format("{}:{}", origin_, line);
    return fail(ErrorCode::kInvalidInput, fmt::format("{}: {}", where, message), std::string(key));
  }

 private:
  std::string_view origin_;
  int key_line_ = 0;  // 0: no key read yet
};

bool hasControlCharacter(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

Result<std::string> scalarOf(const Problems& problems, const YamlNode& node, std::string_view key) {
  if (node.isNull()) {
    return problems.at(node, key,
                       fmt::format("{} has no value; delete the line to use the default", key));
  }
  if (!node.isScalar()) {
    return problems.at(node, key, fmt::format("{} must be a single value, not a list or map", key));
  }
  return node.scalar();
}

Result<int> integerOf(const Problems& problems, const YamlNode& node, std::string_view key, int min,
                      int max) {
  VANTUS_TRY(std::string text, scalarOf(problems, node, key));
  // Decimal only: yaml-cpp's own conversion would read "010" as octal 8.
  long long value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return problems.at(
        node, key,
        fmt::format("{} must be a whole number from {} to {}, not {:?}", key, min, max, text));
  }
  return static_cast<int>(value);
}

Result<bool> booleanOf(const Problems& problems, const YamlNode& node, std::string_view key) {
  VANTUS_TRY(std::string text, scalarOf(problems, node, key));
  std::optional<bool> value = node.boolean();
  if (!value) {
    return problems.at(node, key, fmt::format("{} must be true or false, not {:?}", key, text));
  }
  return *value;
}

Result<std::string> textOf(const Problems& problems, const YamlNode& node, std::string_view key,
                           size_t max_length) {
  VANTUS_TRY(std::string text, scalarOf(problems, node, key));
  if (hasControlCharacter(text)) {
    return problems.at(node, key, fmt::format("{} must not contain control characters", key));
  }
  if (text.size() > max_length) {
    return problems.at(node, key,
                       fmt::format("{} must be at most {} characters long", key, max_length));
  }
  return text;
}

Result<std::string> committerNameOf(const Problems& problems, const YamlNode& node) {
  VANTUS_TRY(std::string name, textOf(problems, node, "committer_name", 100));
  // git writes the identity as "name <email>": angle brackets would corrupt the header.
  if (name.empty() || name.front() == ' ' || name.back() == ' ' ||
      name.find_first_of("<>") != std::string::npos) {
    return problems.at(node, "committer_name",
                       fmt::format("committer_name {:?} must be a non-empty name without '<', "
                                   "'>' or surrounding spaces",
                                   name));
  }
  return name;
}

Result<std::string> committerEmailOf(const Problems& problems, const YamlNode& node) {
  VANTUS_TRY(std::string email, textOf(problems, node, "committer_email", 254));
  size_t at = email.find('@');
  bool well_formed = at != std::string::npos && at > 0 && at + 1 < email.size() &&
                     email.find('@', at + 1) == std::string::npos &&
                     email.find_first_of(" <>") == std::string::npos;
  if (!well_formed) {
    return problems.at(node, "committer_email",
                       fmt::format("committer_email {:?} must look like name@domain", email));
  }
  return email;
}

Result<std::filesystem::path> absolutePathOf(const Problems& problems, const YamlNode& node,
                                             std::string_view key = "nginx_binary") {
  VANTUS_TRY(std::string path, textOf(problems, node, key, 4096));
  if (path.empty() || path.front() != '/') {
    return problems.at(node, key, fmt::format("{} {:?} must be an absolute path", key, path));
  }
  return std::filesystem::path(path);
}

Result<log::Level> logLevelOf(const Problems& problems, const YamlNode& node) {
  VANTUS_TRY(std::string text, scalarOf(problems, node, "log_level"));
  if (std::optional<log::Level> level = log::parseLevel(text)) {
    return *level;
  }
  return problems.at(node, "log_level",
                     fmt::format("log_level must be debug, info, warn or error, not {:?}", text));
}

Result<std::string> publicUrlOf(const Problems& problems, const YamlNode& node) {
  VANTUS_TRY(std::string url, textOf(problems, node, "public_url", 2048));
  if (url.empty()) {
    return url;
  }
  auto invalid = [&](std::string_view why) {
    return problems.at(node, "public_url", fmt::format("public_url {:?} {}", url, why));
  };
  size_t scheme_end = url.find("://");
  std::string_view scheme = std::string_view(url).substr(0, scheme_end);
  if (scheme_end == std::string::npos || (scheme != "http" && scheme != "https")) {
    return invalid("must start with http:// or https://");
  }
  if (url.find_first_of(" ?#") != std::string::npos) {
    return invalid("must not contain spaces, a query or a fragment");
  }
  std::string_view rest = std::string_view(url).substr(scheme_end + 3);
  std::string_view authority = rest.substr(0, rest.find('/'));
  if (authority.empty() || authority.front() == ':') {
    return invalid("has no host");
  }
  if (authority.find('@') != std::string_view::npos) {
    return invalid("must not carry a user name or password");
  }
  while (url.back() == '/') {
    url.pop_back();
  }
  return url;
}

// --- smtp: and invitation_valid_days (e-mail of one-time links) ---

constexpr std::array<std::string_view, 9> kSmtpKeys = {"url",
                                                       "starttls",
                                                       "ca_file",
                                                       "username",
                                                       "password_file",
                                                       "from",
                                                       "from_name",
                                                       "connect_timeout_seconds",
                                                       "timeout_seconds"};

// "smtp://host:port" or "smtps://host:port" (port optional); the host, for the loopback check.
Result<std::string> smtpHostOf(const Problems& problems, const YamlNode& node,
                               const std::string& url) {
  auto invalid = [&](std::string_view why) {
    return problems.at(node, "smtp.url", fmt::format("smtp url {:?} {}", url, why));
  };
  const std::size_t scheme_end = url.find("://");
  const std::string_view scheme = std::string_view(url).substr(0, scheme_end);
  if (scheme_end == std::string::npos || (scheme != "smtp" && scheme != "smtps")) {
    return invalid(
        "must start with smtp:// (STARTTLS, usually port 587) or smtps:// (TLS, usually 465)");
  }
  std::string_view authority = std::string_view(url).substr(scheme_end + 3);
  if (authority.ends_with("/")) {
    authority.remove_suffix(1);
  }
  if (authority.find_first_of("/?#@ ") != std::string_view::npos) {
    return invalid("must be just scheme://host:port, without a user, a path or a query");
  }
  if (authority.starts_with("[")) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos || close == 1) {
      return invalid("has an unclosed or empty [IPv6] host");
    }
    return std::string(authority.substr(1, close - 1));
  }
  const std::string host(authority.substr(0, authority.find(':')));
  if (host.empty()) {
    return invalid("has no host");
  }
  return host;
}

Result<mail::SmtpSettings> smtpOf(Problems& problems, const YamlNode& node) {
  if (!node.isMap()) {
    return problems.at(node, "smtp",
                       "smtp must be a map of settings (url, from, …); delete it to send no mail");
  }
  mail::SmtpSettings smtp;
  std::set<std::string> seen;
  std::optional<YamlNode> starttls_node;
  for (const auto& entry : node.entries()) {
    problems.readingKey(entry.key);
    const std::string& key = entry.key.scalar();
    const std::string field = "smtp." + key;
    if (key == "password") {
      return problems.at(entry.key, field,
                         "the SMTP password never goes in controller.yaml: write it to a file "
                         "only the controller may read (chmod 600) and name that file with "
                         "smtp.password_file");
    }
    if (std::find(kSmtpKeys.begin(), kSmtpKeys.end(), key) == kSmtpKeys.end()) {
      return problems.at(
          entry.key, field,
          fmt::format("unknown smtp key {:?}; known keys are {}", key, fmt::join(kSmtpKeys, ", ")));
    }
    if (!seen.insert(key).second) {
      return problems.at(entry.key, field, fmt::format("smtp key {:?} appears twice", key));
    }
    const YamlNode& value = entry.value;
    if (key == "url") {
      VANTUS_TRY(smtp.url, textOf(problems, value, field, 512));
    } else if (key == "starttls") {
      VANTUS_TRY(smtp.starttls, booleanOf(problems, value, field));
      starttls_node.emplace(entry.key);
    } else if (key == "ca_file") {
      VANTUS_TRY(smtp.ca_file, absolutePathOf(problems, value, field));
    } else if (key == "username") {
      VANTUS_TRY(smtp.username, textOf(problems, value, field, 256));
    } else if (key == "password_file") {
      VANTUS_TRY(smtp.password_file, absolutePathOf(problems, value, field));
    } else if (key == "from") {
      VANTUS_TRY(std::string from, textOf(problems, value, field, 254));
      Result<std::string> address = mail::parseMailAddress(from, field);
      if (!address) {
        return problems.at(value, field, address.error().message);
      }
      smtp.from = *address;
    } else if (key == "from_name") {
      VANTUS_TRY(smtp.from_name, textOf(problems, value, field, 100));
    } else if (key == "connect_timeout_seconds") {
      VANTUS_TRY(smtp.connect_timeout_seconds, integerOf(problems, value, field, 1, 120));
    } else if (key == "timeout_seconds") {
      VANTUS_TRY(smtp.timeout_seconds, integerOf(problems, value, field, 1, 300));
    }
  }
  problems.readingKey(YamlNode());
  if (smtp.url.empty() || smtp.from.empty()) {
    return problems.at(node, smtp.url.empty() ? "smtp.url" : "smtp.from",
                       "smtp needs at least url (smtp://host:587) and from (the sender's address)");
  }
  VANTUS_TRY(std::string host, smtpHostOf(problems, node, smtp.url));
  if (!smtp.starttls) {
    if (starttls_node) {
      problems.readingKey(*starttls_node);
    }
    if (smtp.url.starts_with("smtps://")) {
      return problems.at(node, "smtp.starttls",
                         "starttls applies to smtp:// only: smtps:// is TLS from the start");
    }
    if (!http::isLoopbackHost(host)) {
      return problems.at(node, "smtp.starttls",
                         fmt::format("starttls: false would send links and the password in clear "
                                     "to {}; it is accepted only for a test sink on a loopback "
                                     "address",
                                     host));
    }
  }
  if (smtp.username.empty() != smtp.password_file.empty()) {
    return problems.at(node, "smtp.password_file",
                       "smtp username and password_file go together (or neither, for a server "
                       "that needs no authentication)");
  }
  return smtp;
}

Result<void> applyMailKey(Problems& problems, const std::string& key, const YamlNode& value,
                          ControllerConfig& config) {
  if (key == "smtp") {
    VANTUS_TRY(config.smtp, smtpOf(problems, value));
  } else if (key == "invitation_valid_days") {
    VANTUS_TRY(config.invitation_valid_days, integerOf(problems, value, key, 1, 30));
  }
  return ok();
}

Result<std::vector<std::string>> trustedProxiesOf(const Problems& problems, const YamlNode& node) {
  constexpr std::string_view kKey = "trusted_proxies";
  if (!node.isSequence()) {
    return problems.at(node, kKey,
                       "trusted_proxies must be a list of CIDRs, such as [\"10.0.0.0/8\"]");
  }
  std::vector<std::string> cidrs;
  for (const YamlNode& item : node.items()) {
    VANTUS_TRY(std::string text, scalarOf(problems, item, kKey));
    Result<std::string> cidr = parseCidr(text, kKey);
    if (!cidr) {
      return problems.at(item, kKey, cidr.error().message);
    }
    cidrs.push_back(std::move(*cidr));
  }
  return cidrs;
}

Result<ForwardedHeader> forwardedHeaderOf(const Problems& problems, const YamlNode& node) {
  VANTUS_TRY(std::string text, scalarOf(problems, node, "forwarded_header"));
  if (text == "x-forwarded-for") {
    return ForwardedHeader::kXForwardedFor;
  }
  if (text == "forwarded") {
    return ForwardedHeader::kForwarded;
  }
  return problems.at(
      node, "forwarded_header",
      fmt::format("forwarded_header must be x-forwarded-for or forwarded, not {:?}", text));
}

Result<void> applyClientKey(const Problems& problems, const std::string& key, const YamlNode& value,
                            ControllerConfig& config) {
  if (key == "trusted_proxies") {
    VANTUS_TRY(config.trusted_proxies, trustedProxiesOf(problems, value));
  } else if (key == "forwarded_header") {
    VANTUS_TRY(config.forwarded_header, forwardedHeaderOf(problems, value));
  } else if (key == "rate_limit_node_requests_per_minute") {
    VANTUS_TRY(config.rate_limit_node_requests_per_minute,
               integerOf(problems, value, key, 0, 1000000));
  }
  return ok();
}

Result<void> checkMail(const Problems& problems, const YamlNode& root,
                       const ControllerConfig& config) {
  if (config.smtp && config.public_url.empty()) {
    return problems.at(root, "public_url",
                       "smtp needs public_url: e-mailed links must name this controller's "
                       "address as users reach it (e.g. https://vantus.example.com)");
  }
  return ok();
}

// --- end of the e-mail settings ---

Result<void> applyKey(const Problems& problems, const std::string& key, const YamlNode& value,
                      ControllerConfig& config) {
  if (std::find(kClientKeys.begin(), kClientKeys.end(), key) != kClientKeys.end()) {
    return applyClientKey(problems, key, value, config);
  }
  if (key == "listen") {
    VANTUS_TRY(std::string text, scalarOf(problems, value, key));
    auto address = parseListenAddress(text);
    if (!address) {
      return problems.at(value, key, address.error().message);
    }
    config.listen = *address;
  } else if (key == "committer_name") {
    VANTUS_TRY(config.committer_name, committerNameOf(problems, value));
  } else if (key == "committer_email") {
    VANTUS_TRY(config.committer_email, committerEmailOf(problems, value));
  } else if (key == "release_expiry_days") {
    VANTUS_TRY(config.release_expiry_days, integerOf(problems, value, key, 1, 365));
  } else if (key == "resign_before_hours") {
    // The upper bound depends on release_expiry_days; checked once every key is read.
    VANTUS_TRY(config.resign_before_hours, integerOf(problems, value, key, 1, 365 * 24));
  } else if (key == "nginx_binary") {
    VANTUS_TRY(config.nginx_binary, absolutePathOf(problems, value));
  } else if (key == "precheck") {
    VANTUS_TRY(config.precheck, booleanOf(problems, value, key));
  } else if (key == "log_level") {
    VANTUS_TRY(config.log_level, logLevelOf(problems, value));
  } else if (key == "public_url") {
    VANTUS_TRY(config.public_url, publicUrlOf(problems, value));
  } else if (key == "tls_cert_file") {
    VANTUS_TRY(config.tls_cert_file, absolutePathOf(problems, value, key));
  } else if (key == "tls_key_file") {
    VANTUS_TRY(config.tls_key_file, absolutePathOf(problems, value, key));
  } else if (key == "allow_plain_http") {
    VANTUS_TRY(config.allow_plain_http, booleanOf(problems, value, key));
  } else if (key == "rate_limit_writes_per_minute") {
    VANTUS_TRY(config.rate_limit_writes_per_minute, integerOf(problems, value, key, 0, 10000000));
  } else if (key == "rate_limit_deploys_per_minute") {
    VANTUS_TRY(config.rate_limit_deploys_per_minute, integerOf(problems, value, key, 0, 1000000));
  } else if (key == "rate_limit_auth_failures_per_minute") {
    VANTUS_TRY(config.rate_limit_auth_failures_per_minute,
               integerOf(problems, value, key, 0, 1000000));
  } else if (key == "node_offline_after_seconds") {
    VANTUS_TRY(config.node_offline_after_seconds, integerOf(problems, value, key, 5, 86400));
  } else if (key == "session_idle_minutes") {
    VANTUS_TRY(config.session_idle_minutes, integerOf(problems, value, key, 1, 1440));
  } else if (key == "session_absolute_hours") {
    VANTUS_TRY(config.session_absolute_hours, integerOf(problems, value, key, 1, 720));
  }
  return ok();
}

Result<ControllerConfig> configFromNode(Problems& problems, const YamlNode& root) {
  ControllerConfig config;
  if (root.isNull()) {
    return config;
  }
  if (!root.isMap()) {
    return problems.at(root, "", "the file must be a map of key: value lines");
  }
  std::set<std::string> seen;
  std::optional<YamlNode> resign_key;
  for (const auto& entry : root.entries()) {
    const YamlNode& key_node = entry.key;
    problems.readingKey(key_node);
    if (!key_node.isScalar()) {
      return problems.at(key_node, "", "keys must be plain names");
    }
    const std::string& key = key_node.scalar();
    if (std::find(kKnownKeys.begin(), kKnownKeys.end(), key) == kKnownKeys.end() &&
        std::find(kClientKeys.begin(), kClientKeys.end(), key) == kClientKeys.end()) {
      return problems.at(key_node, key,
                         fmt::format("unknown key {:?}; known keys are {}, {}", key,
                                     fmt::join(kKnownKeys, ", "), fmt::join(kClientKeys, ", ")));
    }
    if (!seen.insert(key).second) {
      return problems.at(key_node, key, fmt::format("key {:?} appears twice", key));
    }
    VANTUS_TRY_VOID(applyKey(problems, key, entry.value, config));
    VANTUS_TRY_VOID(applyMailKey(problems, key, entry.value, config));
    if (key == "resign_before_hours") {
      resign_key.emplace(key_node);
    }
  }
  int max_resign = config.release_expiry_days * 24 - 1;
  if (config.resign_before_hours > max_resign) {
    Problems at_resign(problems);
    at_resign.readingKey(resign_key ? *resign_key : YamlNode());
    return at_resign.at(
        YamlNode(), "resign_before_hours",
        fmt::format("resign_before_hours{} must be from 1 to {} (release_expiry_days: {} "
                    "is {} hours), not {}",
                    resign_key ? "" : " (not set, so the default)", max_resign,
                    config.release_expiry_days, max_resign + 1, config.resign_before_hours));
  }
  if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
    return problems.at(root, "tls_cert_file", "tls_cert_file and tls_key_file go together");
  }
  VANTUS_TRY_VOID(checkMail(problems, root, config));
  return config;
}

}  // namespace

Result<ControllerConfig> parseControllerConfig(std::string_view yaml, std::string_view origin) {
  Problems problems(origin);
  VANTUS_TRY(YamlNode root, config::parseYaml(yaml, origin));
  return configFromNode(problems, root);
}

Result<ControllerConfig> loadControllerConfig(const std::filesystem::path& file) {
  VANTUS_TRY(std::string text, readFile(file.string(), kMaxConfigBytes));
  return parseControllerConfig(text, file.string());
}

namespace {

std::string clientKeysYaml(const ControllerConfig& d) {
  return fmt::format(R"(
# Behind a reverse proxy (the TLS proxy in front of the controller), every request comes
# from the proxy's address. List the proxies' networks here and the client's address is
# read from the header they write (x-forwarded-for or forwarded): the right-most address
# in it that is not a trusted proxy. Limits, sign-in back-off and audit rows use it.
# trusted_proxies: ["127.0.0.1/32", "10.0.0.0/8"]
forwarded_header: x-forwarded-for

# Requests per minute one enrolled node may make on /agent/v1 (polls, bundles, receipts,
# heartbeats; a default agent makes about 20); over it the node gets 429 with Retry-After.
rate_limit_node_requests_per_minute: {}
)",
                     d.rate_limit_node_requests_per_minute);
}

}  // namespace

std::string defaultControllerConfigYaml() {
  const ControllerConfig d;
  return fmt::format(
      R"(# Vantus controller settings. Every key is optional: delete a line to use the default
# shown here. Unknown keys are refused, so a typo cannot go unnoticed.

# Address of the web UI, the REST API and the agent API: IPv4:port, [IPv6]:port or
# localhost:port. Put a TLS-terminating proxy in front before exposing it.
listen: {}

# Committer identity of the commits in the config repository (the author is the user or
# token that deployed).
committer_name: {}
committer_email: {}

# How many days (1-365) an agent accepts a signed release; the controller re-signs each
# release resign_before_hours (at least 1, less than the expiry) before it expires.
release_expiry_days: {}
resign_before_hours: {}

# Every deployment is tested with `nginx -t` before it is committed (precheck: true).
# If nginx_binary does not exist on this machine, the pre-check is skipped.
nginx_binary: {}
precheck: {}

# debug, info, warn or error.
log_level: {}

# The URL agents and browsers use to reach this controller, e.g.
# "https://vantus.example.com". Leave empty until the controller has one.
public_url: {}

# HTTPS: a PEM certificate (chain) and its key. Without them the controller serves plain
# HTTP, which it accepts only on a loopback address unless allow_plain_http is true.
# tls_cert_file: "/etc/vantus/tls/controller.crt"
# tls_key_file: "/etc/vantus/tls/controller.key"
allow_plain_http: false

# A node that has not sent a heartbeat for this long is shown offline.
node_offline_after_seconds: {}

# API rate limits (token buckets, 0 = off): writes per token and per source address,
# deployments and rollbacks per token, failed authentications per source address. A caller
# over a limit gets 429 with Retry-After.
rate_limit_writes_per_minute: {}
rate_limit_deploys_per_minute: {}
rate_limit_auth_failures_per_minute: {}

# Web UI sessions end after this many idle minutes (1-1440) and, however busy, this many
# hours after sign-in (1-720).
session_idle_minutes: {}
session_absolute_hours: {}

# E-mail of password links and invitations (needs public_url). Without smtp the links are
# shown to whoever makes them. STARTTLS is required on smtp://; smtps:// is TLS from the start.
# The password lives in a file only the controller may read (chmod 600), never here.
# smtp:
#   url: "smtp://mail.example.com:587"
#   from: "vantus@example.com"
#   from_name: "Vantus"
#   username: "vantus"
#   password_file: "/etc/vantus/smtp-password"
#   ca_file: "/etc/ssl/certs/ca-certificates.crt"
#   connect_timeout_seconds: 10
#   timeout_seconds: 30
# How many days (1-30) an invitation link works.
invitation_valid_days: {}
{})",
      yamlQuoted(d.listen.toString()), yamlQuoted(d.committer_name), yamlQuoted(d.committer_email),
      d.release_expiry_days, d.resign_before_hours, yamlQuoted(d.nginx_binary.string()),
      d.precheck ? "true" : "false", log::levelName(d.log_level), yamlQuoted(d.public_url),
      d.node_offline_after_seconds, d.rate_limit_writes_per_minute, d.rate_limit_deploys_per_minute,
      d.rate_limit_auth_failures_per_minute, d.session_idle_minutes, d.session_absolute_hours,
      d.invitation_valid_days, clientKeysYaml(d));
}

}  // namespace vantus::controller

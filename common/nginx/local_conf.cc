#include "common/nginx/local_conf.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <system_error>

#include "common/core/files.h"

namespace vantus::nginx {

namespace {

constexpr std::string_view kHeader =
    "# node-local: written by vantus from this node's settings, not part of the signed "
    "release\n";
constexpr std::string_view kHttpsDisabledSocket = "https-disabled.sock";
// sun_path holds 108 bytes including the terminating NUL.
constexpr size_t kMaxRuntimeDirLength = 107 - 1 - kHttpsDisabledSocket.size();

struct Endpoint {
  std::string text;  // as nginx gets it: "0.0.0.0:80", "[::1]:8080"
  std::string host;  // normalised address without brackets
  bool ipv6 = false;
  bool wildcard = false;  // 0.0.0.0 or ::
  bool loopback = false;
  int port = 0;
};

std::optional<Endpoint> parseEndpoint(std::string_view raw) {
  size_t colon = raw.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return std::nullopt;
  }
  std::string_view host = raw.substr(0, colon);
  std::string_view port_text = raw.substr(colon + 1);
  Endpoint endpoint;
  if (port_text.empty() || port_text.size() > 5 ||
      !std::all_of(port_text.begin(), port_text.end(),
                   [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  std::from_chars(port_text.data(), port_text.data() + port_text.size(), endpoint.port);
  if (endpoint.port < 1 || endpoint.port > 65535) {
    return std::nullopt;
  }
  if (host == "*") {
    host = "0.0.0.0";
  }
  char normalised[INET6_ADDRSTRLEN];
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    std::string inner(host.substr(1, host.size() - 2));
    in6_addr address;
    if (::inet_pton(AF_INET6, inner.c_str(), &address) != 1) {
      return std::nullopt;
    }
    ::inet_ntop(AF_INET6, &address, normalised, sizeof normalised);
    endpoint.ipv6 = true;
    endpoint.wildcard = IN6_IS_ADDR_UNSPECIFIED(&address);
    endpoint.loopback = IN6_IS_ADDR_LOOPBACK(&address);
    endpoint.host = normalised;
    endpoint.text = fmt::format("[{}]:{}", endpoint.host, endpoint.port);
    return endpoint;
  }
  std::string inner(host);
  in_addr address;
  if (::inet_pton(AF_INET, inner.c_str(), &address) != 1) {
    return std::nullopt;
  }
  ::inet_ntop(AF_INET, &address, normalised, sizeof normalised);
  std::uint32_t value = ntohl(address.s_addr);
  endpoint.wildcard = value == 0;
  endpoint.loopback = (value >> 24) == 127;
  endpoint.host = normalised;
  endpoint.text = fmt::format("{}:{}", endpoint.host, endpoint.port);
  return endpoint;
}

// Two roles sharing a socket would mix plain HTTP, TLS and the status server on one port.
bool shareSocket(const Endpoint& a, const Endpoint& b) {
  if (a.port != b.port || a.ipv6 != b.ipv6) {
    return false;
  }
  return a.host == b.host || a.wildcard || b.wildcard;
}

Result<std::vector<Endpoint>> parseEndpoints(const std::vector<std::string>& raw,
                                             std::string_view field) {
  std::vector<Endpoint> endpoints;
  for (size_t i = 0; i < raw.size(); ++i) {
    std::string name = fmt::format("{}[{}]", field, i);
    std::optional<Endpoint> endpoint = parseEndpoint(raw[i]);
    if (!endpoint) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("{:?} is not host:port with an IPv4, [IPv6] or * host and a port "
                              "in 1..65535",
                              raw[i]),
                  name);
    }
    for (const Endpoint& seen : endpoints) {
      if (seen.text == endpoint->text) {
        return fail(ErrorCode::kInvalidInput, fmt::format("{:?} is listed twice", raw[i]), name);
      }
    }
    endpoints.push_back(std::move(*endpoint));
  }
  return endpoints;
}

Result<void> checkDisjoint(const std::vector<Endpoint>& a, const std::vector<Endpoint>& b,
                           std::string_view field) {
  for (const Endpoint& x : a) {
    for (const Endpoint& y : b) {
      if (shareSocket(x, y)) {
        return fail(ErrorCode::kInvalidInput,
                    fmt::format("{} and {} would share one socket", x.text, y.text),
                    std::string(field));
      }
    }
  }
  return ok();
}

Result<std::string> parseRuntimeDir(std::string_view raw) {
  std::string dir(raw);
  while (dir.size() > 1 && dir.back() == '/') {
    dir.pop_back();
  }
  auto safe = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
           c == '.' || c == '_' || c == '-' || c == '+';
  };
  if (dir.size() < 2 || dir.front() != '/' || !std::all_of(dir.begin(), dir.end(), safe)) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{:?} is not an absolute path of [A-Za-z0-9/._+-]", raw),
                "runtime_dir");
  }
  if (dir.size() > kMaxRuntimeDirLength) {
    return fail(
        ErrorCode::kInvalidInput,
        fmt::format("longer than {} characters (a unix socket lives there)", kMaxRuntimeDirLength),
        "runtime_dir");
  }
  return dir;
}

std::string listenLines(const std::vector<Endpoint>& endpoints, std::string_view parameters) {
  std::string out(kHeader);
  for (const Endpoint& endpoint : endpoints) {
    out += fmt::format("listen {}{};\n", endpoint.text, parameters);
  }
  return out;
}

// An empty listen file would make nginx fall back to port 80, so without HTTPS addresses
// the TLS servers listen on a unix socket nothing connects to.
std::string httpsListenLines(const std::vector<Endpoint>& endpoints, const std::string& runtime,
                             std::string_view parameters) {
  if (!endpoints.empty()) {
    return listenLines(endpoints, parameters);
  }
  return fmt::format("{}listen unix:{}/{}{};\n", kHeader, runtime, kHttpsDisabledSocket,
                     parameters);
}

}  // namespace

Result<std::vector<LocalFile>> renderLocalFiles(const NginxLocalSettings& settings) {
  VANTUS_TRY(std::string runtime, parseRuntimeDir(settings.runtime_dir));
  if (settings.http_listen.empty()) {
    return fail(ErrorCode::kInvalidInput, "at least one address is required", "http_listen");
  }
  VANTUS_TRY(std::vector<Endpoint> http, parseEndpoints(settings.http_listen, "http_listen"));
  VANTUS_TRY(std::vector<Endpoint> https, parseEndpoints(settings.https_listen, "https_listen"));
  std::optional<Endpoint> status = parseEndpoint(settings.status_listen);
  if (!status || !status->loopback) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{:?} is not a loopback 127.x.x.x:PORT or [::1]:PORT address",
                            settings.status_listen),
                "status_listen");
  }
  VANTUS_TRY_VOID(checkDisjoint(http, https, "https_listen"));
  VANTUS_TRY_VOID(checkDisjoint(http, {*status}, "status_listen"));
  VANTUS_TRY_VOID(checkDisjoint(https, {*status}, "status_listen"));
  if (settings.worker_processes < 0 || settings.worker_processes > 1024) {
    return fail(ErrorCode::kInvalidInput, "must be 0 (auto) or 1..1024", "worker_processes");
  }
  if (settings.worker_connections < 64 || settings.worker_connections > 65536) {
    return fail(ErrorCode::kInvalidInput, "must be 64..65536", "worker_connections");
  }

  std::string workers = settings.worker_processes == 0 ? std::string("auto")
                                                       : std::to_string(settings.worker_processes);
  std::vector<LocalFile> files;
  files.push_back(
      {"local/main.conf", fmt::format("{}pid {}/nginx.pid;\nerror_log {}/error.log warn;\n"
                                      "worker_processes {};\n",
                                      kHeader, runtime, runtime, workers)});
  files.push_back({"local/events.conf", fmt::format("{}worker_connections {};\n", kHeader,
                                                    settings.worker_connections)});
  files.push_back({"local/http.conf", fmt::format("{0}access_log {1}/access.log vantus_json;\n"
                                                  "client_body_temp_path {1}/client_body_temp;\n"
                                                  "proxy_temp_path {1}/proxy_temp;\n"
                                                  "fastcgi_temp_path {1}/fastcgi_temp;\n"
                                                  "uwsgi_temp_path {1}/uwsgi_temp;\n"
                                                  "scgi_temp_path {1}/scgi_temp;\n",
                                                  kHeader, runtime)});
  files.push_back({"local/listen-http.conf", listenLines(http, "")});
  files.push_back({"local/listen-http-default.conf", listenLines(http, " default_server")});
  files.push_back({"local/listen-https.conf", httpsListenLines(https, runtime, " ssl")});
  files.push_back(
      {"local/listen-https-default.conf", httpsListenLines(https, runtime, " ssl default_server")});
  files.push_back({"local/listen-status.conf", listenLines({*status}, "")});
  files.push_back({"local/release.conf",
                   fmt::format("{}return 200 \"{}\\n\";\n", kHeader, settings.release_version)});
  return files;
}

Result<void> writeLocalFiles(const std::filesystem::path& release_dir,
                             const NginxLocalSettings& settings) {
  VANTUS_TRY(std::vector<LocalFile> files, renderLocalFiles(settings));
  std::error_code error;
  std::filesystem::create_directories(release_dir / "local", error);
  if (error) {
    return fail(ErrorCode::kIo, fmt::format("cannot create {}: {}",
                                            (release_dir / "local").string(), error.message()));
  }
  for (const LocalFile& file : files) {
    VANTUS_TRY_VOID(writeFileAtomically((release_dir / file.path).string(), file.content));
  }
  return ok();
}

void collectTlsPaths(std::string_view content, std::set<std::string>& paths) {
  constexpr std::string_view kTlsDir = "local/tls/";
  auto slug_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  };
  for (size_t at = content.find(kTlsDir); at != std::string_view::npos;
       at = content.find(kTlsDir, at + kTlsDir.size())) {
    size_t end = at + kTlsDir.size();
    while (end < content.size() && (slug_char(content[end]) || content[end] == '.')) {
      ++end;
    }
    std::string_view name = content.substr(at + kTlsDir.size(), end - at - kTlsDir.size());
    if (name.size() < 5 || !(name.ends_with(".crt") || name.ends_with(".key"))) {
      continue;
    }
    std::string_view stem = name.substr(0, name.size() - 4);
    if (stem.size() > 63 || stem.front() == '-' || stem.back() == '-' ||
        !std::all_of(stem.begin(), stem.end(), slug_char)) {
      continue;
    }
    paths.emplace(content.substr(at, end - at));
  }
}

}  // namespace vantus::nginx

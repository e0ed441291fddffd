#pragma once
// The one HTTP(S) client of the product (cpp-httplib): what agents use to reach the
// controller. HTTPS verifies the server against `ca_file` (or the system store when empty);
// plain HTTP is refused unless the host is a loopback address or `allow_plain_http` is set,
// and then loudly logged once. One instance per thread: calls are not thread-safe.
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/core/result.h"

namespace httplib {
class Client;
}

namespace vantus::http {

struct HttpClientOptions {
  std::string base_url;   // "https://host:port" or "http://127.0.0.1:port", no path
  std::string ca_file{};  // PEM bundle; empty = the system's trust store
  bool allow_plain_http = false;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds read_timeout{30000};
  std::size_t max_body_bytes = 96u << 20;  // longer responses are refused (kTooLarge)
};

struct HttpResponse {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  // The first header of that name (case-insensitive), or "".
  std::string header(std::string_view name) const;
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  // kInvalidInput for a malformed URL or plain HTTP to a non-loopback host without
  // allow_plain_http; kNotFound for a missing CA file.
  static Result<std::unique_ptr<HttpClient>> make(const HttpClientOptions& options);
  ~HttpClient();

  // Any HTTP status is a response; kUnavailable when no answer arrived (refused, reset,
  // timeout, TLS verification failure — the message says which). After a TLS handshake that
  // failed, or an https server reached with http://, the message says which scheme the server
  // speaks (one short probe with the other scheme, carrying no credential) and what to do.
  Result<HttpResponse> get(const std::string& path, const HttpHeaders& headers,
                           std::chrono::milliseconds read_timeout);
  Result<HttpResponse> post(const std::string& path, const std::string& body,
                            const std::string& content_type, const HttpHeaders& headers);

  // Aborts a request in flight (it fails with kUnavailable). The one call that may come from
  // another thread.
  void cancel();

  const std::string& baseUrl() const { return options_.base_url; }

 private:
  HttpClient(HttpClientOptions options, std::unique_ptr<httplib::Client> client);
  HttpClientOptions options_;
  std::unique_ptr<httplib::Client> client_;
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool isLoopbackHost(std::string_view host);

}  // namespace vantus::http

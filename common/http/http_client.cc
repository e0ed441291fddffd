#include "common/http/http_client.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <httplib.h>
#include <strings.h>

#include <filesystem>

#include "common/log/log.h"

namespace vantus::http {
namespace {

struct ParsedUrl {
  std::string scheme;
  std::string host;
};

Result<ParsedUrl> parseBaseUrl(std::string_view url) {
  ParsedUrl parsed;
  std::string_view rest;
  if (url.starts_with("https://")) {
    parsed.scheme = "https";
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    parsed.scheme = "http";
    rest = url.substr(7);
  } else {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{:?} must start with https:// (or http:// on loopback)", url), "url");
  }
  if (rest.empty() || rest.find('/') != std::string_view::npos ||
      rest.find('@') != std::string_view::npos) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{:?} must be scheme://host[:port] with no path or user", url), "url");
  }
  if (rest.front() == '[') {
    size_t close = rest.find(']');
    if (close == std::string_view::npos) {
      return fail(ErrorCode::kInvalidInput, fmt::format("{:?} has an unclosed [", url), "url");
    }
    parsed.host = std::string(rest.substr(1, close - 1));
  } else {
    parsed.host = std::string(rest.substr(0, rest.find(':')));
  }
  return parsed;
}

HttpResponse toResponse(const httplib::Response& response) {
  HttpResponse out;
  out.status = response.status;
  out.body = response.body;
  for (const auto& [name, value] : response.headers) {
    out.headers.emplace_back(name, value);
  }
  return out;
}

httplib::Headers toHeaders(const HttpHeaders& headers) {
  httplib::Headers out;
  for (const auto& [name, value] : headers) {
    out.emplace(name, value);
  }
  return out;
}

// Whether a server at `base_url`, reached with the other scheme, answers at all: tells "this is
// a plain-HTTP server" from "TLS failed" after a handshake error, and the other way round. The
// probe is a bare GET / with no credential; a TLS probe does not verify the certificate because
// it only asks whether the server speaks TLS.
bool answersWithOtherScheme(const std::string& base_url) {
  const bool https = base_url.starts_with("https://");
  const std::string other = (https ? "http://" : "https://") + base_url.substr(https ? 8 : 7);
  httplib::Client probe(other);
  probe.set_connection_timeout(std::chrono::seconds(2));
  probe.set_read_timeout(std::chrono::seconds(2));
  probe.set_keep_alive(false);
  if (!https) {
    probe.enable_server_certificate_verification(false);
  }
  return static_cast<bool>(probe.Get("/"));
}

// What went wrong and what to do, for the failures whose httplib name says neither; "" for
// the others.
std::string explain(httplib::Error error, const std::string& base_url) {
  const bool https = base_url.starts_with("https://");
  const std::string rest = base_url.substr(https ? 8 : 7);
  if (https && error == httplib::Error::SSLConnection) {
    if (answersWithOtherScheme(base_url)) {
      return fmt::format(
          "the controller at {} speaks plain HTTP, not HTTPS: give http://{} (accepted on "
          "loopback, elsewhere only with --allow-plain-http / allow_plain_http: true), or give "
          "the controller a certificate (tls_cert_file and tls_key_file in controller.yaml)",
          base_url, rest);
    }
    return fmt::format(
        "the TLS handshake with {} failed (SSLConnection): check that this address is the "
        "controller's HTTPS listener and that it speaks TLS 1.2 or newer",
        base_url);
  }
  if (https && error == httplib::Error::SSLServerVerification) {
    return fmt::format(
        "the certificate of {} is not trusted (SSLServerVerification): give the CA file that "
        "signed it (--ca-file, or ca_file in agent.yaml), or check that the name in the URL is "
        "one the certificate names",
        base_url);
  }
  if (!https && (error == httplib::Error::Read || error == httplib::Error::Unknown) &&
      answersWithOtherScheme(base_url)) {
    return fmt::format("the controller at {} speaks HTTPS, not plain HTTP: give https://{}",
                       base_url, rest);
  }
  return "";
}

Result<HttpResponse> answer(const httplib::Result& result, std::string_view what,
                            const std::string& base_url) {
  if (!result) {
    std::string explained = explain(result.error(), base_url);
    return fail(ErrorCode::kUnavailable,
                explained.empty()
                    ? fmt::format("{} {}: {}", what, base_url, httplib::to_string(result.error()))
                    : fmt::format("{}: {}", what, explained));
  }
  return toResponse(*result);
}

}  // namespace

bool isLoopbackHost(std::string_view host) {
  if (host == "localhost" || host == "::1") {
    return true;
  }
  in_addr address{};
  std::string text(host);
  return ::inet_pton(AF_INET, text.c_str(), &address) == 1 && (ntohl(address.s_addr) >> 24) == 127;
}

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && ::strncasecmp(key.data(), name.data(), key.size()) == 0) {
      return value;
    }
  }
  return {};
}

Result<std::unique_ptr<HttpClient>> HttpClient::make(const HttpClientOptions& options) {
  VANTUS_TRY(ParsedUrl url, parseBaseUrl(options.base_url));
  if (url.scheme == "http" && !isLoopbackHost(url.host)) {
    if (!options.allow_plain_http) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("{} is plain HTTP to a host that is not loopback: use https:// or "
                              "set allow_plain_http: true (credentials would travel in clear)",
                              options.base_url),
                  "url");
    }
    log::warn(
        "http.plain_http_allowed",
        {{"url", options.base_url}, {"risk", "node credentials and bundles travel unencrypted"}});
  }
  if (!options.ca_file.empty() && !std::filesystem::exists(options.ca_file)) {
    return fail(ErrorCode::kNotFound, fmt::format("CA file {} does not exist", options.ca_file),
                "ca_file");
  }
  auto client = std::make_unique<httplib::Client>(options.base_url);
  if (!client->is_valid()) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("cannot make a client for {}", options.base_url), "url");
  }
  client->set_keep_alive(true);
  client->set_tcp_nodelay(true);
  client->set_connection_timeout(options.connect_timeout);
  client->set_write_timeout(std::chrono::seconds(10));
  if (url.scheme == "https") {
    client->enable_server_certificate_verification(true);
    if (!options.ca_file.empty()) {
      client->set_ca_cert_path(options.ca_file.c_str());
    }
  }
  return std::unique_ptr<HttpClient>(new HttpClient(options, std::move(client)));
}

HttpClient::HttpClient(HttpClientOptions options, std::unique_ptr<httplib::Client> client)
    : options_(std::move(options)), client_(std::move(client)) {}

HttpClient::~HttpClient() = default;

void HttpClient::cancel() { client_->stop(); }

Result<HttpResponse> HttpClient::get(const std::string& path, const HttpHeaders& headers,
                                     std::chrono::milliseconds read_timeout) {
  client_->set_read_timeout(read_timeout);
  std::string body;
  bool too_large = false;
  const size_t cap = options_.max_body_bytes;
  httplib::Result result =
      client_->Get(path, toHeaders(headers), [&](const char* data, size_t length) {
        if (body.size() + length > cap) {
          too_large = true;
          return false;
        }
        body.append(data, length);
        return true;
      });
  if (too_large) {
    return fail(ErrorCode::kTooLarge,
                fmt::format("GET {}: the response is larger than {} bytes", path, cap));
  }
  VANTUS_TRY(HttpResponse response, answer(result, "GET " + path, options_.base_url));
  response.body = std::move(body);
  return response;
}

Result<HttpResponse> HttpClient::post(const std::string& path, const std::string& body,
                                      const std::string& content_type, const HttpHeaders& headers) {
  client_->set_read_timeout(options_.read_timeout);
  httplib::Result result = client_->Post(path, toHeaders(headers), body, content_type.c_str());
  return answer(result, "POST " + path, options_.base_url);
}

}  // namespace vantus::http

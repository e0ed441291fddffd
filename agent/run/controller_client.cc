#include "agent/run/controller_client.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "common/core/time.h"

namespace vantus::agent {
namespace {

using nlohmann::json;

// The problem+json "detail" of an error answer, or its status line.
std::string problemOf(const http::HttpResponse& response) {
  json body = json::parse(response.body, nullptr, false);
  if (body.is_object() && body.contains("detail") && body["detail"].is_string()) {
    return fmt::format("HTTP {}: {}", response.status, body["detail"].get<std::string>());
  }
  return fmt::format("HTTP {}", response.status);
}

Unexpected refused(std::string_view what, const http::HttpResponse& response) {
  ErrorCode code = ErrorCode::kUnavailable;
  if (response.status == 401) {
    code = ErrorCode::kUnauthenticated;
  } else if (response.status == 403) {
    code = ErrorCode::kPermissionDenied;
  } else if (response.status == 404) {
    code = ErrorCode::kNotFound;
  } else if (response.status == 409) {
    code = ErrorCode::kConflict;
  } else if (response.status == 429) {
    code = ErrorCode::kRateLimited;
  } else if (response.status >= 400 && response.status < 500) {
    code = ErrorCode::kInvalidInput;
  }
  return fail(code, fmt::format("{}: {}", what, problemOf(response)));
}

// Retry-After as delta-seconds (what the controller sends), capped; 0 when absent or a date.
std::chrono::seconds retryAfterOf(const http::HttpResponse& response) {
  if (response.status != 429 && response.status != 503) {
    return std::chrono::seconds(0);
  }
  const std::string text = response.header("Retry-After");
  std::int64_t seconds = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (error != std::errc() || end != text.data() + text.size() || seconds < 0) {
    return std::chrono::seconds(0);
  }
  return std::chrono::seconds(std::min<std::int64_t>(seconds, 3600));
}

// RFC 3339 as the controller answers now; unix seconds as controllers before it did.
Result<std::int64_t> expiryOf(const json& value) {
  if (value.is_string()) {
    auto parsed = parseRfc3339Utc(value.get<std::string>());
    if (!parsed) {
      return fail(ErrorCode::kInvalidInput, parsed.error().message, "expires_at");
    }
    return parsed;
  }
  if (value.is_number_integer()) {
    return value.get<std::int64_t>();
  }
  return fail(ErrorCode::kInvalidInput, "expires_at is neither an RFC 3339 time nor unix seconds",
              "expires_at");
}

}  // namespace

Result<std::unique_ptr<ControllerClient>> ControllerClient::make(
    const http::HttpClientOptions& options, std::string credential) {
  VANTUS_TRY(std::unique_ptr<http::HttpClient> http, http::HttpClient::make(options));
  return std::unique_ptr<ControllerClient>(
      new ControllerClient(std::move(http), std::move(credential)));
}

http::HttpHeaders ControllerClient::authorized() const {
  return {{"Authorization", "Bearer " + credential_}};
}

Result<std::vector<std::string>> ControllerClient::signingKeys() {
  VANTUS_TRY(http::HttpResponse response,
             http_->get("/agent/v1/signing-keys", {}, std::chrono::seconds(30)));
  if (response.status != 200) {
    return refused("signing keys", response);
  }
  json body = json::parse(response.body, nullptr, false);
  try {
    return body.at("signing_keys").get<std::vector<std::string>>();
  } catch (const json::exception&) {
    return fail(ErrorCode::kInvalidInput, "the controller's signing-keys answer is malformed");
  }
}

Result<EnrollAnswer> ControllerClient::enroll(const std::string& token, const std::string& name,
                                              const std::string& public_key_pem) {
  json request = {{"token", token}, {"name", name}, {"public_key", public_key_pem}};
  VANTUS_TRY(http::HttpResponse response,
             http_->post("/agent/v1/enroll", request.dump(), "application/json", {}));
  if (response.status != 201) {
    return refused("enrolment refused", response);
  }
  json body = json::parse(response.body, nullptr, false);
  try {
    return EnrollAnswer{
        .node = body.at("node").get<std::string>(),
        .cluster = body.at("cluster").get<std::string>(),
        .credential = body.at("credential").get<std::string>(),
        .signing_keys_pem = body.at("signing_keys").get<std::vector<std::string>>()};
  } catch (const json::exception&) {
    return fail(ErrorCode::kInvalidInput, "the controller's enrolment answer is malformed");
  }
}

Result<Desired> ControllerClient::desired(const std::string& etag, std::chrono::seconds wait) {
  http::HttpHeaders headers = authorized();
  if (!etag.empty()) {
    headers.emplace_back("If-None-Match", etag);
  }
  const std::string path = wait.count() > 0 ? fmt::format("/agent/v1/desired?wait={}", wait.count())
                                            : "/agent/v1/desired";
  VANTUS_TRY(http::HttpResponse response,
             http_->get(path, headers, wait + std::chrono::seconds(15)));
  retry_after_ = retryAfterOf(response);
  if (response.status == 304) {
    return Desired{.kind = Desired::Kind::kUnchanged, .etag = etag};
  }
  if (response.status == 204) {
    return Desired{.kind = Desired::Kind::kNoRelease};
  }
  if (response.status != 200) {
    return refused("desired release", response);
  }
  json body = json::parse(response.body, nullptr, false);
  try {
    Desired answer{.kind = Desired::Kind::kChanged,
                   .version = body.at("version").get<std::uint64_t>(),
                   .digest = body.at("digest").get<std::string>(),
                   .bundle_path = body.at("bundle_url").get<std::string>(),
                   .etag = response.header("ETag")};
    auto expires_at = expiryOf(body.at("expires_at"));
    if (!expires_at) {
      return fail(
          ErrorCode::kInvalidInput,
          "the controller's desired-release answer is malformed: " + expires_at.error().describe());
    }
    answer.expires_at = *expires_at;
    if (!answer.bundle_path.starts_with("/agent/v1/bundles/")) {
      return fail(
          ErrorCode::kInvalidInput,
          fmt::format("bundle_url {:?} is not under /agent/v1/bundles/", answer.bundle_path));
    }
    return answer;
  } catch (const json::exception&) {
    return fail(ErrorCode::kInvalidInput, "the controller's desired-release answer is malformed");
  }
}

Result<std::string> ControllerClient::bundle(const std::string& bundle_path) {
  VANTUS_TRY(http::HttpResponse response,
             http_->get(bundle_path, authorized(), std::chrono::seconds(120)));
  if (response.status != 200) {
    return refused("bundle download", response);
  }
  return std::move(response.body);
}

Result<void> ControllerClient::post(const std::string& path, const std::string& envelope_json) {
  VANTUS_TRY(http::HttpResponse response,
             http_->post(path, envelope_json, "application/json", authorized()));
  if (response.status != 202 && response.status != 200 && response.status != 204) {
    return refused("POST " + path, response);
  }
  return ok();
}

Result<void> ControllerClient::postReceipt(const std::string& envelope_json) {
  return post("/agent/v1/receipts", envelope_json);
}

Result<void> ControllerClient::postHeartbeat(const std::string& envelope_json) {
  return post("/agent/v1/heartbeat", envelope_json);
}

}  // namespace vantus::agent

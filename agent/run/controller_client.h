#pragma once
// The agent's side of /agent/v1: enrolment, the desired-release pointer (long-poll with
// If-None-Match), immutable bundles, signed receipts and heartbeats. The node credential
// travels only in the Authorization header, never in a URL or a log line. Agent thread
// only, except cancel().
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/core/result.h"
#include "common/http/http_client.h"

namespace vantus::agent {

struct Desired {
  enum class Kind { kChanged, kUnchanged, kNoRelease } kind = Kind::kNoRelease;
  std::uint64_t version = 0;
  std::string digest{};
  std::int64_t expires_at = 0;  // unix seconds, as the pointer says (the manifest decides)
  std::string bundle_path{};    // "/agent/v1/bundles/<digest>"
  std::string etag{};
};

struct EnrollAnswer {
  std::string node;
  std::string cluster;
  std::string credential;
  std::vector<std::string> signing_keys_pem;
};

class ControllerClient {
 public:
  static Result<std::unique_ptr<ControllerClient>> make(const http::HttpClientOptions& options,
                                                        std::string credential);

  void cancel() { http_->cancel(); }

  // The controller's release signing keys (PEM), asked before enrolling so that a wrong pin
  // spends no token. Unauthenticated; trust comes from the pin, not from this answer.
  Result<std::vector<std::string>> signingKeys();
  Result<EnrollAnswer> enroll(const std::string& token, const std::string& name,
                              const std::string& public_key_pem);
  // Waits up to `wait` for a pointer other than `etag` (0 = answer at once).
  Result<Desired> desired(const std::string& etag, std::chrono::seconds wait);
  Result<std::string> bundle(const std::string& bundle_path);
  Result<void> postReceipt(const std::string& envelope_json);
  Result<void> postHeartbeat(const std::string& envelope_json);
  // The Retry-After (in seconds, at most an hour) of the last desired() answer that was 429
  // (kRateLimited) or 503; 0 otherwise.
  std::chrono::seconds retryAfter() const { return retry_after_; }

 private:
  ControllerClient(std::unique_ptr<http::HttpClient> http, std::string credential)
      : http_(std::move(http)), credential_(std::move(credential)) {}
  http::HttpHeaders authorized() const;
  Result<void> post(const std::string& path, const std::string& envelope_json);

  std::unique_ptr<http::HttpClient> http_;
  std::string credential_;
  std::chrono::seconds retry_after_{0};
};

}  // namespace vantus::agent

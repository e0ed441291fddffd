#pragma once
#include <string>

namespace vantus::controller {

// The stored first answer to a POST with an Idempotency-Key. status 0: the write it protects
// committed (claimIdempotencyKey in its transaction) but its answer was not stored yet; the
// write's audit target (e.g. "deployment:42") says what it made.
struct IdempotentResponse {
  std::string request_hash;
  int status = 0;
  std::string target{};
  std::string content_type;
  std::string location;
  std::string body;
};

}  // namespace vantus::controller

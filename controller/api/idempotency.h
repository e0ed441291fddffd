#pragma once
// Idempotency-Key on POST (Terraform and other retrying clients): the first answer to a key is
// stored per token for 24 hours; a retry with the same key and the same request gets that
// answer again (header Idempotent-Replayed: true), the same key with another request is 422,
// and a retry while the first is still running is 409. Answers of 5xx and 429 are not kept,
// so those retries run again. Thread-safe.
#include <functional>
#include <mutex>
#include <set>
#include <string>

#include "controller/auth/api_tokens.h"
#include "controller/store/store.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace vantus::controller {

class IdempotencyKeys {
 public:
  static constexpr std::int64_t kKeepSeconds = 24 * 3600;

  // Runs `handle` unless the request's key already has an answer. Requests without the
  // header, and methods other than POST, just run `handle`.
  void run(Store& store, const Principal& principal, const httplib::Request& request,
           httplib::Response& response, const std::function<void()>& handle);

 private:
  std::mutex mutex_;
  std::set<std::string> in_flight_;
};

}  // namespace vantus::controller

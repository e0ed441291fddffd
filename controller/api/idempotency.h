#pragma once
// Idempotency-Key on POST (Terraform and other retrying clients): the first answer to a key is
// stored per token for 24 hours; a retry with the same key and the same request gets that
// answer again (header Idempotent-Replayed: true), the same key with another request is 422,
// and a retry while the first is still running is 409. Answers of 5xx and 429 are not kept,
// so those retries run again. The write a request makes claims its key in its own transaction
// (controller/auth/caller.h): when the process died between that write and storing the answer,
// a retry is answered by `answer_claimed` from what the write made, never by writing again.
// Thread-safe.
#include <functional>
#include <mutex>
#include <set>
#include <string>

#include "controller/auth/caller.h"
#include "controller/service/idempotency_service.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace vantus::controller {

class IdempotencyKeys {
 public:
  using Handle = std::function<void(std::optional<IdempotencyClaim> claim)>;
  // Answers a retry whose write committed without its answer: `target` is the audit target
  // of what the write made ("deployment:42").
  using AnswerClaimed = std::function<void(std::string_view target, httplib::Response& response)>;

  // Runs `handle` (with the claim its write must record) unless the request's key already has
  // an answer. Requests without the header, and methods other than POST, run with no claim.
  void run(IdempotencyService& answers, const Principal& principal, const httplib::Request& request,
           httplib::Response& response, const Handle& handle, const AnswerClaimed& answer_claimed);

 private:
  std::mutex mutex_;
  std::set<std::string> in_flight_;
};

}  // namespace vantus::controller

#include "controller/api/idempotency.h"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>

#include "common/crypto/hash.h"
#include "common/log/log.h"
#include "controller/api/api_support.h"
#include "controller/server/problem.h"

namespace vantus::controller {
namespace {

constexpr size_t kMaxKeyBytes = 255;

bool validKey(std::string_view key) {
  return !key.empty() && key.size() <= kMaxKeyBytes &&
         std::all_of(key.begin(), key.end(), [](char c) { return c > ' ' && c < 127; });
}

// Secrets are shown once: a kept answer never holds them, so a replay answers without.
std::string keptBody(const httplib::Response& response) {
  if (response.get_header_value("Cache-Control") != "no-store") {
    return response.body;
  }
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object()) {
    return "";
  }
  body.erase("token");
  body.erase("credential");
  return body.dump();
}

}  // namespace

void IdempotencyKeys::run(IdempotencyService& answers, const Principal& principal,
                          const httplib::Request& request, httplib::Response& response,
                          const Handle& handle, const AnswerClaimed& answer_claimed) {
  const std::string key = request.get_header_value("Idempotency-Key");
  if (request.method != "POST" || !request.has_header("Idempotency-Key")) {
    handle(std::nullopt);
    return;
  }
  if (!validKey(key)) {
    sendProblem(response, 400, "Bad Request",
                fmt::format("Idempotency-Key must be 1..{} visible ASCII characters", kMaxKeyBytes),
                "Idempotency-Key");
    return;
  }
  const Id token_id = principal.token.id;
  const std::string request_hash =
      crypto::sha256Hex(request.method + " " + request.path + "\n" + request.body);
  auto stored = answers.find(token_id, key);
  if (!stored) {
    sendError(response, stored.error());
    return;
  }
  if (*stored) {
    const IdempotentResponse& first = **stored;
    if (first.request_hash != request_hash) {
      sendProblem(response, 422, "Unprocessable Content",
                  "this Idempotency-Key was used with another request; use a new key",
                  "Idempotency-Key");
      return;
    }
    if (first.status == 0) {
      answer_claimed(first.target, response);
      response.set_header("Idempotent-Replayed", "true");
      return;
    }
    response.status = first.status;
    if (!first.location.empty()) {
      response.set_header("Location", first.location);
    }
    response.set_header("Idempotent-Replayed", "true");
    if (first.status < 300 && first.content_type == "application/json") {
      response.set_header("ETag", api::etagOfBytes(first.body));
    }
    response.set_content(first.body, first.content_type);
    return;
  }
  const std::string flight = fmt::format("{}\n{}", token_id, key);
  {
    std::lock_guard lock(mutex_);
    if (!in_flight_.insert(flight).second) {
      sendProblem(response, 409, "Conflict",
                  "a request with this Idempotency-Key is still running; retry later",
                  "Idempotency-Key");
      return;
    }
  }
  handle(IdempotencyClaim{.token_id = token_id, .key = key, .request_hash = request_hash});
  if (response.status < 500 && response.status != 429) {
    IdempotentResponse first{.request_hash = request_hash,
                             .status = response.status,
                             .content_type = response.get_header_value("Content-Type"),
                             .location = response.get_header_value("Location"),
                             .body = keptBody(response)};
    if (auto saved = answers.save(token_id, key, first); !saved) {
      log::error("api.idempotency_not_saved", {{"error", saved.error().describe()}});
    }
  }
  std::lock_guard lock(mutex_);
  in_flight_.erase(flight);
}

}  // namespace vantus::controller

#pragma once
// The steps a Terraform provider takes against /api/v1, as checks: read back after every
// write, import by id, delete with If-Match until the resource answers 404, and a create
// retried with the same Idempotency-Key. Every call goes to the in-process ApiServer.
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/api/api_server.h"

namespace vantus::testing {

// One answer of the API: status, body (null when empty or not JSON) and the headers a
// provider looks at.
struct Answer {
  int status = 0;
  nlohmann::json body;
  std::string etag;
  std::string location;
  std::string replayed;  // Idempotent-Replayed
};

// `bearer` and `headers` as in ApiServer::call.
Answer send(ApiServer& api, const std::string& method, const std::string& path,
            const std::string& body = "", const std::string& bearer = "",
            httplib::Headers headers = {});
httplib::Headers ifMatch(const std::string& etag);
httplib::Headers idempotencyKey(const std::string& key);
// The "id" of a resource as a path segment.
std::string idOf(const Answer& answer);
// `answer.body` without `key`, for answers that show a secret once.
nlohmann::json without(const Answer& answer, const std::string& key);

// GET `path` answers 200 with exactly `expected` (body and ETag): no perpetual diff.
void checkReadEquals(ApiServer& api, const std::string& path, const Answer& expected);
// Import: GET `path` alone (built from the ids in the provider's state) gives back every
// field of `config` as the provider stores it.
void checkImport(ApiServer& api, const std::string& path, const nlohmann::json& config);
// DELETE with If-Match answers 204; then GET and a second DELETE both answer 404.
void checkDeleteGone(ApiServer& api, const std::string& path, const std::string& etag);
// `first` came from POST `path` with `body` and Idempotency-Key `key`. The same request
// again replays it and makes nothing new (the list at `list_path` keeps its length); the
// same key with `other_body` is 422. `secret_field` names a secret the first answer showed
// once: the replay answers without it.
void checkCreateRetry(ApiServer& api, const std::string& path, const std::string& body,
                      const std::string& key, const Answer& first, const std::string& other_body,
                      const std::string& list_path, const std::string& secret_field = "");
// The number of items at `list_path` ({"items": [...]}).
std::size_t itemCount(ApiServer& api, const std::string& list_path);

}  // namespace vantus::testing

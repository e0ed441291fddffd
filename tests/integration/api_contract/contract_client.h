#pragma once
// Calls the controller by operation — a method and a path template of schema/openapi.yaml
// with its parameters — records every answer as one JSON line for
// tools/api-lint/check-responses.mjs, and remembers which operations were exercised.
// One test thread.
#include <httplib.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/support/api/api_server.h"
#include "tests/support/temp_dir.h"

namespace vantus::testing {

struct Call {
  std::map<std::string, std::string> params;  // fills {name} in the template
  std::string query;                          // "?limit=1", appended as is
  std::string body;                           // sent with POST, PUT and PATCH
  std::string bearer;                         // "" = the admin token, "-" = none
  httplib::Headers headers;
};

// An answer with its body parsed when it is JSON (null otherwise).
struct Answer {
  int status = 0;
  std::string content_type;
  std::string etag;
  std::string text;
  nlohmann::json body;
};

class ContractClient {
 public:
  // /api/v1 goes to `api`; /healthz, /readyz, the spec and /agent/v1 to `side_port`.
  ContractClient(ApiServer& api, int side_port) : api_(api), side_port_(side_port) {}

  // Sends the request, CHECKs that it answered `expected`, records the answer.
  Answer call(const std::string& method, const std::string& path_template, int expected,
              const Call& call = {});

  // "GET /api/v1/tenants/{tenantId}" for every operation called.
  const std::set<std::string>& exercised() const { return exercised_; }
  // Writes the recorded answers as JSON lines to `path`.
  void writeJsonl(const std::string& path) const;

 private:
  ApiServer& api_;
  int side_port_;
  std::vector<nlohmann::json> records_;
  std::set<std::string> exercised_;
};

// `node tools/api-lint/check-responses.mjs <spec> <jsonl>`.
CommandResult checkResponses(const std::string& jsonl_path);
// Every operation of the spec, as "METHOD /template".
std::set<std::string> specOperations();

}  // namespace vantus::testing

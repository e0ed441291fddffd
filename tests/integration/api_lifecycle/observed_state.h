#pragma once
// What a refused request must leave as it was: the store (the answers of a set of GETs and
// the length of the audit log), the config repository's HEAD and the releases (a tenant's
// latest deployment and its release versions are among the GETs). And a two-tenant world,
// both deployed to one cluster, to refuse requests against.
#include <httplib.h>

#include <string>
#include <vector>

#include "controller/store/store.h"
#include "tests/support/api/api_server.h"

namespace vantus::testing {

struct ObservedState {
  std::vector<std::string> paths;
  std::vector<std::string> answers;  // status and body per path
  std::size_t audit_rows = 0;
  std::string head;  // `git rev-parse HEAD` of the config repository
};

ObservedState observe(ApiServer& api, const std::vector<std::string>& paths);
// Observes the same paths again and checks that every part is as it was.
void checkUnchanged(ApiServer& api, const ObservedState& before);

// The request is refused with problem+json `status` naming `field` ("" = none checked) and
// leaves `before` as it was.
void checkRefused(ApiServer& api, const ObservedState& before, const std::string& method,
                  const std::string& path, const std::string& body, int status,
                  const std::string& field, const std::string& bearer = "",
                  httplib::Headers headers = {});

struct DeployedTenant {
  controller::Id id = 0;
  controller::Id domain = 0;
  controller::Id pool = 0;
  controller::Id deployment = 0;
  std::string path;  // /api/v1/tenants/<id>
};

struct DeployedWorld {
  controller::Id cluster = 0;
  DeployedTenant a;
  DeployedTenant b;
  // Every GET whose answer a refused request must not change.
  std::vector<std::string> watched;
};

// Cluster "edge-a"; tenants "alpha" and "beta", each with a domain, a pool and a policy,
// assigned and deployed once.
DeployedWorld deployWorld(ApiServer& api);

}  // namespace vantus::testing

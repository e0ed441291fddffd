#pragma once
// The RBAC suite's world on one in-process API server: tenants A and B (and R, which only
// rollbacks touch) each with a domain, an upstream pool, an assignment to cluster "edge-main"
// and two deployments (B: one, plus cluster "edge-b" of its own); an enrolled node; one user
// per principal (members of A, and of every tenant made "like A"); tokens minted on demand.
// Setup runs as the server's own admin token and fails the test case when it does not
// succeed. Single-threaded: one test case owns one World.
#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "tests/support/api/api_server.h"
#include "tests/support/rbac_matrix.h"

namespace vantus::testing::rbac {

using controller::Id;

class World {
 public:
  World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  ApiServer& api() { return api_; }

  // A successful call with the server's admin token (2xx, else the test case stops); its body
  // as JSON (null when empty).
  nlohmann::json asAdmin(const std::string& method, const std::string& path,
                         const std::string& body = "");

  Id userId(Who who) const { return users_.at(static_cast<std::size_t>(who)); }
  static std::string emailOf(Who who);

  // A token of `who` of `kind`; `scope` is the one kAllButNeeded leaves out ("" = none) and
  // `own_tenant` the binding of kBoundOwn. Cached per combination.
  std::string token(Who who, TokenKind kind, const std::string& scope, Id own_tenant);
  // The id of a token of ours, from its public prefix.
  Id tokenId(const std::string& secret);

  // A name no earlier call returned ("<stem>-<n>").
  std::string unique(std::string_view stem);
  // A tenant with the four members of A in their roles.
  Id tenantLikeA(const std::string& slug);
  Id freshDomain(Id tenant);
  Id freshPool(Id tenant);
  Id freshCluster();
  Id freshUser();
  // A node enrolled in edge-main.
  Id freshNode();
  // Makes the tenant's drafts differ from what is deployed.
  void changeDrafts(Id tenant);
  // Ids for the path.
  static std::string str(Id id) { return std::to_string(id); }

  Id tenant_a = 0, tenant_b = 0, tenant_r = 0;
  Id domain_a = 0, domain_b = 0;
  Id pool_a = 0, pool_b = 0;
  Id cluster_main = 0, cluster_b_only = 0;
  Id node_main = 0;
  Id deploy_a1 = 0, deploy_a2 = 0, deploy_b1 = 0, deploy_r1 = 0, deploy_r2 = 0;
  // R's deployed content alternates between its two deployments: the next rollback target.
  Id rollback_target = 0;
  Id b_owner = 0;
  std::string b_owner_token;  // every scope, unbound

 private:
  Id deploy(Id tenant);

  ApiServer api_;
  std::array<Id, 6> users_{};
  std::map<std::string, std::string> tokens_;
  int counter_ = 0;
};

}  // namespace vantus::testing::rbac

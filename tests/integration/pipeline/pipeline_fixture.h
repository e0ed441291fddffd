#pragma once
// A real controller state dir (SQLite file, bare git repository, signing key) with cluster
// "edge-a" and tenant "acme" (one domain, one pool on loopback) assigned to it, plus the
// observations the tests compare before and after a write.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "controller/app/controller_app.h"
#include "controller/auth/caller.h"
#include "tests/support/temp_dir.h"

namespace vantus::controller::testing {

struct ObservedState {
  nlohmann::json tenant;  // the tenant's draft model as JSON
  size_t audit_rows = 0;
  std::string head;                   // git HEAD
  std::uint64_t release_version = 0;  // latest release of edge-a (0 = none)
  size_t deployments = 0;
  bool operator==(const ObservedState&) const = default;
};

class PipelineFixture {
 public:
  PipelineFixture();
  ControllerApp& app() { return *app_; }
  const std::filesystem::path& stateDir() const { return state_; }
  Actor actor() const;
  // The local operator acting as actor(): every right on every tenant.
  Caller caller() const;
  Id tenantId() const { return tenant_id_; }
  Id clusterId() const { return cluster_id_; }
  ObservedState observe();
  // Replaces the tenant's policy with `json` (parsed strictly) and REQUIREs success.
  void setPolicy(const nlohmann::json& json);
  Deployment deploy(std::string_view message);

 private:
  vantus::testing::TempDir root_;
  std::filesystem::path state_;
  std::unique_ptr<ControllerApp> app_;
  Id tenant_id_ = 0;
  Id cluster_id_ = 0;
};

}  // namespace vantus::controller::testing

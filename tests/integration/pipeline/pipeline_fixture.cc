#include "tests/integration/pipeline/pipeline_fixture.h"

#include <doctest/doctest.h>

#include "controller/app/init_state_dir.h"
#include "controller/deploy/tenant_snapshot.h"
#include "controller/model/parse_json.h"

namespace vantus::controller::testing {

PipelineFixture::PipelineFixture() : state_(root_.path() / "state") {
  auto report = initStateDir(state_, VANTUS_SOURCE_DIR, "admin@example.com");
  REQUIRE_MESSAGE(report.has_value(), (report ? "" : report.error().describe()));
  auto opened = ControllerApp::open(state_, VANTUS_SOURCE_DIR);
  REQUIRE_MESSAGE(opened.has_value(), (opened ? "" : opened.error().describe()));
  app_ = std::move(*opened);
  auto cluster = app_->model().createCluster(caller(), "edge-a");
  REQUIRE(cluster);
  cluster_id_ = cluster->id;
  auto tenant = app_->model().createTenant(caller(), "acme", "Acme");
  REQUIRE(tenant);
  tenant_id_ = tenant->id;
  auto domain = parseDomainJson({{"name", "www.acme.example"}});
  REQUIRE(domain);
  REQUIRE(app_->model().addDomain(caller(), tenant_id_, *domain));
  auto pool = parseUpstreamPoolJson(
      {{"name", "web"}, {"targets", {{{"host", "127.0.0.1"}, {"port", 9000}}}}});
  REQUIRE(pool);
  REQUIRE(app_->model().addPool(caller(), tenant_id_, *pool));
  REQUIRE(app_->model().assign(caller(), tenant_id_, cluster_id_));
}

Actor PipelineFixture::actor() const {
  Actor actor;
  actor.kind = "user";
  actor.id = "1";
  actor.name = "ada";
  actor.email = "ada@example.com";
  return actor;
}

Caller PipelineFixture::caller() const { return localOperator(actor()); }

ObservedState PipelineFixture::observe() {
  ObservedState state;
  auto config = app_->model().tenantConfig(caller(), tenant_id_);
  REQUIRE(config);
  state.tenant = tenantSnapshot(*config);
  REQUIRE(app_->store().read([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(std::vector<AuditEntry> rows, tx.auditEntries(std::nullopt, 0, 100000));
    state.audit_rows = rows.size();
    VANTUS_TRY(std::optional<Release> latest, tx.latestRelease(cluster_id_));
    state.release_version = latest ? latest->version : 0;
    VANTUS_TRY(std::vector<Deployment> deployments, tx.deploymentsOfTenant(tenant_id_, 0, 100000));
    state.deployments = deployments.size();
    return ok();
  }));
  auto head = app_->history().head();
  REQUIRE(head);
  state.head = *head;
  return state;
}

void PipelineFixture::setPolicy(const nlohmann::json& json) {
  auto policy = parseEdgePolicyJson(json);
  REQUIRE_MESSAGE(policy.has_value(), (policy ? "" : policy.error().describe()));
  REQUIRE(app_->model().putPolicy(caller(), tenant_id_, *policy));
}

Deployment PipelineFixture::deploy(std::string_view message) {
  auto outcome = app_->deployments().deploy(caller(), tenant_id_, message);
  REQUIRE_MESSAGE(outcome.has_value(), (outcome ? "" : outcome.error().describe()));
  return outcome->deployment;
}

}  // namespace vantus::controller::testing

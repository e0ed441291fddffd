// Diff between deployments, preview of drafts, and rollback as a new commit.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "controller/auth/api_tokens.h"
#include "controller/model/parse_json.h"
#include "controller/render/renderer.h"
#include "tests/integration/pipeline/pipeline_fixture.h"

namespace vantus::controller {
namespace {

const std::string kTenantPath = "clusters/edge-a/" + Renderer::tenantConfigPath("acme");

TEST_CASE("diff, preview and rollback of one tenant") {
  testing::PipelineFixture fixture;
  fixture.setPolicy({{"headers", {{"X-A", "one"}}}});
  Deployment first = fixture.deploy("one");

  fixture.setPolicy({{"headers", {{"X-A", "two"}}}});
  auto preview = fixture.app().deployments().preview(fixture.caller(), fixture.tenantId());
  REQUIRE(preview);
  CHECK(preview->head == first.commit_id);
  CHECK(preview->clusters == std::vector<std::string>{"edge-a"});
  CHECK(preview->diff.find("-    add_header \"X-A\" \"one\" always;") != std::string::npos);
  CHECK(preview->diff.find("+    add_header \"X-A\" \"two\" always;") != std::string::npos);

  Deployment second = fixture.deploy("two");
  auto diff = fixture.app().deployments().diff(fixture.caller(), second.id, first.id);
  REQUIRE(diff);
  CHECK(diff->find("--- a/" + kTenantPath) != std::string::npos);
  CHECK(diff->find("-    add_header \"X-A\" \"one\" always;") != std::string::npos);
  CHECK(diff->find("+    add_header \"X-A\" \"two\" always;") != std::string::npos);

  auto rolled =
      fixture.app().deployments().rollback(fixture.caller(), fixture.tenantId(), first.id, "");
  REQUIRE_MESSAGE(rolled.has_value(), (rolled ? "" : rolled.error().describe()));
  const Deployment& third = rolled->deployment;
  CHECK(third.kind == DeploymentKind::kRollback);
  CHECK(third.rollback_of == first.id);
  REQUIRE(rolled->releases.size() == 1);
  CHECK(rolled->releases[0].version == 3);

  auto old_file = fixture.app().history().readFile(first.commit_id, kTenantPath);
  auto new_file = fixture.app().history().readFile(third.commit_id, kTenantPath);
  REQUIRE(old_file);
  REQUIRE(new_file);
  REQUIRE(old_file->has_value());
  CHECK(**new_file == **old_file);

  auto info = fixture.app().history().describe(third.commit_id);
  REQUIRE(info);
  CHECK(info->parent == second.commit_id);  // a new commit on top: history is never rewritten

  auto policy = fixture.app().model().policy(fixture.caller(), fixture.tenantId());
  REQUIRE(policy);
  REQUIRE(policy->headers.size() == 1);
  CHECK(policy->headers[0].value == "one");

  auto nothing = fixture.app().deployments().deploy(fixture.caller(), fixture.tenantId(), "");
  REQUIRE_FALSE(nothing);
  CHECK(nothing.error().code == ErrorCode::kFailedPrecondition);
}

TEST_CASE("a rollback to another tenant's deployment is not found and changes nothing") {
  testing::PipelineFixture fixture;
  Deployment acme = fixture.deploy("acme");
  auto other = fixture.app().model().createTenant(fixture.caller(), "other", "Other");
  REQUIRE(other);
  const testing::ObservedState before = fixture.observe();
  auto refused =
      fixture.app().deployments().rollback(fixture.caller(), other->id, acme.id, "steal");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kNotFound);
  CHECK(fixture.observe() == before);
}

Caller memberOf(Id tenant_id, std::optional<TenantRole> role) {
  Caller caller;
  caller.principal.user.id = 42;
  caller.principal.user.email = "eve@example.com";
  caller.principal.token.scopes = allScopes();
  if (role) {
    caller.principal.memberships.push_back(Membership{42, tenant_id, *role});
  }
  caller.actor.kind = "user";
  caller.actor.name = "eve@example.com";
  return caller;
}

TEST_CASE("the service authorises: unseen tenants are not found, too little right is denied") {
  testing::PipelineFixture fixture;
  Deployment first = fixture.deploy("one");
  const Caller stranger = memberOf(fixture.tenantId(), std::nullopt);
  const Caller viewer = memberOf(fixture.tenantId(), TenantRole::kViewer);

  auto hidden = fixture.app().deployments().deployment(stranger, first.id);
  REQUIRE_FALSE(hidden);
  CHECK(hidden.error().code == ErrorCode::kNotFound);
  auto missing = fixture.app().deployments().deployment(stranger, first.id + 100);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ErrorCode::kNotFound);
  CHECK(hidden.error().message == fmt::format("deployment {} not found", first.id));
  CHECK_FALSE(fixture.app().deployments().releasesOf(stranger, first.id));

  CHECK(fixture.app().deployments().deployment(viewer, first.id));
  CHECK(fixture.app().deployments().preview(viewer, fixture.tenantId()));
  auto denied = fixture.app().deployments().deploy(viewer, fixture.tenantId(), "no");
  REQUIRE_FALSE(denied);
  CHECK(denied.error().code == ErrorCode::kPermissionDenied);
  auto no_rollback = fixture.app().deployments().rollback(viewer, fixture.tenantId(), first.id, "");
  REQUIRE_FALSE(no_rollback);
  CHECK(no_rollback.error().code == ErrorCode::kPermissionDenied);
}

TEST_CASE("a rollback whose domain another tenant took is refused by code and field, unwritten") {
  testing::PipelineFixture fixture;
  Deployment first = fixture.deploy("one");
  auto domains = fixture.app().model().domains(fixture.caller(), fixture.tenantId());
  REQUIRE(domains);
  REQUIRE(domains->size() == 1);
  REQUIRE(fixture.app().model().deleteDomain(fixture.caller(), fixture.tenantId(),
                                             domains->front().id));
  auto other = fixture.app().model().createTenant(fixture.caller(), "other", "Other");
  REQUIRE(other);
  auto taken = parseDomainJson({{"name", "www.acme.example"}});
  REQUIRE(taken);
  REQUIRE(fixture.app().model().addDomain(fixture.caller(), other->id, *taken));
  const testing::ObservedState before = fixture.observe();
  auto refused =
      fixture.app().deployments().rollback(fixture.caller(), fixture.tenantId(), first.id, "");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kAlreadyExists);
  CHECK(refused.error().field == "deployment_id");
  CHECK(fixture.observe() == before);
}

}  // namespace
}  // namespace vantus::controller

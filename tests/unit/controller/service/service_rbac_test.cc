// The role × scope table against the services themselves (no HTTP): every operation a door
// can call × every principal × four token kinds, expected from the documented matrix
// (tests/support/rbac_matrix.h) exactly as the REST API's table is. A new door (the UI, the
// CLI) calls these operations, so it inherits what this table proves.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "controller/app/controller_app.h"
#include "controller/app/init_state_dir.h"
#include "controller/auth/api_tokens.h"
#include "controller/model/parse_json.h"
#include "tests/support/rbac_matrix.h"
#include "tests/support/temp_dir.h"

namespace vantus::controller {
namespace {

using testing::TempDir;
using testing::rbac::kEveryone;
using testing::rbac::kEveryTokenKind;
using testing::rbac::nameOf;
using testing::rbac::Reach;
using testing::rbac::TokenKind;
using testing::rbac::Verdict;
using testing::rbac::verdictFor;
using testing::rbac::Who;

template <typename T>
T must(Result<T> result) {
  if (!result) {
    FAIL(result.error().describe());
  }
  return std::move(result).value();
}

void must(Result<void> result) {
  if (!result) {
    FAIL(result.error().describe());
  }
}

TenantRole roleOf(Who who) {
  switch (who) {
    case Who::kOwner:
      return TenantRole::kOwner;
    case Who::kAdmin:
      return TenantRole::kAdmin;
    case Who::kOperator:
      return TenantRole::kOperator;
    default:
      return TenantRole::kViewer;
  }
}

bool isMemberOfA(Who who) { return who != Who::kPlatformAdmin && who != Who::kOutsider; }

// Tenants A and B with a domain, a pool and an assignment to cluster "edge-main" each; one
// user per principal, members of A (and of every tenant made "like A").
class World {
 public:
  World() {
    const auto state = root_.path() / "state";
    must(initStateDir(state, VANTUS_SOURCE_DIR, "root@example.com"));
    app_ = must(ControllerApp::open(state, VANTUS_SOURCE_DIR));
    for (Who who : kEveryone) {
      users_[who] = must(app_->users().createUser(
          admin, fmt::format("{}@rbac.example", nameOf(who)), who == Who::kPlatformAdmin));
    }
    cluster = must(app_->model().createCluster(admin, "edge-main")).id;
    tenant_a = tenantLikeA("tenant-a");
    tenant_b = must(app_->model().createTenant(admin, "tenant-b", "B")).id;
    for (Id tenant : {tenant_a, tenant_b}) {
      domain_of[tenant] = freshDomain(tenant);
      pool_of[tenant] = freshPool(tenant);
      must(app_->model().assign(admin, tenant, cluster));
    }
  }

  ControllerApp& app() { return *app_; }

  std::string unique(std::string_view stem) { return fmt::format("{}-{}", stem, ++counter_); }

  Id tenantLikeA(const std::string& slug) {
    const Id id = must(app_->model().createTenant(admin, slug, "Like A")).id;
    like_a_.push_back(id);
    for (Who who : kEveryone) {
      if (isMemberOfA(who)) {
        must(app_->users().putMember(admin, id, users_.at(who).id, roleOf(who)));
      }
    }
    return id;
  }
  Id freshDomain(Id tenant) {
    Domain domain = must(parseDomainJson({{"name", unique("www") + ".rbac.example"}}));
    return must(app_->model().addDomain(admin, tenant, domain)).id;
  }
  Id freshPool(Id tenant) {
    UpstreamPool pool = must(parseUpstreamPoolJson(
        {{"name", unique("pool")}, {"targets", {{{"host", "10.0.0.5"}, {"port", 8080}}}}}));
    return must(app_->model().addPool(admin, tenant, pool)).id;
  }
  Id freshCluster() { return must(app_->model().createCluster(admin, unique("edge"))).id; }
  User freshUser() {
    return must(app_->users().createUser(admin, unique("someone") + "@rbac.example", false));
  }
  const User& user(Who who) const { return users_.at(who); }

  // What a door would hand the services for `who` holding a token of `kind`.
  Caller callerOf(Who who, TokenKind kind, const std::string& scope, Id own_tenant) const {
    Caller caller;
    caller.principal.user = users_.at(who);
    for (const std::string& each : allScopes()) {
      if (kind != TokenKind::kAllButNeeded || each != scope) {
        caller.principal.token.scopes.push_back(each);
      }
    }
    if (kind == TokenKind::kBoundOwn) {
      caller.principal.token.tenant_id = own_tenant;
    } else if (kind == TokenKind::kBoundOther) {
      caller.principal.token.tenant_id = tenant_b;
    }
    if (isMemberOfA(who)) {
      for (Id tenant : like_a_) {
        caller.principal.memberships.push_back(Membership{users_.at(who).id, tenant, roleOf(who)});
      }
    }
    caller.actor.kind = "user";
    caller.actor.name = users_.at(who).email;
    return caller;
  }

  const Caller admin = localOperator(Actor{.kind = "test", .name = "setup"});
  Id cluster = 0, tenant_a = 0, tenant_b = 0;
  std::map<Id, Id> domain_of, pool_of;

 private:
  TempDir root_;
  std::unique_ptr<ControllerApp> app_;
  std::map<Who, User> users_;
  std::vector<Id> like_a_;
  int counter_ = 0;
};

// One service operation: what it needs and how to call it on the row's tenant.
struct Operation {
  std::string name;
  std::string scope;
  Reach reach = Reach::kTenant;
  bool owner_only = false;
  bool fresh_tenant = false;  // destructive: a tenant made like A for each call
  bool also_on_b = false;     // read-only: also called on tenant B, which nobody but admins sees
  std::function<Result<void>(World&, const Caller&, Id tenant)> run;
};

template <typename T>
Result<void> done(Result<T> result) {
  if (!result) {
    return fail(result.error());
  }
  return ok();
}

std::vector<Operation> everyOperation() {
  using R = Reach;
  return {
      {"model.tenant", "tenants:read", R::kTenant, false, false, true,
       [](World& w, const Caller& c, Id t) { return done(w.app().model().tenant(c, t)); }},
      {"model.tenantBySlug", "tenants:read", R::kTenant, false, false, true,
       [](World& w, const Caller& c, Id t) {
         const std::string slug = must(w.app().model().tenant(w.admin, t)).slug;
         return done(w.app().model().tenantBySlug(c, slug));
       }},
      {"model.updateTenant", "tenants:write", R::kTenant, false, false, false,
       [](World& w, const Caller& c, Id t) {
         return done(w.app().model().updateTenant(c, t, TenantUpdate{.name = w.unique("Name")}));
       }},
      {"model.deleteTenant", "tenants:write", R::kTenant, true, true, false,
       [](World& w, const Caller& c, Id t) { return w.app().model().deleteTenant(c, t); }},
      {"model.tenantConfig", "config:read", R::kTenant, false, false, true,
       [](World& w, const Caller& c, Id t) { return done(w.app().model().tenantConfig(c, t)); }},
      {"model.domains", "config:read", R::kTenant, false, false, true,
       [](World& w, const Caller& c, Id t) { return done(w.app().model().domains(c, t)); }},
      {"model.domain", "config:read", R::kTenant, false, false, true,
       [](World& w, const Caller& c, Id t) {
         return done(w.app().model().domain(c, t, w.domain_of.at(t)));
       }},
      {"model.addDomain", "config:write", R::kTenant, false, false, false,
       [](World& w, const Caller& c, Id t) {
         Domain domain = must(parseDomainJson({{"name", w.unique("add") + ".rbac.example"}}));
         return done(w.app().model().addDomain(c, t, domain));
       }},
      {"model.updateDomain", "config:write", R::kTenant, false, false, false,
       [](World& w, const Caller& c, Id t) {
         Domain current = must(w.app().model().domain(w.admin, t, w.domain_of.at(t)));
         return done(w.app().model().updateDomain(c, t, current.id, current));
       }},
      {"model.deleteDomain", "config:write", R::kTenant, false, false, false,
       [](World& w, const Caller& c, Id t) {
         return w.app().model().deleteDomain(c, t, w.freshDomain(t));
       }},
      {"model.pools", "config:read", R::kTenant, false, false, true,
       [](World& w, const Caller& c, Id t) { return done(w.app().model().pools(c, t)); }},
      {"model.pool", "config:read", R::kTenant, false, false, true,
       [](World& w, const Caller& c, Id t) {
         return done(w.app().model().pool(c, t, w.pool_of.at(t)));
       }},
      {"model.addPool", "config:write", R::kTenant, false, false, false,
       [](World& w, const Caller& c, Id t) {
         UpstreamPool pool = must(parseUpstreamPoolJson(
             {{"name", w.unique("add")}, {"targets", {{{"host", "10.0.0.6"}, {"port", 80}}}}}));
         return done(w.app().model().addPool(c, t, pool));
       }},
      {"model.updatePool", "config:write", R::kTenant, false, false, false,
       [](World& w, const Caller& c, Id t) {
         UpstreamPool current = must(w.app().model().pool(w.admin, t, w.pool_of.at(t)));
         return done(w.app().model().updatePool(c, t, current.id, current));
       }},
      {"model.deletePool", "config:write", R::kTenant, false, false, false,
       [](World& w, const Caller& c, Id t) {
         return w.app().model().deletePool(c, t, w.freshPool(t));
       }},
      {"model.policy", "config:read", R::kTenant, false, false, true,
       [](World& w, const Caller& c, Id t) { return done(w.app().model().policy(c, t)); }},
      {"model.putPolicy", "config:write", R::kTenant, false, false, false,
       [](World& w, const Caller& c, Id t) {
         return done(w.app().model().putPolicy(c, t, EdgePolicy{}));
       }},
      {"model.clustersOfTenant", "config:read", R::kTenant, false, false, true,
       [](World& w, const Caller& c, Id t) {
         return done(w.app().model().clustersOfTenant(c, t));
       }},
      {"model.assignment", "config:read", R::kTenant, false, false, true,
       [](World& w, const Caller& c, Id t) {
         return done(w.app().model().assignment(c, t, w.cluster));
       }},
      {"model.assign", "config:write", R::kTenant, false, false, false,
       [](World& w, const Caller& c, Id t) {
         return done(w.app().model().assign(c, t, w.freshCluster()));
       }},
      {"model.unassign", "config:write", R::kTenant, false, false, false,
       [](World& w, const Caller& c, Id t) {
         const Id cluster = w.freshCluster();
         must(w.app().model().assign(w.admin, t, cluster));
         return w.app().model().unassign(c, t, cluster);
       }},
      {"users.members", "tenants:read", R::kTenant, false, false, true,
       [](World& w, const Caller& c, Id t) { return done(w.app().users().members(c, t)); }},
      {"users.member", "tenants:read", R::kTenant, false, false, false,
       [](World& w, const Caller& c, Id t) {
         return done(w.app().users().member(c, t, w.user(Who::kOwner).id));
       }},
      {"users.putMember", "tenants:write", R::kTenant, false, false, false,
       [](World& w, const Caller& c, Id t) {
         User someone = w.freshUser();
         return done(
             w.app().users().putMember(c, t, someone.id, TenantRole::kViewer, someone.email));
       }},
      {"users.removeMember", "tenants:write", R::kTenant, false, false, false,
       [](World& w, const Caller& c, Id t) {
         User someone = w.freshUser();
         must(w.app().users().putMember(w.admin, t, someone.id, TenantRole::kViewer));
         return w.app().users().removeMember(c, t, someone.id);
       }},
      {"users.inviteMember", "tenants:write", R::kTenant, false, false, false,
       [](World& w, const Caller& c, Id t) {
         return done(w.app().users().inviteMember(c, t, w.unique("invitee") + "@rbac.example",
                                                  TenantRole::kViewer));
       }},
      {"users.resendInvitation", "tenants:write", R::kTenant, false, false, false,
       [](World& w, const Caller& c, Id t) {
         const std::string email = w.unique("invitee") + "@rbac.example";
         Invitation first =
             must(w.app().users().inviteMember(w.admin, t, email, TenantRole::kViewer));
         return done(w.app().users().resendInvitation(c, t, first.membership.user_id));
       }},
      {"audit.entries of a tenant", "audit:read", R::kTenant, false, false, true,
       [](World& w, const Caller& c, Id t) {
         return done(w.app().audit().entries(c, AuditFilter{.tenant_id = t}, 0, 10));
       }},
      {"model.createTenant", "tenants:write", R::kPlatform, false, false, false,
       [](World& w, const Caller& c, Id) {
         return done(w.app().model().createTenant(c, w.unique("new"), "New"));
       }},
      {"model.createCluster", "edges:write", R::kPlatform, false, false, false,
       [](World& w, const Caller& c, Id) {
         return done(w.app().model().createCluster(c, w.unique("new")));
       }},
      {"model.cluster", "edges:read", R::kPlatform, false, false, false,
       [](World& w, const Caller& c, Id) { return done(w.app().model().cluster(c, w.cluster)); }},
      {"model.clusterByName", "edges:read", R::kPlatform, false, false, false,
       [](World& w, const Caller& c, Id) {
         return done(w.app().model().clusterByName(c, "edge-main"));
       }},
      {"model.clusters", "edges:read", R::kPlatform, false, false, false,
       [](World& w, const Caller& c, Id) { return done(w.app().model().clusters(c)); }},
      {"model.deleteCluster", "edges:write", R::kPlatform, false, false, false,
       [](World& w, const Caller& c, Id) {
         return w.app().model().deleteCluster(c, w.freshCluster());
       }},
      {"fleet.createEnrollmentToken", "edges:write", R::kPlatform, false, false, false,
       [](World& w, const Caller& c, Id) {
         return done(
             w.app().fleet().createEnrollmentToken(c, "edge-main", std::chrono::minutes(10)));
       }},
      {"fleet.nodes", "edges:read", R::kPlatform, false, false, false,
       [](World& w, const Caller& c, Id) { return done(w.app().fleet().nodes(c, std::nullopt)); }},
      {"users.createUser", "users:admin", R::kPlatform, false, false, false,
       [](World& w, const Caller& c, Id) {
         return done(w.app().users().createUser(c, w.unique("new") + "@rbac.example", false));
       }},
      {"users.user", "users:admin", R::kPlatform, false, false, false,
       [](World& w, const Caller& c, Id) {
         return done(w.app().users().user(c, w.user(Who::kViewer).id));
       }},
      {"users.users", "users:admin", R::kPlatform, false, false, false,
       [](World& w, const Caller& c, Id) { return done(w.app().users().users(c, 0, 10)); }},
      {"users.updateUser", "users:admin", R::kPlatform, false, false, false,
       [](World& w, const Caller& c, Id) {
         return done(w.app().users().updateUser(c, w.freshUser().id, UserUpdate{.disabled = true}));
       }},
      {"users.deleteUser", "users:admin", R::kPlatform, false, false, false,
       [](World& w, const Caller& c, Id) {
         return w.app().users().deleteUser(c, w.freshUser().id);
       }},
      {"audit.entries of the platform", "audit:read", R::kPlatform, false, false, false,
       [](World& w, const Caller& c, Id) {
         return done(w.app().audit().entries(c, AuditFilter{}, 0, 10));
       }},
      {"audit.firstBrokenLink", "audit:read", R::kPlatform, false, false, false,
       [](World& w, const Caller& c, Id) { return done(w.app().audit().firstBrokenLink(c)); }},
      {"tokens.list", "", R::kSelf, false, false, false,
       [](World& w, const Caller& c, Id) { return done(w.app().tokens().list(c)); }},
  };
}

Result<Verdict> verdictOf(const Result<void>& answer) {
  if (answer) {
    return Verdict::kAllowed;
  }
  if (answer.error().code == ErrorCode::kPermissionDenied) {
    return Verdict::kForbidden;
  }
  if (answer.error().code == ErrorCode::kNotFound) {
    return Verdict::kNotFound;
  }
  return fail(answer.error());
}

std::string_view verdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kAllowed:
      return "allowed";
    case Verdict::kForbidden:
      return "forbidden";
    case Verdict::kNotFound:
      return "not found";
  }
  return "?";
}

TEST_CASE("every service operation × principal × token kind answers as docs/rbac.md says") {
  World world;
  std::size_t calls = 0;
  std::vector<std::string> wrong;
  for (const Operation& operation : everyOperation()) {
    for (const bool on_own_tenant : {true, false}) {
      if (!on_own_tenant && !operation.also_on_b) {
        continue;
      }
      for (Who who : kEveryone) {
        for (TokenKind kind : kEveryTokenKind) {
          const Id own =
              operation.fresh_tenant ? world.tenantLikeA(world.unique("fresh")) : world.tenant_a;
          const Id target = on_own_tenant ? own : world.tenant_b;
          const Caller caller = world.callerOf(who, kind, operation.scope, own);
          const Verdict expected = verdictFor(who, kind, operation.scope, operation.reach,
                                              on_own_tenant, operation.owner_only);
          Result<Verdict> got = verdictOf(operation.run(world, caller, target));
          ++calls;
          if (!got || *got != expected) {
            wrong.push_back(
                fmt::format("{} on {} as {} with a {} token: expected {}, got {}", operation.name,
                            on_own_tenant ? "its tenant" : "tenant B", nameOf(who), nameOf(kind),
                            verdictName(expected),
                            got ? std::string(verdictName(*got)) : got.error().describe()));
          }
        }
      }
    }
  }
  for (const std::string& line : wrong) {
    INFO(line);
    CHECK(false);
  }
  MESSAGE(fmt::format("{} service calls checked", calls));
  CHECK(calls > 1000);
  CHECK(wrong.empty());
}

}  // namespace
}  // namespace vantus::controller

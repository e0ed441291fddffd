// The pre-check against the real nginx: what it accepts, what it refuses and how the
// persistent sandbox follows a cluster's tree from one check to the next.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "controller/deploy/precheck.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/controller/deploy/precheck_fixture.h"

namespace vantus::controller {
namespace {

namespace fs = std::filesystem;
using vantus::testing::TempDir;
constexpr const char* kNginx = "/usr/sbin/nginx";

#define SKIP_WITHOUT_NGINX()                        \
  if (!fs::exists(kNginx)) {                        \
    MESSAGE("skipped: " << kNginx << " is absent"); \
    return;                                         \
  }

struct Fixture {
  TempDir dir;
  std::unique_ptr<ProcessRunner> runner = makeSystemProcessRunner();
  std::unique_ptr<Precheck> precheck = make();

  std::unique_ptr<Precheck> make() {
    return makeNginxPrecheck(
        NginxPrecheckOptions{.nginx_binary = kNginx, .work_dir = dir.path() / "precheck"}, *runner);
  }
  fs::path release(const std::string& cluster) const {
    return dir.path() / "precheck" / cluster / "release";
  }
};

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string describe(const Result<void>& result) {
  return result ? std::string("ok") : result.error().describe();
}

// A tenant file that nginx refuses on its second line.
ClusterFile brokenTenant(const std::string& slug) {
  return {testing::tenantPath(slug), "# broken\nserver {\n    bogus_directive on;\n}\n"};
}

TEST_CASE("nginx accepts a rendered cluster tree") {
  SKIP_WITHOUT_NGINX();
  Fixture f;
  auto tree = testing::renderTree(
      "edge-a", {testing::plainTenant("acme"), testing::plainTenant("globex", "localhost"),
                 testing::tlsTenant("initech")});
  auto checked = f.precheck->check("edge-a", tree);
  CHECK_MESSAGE(checked.has_value(), describe(checked));
}

TEST_CASE("a syntax error is reported with the file as clusters/<cluster>/...") {
  SKIP_WITHOUT_NGINX();
  Fixture f;
  auto tree = testing::renderTree("edge-a", {testing::plainTenant("acme")});
  tree.push_back(brokenTenant("broken"));

  auto checked = f.precheck->check("edge-a", tree);

  REQUIRE_FALSE(checked.has_value());
  CHECK(checked.error().code == ErrorCode::kFailedPrecondition);
  const std::string& message = checked.error().message;
  CHECK_MESSAGE(message.find("unknown directive \"bogus_directive\"") != std::string::npos,
                message);
  CHECK_MESSAGE(
      message.find("clusters/edge-a/" + testing::tenantPath("broken") + ":3") != std::string::npos,
      message);
  CHECK_MESSAGE(message.find(f.dir.path().string()) == std::string::npos, message);
}

TEST_CASE("an upstream host that does not resolve is refused") {
  SKIP_WITHOUT_NGINX();
  Fixture f;
  auto tree = testing::renderTree("edge-a", {testing::plainTenant("acme"),
                                             testing::plainTenant("lost", "nonexistent.invalid")});

  auto checked = f.precheck->check("edge-a", tree);

  REQUIRE_FALSE(checked.has_value());
  CHECK(checked.error().code == ErrorCode::kFailedPrecondition);
  CHECK_MESSAGE(checked.error().message.find("host not found in upstream "
                                             "\"nonexistent.invalid:8080\"") != std::string::npos,
                checked.error().message);
  CHECK(checked.error().message.find("clusters/edge-a/" + testing::tenantPath("lost")) !=
        std::string::npos);
}

TEST_CASE("TLS tenants get a certificate that nginx loads") {
  SKIP_WITHOUT_NGINX();
  Fixture f;
  auto tree =
      testing::renderTree("edge-a", {testing::tlsTenant("secure"), testing::tlsTenant("bank")});
  auto checked = f.precheck->check("edge-a", tree);
  CHECK_MESSAGE(checked.has_value(), describe(checked));

  fs::path tls = f.release("edge-a") / "local/tls";
  std::string cert = readText(tls / "secure.crt");
  CHECK(cert.starts_with("-----BEGIN CERTIFICATE-----"));
  CHECK(readText(tls / "bank.crt") == cert);
  CHECK(readText(tls / "bank.key").starts_with("-----BEGIN PRIVATE KEY-----"));

  // Without the certificate nginx refuses the same tree: the pair is what made it pass.
  fs::remove(tls / "bank.crt");
  auto runner = makeSystemProcessRunner();
  auto direct =
      runner->run({.argv = {kNginx, "-t", "-q", "-p", (f.dir.path() / "precheck/edge-a/").string(),
                            "-c", (f.release("edge-a") / "nginx.conf").string()}});
  REQUIRE(direct);
  CHECK(direct->exit_code != 0);
  CHECK(direct->stderr_text.find("bank.crt") != std::string::npos);
}

TEST_CASE("later checks rewrite changed files only and delete removed tenants") {
  SKIP_WITHOUT_NGINX();
  Fixture f;
  std::vector<TenantConfig> tenants = {testing::plainTenant("acme"), testing::plainTenant("globex"),
                                       testing::tlsTenant("initech")};
  auto tree = testing::renderTree("edge-a", tenants);
  tree.push_back(brokenTenant("broken"));
  REQUIRE_FALSE(f.precheck->check("edge-a", tree).has_value());
  fs::path broken_file = f.release("edge-a") / testing::tenantPath("broken");
  CHECK(fs::exists(broken_file));

  // A removed broken tenant makes the check pass again: its file is gone from the sandbox.
  tree.pop_back();
  auto passed = f.precheck->check("edge-a", tree);
  CHECK_MESSAGE(passed.has_value(), describe(passed));
  CHECK_FALSE(fs::exists(broken_file));

  // Unchanged content is not rewritten: a mark left in the sandbox survives the next check.
  fs::path acme_file = f.release("edge-a") / testing::tenantPath("acme");
  fs::path globex_file = f.release("edge-a") / testing::tenantPath("globex");
  std::ofstream(acme_file, std::ios::app) << "# untouched\n";
  std::ofstream(globex_file, std::ios::app) << "# untouched\n";
  tenants[1].domains[0].name = "globex.example.org";
  tree = testing::renderTree("edge-a", tenants);
  passed = f.precheck->check("edge-a", tree);
  CHECK_MESSAGE(passed.has_value(), describe(passed));
  CHECK(readText(acme_file).ends_with("# untouched\n"));
  std::string globex = readText(globex_file);
  CHECK(globex.find("# untouched") == std::string::npos);
  CHECK(globex.find("globex.example.org") != std::string::npos);

  // A tenant leaving takes its certificate pair with it.
  tenants.pop_back();
  passed = f.precheck->check("edge-a", testing::renderTree("edge-a", tenants));
  CHECK_MESSAGE(passed.has_value(), describe(passed));
  CHECK_FALSE(fs::exists(f.release("edge-a") / "local/tls/initech.crt"));
  CHECK_FALSE(fs::exists(f.release("edge-a") / testing::tenantPath("initech")));
}

TEST_CASE("a new pre-check object starts from a clean sandbox") {
  SKIP_WITHOUT_NGINX();
  Fixture f;
  auto tree = testing::renderTree("edge-a", {testing::plainTenant("acme")});
  REQUIRE(f.precheck->check("edge-a", tree));
  // Left behind by an earlier process: nginx would include it through tenants/*/*.conf.
  ClusterFile stale = brokenTenant("stale");
  fs::create_directories((f.release("edge-a") / stale.path).parent_path());
  std::ofstream(f.release("edge-a") / stale.path) << stale.content;

  auto restarted = f.make();
  auto checked = restarted->check("edge-a", tree);
  CHECK_MESSAGE(checked.has_value(), describe(checked));
  CHECK_FALSE(fs::exists(f.release("edge-a") / stale.path));
}

TEST_CASE("clusters have separate sandboxes") {
  SKIP_WITHOUT_NGINX();
  Fixture f;
  auto good = testing::renderTree("edge-a", {testing::plainTenant("acme")});
  auto bad = testing::renderTree("edge-b", {testing::plainTenant("acme")});
  bad.push_back(brokenTenant("broken"));

  auto checked_bad = f.precheck->check("edge-b", bad);
  REQUIRE_FALSE(checked_bad.has_value());
  CHECK(checked_bad.error().message.find("clusters/edge-b/") != std::string::npos);
  CHECK(f.precheck->check("edge-a", good));
  CHECK_FALSE(f.precheck->check("edge-b", bad).has_value());
}

}  // namespace
}  // namespace vantus::controller

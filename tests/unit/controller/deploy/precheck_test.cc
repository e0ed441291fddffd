// The pre-check's contract without nginx: argument checks, the timeout path and how
// nginx's message is presented, with a FakeProcessRunner.
#include "controller/deploy/precheck.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "tests/support/fake_process_runner.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/controller/deploy/precheck_fixture.h"

namespace vantus::controller {
namespace {

namespace fs = std::filesystem;
using vantus::testing::FakeProcessRunner;
using vantus::testing::TempDir;

NginxPrecheckOptions options(const TempDir& dir) {
  return NginxPrecheckOptions{.nginx_binary = "/opt/test/nginx",
                              .work_dir = dir.path() / "precheck",
                              .timeout = std::chrono::milliseconds(1500)};
}

TEST_CASE("a timed-out nginx -t is kUnavailable, not a refusal") {
  TempDir dir;
  FakeProcessRunner nginx;
  nginx.onCommand("nginx -t", {.exit_code = -1, .timed_out = true});
  auto precheck = makeNginxPrecheck(options(dir), nginx);

  auto checked = precheck->check("edge-a", testing::renderTree("edge-a", {}));

  REQUIRE_FALSE(checked.has_value());
  CHECK(checked.error().code == ErrorCode::kUnavailable);
  CHECK(checked.error().message.find("did not finish within 1500 ms") != std::string::npos);
  auto calls = nginx.calls();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].timeout == std::chrono::milliseconds(1500));
}

TEST_CASE("nginx runs on the sandbox without a shell, with its own prefix and error log") {
  TempDir dir;
  FakeProcessRunner nginx;
  auto precheck = makeNginxPrecheck(options(dir), nginx);

  REQUIRE(precheck->check("edge-a", testing::renderTree("edge-a", {})));

  auto calls = nginx.calls();
  REQUIRE(calls.size() == 1);
  fs::path sandbox = dir.path() / "precheck" / "edge-a";
  CHECK(calls[0].argv == std::vector<std::string>{"/opt/test/nginx", "-t", "-q", "-p",
                                                  sandbox.string() + "/", "-e",
                                                  (sandbox / "error.log").string(), "-c",
                                                  (sandbox / "release/nginx.conf").string()});
  CHECK(fs::exists(sandbox / "release/nginx.conf"));
  CHECK(fs::exists(sandbox / "release/local/listen-https.conf"));
  CHECK(fs::is_directory(sandbox / "run"));
}

TEST_CASE("nginx's message names files as clusters/<cluster>/... and is trimmed") {
  TempDir dir;
  FakeProcessRunner nginx;
  fs::path release = dir.path() / "precheck" / "edge-a" / "release";
  std::string noise;
  for (int i = 0; i < 200; ++i) {
    noise += "nginx: [warn] something repeated " + std::to_string(i) + "\n";
  }
  nginx.onCommand("nginx -t",
                  {.exit_code = 1,
                   .stderr_text = "nginx: [emerg] unknown directive \"bogus\" in " +
                                  release.string() + "/tenants/ab/acme.conf:12\n" + noise});
  auto precheck = makeNginxPrecheck(options(dir), nginx);

  auto checked = precheck->check("edge-a", testing::renderTree("edge-a", {}));

  REQUIRE_FALSE(checked.has_value());
  CHECK(checked.error().code == ErrorCode::kFailedPrecondition);
  const std::string& message = checked.error().message;
  CHECK(message.starts_with(
      "nginx: [emerg] unknown directive \"bogus\" in clusters/edge-a/tenants/ab/acme.conf:12\n"));
  CHECK(message.find(dir.path().string()) == std::string::npos);
  CHECK(message.size() < 4200);
  CHECK(message.ends_with("[... more output cut]"));
}

TEST_CASE("a failure without output still explains itself") {
  TempDir dir;
  FakeProcessRunner nginx;
  nginx.onCommand("nginx -t", {.exit_code = 2});
  auto precheck = makeNginxPrecheck(options(dir), nginx);
  auto checked = precheck->check("edge-a", testing::renderTree("edge-a", {}));
  REQUIRE_FALSE(checked.has_value());
  CHECK(checked.error().code == ErrorCode::kFailedPrecondition);
  CHECK(checked.error().message.find("exit code 2") != std::string::npos);
}

TEST_CASE("an nginx that cannot be started is kUnavailable") {
  TempDir dir;
  auto runner = makeSystemProcessRunner();
  NginxPrecheckOptions settings = options(dir);
  settings.nginx_binary = "/nonexistent/sbin/nginx";
  auto precheck = makeNginxPrecheck(settings, *runner);
  auto checked = precheck->check("edge-a", testing::renderTree("edge-a", {}));
  REQUIRE_FALSE(checked.has_value());
  CHECK(checked.error().code == ErrorCode::kUnavailable);
  CHECK(checked.error().message.find("/nonexistent/sbin/nginx") != std::string::npos);
}

TEST_CASE("bad cluster names and paths are refused before anything runs") {
  TempDir dir;
  FakeProcessRunner nginx;
  auto precheck = makeNginxPrecheck(options(dir), nginx);
  std::vector<ClusterFile> tree = testing::renderTree("edge-a", {});

  for (std::string_view cluster : {"", "Edge-A", "edge_a", "../edge", "edge a", "-edge"}) {
    auto checked = precheck->check(cluster, tree);
    REQUIRE_FALSE(checked.has_value());
    CHECK(checked.error().code == ErrorCode::kInvalidInput);
    CHECK(checked.error().field == "cluster");
  }
  for (std::string path : {"local/main.conf", "/etc/passwd", "tenants/../../x.conf", "a b"}) {
    std::vector<ClusterFile> bad = tree;
    bad.push_back({path, "# x\n"});
    auto checked = precheck->check("edge-a", bad);
    REQUIRE_FALSE(checked.has_value());
    CHECK(checked.error().code == ErrorCode::kInvalidInput);
    CHECK(checked.error().field == path);
  }
  std::vector<ClusterFile> twice = tree;
  twice.push_back(tree.back());
  CHECK(precheck->check("edge-a", twice).error().code == ErrorCode::kInvalidInput);
  std::vector<ClusterFile> headless(tree.begin() + 1, tree.end());
  CHECK(precheck->check("edge-a", headless).error().code == ErrorCode::kInvalidInput);

  CHECK(nginx.calls().empty());
  CHECK_FALSE(fs::exists(dir.path() / "precheck" / "edge_a"));
}

TEST_CASE("a tree referencing certificates gets one shared self-signed pair") {
  TempDir dir;
  FakeProcessRunner nginx;
  auto precheck = makeNginxPrecheck(options(dir), nginx);
  REQUIRE(precheck->check(
      "edge-a", testing::renderTree("edge-a", {testing::tlsTenant("one"), testing::tlsTenant("two"),
                                               testing::plainTenant("three")})));
  fs::path tls = dir.path() / "precheck/edge-a/release/local/tls";
  CHECK(fs::exists(tls / "one.crt"));
  CHECK(fs::exists(tls / "one.key"));
  CHECK(fs::exists(tls / "two.crt"));
  CHECK_FALSE(fs::exists(tls / "three.crt"));
  auto status = fs::status(tls / "one.key");
  CHECK((status.permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
}

TEST_CASE("the skipped pre-check accepts anything") {
  auto precheck = makeSkippedPrecheck();
  CHECK(precheck->check("edge-a", {}));
  CHECK(precheck->check("whatever", {{"nginx.conf", "not nginx at all {"}}));
}

}  // namespace
}  // namespace vantus::controller

// checkChanges(): the tree is loaded once; later checks on the tree the sandbox holds undo the
// previous changes and write only the new ones.
#include <doctest/doctest.h>

#include <filesystem>

#include "common/core/files.h"
#include "controller/deploy/precheck.h"
#include "tests/support/fake_process_runner.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/controller/deploy/precheck_fixture.h"

namespace vantus::controller {
namespace {

namespace fs = std::filesystem;
using vantus::testing::FakeProcessRunner;
using vantus::testing::TempDir;

TEST_CASE("checkChanges loads the base tree once and undoes what a failed check changed") {
  TempDir dir;
  FakeProcessRunner nginx;
  auto precheck = makeNginxPrecheck(
      NginxPrecheckOptions{.nginx_binary = "/opt/test/nginx", .work_dir = dir.path() / "pc"},
      nginx);
  const auto tree = testing::renderTree("edge-a", {testing::plainTenant("acme")});
  int loads = 0;
  auto load = [&]() -> Result<std::vector<ClusterFile>> {
    ++loads;
    return tree;
  };
  const fs::path release = dir.path() / "pc" / "edge-a" / "release";
  const std::string acme = testing::tenantPath("acme");

  REQUIRE(
      precheck->checkChanges("edge-a", "tree-1", {{"extra.conf", std::string("# one\n")}}, load));
  CHECK(loads == 1);
  CHECK(fs::exists(release / "extra.conf"));

  // Same base: the previous change is undone, the new one applied, nothing reloaded.
  REQUIRE(precheck->checkChanges("edge-a", "tree-1", {{acme, std::nullopt}}, load));
  CHECK(loads == 1);
  CHECK_FALSE(fs::exists(release / "extra.conf"));
  CHECK_FALSE(fs::exists(release / acme));

  // Committed: the sandbox now is tree-2 (= tree-1 without acme), a check on it reloads nothing.
  precheck->committed("edge-a", "tree-1", "tree-2");
  REQUIRE(
      precheck->checkChanges("edge-a", "tree-2", {{"more.conf", std::string("# two\n")}}, load));
  CHECK(loads == 1);
  CHECK_FALSE(fs::exists(release / acme));
  CHECK(fs::exists(release / "more.conf"));

  // Another base (another process moved the cluster): the whole tree again.
  REQUIRE(precheck->checkChanges("edge-a", "tree-9", {}, load));
  CHECK(loads == 2);
  CHECK(fs::exists(release / acme));
  CHECK_FALSE(fs::exists(release / "more.conf"));
  CHECK(nginx.calls().size() == 4);
}

TEST_CASE("checkChanges refuses unsafe paths and a tree left without nginx.conf") {
  TempDir dir;
  FakeProcessRunner nginx;
  auto precheck = makeNginxPrecheck(
      NginxPrecheckOptions{.nginx_binary = "/opt/test/nginx", .work_dir = dir.path() / "pc"},
      nginx);
  auto load = [] { return Result<std::vector<ClusterFile>>(std::vector<ClusterFile>{}); };
  auto unsafe = precheck->checkChanges("edge-a", "", {{"../x.conf", std::string("#")}}, load);
  REQUIRE_FALSE(unsafe);
  CHECK(unsafe.error().code == ErrorCode::kInvalidInput);
  CHECK(unsafe.error().field == "../x.conf");
  auto empty = precheck->checkChanges("edge-a", "", {{"a.conf", std::string("#")}}, load);
  REQUIRE_FALSE(empty);
  CHECK(empty.error().code == ErrorCode::kInvalidInput);
  CHECK(nginx.calls().empty());
}

}  // namespace
}  // namespace vantus::controller

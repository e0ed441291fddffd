#include <doctest/doctest.h>

// Applier::reconcile() at start-up: whatever a kill -9 left behind, `current` ends up on the
// release state.json trusts and nginx runs it.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "agent/apply/applier.h"
#include "agent/apply/release_dirs.h"
#include "tests/unit/agent/apply/applier_fixture.h"

namespace vantus::agent {
namespace {

namespace fs = std::filesystem;
using testing::acmeFiles;
using testing::Edge;
using testing::resultOf;
using testing::twoTenantFiles;

std::string applied(Edge& edge, std::uint64_t version) {
  const ApplyOutcome outcome = edge.apply(edge.sign(version, acmeFiles()));
  REQUIRE_MESSAGE(resultOf(outcome) == "applied", outcome.reason);
  return edge.current().value_or("");
}

// What a kill -9 right after the swap of `version` leaves: its dir in place, `current` on it,
// state.json still naming the previous release. Returns the new dir's name.
std::string crashAfterSwap(Edge& edge, std::uint64_t version) {
  ReleaseDirs dirs(edge.layout.releases, edge.layout.current, {});
  nginx::NginxLocalSettings local = edge.options.local;
  local.release_version = version;
  auto staged = dirs.stage(edge.verify(edge.sign(version, twoTenantFiles())), local);
  REQUIRE_MESSAGE(staged, (staged ? "" : staged.error().describe()));
  REQUIRE(dirs.pointCurrentAt(*staged));
  REQUIRE(edge.current() == *staged);
  return *staged;
}

// Half-written stage dirs and temporary symlinks, as a kill -9 during a stage or a swap leaves.
void leaveLeftovers(Edge& edge, const std::string& release) {
  fs::create_directories(edge.layout.releases / ".stage-0badc0ffee00" / "tenants");
  std::ofstream(edge.layout.releases / ".stage-0badc0ffee00" / "nginx.conf") << "half";
  fs::create_directory_symlink(fs::path("releases") / release,
                               edge.layout.root / ".current-0123456789ab");
}

TEST_CASE("an unconfirmed swap is reverted to the trusted release and nginx reloaded onto it") {
  Edge edge;
  const std::string trusted = applied(edge, 1);
  const AgentState before = edge.saved();
  const std::string crashed = crashAfterSwap(edge, 2);
  leaveLeftovers(edge, crashed);
  const size_t reloads = edge.nginx.reloadCount();

  Applier& restarted = edge.restart();
  auto reconciled = restarted.reconcile();

  REQUIRE_MESSAGE(reconciled, (reconciled ? "" : reconciled.error().describe()));
  CHECK(edge.current() == trusted);
  REQUIRE(edge.nginx.reloadCount() == reloads + 1);
  CHECK(edge.nginx.reloads.back() == trusted);
  CHECK(edge.prober.confirmed.back() == 1);
  CHECK(edge.saved() == before);
  CHECK(restarted.state() == before);
  CHECK(edge.logged("agent.unconfirmed_swap_reverted"));
  // The leftovers are gone; the complete but unconfirmed dir is an ordinary old release now.
  CHECK_FALSE(fs::exists(edge.layout.releases / ".stage-0badc0ffee00"));
  CHECK_FALSE(fs::is_symlink(edge.layout.root / ".current-0123456789ab"));
  CHECK(edge.logged("agent.leftovers_removed"));
  for (const std::string& name : edge.releaseDirs()) {
    CHECK_FALSE(name.starts_with("."));
  }
  for (const auto& entry : fs::directory_iterator(edge.layout.root)) {
    CHECK_FALSE(entry.path().filename().string().starts_with(".current-"));
  }
  // And the applier carries on from the trusted release.
  REQUIRE(restarted.servingManifest());
  CHECK(restarted.servingManifest()->version == 1);
  const ApplyOutcome next = edge.apply(edge.sign(3, acmeFiles()));
  CHECK_MESSAGE(resultOf(next) == "applied", next.reason);
}

TEST_CASE("a clean start with nginx running changes nothing and reloads nothing") {
  Edge edge;
  const std::string trusted = applied(edge, 1);
  const size_t reloads = edge.nginx.reloadCount();
  const size_t confirms = edge.prober.confirmed.size();
  const AgentState before = edge.saved();

  REQUIRE(edge.restart().reconcile());

  CHECK(edge.current() == trusted);
  CHECK(edge.nginx.reloadCount() == reloads);
  CHECK(edge.prober.confirmed.size() == confirms);
  CHECK(edge.saved() == before);
  CHECK(edge.applier->state() == before);
  CHECK(edge.releaseDirs() == std::vector<std::string>{trusted});
}

TEST_CASE("a start with no nginx master starts it on the trusted release and confirms it") {
  Edge edge;
  const std::string trusted = applied(edge, 1);
  edge.nginx.master_running = false;  // e.g. after a reboot

  REQUIRE(edge.restart().reconcile());

  CHECK(edge.nginx.reloads.back() == trusted);
  CHECK(edge.nginx.master_running);
  CHECK(edge.prober.confirmed.back() == 1);
}

TEST_CASE("a crash during a first release keeps it serving: nothing older exists") {
  Edge edge;
  const std::string crashed = crashAfterSwap(edge, 1);
  edge.nginx.master_running = false;

  REQUIRE(edge.restart().reconcile());

  CHECK(edge.current() == crashed);
  CHECK(edge.nginx.reloads == std::vector<std::string>{crashed});
  CHECK(edge.prober.confirmed.empty());  // no trusted version to confirm
  CHECK(edge.logged("agent.unconfirmed_first_release"));
  CHECK(edge.saved().version == 0);
}

TEST_CASE("a failing reload during reconcile is reported") {
  Edge edge;
  applied(edge, 1);
  crashAfterSwap(edge, 2);
  edge.nginx.reload_failures = 1;

  auto reconciled = edge.restart().reconcile();

  REQUIRE_FALSE(reconciled);
  CHECK(reconciled.error().code == ErrorCode::kUnavailable);
}

TEST_CASE("a corrupt state.json is an error, not an empty state") {
  Edge edge;
  applied(edge, 1);
  std::ofstream(edge.layout.state, std::ios::trunc) << "{\"version\":";

  auto reconciled = edge.restart().reconcile();

  REQUIRE_FALSE(reconciled);
  CHECK(reconciled.error().code == ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace vantus::agent

namespace vantus::agent {
namespace {

// A real kill -9 through the fault hook: a child process applies with crash_at set and dies by
// SIGKILL at that point, leaving on disk what the agent would leave.
void applyKilledAt(Edge& edge, const std::string& point, const release::SignedRelease& release) {
  const release::VerifiedRelease verified = edge.verify(release);
  edge.options.crash_at = point;
  Applier& doomed = edge.restart();
  REQUIRE(doomed.reconcile());
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    (void)doomed.apply(verified, release.bundle);
    ::_exit(0);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(WTERMSIG(status) == SIGKILL);
  edge.options.crash_at.clear();
}

TEST_CASE("a bundle saved by an apply killed before its commit is removed at the next start") {
  Edge edge;
  applied(edge, 1);
  const std::string serving_bundle = edge.saved().digest + ".bundle";
  for (const std::string point : {"after-stage", "after-swap", "after-reload"}) {
    CAPTURE(point);
    const release::SignedRelease doomed = edge.sign(2, twoTenantFiles());
    applyKilledAt(edge, point, doomed);
    std::vector<std::string> left{doomed.digest + ".bundle", serving_bundle};
    std::sort(left.begin(), left.end());
    REQUIRE(edge.bundleFiles() == left);

    REQUIRE(edge.restart().reconcile());

    CHECK(edge.bundleFiles() == std::vector<std::string>{serving_bundle});
    CHECK(edge.logged("agent.stale_bundles_removed"));
    CHECK(edge.saved().version == 1);
  }
  // A newer release than the one killed wins; only its own bundle remains.
  const release::SignedRelease newer = edge.sign(3, acmeFiles());
  REQUIRE(resultOf(edge.apply(newer)) == "applied");
  CHECK(edge.bundleFiles() == std::vector<std::string>{newer.digest + ".bundle"});
}

TEST_CASE("the start keeps the serving bundle and removes a half-written temporary one") {
  Edge edge;
  applied(edge, 1);
  const std::string serving_bundle = edge.saved().digest + ".bundle";
  std::ofstream(edge.layout.bundles / (serving_bundle + ".tmp.4242")) << "half";

  REQUIRE(edge.restart().reconcile());

  CHECK(edge.bundleFiles() == std::vector<std::string>{serving_bundle});
  REQUIRE(edge.applier->servingManifest());
}

}  // namespace
}  // namespace vantus::agent

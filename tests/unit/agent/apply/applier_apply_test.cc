#include <doctest/doctest.h>

// Applier::apply() as a state machine: stage -> nginx -t -> swap -> reload -> confirm -> probe
// -> commit, and what each failure leaves on disk. nginx and the prober are fakes; the release
// dirs, the `current` symlink, state.json and the kept bundles are real.
#include <filesystem>
#include <string>
#include <vector>

#include "agent/apply/applier.h"
#include "tests/unit/agent/apply/applier_fixture.h"

namespace vantus::agent {
namespace {

namespace fs = std::filesystem;
using testing::acmeFiles;
using testing::contentOf;
using testing::Edge;
using testing::kDay;
using testing::kNow;
using testing::resultOf;
using testing::twoTenantFiles;

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// Applies `version` and requires it to succeed; returns its release dir name.
std::string applied(Edge& edge, std::uint64_t version,
                    std::vector<release::BundleFile> files = acmeFiles()) {
  const ApplyOutcome outcome = edge.apply(edge.sign(version, std::move(files)));
  REQUIRE_MESSAGE(outcome.result == release::ApplyResult::kApplied, outcome.reason);
  REQUIRE(edge.current());
  return *edge.current();
}

TEST_CASE("a first release is staged, tested, swapped in, reloaded, confirmed and committed") {
  Edge edge;
  const release::SignedRelease release = edge.sign(1, acmeFiles());

  const ApplyOutcome outcome = edge.apply(release);

  CHECK_MESSAGE(resultOf(outcome) == "applied", outcome.reason);
  CHECK(outcome.version == 1);
  CHECK(outcome.serving_version == 1);
  CHECK(outcome.digest == release.digest);
  CHECK(outcome.reason.empty());
  for (const char* step : {"stage", "test", "swap", "reload", "confirm", "probe"}) {
    CHECK_MESSAGE(outcome.timings_ms.contains(step), step);
  }

  // On disk: one release dir, `current` pointing at it, the signed files and the local ones.
  REQUIRE(edge.current());
  const std::string name = *edge.current();
  CHECK(name.starts_with("1-"));
  CHECK(edge.releaseDirs() == std::vector<std::string>{name});
  CHECK(fs::read_symlink(edge.layout.current) == fs::path("releases") / name);
  CHECK(contentOf(edge.layout.current / "nginx.conf") == acmeFiles()[0].content);
  CHECK(contentOf(edge.layout.current / "tenants/acme/acme.conf") == acmeFiles()[1].content);
  CHECK(contains(contentOf(edge.layout.current / "local/release.conf"), "\"1\\n\""));
  CHECK(contains(contentOf(edge.layout.current / "local/listen-http.conf"), "127.0.0.1:18080"));
  CHECK(
      contains(contentOf(edge.layout.current / "local/main.conf"), edge.options.local.runtime_dir));
  CHECK(contentOf(edge.layout.bundles / (release.digest + ".bundle")) == release.bundle);

  // state.json names it.
  const AgentState state = edge.saved();
  CHECK(state.version == 1);
  CHECK(state.digest == release.digest);
  CHECK(state.release == name);
  CHECK(state.expires_at == release.manifest.expires_at);
  CHECK(state.applied_at == kNow);
  CHECK(state.last_result == "applied");
  CHECK(state.last_reason.empty());
  CHECK(state == edge.applier->state());
  REQUIRE(edge.applier->servingManifest());
  CHECK(*edge.applier->servingManifest() == release.manifest);

  // nginx tested the staged tree (already renamed into place), then reloaded onto it.
  REQUIRE(edge.nginx.tests.size() == 1);
  CHECK(edge.nginx.tests[0].conf == edge.releasePath(name) / "nginx.conf");
  CHECK(edge.nginx.tests[0].conf_existed);
  CHECK(edge.nginx.reloads == std::vector<std::string>{name});
  CHECK(edge.nginx.reloaded_confs == std::vector<fs::path>{edge.layout.current / "nginx.conf"});
  CHECK(edge.prober.confirmed == std::vector<std::uint64_t>{1});
  CHECK(edge.prober.confirm_timeouts[0] == std::chrono::milliseconds(1500));
  CHECK(edge.prober.probed == std::vector<std::vector<std::string>>{{"www.acme.test"}});
}

TEST_CASE("a newer release replaces the serving one and only the serving bundle is kept") {
  Edge edge;
  const std::string first = applied(edge, 1);
  const release::SignedRelease second = edge.sign(2, twoTenantFiles());

  const ApplyOutcome outcome = edge.apply(second);

  REQUIRE_MESSAGE(resultOf(outcome) == "applied", outcome.reason);
  CHECK(outcome.serving_version == 2);
  const std::string name = edge.current().value_or("");
  CHECK(name.starts_with("2-"));
  CHECK(edge.releaseDirs() == std::vector<std::string>{first, name});  // "1-…" < "2-…"
  CHECK(fs::exists(edge.layout.current / "tenants/beta/beta.conf"));
  CHECK(edge.saved().version == 2);
  CHECK(edge.saved().release == name);
  CHECK(edge.bundleFiles() == std::vector<std::string>{second.digest + ".bundle"});
  CHECK(edge.nginx.reloads == std::vector<std::string>{first, name});
  CHECK(edge.prober.confirmed == std::vector<std::uint64_t>{1, 2});
  CHECK(edge.prober.probed.back() ==
        std::vector<std::string>{"www.acme.test", "beta.test", "vantus-probe.beta.test"});
}

TEST_CASE("nginx -t refusing a release leaves the previous one serving and untouched") {
  Edge edge;
  const std::string first = applied(edge, 1);
  const AgentState before = edge.saved();
  edge.nginx.test_refuses = true;

  const ApplyOutcome outcome = edge.apply(edge.sign(2, twoTenantFiles()));

  CHECK(resultOf(outcome) == "failed");
  CHECK(outcome.version == 2);
  CHECK(outcome.serving_version == 1);
  CHECK(outcome.nginx_output == edge.nginx.test_output);
  CHECK_MESSAGE(contains(outcome.reason, "nginx -t refused"), outcome.reason);
  // Tested on its own staged tree, which is gone again; nothing was swapped or reloaded.
  REQUIRE(edge.nginx.tests.size() == 2);
  CHECK(edge.nginx.tests[1].conf.parent_path().filename().string().starts_with("2-"));
  CHECK(edge.nginx.tests[1].conf_existed);
  CHECK_FALSE(fs::exists(edge.nginx.tests[1].conf.parent_path()));
  CHECK(edge.current() == first);
  CHECK(edge.releaseDirs() == std::vector<std::string>{first});
  CHECK(edge.nginx.reloadCount() == 1);
  CHECK(edge.prober.confirmed == std::vector<std::uint64_t>{1});
  CHECK(edge.prober.probed.size() == 1);

  const AgentState state = edge.saved();
  CHECK(state.version == 1);
  CHECK(state.digest == before.digest);
  CHECK(state.release == first);
  CHECK(state.last_result == "failed");
  CHECK(contains(state.last_reason, "nginx -t refused"));
  CHECK(contentOf(edge.layout.current / "local/release.conf") ==
        contentOf(edge.releasePath(first) / "local/release.conf"));
}

TEST_CASE("nginx -t that cannot run at all fails the release the same way") {
  Edge edge;
  const std::string first = applied(edge, 1);
  edge.nginx.test_errors = true;

  const ApplyOutcome outcome = edge.apply(edge.sign(2, acmeFiles()));

  CHECK(resultOf(outcome) == "failed");
  CHECK_MESSAGE(contains(outcome.reason, "cannot run"), outcome.reason);
  CHECK(outcome.nginx_output.empty());
  CHECK(edge.current() == first);
  CHECK(edge.releaseDirs() == std::vector<std::string>{first});
  CHECK(edge.saved().version == 1);
}

TEST_CASE("a refused first release leaves nothing serving and nothing staged") {
  Edge edge;
  edge.nginx.test_refuses = true;

  const ApplyOutcome outcome = edge.apply(edge.sign(1, acmeFiles()));

  CHECK(resultOf(outcome) == "failed");
  CHECK(outcome.serving_version == 0);
  CHECK_FALSE(edge.current());
  CHECK(edge.releaseDirs().empty());
  CHECK(edge.nginx.reloadCount() == 0);
  CHECK(edge.saved().version == 0);
  CHECK(edge.saved().release.empty());
  CHECK(edge.saved().last_result == "failed");
}

TEST_CASE("a failed reload after the swap rolls back to the previous release") {
  Edge edge;
  const std::string first = applied(edge, 1);
  edge.nginx.reload_failures = 1;

  const ApplyOutcome outcome = edge.apply(edge.sign(2, twoTenantFiles()));

  CHECK(resultOf(outcome) == "rolled_back");
  CHECK(outcome.version == 2);
  CHECK(outcome.serving_version == 1);
  CHECK_MESSAGE(contains(outcome.reason, "cannot signal"), outcome.reason);
  CHECK(outcome.timings_ms.contains("rollback"));
  // nginx was sent onto the new release, then onto the previous one again.
  REQUIRE(edge.nginx.reloads.size() == 3);
  CHECK(edge.nginx.reloads[1].starts_with("2-"));
  CHECK(edge.nginx.reloads[2] == first);
  CHECK(edge.prober.confirmed == std::vector<std::uint64_t>{1, 1});
  CHECK(edge.current() == first);
  CHECK(edge.releaseDirs() == std::vector<std::string>{first});  // the failed dir is gone

  const AgentState state = edge.saved();
  CHECK(state.version == 1);
  CHECK(state.release == first);
  CHECK(state.last_result == "rolled_back");
}

TEST_CASE("a new version nginx never confirms rolls back and the previous one is confirmed") {
  Edge edge;
  const std::string first = applied(edge, 1);
  edge.prober.unconfirmable = {2};

  const ApplyOutcome outcome = edge.apply(edge.sign(2, twoTenantFiles()));

  CHECK(resultOf(outcome) == "rolled_back");
  CHECK(outcome.serving_version == 1);
  CHECK_MESSAGE(contains(outcome.reason, "did not answer version 2"), outcome.reason);
  REQUIRE(edge.nginx.reloads.size() == 3);
  CHECK(edge.nginx.reloads[1].starts_with("2-"));
  CHECK(edge.nginx.reloads[2] == first);
  CHECK(edge.prober.confirmed == std::vector<std::uint64_t>{1, 2, 1});
  CHECK(edge.prober.probed.size() == 1);  // never probed the unconfirmed release
  CHECK(edge.current() == first);
  CHECK(edge.releaseDirs() == std::vector<std::string>{first});
  CHECK(edge.saved().version == 1);
  CHECK(edge.saved().release == first);
}

TEST_CASE("a tenant name that fails its probe rolls back the same way") {
  Edge edge;
  const std::string first = applied(edge, 1);
  const std::string first_digest = edge.saved().digest;
  edge.prober.probe_fails = true;

  const ApplyOutcome outcome = edge.apply(edge.sign(2, twoTenantFiles()));

  CHECK(resultOf(outcome) == "rolled_back");
  CHECK(outcome.serving_version == 1);
  CHECK_MESSAGE(contains(outcome.reason, "probe of www.acme.test"), outcome.reason);
  REQUIRE(edge.prober.probed.size() == 2);
  CHECK(edge.prober.probed[1] ==
        std::vector<std::string>{"www.acme.test", "beta.test", "vantus-probe.beta.test"});
  REQUIRE(edge.nginx.reloads.size() == 3);
  CHECK(edge.nginx.reloads[2] == first);
  CHECK(edge.prober.confirmed == std::vector<std::uint64_t>{1, 2, 1});
  CHECK(edge.current() == first);
  CHECK(edge.releaseDirs() == std::vector<std::string>{first});
  const AgentState state = edge.saved();
  CHECK(state.version == 1);
  CHECK(state.digest == first_digest);
  CHECK(state.last_result == "rolled_back");
  CHECK(contains(state.last_reason, "probe of www.acme.test"));
}

TEST_CASE("a first release failing after the swap is taken down: nothing older can serve") {
  Edge edge;
  edge.prober.probe_fails = true;

  const ApplyOutcome outcome = edge.apply(edge.sign(1, acmeFiles()));

  CHECK(resultOf(outcome) == "rolled_back");
  CHECK(outcome.serving_version == 0);
  CHECK_FALSE(edge.current());
  CHECK_FALSE(fs::is_symlink(edge.layout.current));
  CHECK(edge.releaseDirs().empty());
  CHECK(edge.nginx.stops == 1);
  CHECK_FALSE(edge.nginx.master_running);
  CHECK(edge.saved().version == 0);
  CHECK(edge.saved().release.empty());
}

TEST_CASE("when the rollback's own reload fails too, it is a failure that says so") {
  Edge edge;
  const std::string first = applied(edge, 1);
  edge.nginx.reload_failures = 2;

  const ApplyOutcome outcome = edge.apply(edge.sign(2, acmeFiles()));

  CHECK(resultOf(outcome) == "failed");
  CHECK_MESSAGE(contains(outcome.reason, "rolling back also failed"), outcome.reason);
  CHECK(edge.current() == first);
  CHECK(edge.saved().version == 1);
  CHECK(edge.saved().release == first);
}

TEST_CASE("a re-signed release of the serving version only renews the state") {
  Edge edge;
  const release::SignedRelease original = edge.sign(1, acmeFiles());
  REQUIRE(resultOf(edge.apply(original)) == "applied");
  const std::string name = *edge.current();
  edge.now = kNow + 5 * kDay;
  const release::SignedRelease renewed = edge.sign(1, acmeFiles(), 7 * kDay);
  REQUIRE(renewed.digest != original.digest);
  REQUIRE(renewed.manifest.expires_at > original.manifest.expires_at);

  const ApplyOutcome outcome = edge.apply(renewed);

  CHECK_MESSAGE(resultOf(outcome) == "applied", outcome.reason);
  CHECK(outcome.version == 1);
  CHECK(outcome.digest == renewed.digest);
  CHECK(outcome.serving_version == 1);
  CHECK(edge.nginx.testCount() == 1);  // only the first apply's
  CHECK(edge.nginx.reloadCount() == 1);
  CHECK(edge.prober.confirmed.size() == 1);
  CHECK(edge.current() == name);
  CHECK(edge.releaseDirs() == std::vector<std::string>{name});
  CHECK(edge.bundleFiles() == std::vector<std::string>{renewed.digest + ".bundle"});

  const AgentState state = edge.saved();
  CHECK(state.version == 1);
  CHECK(state.release == name);
  CHECK(state.digest == renewed.digest);
  CHECK(state.expires_at == renewed.manifest.expires_at);
  CHECK(state.applied_at == kNow + 5 * kDay);
  CHECK(state.last_result == "applied");
}

TEST_CASE("a re-signed release is recognised after a restart too") {
  Edge edge;
  const std::string name = applied(edge, 1);
  Applier& restarted = edge.restart();
  REQUIRE(restarted.reconcile());
  REQUIRE(restarted.servingManifest());
  edge.now += kDay;

  const release::SignedRelease renewed = edge.sign(1, acmeFiles());
  const ApplyOutcome outcome = edge.apply(renewed);

  CHECK_MESSAGE(resultOf(outcome) == "applied", outcome.reason);
  CHECK(edge.nginx.testCount() == 1);
  CHECK(edge.current() == name);
  CHECK(edge.saved().digest == renewed.digest);
}

TEST_CASE("a listen address another program holds fails the release before the swap, once") {
  Edge edge;
  edge.nginx.master_running = false;
  edge.nginx.busy_listen = "nginx.status_listen 127.0.0.1:18081";

  const ApplyOutcome outcome = edge.apply(edge.sign(1, acmeFiles()));

  CHECK(resultOf(outcome) == "failed");
  CHECK(contains(outcome.reason, "nothing was applied"));
  CHECK(contains(outcome.reason, "nginx.status_listen 127.0.0.1:18081"));
  CHECK(outcome.reason.find("127.0.0.1:18081") == outcome.reason.rfind("127.0.0.1:18081"));
  CHECK(outcome.serving_version == 0);
  CHECK(edge.nginx.reloadCount() == 0);
  CHECK_FALSE(edge.current());
  CHECK(edge.releaseDirs().empty());
  CHECK(edge.bundleFiles().empty());
  CHECK(edge.saved().last_result == "failed");
}

TEST_CASE("only keep_releases release dirs remain, the serving and the previous one among them") {
  Edge edge(/*keep_releases=*/3);
  std::vector<std::string> names;
  const auto base = fs::file_time_type::clock::now() - std::chrono::hours(1);
  for (std::uint64_t version = 1; version <= 6; ++version) {
    names.push_back(applied(edge, version));
    // File times are coarse; make the order of the applies unambiguous.
    fs::last_write_time(edge.releasePath(names.back()),
                        base + std::chrono::minutes(static_cast<int>(version)));
    CHECK(edge.releaseDirs().size() == std::min<std::size_t>(version, 3));
  }

  CHECK(edge.releaseDirs() == std::vector<std::string>{names[3], names[4], names[5]});
  CHECK(edge.current() == names[5]);
  CHECK(edge.bundleFiles().size() == 1);
}

TEST_CASE("a failed apply does not count against keep_releases") {
  Edge edge(/*keep_releases=*/2);
  const std::string first = applied(edge, 1);
  const std::string second = applied(edge, 2);
  edge.nginx.test_refuses = true;

  CHECK(resultOf(edge.apply(edge.sign(3, acmeFiles()))) == "failed");

  std::vector<std::string> expected{first, second};
  CHECK(edge.releaseDirs() == expected);
}

}  // namespace
}  // namespace vantus::agent

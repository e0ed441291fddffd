// The fleet on real processes: one controller and, per test case, the edge nodes (vantus-agent +
// its own nginx) of the case's own cluster, on loopback. Each case is a scenario of the edge's
// promise — converge, and never stop serving a good release — and sets up everything it needs
// (its own cluster, tenant and nodes, stopped at its end), so any one of them runs alone
// (-tc=…) and in any order. Only the controller process is shared, to keep the suite quick.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/crypto/ed25519.h"
#include "common/release/bundle.h"
#include "common/release/dsse.h"
#include "common/release/manifest.h"
#include "tests/integration/fleet/fleet_fixture.h"

namespace vantus::fleet_test {
namespace {

namespace fs = std::filesystem;

// Started by the first test case that needs it, stopped when the run ends (not by a static
// destructor: by then the libraries its servers use may be gone). A fleet that failed to
// start fails the others at once.
std::unique_ptr<Fleet>& fleetInstance() {
  static std::unique_ptr<Fleet> instance;
  return instance;
}

Fleet& fleet() {
  static bool attempted = false;
  if (!fleetInstance()) {
    REQUIRE_MESSAGE(!attempted, "the fleet did not start; see the first test case");
    attempted = true;
    fleetInstance() = std::make_unique<Fleet>();
  }
  fleetInstance()->ensureController();
  return *fleetInstance();
}

// Stops the shared fleet at the end of the run, whichever cases ran.
struct FleetTeardown final : doctest::IReporter {
  explicit FleetTeardown(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats&) override { fleetInstance().reset(); }
  void test_case_start(const doctest::TestCaseData&) override {}
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};
REGISTER_LISTENER("fleet-teardown", 1, FleetTeardown);

bool serves(const std::string& node, const std::string& host, const std::string& header_value) {
  Reply reply = getVia(fleet().httpPort(node), host);
  auto header = reply.headers.find("X-Rev");
  return reply.status == 200 && reply.body == "upstream main\n" && header != reply.headers.end() &&
         header->second == header_value;
}

void setRevision(const std::string& tenant, const std::string& revision) {
  fleet().cli(fmt::format("policy set --tenant {} --json '{{\"headers\":{{\"X-Rev\":\"{}\"}}}}'",
                          tenant, revision));
}

void setPool(const std::string& tenant, const std::string& host, int port) {
  fleet().cli(
      fmt::format("pool set --tenant {} --json "
                  "'{{\"name\":\"web\",\"targets\":[{{\"host\":\"{}\",\"port\":{}}}]}}'",
                  tenant, host, port));
}

std::string deploymentShow(int id) { return fleet().cli(fmt::format("deployment show {}", id)); }

std::string nodeLine(const std::string& node) {
  const std::string list = fleet().cli("node list");
  const size_t at = list.find("/" + node + " ");
  return at == std::string::npos ? "" : list.substr(at, list.find("\n/", at) - at);
}

void makeTenant(const std::string& slug, const std::string& cluster) {
  fleet().cli(fmt::format("tenant create --slug {} --name {}", slug, slug));
  fleet().cli(fmt::format("domain add --tenant {} --name www.{}.test", slug, slug));
  setPool(slug, "127.0.0.1", fleet().upstream().port());
  setRevision(slug, "1");
  fleet().cli(fmt::format("assign --tenant {} --cluster {}", slug, cluster));
}

// Re-signs a kept bundle as if the controller had made it with other dates and version.
std::string resigned(const std::string& bundle_bytes, std::uint64_t version,
                     std::int64_t created_at, std::int64_t expires_at) {
  auto bundle = release::decodeBundle(bundle_bytes);
  REQUIRE(bundle);
  auto manifest = release::decodeManifest(bundle->envelope.payload);
  REQUIRE(manifest);
  manifest->version = version;
  manifest->created_at = created_at;
  manifest->expires_at = expires_at;
  auto key =
      crypto::Ed25519PrivateKey::loadPem((fleet().stateDir() / "keys" / "signing.key").string());
  REQUIRE(key);
  return release::encodeBundle(
      release::dsseSign(release::kManifestPayloadType, release::encodeManifest(*manifest), *key),
      bundle->files);
}

std::string keptBundleOf(const std::string& node) {
  auto state = nlohmann::json::parse(slurp(fleet().agentDir(node) / "state.json"));
  return slurp(fleet().agentDir(node) / "bundles" /
               (state["digest"].get<std::string>() + ".bundle"));
}

// One case's own part of the fleet: cluster <name>, its nodes, and tenant <name> (served as
// www.<name>.test) at revision "1", deployed and served by every node before the case starts.
// The nodes are stopped when the case ends, whatever it did to them.
class Site {
 public:
  Site(std::string name, std::vector<NodeOptions> nodes) : name_(std::move(name)) {
    Fleet& f = fleet();
    f.cli("cluster create --name " + name_);
    for (NodeOptions& node : nodes) {
      node.cluster = name_;
      names_.push_back(node.name);
      f.addNode(node);
    }
    makeTenant(name_, name_);
    f.deploy(name_, name_ + " arrives");
    for (const std::string& node : names_) {
      REQUIRE_MESSAGE(waitUntil([&] { return serves(node, host(), "1"); }),
                      slurp(f.agentLog(node)));
      REQUIRE(waitUntil([&] { return f.servedVersion(node) == f.lastReleaseVersion(); }));
    }
  }
  ~Site() {
    for (const std::string& node : names_) {
      fleet().removeNode(node);
    }
  }
  Site(const Site&) = delete;
  Site& operator=(const Site&) = delete;

  const std::string& tenant() const { return name_; }
  std::string host() const { return "www." + name_ + ".test"; }
  bool servedBy(const std::string& node, const std::string& revision) const {
    return serves(node, host(), revision);
  }
  // Sets the tenant's X-Rev header and deploys it; returns the deployment id.
  int deployRevision(const std::string& revision) {
    setRevision(name_, revision);
    return fleet().deploy(name_, "revision " + revision);
  }

 private:
  std::string name_;
  std::vector<std::string> names_;
};

TEST_CASE("a new tenant deployed to a cluster of two nodes is served by both, not by a third") {
  Site one("one", {{.name = "one-1"}, {.name = "one-2"}});
  Site other("other", {{.name = "other-1"}});

  CHECK(one.servedBy("one-1", "1"));
  CHECK(one.servedBy("one-2", "1"));
  Reply elsewhere = getVia(fleet().httpPort("other-1"), one.host());
  CHECK(elsewhere.status == 404);
  CHECK(elsewhere.body.find("upstream") == std::string::npos);
}

TEST_CASE("a change converges on every node and each receipt names the new version") {
  Fleet& f = fleet();
  Site site("conv", {{.name = "conv-1"}, {.name = "conv-2"}});
  const int id = site.deployRevision("2");
  const std::uint64_t version = f.lastReleaseVersion();
  CHECK(waitUntil([&] { return site.servedBy("conv-1", "2"); }));
  CHECK(waitUntil([&] { return site.servedBy("conv-2", "2"); }));
  std::string shown;
  CHECK(waitUntil([&] {
    shown = deploymentShow(id);
    return shown.find(fmt::format("conv/conv-1  release {}  applied", version)) !=
               std::string::npos &&
           shown.find(fmt::format("conv/conv-2  release {}  applied", version)) !=
               std::string::npos;
  }));
  INFO(shown);
  CHECK(f.servedVersion("conv-1") == version);
  CHECK(f.nginxVersion("conv-2") == version);
}

TEST_CASE("a release nginx -t refuses on the edge leaves every node on the previous one") {
  Fleet& f = fleet();
  Site site("refuse", {{.name = "refuse-1"}, {.name = "refuse-2"}});
  const std::uint64_t before = f.servedVersion("refuse-1");
  setPool(site.tenant(), "nonexistent.invalid", 9000);
  const int id = f.deploy(site.tenant(), "an upstream that does not resolve");
  const std::string version = std::to_string(f.lastReleaseVersion());
  std::string shown;
  CHECK(waitUntil([&] {
    shown = deploymentShow(id);
    return shown.find("refuse-1  release " + version + "  failed") != std::string::npos &&
           shown.find("refuse-2  release " + version + "  failed") != std::string::npos;
  }));
  INFO(shown);
  CHECK(shown.find("host not found") != std::string::npos);
  CHECK(site.servedBy("refuse-1", "1"));
  CHECK(site.servedBy("refuse-2", "1"));
  CHECK(f.servedVersion("refuse-1") == before);
  CHECK(f.nginxVersion("refuse-2") == before);

  setPool(site.tenant(), "127.0.0.1", f.upstream().port());
  f.deploy(site.tenant(), "upstream back");
  CHECK(waitUntil([&] { return f.servedVersion("refuse-1") == f.lastReleaseVersion(); }));
  CHECK(waitUntil([&] { return f.servedVersion("refuse-2") == f.lastReleaseVersion(); }));
}

TEST_CASE("a failed probe after the reload rolls that node back on its own") {
  Fleet& f = fleet();
  Site site("probe", {{.name = "probe-any"}, {.name = "probe-ok", .expected_status = "200-399"}});
  const std::uint64_t before = f.servedVersion("probe-ok");
  setPool(site.tenant(), "127.0.0.1", freePort());  // nothing listens: nginx answers 502
  const int id = f.deploy(site.tenant(), "a dead upstream");
  const std::uint64_t version = f.lastReleaseVersion();
  std::string shown;
  CHECK(waitUntil([&] {
    shown = deploymentShow(id);
    return shown.find(fmt::format("probe-any  release {}  applied", version)) !=
               std::string::npos &&
           shown.find(fmt::format("probe-ok  release {}  rolled_back", version)) !=
               std::string::npos;
  }));
  INFO(shown);
  CHECK(shown.find("HTTP 502") != std::string::npos);
  CHECK(getVia(f.httpPort("probe-any"), site.host()).status == 502);  // accepts any status
  CHECK(site.servedBy("probe-ok", "1"));
  CHECK(f.servedVersion("probe-ok") == before);
  CHECK(f.nginxVersion("probe-ok") == before);

  setPool(site.tenant(), "127.0.0.1", f.upstream().port());
  f.deploy(site.tenant(), "upstream back");
  CHECK(waitUntil([&] { return f.servedVersion("probe-ok") == f.lastReleaseVersion(); }));
}

// Waits for `node` to refuse what the proxy hands it, checks that nothing changed, then lets an
// honest release through so that the next refusal is a new one.
void expectRefusal(Site& site, const std::string& node, const std::string& why, int revision) {
  Fleet& f = fleet();
  const std::uint64_t serving = f.servedVersion(node);
  CHECK(waitUntil([&] {
    const std::string line = nodeLine(node);
    return line.find("rejected") != std::string::npos && line.find(why) != std::string::npos;
  }));
  INFO(nodeLine(node));
  CHECK(f.servedVersion(node) == serving);
  CHECK(f.nginxVersion(node) == serving);
  CHECK(getVia(f.httpPort(node), site.host()).status == 200);

  f.proxy().passThrough();
  site.deployRevision(std::to_string(revision));
  CHECK(waitUntil([&] { return site.servedBy(node, std::to_string(revision)); }));
  CHECK(waitUntil([&] { return f.servedVersion(node) == f.lastReleaseVersion(); }));
}

TEST_CASE("a tampered, a replayed and an expired bundle are refused while nginx serves on") {
  Fleet& f = fleet();
  f.proxy().passThrough();
  Site site("trust", {{.name = "trust-1", .via_proxy = true}});
  const std::string first_bundle = keptBundleOf("trust-1");
  const std::uint64_t first = f.servedVersion("trust-1");
  site.deployRevision("2");
  REQUIRE(waitUntil([&] { return site.servedBy("trust-1", "2"); }));
  REQUIRE(waitUntil([&] { return f.servedVersion("trust-1") == f.lastReleaseVersion(); }));

  // A bit flipped in transit: the file no longer matches its signed sha256.
  f.proxy().tamperBundles();
  const int served_before = f.proxy().bundlesServed();
  site.deployRevision("tampered");
  expectRefusal(site, "trust-1", "sha256", 3);
  CHECK(f.proxy().bundlesServed() > served_before);

  // A genuine, signed, older release: below the version the node runs.
  f.proxy().serve(first, first_bundle);
  expectRefusal(site, "trust-1", "version", 4);

  // Signed by the controller's key, newer, but expired a day ago.
  const std::int64_t now = std::time(nullptr);
  const std::uint64_t ahead = f.servedVersion("trust-1") + 100;
  f.proxy().serve(ahead, resigned(keptBundleOf("trust-1"), ahead, now - 10 * 86400, now - 86400));
  expectRefusal(site, "trust-1", "expired", 5);

  // The serving version again, well signed, with other files: a mix-and-match attempt.
  const std::uint64_t serving = f.servedVersion("trust-1");
  f.proxy().serve(serving, resigned(first_bundle, serving, now - 60, now + 86400));
  expectRefusal(site, "trust-1", "mix-and-match", 6);
}

TEST_CASE("edges keep serving without the controller and resume when it is back") {
  Fleet& f = fleet();
  Site site("offline", {{.name = "offline-1"}});
  f.killController();
  for (int i = 0; i < 5; ++i) {
    CHECK(site.servedBy("offline-1", "1"));
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
  }
  site.deployRevision("2");  // the CLI works on the state dir without the server
  f.startController();
  CHECK(waitUntil([&] { return site.servedBy("offline-1", "2"); }, std::chrono::seconds(60)));
}

TEST_CASE("an agent killed after stage, after swap or after reload recovers on restart") {
  Fleet& f = fleet();
  Site site("crash", {{.name = "crash-1"}});
  for (const std::string point : {"after-stage", "after-swap", "after-reload"}) {
    CAPTURE(point);
    f.stopAgent("crash-1");
    f.startAgent("crash-1", point);
    site.deployRevision(point);
    CHECK(f.agent("crash-1").waitExit(std::chrono::seconds(30)) != -1);
    // A complete, valid release serves at every point: the old one or the new one.
    Reply reply = getVia(f.httpPort("crash-1"), site.host());
    CHECK(reply.status == 200);
    CHECK(reply.body == "upstream main\n");
    f.startAgent("crash-1");
    CHECK(waitUntil([&] { return f.servedVersion("crash-1") == f.lastReleaseVersion(); }));
    CHECK(waitUntil([&] { return site.servedBy("crash-1", point); }));
    CHECK(f.nginxVersion("crash-1") == f.lastReleaseVersion());
    const fs::path releases = f.agentDir("crash-1") / "releases";
    for (const auto& entry : fs::directory_iterator(releases)) {
      CHECK_FALSE(entry.path().filename().string().starts_with(".stage-"));
    }
  }
}

// The names of the files under the node's bundles/ dir.
std::vector<std::string> keptBundles(const std::string& node) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(fleet().agentDir(node) / "bundles")) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

TEST_CASE("a bundle saved by an apply killed with -9 goes once a newer release wins") {
  Fleet& f = fleet();
  Site site("stale", {{.name = "stale-1"}});
  f.stopAgent("stale-1");
  f.startAgent("stale-1", "after-stage");
  site.deployRevision("killed");
  REQUIRE(f.agent("stale-1").waitExit(std::chrono::seconds(30)) != -1);
  REQUIRE(keptBundles("stale-1").size() == 2);  // the serving one and the one being applied

  site.deployRevision("newer");  // while the agent is down: the killed release never returns
  f.startAgent("stale-1");
  CHECK(waitUntil([&] { return f.servedVersion("stale-1") == f.lastReleaseVersion(); }));
  CHECK(waitUntil([&] { return site.servedBy("stale-1", "newer"); }));
  auto state = nlohmann::json::parse(slurp(f.agentDir("stale-1") / "state.json"));
  CHECK(keptBundles("stale-1") ==
        std::vector<std::string>{state["digest"].get<std::string>() + ".bundle"});
  CHECK(slurp(f.agentLog("stale-1")).find("agent.stale_bundles_removed") != std::string::npos);
}

TEST_CASE("a file under current/ edited by hand is reported as drift and restored") {
  Fleet& f = fleet();
  Site site("drift", {{.name = "drift-1"}});
  const fs::path conf = f.agentDir("drift-1") / "current" / "nginx.conf";
  const std::string original = slurp(conf);
  std::ofstream(conf, std::ios::app) << "# edited by hand\n";
  CHECK(waitUntil([&] { return slurp(conf) == original; }));
  CHECK(waitUntil([&] { return nodeLine("drift-1").find("repaired") != std::string::npos; }));
  INFO(nodeLine("drift-1"));
  CHECK(nodeLine("drift-1").find("nginx.conf") != std::string::npos);
  CHECK(site.servedBy("drift-1", "1"));
}

TEST_CASE("the agent brings back the nginx master it owns after a kill -9, same release") {
  Fleet& f = fleet();
  Site site("respawn", {{.name = "respawn-1"}});
  const std::uint64_t version = f.servedVersion("respawn-1");
  const int master = f.nginxMasterPid("respawn-1");
  REQUIRE(master > 1);

  REQUIRE(::kill(master, SIGKILL) == 0);

  // Back within a bounded wait: a new master, the same release, the tenant served.
  CHECK(waitUntil(
      [&] {
        const int now = f.nginxMasterPid("respawn-1");
        return now > 1 && now != master && f.nginxVersion("respawn-1") == version &&
               site.servedBy("respawn-1", "1");
      },
      std::chrono::seconds(20)));
  CHECK(f.servedVersion("respawn-1") == version);
  const std::string log = slurp(f.agentLog("respawn-1"));
  CHECK(log.find("nginx.died") != std::string::npos);
  CHECK(log.find("nginx.restarted") != std::string::npos);
  testing::CommandResult status = f.agentCli("respawn-1", "status");
  INFO(status.output);
  CHECK(status.exit_code == 0);
  CHECK(status.output.find("nginx restarts:  1 (last at ") != std::string::npos);
  // And it still applies: the new master is the one the agent reloads.
  site.deployRevision("after-respawn");
  CHECK(waitUntil([&] { return site.servedBy("respawn-1", "after-respawn"); }));
}

// A loopback port another program listens on while it exists.
class HeldPort {
 public:
  HeldPort() : server_(std::make_unique<httplib::Server>()) {
    port_ = server_->bind_to_any_port("127.0.0.1");
    REQUIRE(port_ > 0);
  }
  int port() const { return port_; }

 private:
  std::unique_ptr<httplib::Server> server_;  // bound and listening, never served
  int port_ = 0;
};

TEST_CASE("an occupied status_listen port fails the release once, naming the setting") {
  Fleet& f = fleet();
  HeldPort held;
  f.cli("cluster create --name busy");
  f.addNode({.cluster = "busy", .name = "busy-1", .status_port = held.port()});
  makeTenant("busy", "busy");
  const int id = f.deploy("busy", "busy arrives");
  const std::string address = fmt::format("127.0.0.1:{}", held.port());
  std::string shown;
  CHECK(waitUntil([&] {
    shown = deploymentShow(id);
    return shown.find(fmt::format("busy-1  release {}  failed", f.lastReleaseVersion())) !=
           std::string::npos;
  }));
  INFO(shown);
  CHECK(shown.find("nginx.status_listen " + address) != std::string::npos);
  CHECK(shown.find("nothing was applied") != std::string::npos);
  CHECK(shown.find(address) == shown.rfind(address));  // once, not once per bind retry
  CHECK(shown.find("rolled_back") == std::string::npos);
  CHECK_FALSE(fs::exists(f.agentDir("busy-1") / "current"));
  f.removeNode("busy-1");
}

TEST_CASE("vantus-agent apply --bundle takes the loop's door: checks, receipt, claimed version") {
  Fleet& f = fleet();
  Site site("offline-file", {{.name = "file-1"}});
  const std::uint64_t serving = f.servedVersion("file-1");
  f.stopAgent("file-1");  // apply refuses to run while the agent holds the state dir
  const std::int64_t now = std::time(nullptr);
  const fs::path dir = f.agentDir("file-1");

  // A signature flipped: refused, and the receipt names the version the bundle claims.
  std::string forged = resigned(keptBundleOf("file-1"), serving + 7, now - 60, now + 86400);
  const size_t sig = forged.find("\"sig\":\"");
  REQUIRE(sig != std::string::npos);
  forged[sig + 7] = forged[sig + 7] == 'A' ? 'B' : 'A';
  std::ofstream(dir / "forged.bundle") << forged;
  testing::CommandResult refused =
      f.agentCli("file-1", "apply --bundle " + (dir / "forged.bundle").string());
  INFO(refused.output);
  CHECK(refused.exit_code != 0);
  CHECK(refused.output.find(fmt::format("rejected: version {} — refused the bundle claiming "
                                        "version {}",
                                        serving + 7, serving + 7)) != std::string::npos);
  CHECK(f.servedVersion("file-1") == serving);

  // The same release re-signed one version up: applied, like one from the controller.
  std::ofstream(dir / "next.bundle")
      << resigned(keptBundleOf("file-1"), serving + 1, now - 60, now + 86400);
  testing::CommandResult applied =
      f.agentCli("file-1", "apply --bundle " + (dir / "next.bundle").string());
  INFO(applied.output);
  CHECK(applied.exit_code == 0);
  CHECK(applied.output.find(fmt::format("applied: version {}", serving + 1)) != std::string::npos);
  CHECK(f.servedVersion("file-1") == serving + 1);
  CHECK(f.nginxVersion("file-1") == serving + 1);
  CHECK(site.servedBy("file-1", "1"));
}

TEST_CASE("twenty deployments under load fail no request on a fresh connection") {
  Fleet& f = fleet();
  Site site("load", {{.name = "load-1"}});
  std::atomic<bool> stop{false};
  std::atomic<int> fresh_total{0}, fresh_failed{0}, kept_total{0}, kept_failed{0};
  const int port = f.httpPort("load-1");
  const std::string host = site.host();
  std::thread fresh([&] {
    while (!stop) {
      Reply reply = getVia(port, host);
      ++fresh_total;
      if (reply.status != 200) {
        ++fresh_failed;
      }
    }
  });
  std::thread kept([&] {
    httplib::Client client("127.0.0.1", port);
    client.set_keep_alive(true);
    client.set_read_timeout(std::chrono::seconds(5));
    while (!stop) {
      auto result = client.Get("/", {{"Host", host}});
      ++kept_total;
      if (!result || result->status != 200) {
        ++kept_failed;
      }
    }
  });
  constexpr int kDeployments = 20;
  for (int i = 0; i < kDeployments; ++i) {
    site.deployRevision(fmt::format("load-{}", i));
    CHECK(waitUntil([&] { return f.servedVersion("load-1") == f.lastReleaseVersion(); }));
  }
  stop = true;
  fresh.join();
  kept.join();
  MESSAGE(
      fmt::format("{} deployments: fresh connections {} requests, {} failed; keep-alive {} "
                  "requests, {} failed",
                  kDeployments, fresh_total.load(), fresh_failed.load(), kept_total.load(),
                  kept_failed.load()));
  CHECK(fresh_total > kDeployments);
  CHECK(fresh_failed == 0);
  CHECK(kept_failed <= kDeployments);
  CHECK(site.servedBy("load-1", fmt::format("load-{}", kDeployments - 1)));
}

TEST_CASE("a fleet stops: agents, their nginx masters and the controller") {
  // Its own fleet, so that stopping it leaves the shared one alone.
  auto own = std::make_unique<Fleet>();
  own->cli("cluster create --name halt");
  own->addNode({.cluster = "halt", .name = "halt-1"});
  own->cli("tenant create --slug halt --name halt");
  own->cli("domain add --tenant halt --name www.halt.test");
  own->cli(
      fmt::format("pool set --tenant halt --json "
                  "'{{\"name\":\"web\",\"targets\":[{{\"host\":\"127.0.0.1\",\"port\":{}}}]}}'",
                  own->upstream().port()));
  own->cli("assign --tenant halt --cluster halt");
  own->deploy("halt", "halt arrives");
  REQUIRE(waitUntil([&] { return own->nginxVersion("halt-1") == own->lastReleaseVersion(); }));
  const int master = own->nginxMasterPid("halt-1");
  REQUIRE(master > 1);

  own.reset();

  // Gone, or a zombie waiting for an init that does not reap (as in some containers).
  CHECK(waitUntil(
      [master] {
        const std::string stat = slurp(fmt::format("/proc/{}/stat", master));
        return stat.empty() || stat.find(") Z ") != std::string::npos;
      },
      std::chrono::seconds(10)));
}

}  // namespace
}  // namespace vantus::fleet_test

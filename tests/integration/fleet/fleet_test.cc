// The fleet on real processes: one controller, four edge nodes (vantus-agent + its own nginx)
// on loopback. The test cases run in file order against one fleet, each a scenario of the
// edge's promise: converge, and never stop serving a good release.
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

// Started by the first test case that needs it, stopped by the last one (not by a static
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
  return *fleetInstance();
}

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

TEST_CASE("1: a new tenant deployed to a cluster of two nodes is served by both, not by a third") {
  Fleet& f = fleet();
  f.cli("cluster create --name edge-a");
  f.cli("cluster create --name edge-b");
  f.cli("cluster create --name edge-c");
  f.addNode({.cluster = "edge-a", .name = "a1"});
  f.addNode({.cluster = "edge-a", .name = "a2", .expected_status = "200-399"});
  f.addNode({.cluster = "edge-b", .name = "b1"});
  f.addNode({.cluster = "edge-c", .name = "c1", .via_proxy = true});
  makeTenant("acme", "edge-a");
  makeTenant("beta", "edge-b");
  makeTenant("gamma", "edge-c");
  f.deploy("acme", "acme arrives");
  f.deploy("beta", "beta arrives");
  f.deploy("gamma", "gamma arrives");

  CHECK(waitUntil([] { return serves("a1", "www.acme.test", "1"); }));
  CHECK(waitUntil([] { return serves("a2", "www.acme.test", "1"); }));
  CHECK(waitUntil([] { return serves("b1", "www.beta.test", "1"); }));
  CHECK(waitUntil([] { return serves("c1", "www.gamma.test", "1"); }));
  Reply elsewhere = getVia(f.httpPort("b1"), "www.acme.test");
  CHECK(elsewhere.status == 404);
  CHECK(elsewhere.body.find("upstream") == std::string::npos);
}

TEST_CASE("2: a change converges on every node and each receipt names the new version") {
  Fleet& f = fleet();
  setRevision("acme", "2");
  const int id = f.deploy("acme", "revision 2");
  const std::uint64_t version = f.lastReleaseVersion();
  CHECK(waitUntil([] { return serves("a1", "www.acme.test", "2"); }));
  CHECK(waitUntil([] { return serves("a2", "www.acme.test", "2"); }));
  std::string shown;
  CHECK(waitUntil([&] {
    shown = deploymentShow(id);
    return shown.find(fmt::format("edge-a/a1  release {}  applied", version)) !=
               std::string::npos &&
           shown.find(fmt::format("edge-a/a2  release {}  applied", version)) != std::string::npos;
  }));
  INFO(shown);
  CHECK(f.servedVersion("a1") == version);
  CHECK(f.nginxVersion("a2") == version);
}

TEST_CASE("3: a release nginx -t refuses on the edge leaves every node on the previous one") {
  Fleet& f = fleet();
  const std::uint64_t before = f.servedVersion("a1");
  setPool("acme", "nonexistent.invalid", 9000);
  const int id = f.deploy("acme", "an upstream that does not resolve");
  std::string shown;
  CHECK(waitUntil([&] {
    shown = deploymentShow(id);
    return shown.find("edge-a/a1") != std::string::npos &&
           shown.find("a1  release " + std::to_string(f.lastReleaseVersion()) + "  failed") !=
               std::string::npos &&
           shown.find("a2  release " + std::to_string(f.lastReleaseVersion()) + "  failed") !=
               std::string::npos;
  }));
  INFO(shown);
  CHECK(shown.find("host not found") != std::string::npos);
  CHECK(serves("a1", "www.acme.test", "2"));
  CHECK(serves("a2", "www.acme.test", "2"));
  CHECK(f.servedVersion("a1") == before);
  CHECK(f.nginxVersion("a2") == before);

  setPool("acme", "127.0.0.1", f.upstream().port());
  f.deploy("acme", "upstream back");
  CHECK(waitUntil([&] { return f.servedVersion("a1") == f.lastReleaseVersion(); }));
  CHECK(waitUntil([&] { return f.servedVersion("a2") == f.lastReleaseVersion(); }));
}

TEST_CASE("4: a failed probe after the reload rolls that node back on its own") {
  Fleet& f = fleet();
  const std::uint64_t before = f.servedVersion("a2");
  setPool("acme", "127.0.0.1", freePort());  // nothing listens: nginx answers 502
  const int id = f.deploy("acme", "a dead upstream");
  const std::uint64_t version = f.lastReleaseVersion();
  std::string shown;
  CHECK(waitUntil([&] {
    shown = deploymentShow(id);
    return shown.find(fmt::format("a1  release {}  applied", version)) != std::string::npos &&
           shown.find(fmt::format("a2  release {}  rolled_back", version)) != std::string::npos;
  }));
  INFO(shown);
  CHECK(shown.find("HTTP 502") != std::string::npos);
  CHECK(getVia(f.httpPort("a1"), "www.acme.test").status == 502);  // a1 accepts any status
  CHECK(serves("a2", "www.acme.test", "2"));
  CHECK(f.servedVersion("a2") == before);
  CHECK(f.nginxVersion("a2") == before);

  setPool("acme", "127.0.0.1", f.upstream().port());
  f.deploy("acme", "upstream back");
  CHECK(waitUntil([&] { return f.servedVersion("a2") == f.lastReleaseVersion(); }));
}

// Waits for c1 to refuse what the proxy hands it, checks that nothing changed, then lets an
// honest release through so that the next refusal is a new one.
void expectRefusal(const std::string& why, int revision) {
  Fleet& f = fleet();
  const std::uint64_t serving = f.servedVersion("c1");
  CHECK(waitUntil([&] {
    const std::string line = nodeLine("c1");
    return line.find("rejected") != std::string::npos && line.find(why) != std::string::npos;
  }));
  INFO(nodeLine("c1"));
  CHECK(f.servedVersion("c1") == serving);
  CHECK(f.nginxVersion("c1") == serving);
  CHECK(getVia(f.httpPort("c1"), "www.gamma.test").status == 200);

  f.proxy().passThrough();
  setRevision("gamma", std::to_string(revision));
  f.deploy("gamma", "honest again");
  CHECK(waitUntil([&] { return serves("c1", "www.gamma.test", std::to_string(revision)); }));
  CHECK(waitUntil([&] { return f.servedVersion("c1") == f.lastReleaseVersion(); }));
}

TEST_CASE("5: a tampered, a replayed and an expired bundle are refused while nginx serves on") {
  Fleet& f = fleet();
  REQUIRE(waitUntil([] { return serves("c1", "www.gamma.test", "1"); }));
  REQUIRE(waitUntil([&] { return f.servedVersion("c1") == 1; }));
  const std::string first_bundle = keptBundleOf("c1");
  const std::uint64_t first = f.servedVersion("c1");
  setRevision("gamma", "2");
  f.deploy("gamma", "revision 2");
  REQUIRE(waitUntil([] { return serves("c1", "www.gamma.test", "2"); }));
  REQUIRE(waitUntil([&] { return f.servedVersion("c1") == f.lastReleaseVersion(); }));

  // A bit flipped in transit: the file no longer matches its signed sha256.
  f.proxy().tamperBundles();
  const int served_before = f.proxy().bundlesServed();
  setRevision("gamma", "tampered");
  f.deploy("gamma", "to be tampered with");
  expectRefusal("sha256", 3);
  CHECK(f.proxy().bundlesServed() > served_before);

  // A genuine, signed, older release: below the version the node runs.
  f.proxy().serve(first, first_bundle);
  expectRefusal("version", 4);

  // Signed by the controller's key, newer, but expired a day ago.
  const std::int64_t now = std::time(nullptr);
  const std::uint64_t ahead = f.servedVersion("c1") + 100;
  f.proxy().serve(ahead, resigned(keptBundleOf("c1"), ahead, now - 10 * 86400, now - 86400));
  expectRefusal("expired", 5);
}

TEST_CASE("6: edges keep serving without the controller and resume when it is back") {
  Fleet& f = fleet();
  f.killController();
  for (int i = 0; i < 5; ++i) {
    CHECK(serves("a1", "www.acme.test", "2"));
    CHECK(serves("b1", "www.beta.test", "1"));
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
  }
  setRevision("acme", "6");  // the CLI works on the state dir without the server
  f.deploy("acme", "while the server is down");
  f.startController();
  CHECK(waitUntil([] { return serves("a1", "www.acme.test", "6"); }, std::chrono::seconds(60)));
  CHECK(waitUntil([] { return serves("a2", "www.acme.test", "6"); }, std::chrono::seconds(60)));
}

TEST_CASE("7: an agent killed after stage, after swap or after reload recovers on restart") {
  Fleet& f = fleet();
  for (const std::string point : {"after-stage", "after-swap", "after-reload"}) {
    CAPTURE(point);
    f.stopAgent("b1");
    f.startAgent("b1", point);
    setRevision("beta", point);
    f.deploy("beta", "crash " + point);
    CHECK(f.agent("b1").waitExit(std::chrono::seconds(30)) != -1);
    // A complete, valid release serves at every point: the old one or the new one.
    Reply reply = getVia(f.httpPort("b1"), "www.beta.test");
    CHECK(reply.status == 200);
    CHECK(reply.body == "upstream main\n");
    f.startAgent("b1");
    CHECK(waitUntil([&] { return f.servedVersion("b1") == f.lastReleaseVersion(); }));
    CHECK(waitUntil([&] { return serves("b1", "www.beta.test", point); }));
    CHECK(f.nginxVersion("b1") == f.lastReleaseVersion());
    const fs::path releases = f.agentDir("b1") / "releases";
    for (const auto& entry : fs::directory_iterator(releases)) {
      CHECK_FALSE(entry.path().filename().string().starts_with(".stage-"));
    }
  }
}

TEST_CASE("8: a file under current/ edited by hand is reported as drift and restored") {
  Fleet& f = fleet();
  const fs::path conf = f.agentDir("a1") / "current" / "nginx.conf";
  const std::string original = slurp(conf);
  std::ofstream(conf, std::ios::app) << "# edited by hand\n";
  CHECK(waitUntil([&] { return slurp(conf) == original; }));
  CHECK(waitUntil([&] { return nodeLine("a1").find("repaired") != std::string::npos; }));
  INFO(nodeLine("a1"));
  CHECK(nodeLine("a1").find("nginx.conf") != std::string::npos);
  CHECK(serves("a1", "www.acme.test", "6"));
}

TEST_CASE("9: twenty deployments under load fail no request on a fresh connection") {
  Fleet& f = fleet();
  std::atomic<bool> stop{false};
  std::atomic<int> fresh_total{0}, fresh_failed{0}, kept_total{0}, kept_failed{0};
  const int port = f.httpPort("a1");
  std::thread fresh([&] {
    while (!stop) {
      Reply reply = getVia(port, "www.acme.test");
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
      auto result = client.Get("/", {{"Host", "www.acme.test"}});
      ++kept_total;
      if (!result || result->status != 200) {
        ++kept_failed;
      }
    }
  });
  constexpr int kDeployments = 20;
  for (int i = 0; i < kDeployments; ++i) {
    setRevision("acme", fmt::format("load-{}", i));
    f.deploy("acme", fmt::format("under load {}", i));
    CHECK(waitUntil([&] { return f.servedVersion("a1") == f.lastReleaseVersion(); }));
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
  CHECK(serves("a1", "www.acme.test", fmt::format("load-{}", kDeployments - 1)));
}

TEST_CASE("10: the fleet stops: agents, their nginx masters and the controller") {
  std::vector<int> masters;
  for (const std::string node : {"a1", "a2", "b1", "c1"}) {
    std::ifstream in(fleet().agentDir(node) / "nginx" / "nginx.pid");
    int pid = 0;
    if (in >> pid) {
      masters.push_back(pid);
    }
  }
  fleetInstance().reset();
  for (int pid : masters) {
    // Gone, or a zombie waiting for an init that does not reap (as in some containers).
    CHECK(waitUntil(
        [pid] {
          const std::string stat = slurp(fmt::format("/proc/{}/stat", pid));
          return stat.empty() || stat.find(") Z ") != std::string::npos;
        },
        std::chrono::seconds(10)));
  }
  // Whatever still holds the pointer must not outlive main().
  fleetInstance().release();
}

}  // namespace
}  // namespace vantus::fleet_test

#include <doctest/doctest.h>

// Drift: checkDrift() compares current/ with the serving release's signed manifest and
// repair() re-applies that release from its kept bundle.
#include <filesystem>
#include <fstream>
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

using Paths = std::vector<std::string>;

std::string applied(Edge& edge, std::uint64_t version) {
  const ApplyOutcome outcome = edge.apply(edge.sign(version, acmeFiles()));
  REQUIRE_MESSAGE(resultOf(outcome) == "applied", outcome.reason);
  return edge.current().value_or("");
}

DriftReport drift(Edge& edge) {
  auto report = edge.applier->checkDrift();
  REQUIRE_MESSAGE(report, (report ? "" : report.error().describe()));
  return *report;
}

void append(const fs::path& path, std::string_view text) {
  std::ofstream(path, std::ios::app) << text;
}

TEST_CASE("nothing serving, no drift") {
  Edge edge;
  CHECK(drift(edge).clean());
}

TEST_CASE("a freshly applied release has no drift; node-local files are not compared") {
  Edge edge;
  applied(edge, 1);
  CHECK(drift(edge).clean());
  CHECK(drift(edge).describe() == "no drift");

  append(edge.layout.current / "local/http.conf", "# tuned by hand\n");
  std::ofstream(edge.layout.current / "local/extra.conf") << "# mine\n";
  CHECK(drift(edge).clean());
}

TEST_CASE("a changed file is modified, an added one unexpected, a deleted one missing") {
  Edge edge;
  applied(edge, 1);

  append(edge.layout.current / "tenants/acme/acme.conf", "# injected\n");
  DriftReport report = drift(edge);
  CHECK(report.modified == Paths{"tenants/acme/acme.conf"});
  CHECK(report.unexpected.empty());
  CHECK(report.missing.empty());
  CHECK_FALSE(report.clean());

  std::ofstream(edge.layout.current / "tenants/evil.conf") << "server { server_name evil; }\n";
  report = drift(edge);
  CHECK(report.modified == Paths{"tenants/acme/acme.conf"});
  CHECK(report.unexpected == Paths{"tenants/evil.conf"});

  fs::remove(edge.layout.current / "nginx.conf");
  report = drift(edge);
  CHECK(report.missing == Paths{"nginx.conf"});
  CHECK(report.describe() ==
        "1 modified: tenants/acme/acme.conf; 1 missing: nginx.conf; "
        "1 unexpected: tenants/evil.conf");
}

TEST_CASE("a same-size change is found by its hash") {
  Edge edge;
  applied(edge, 1);
  const fs::path conf = edge.layout.current / "tenants/acme/acme.conf";
  std::string content = contentOf(conf);
  content.replace(content.find("www.acme"), 8, "www.evil");
  std::ofstream(conf, std::ios::trunc) << content;

  CHECK(drift(edge).modified == Paths{"tenants/acme/acme.conf"});
}

TEST_CASE("repair re-applies the serving release from its kept bundle and undoes the drift") {
  Edge edge;
  const std::string drifted = applied(edge, 1);
  const AgentState before = edge.saved();
  append(edge.layout.current / "tenants/acme/acme.conf", "# injected\n");
  std::ofstream(edge.layout.current / "tenants/evil.conf") << "server {}\n";
  REQUIRE_FALSE(drift(edge).clean());
  edge.now = kNow + kDay;

  const ApplyOutcome outcome = edge.applier->repair();

  CHECK_MESSAGE(resultOf(outcome) == "repaired", outcome.reason);
  CHECK(outcome.version == 1);
  CHECK(outcome.digest == before.digest);
  CHECK(outcome.serving_version == 1);
  CHECK(drift(edge).clean());
  REQUIRE(edge.current());
  const std::string repaired = *edge.current();
  CHECK(repaired != drifted);
  CHECK(repaired.starts_with("1-"));
  CHECK(contentOf(edge.layout.current / "tenants/acme/acme.conf") == acmeFiles()[1].content);
  CHECK_FALSE(fs::exists(edge.layout.current / "tenants/evil.conf"));
  // It went through nginx -t, the reload and the checks like any release.
  CHECK(edge.nginx.testCount() == 2);
  CHECK(edge.nginx.reloads.back() == repaired);
  CHECK(edge.prober.confirmed == std::vector<std::uint64_t>{1, 1});

  const AgentState state = edge.saved();
  CHECK(state.version == 1);
  CHECK(state.digest == before.digest);
  CHECK(state.release == repaired);
  CHECK(state.expires_at == before.expires_at);
  CHECK(state.applied_at == before.applied_at);  // a repair is not a new apply
  CHECK(state.last_result == "repaired");
  CHECK(state.last_result_at == kNow + kDay);
  CHECK(edge.bundleFiles() == Paths{before.digest + ".bundle"});
}

TEST_CASE("repair works after a restart and after the kept release has expired") {
  Edge edge;
  applied(edge, 1);
  append(edge.layout.current / "nginx.conf", "# injected\n");
  edge.now += 30 * kDay;  // long past the manifest's expiry
  REQUIRE(edge.restart().reconcile());
  REQUIRE(edge.applier->servingManifest());
  REQUIRE(drift(edge).modified == Paths{"nginx.conf"});

  const ApplyOutcome outcome = edge.applier->repair();

  CHECK_MESSAGE(resultOf(outcome) == "repaired", outcome.reason);
  CHECK(drift(edge).clean());
}

TEST_CASE("a repair that fails its checks rolls back onto the drifted release") {
  Edge edge;
  const std::string drifted = applied(edge, 1);
  append(edge.layout.current / "nginx.conf", "# injected\n");
  edge.prober.probe_fails = true;

  const ApplyOutcome outcome = edge.applier->repair();

  CHECK(resultOf(outcome) == "rolled_back");
  CHECK(edge.current() == drifted);
  CHECK(edge.saved().release == drifted);
  CHECK(edge.releaseDirs() == Paths{drifted});
}

TEST_CASE("repair without its kept bundle fails and changes nothing") {
  Edge edge;
  const std::string name = applied(edge, 1);
  fs::remove(edge.layout.bundles / (edge.saved().digest + ".bundle"));

  const ApplyOutcome outcome = edge.applier->repair();

  CHECK(resultOf(outcome) == "failed");
  CHECK_MESSAGE(outcome.reason.starts_with("cannot repair"), outcome.reason);
  CHECK(edge.current() == name);
  CHECK(edge.nginx.testCount() == 1);
}

TEST_CASE("a kept bundle that no longer verifies is not used for a repair") {
  Edge edge;
  const std::string name = applied(edge, 1);
  const fs::path bundle = edge.layout.bundles / (edge.saved().digest + ".bundle");
  std::string bytes = contentOf(bundle);
  // A different base64 digit inside nginx.conf's content: still a bundle, other bytes.
  char& digit = bytes[bytes.find("\"path\":\"nginx.conf\"") - 10];
  digit = digit == 'A' ? 'B' : 'A';
  std::ofstream(bundle, std::ios::trunc | std::ios::binary) << bytes;

  const ApplyOutcome outcome = edge.applier->repair();

  CHECK(resultOf(outcome) == "failed");
  CHECK_MESSAGE(outcome.reason.find("does not verify") != std::string::npos, outcome.reason);
  CHECK(edge.current() == name);
  CHECK(edge.nginx.testCount() == 1);
}

}  // namespace
}  // namespace vantus::agent

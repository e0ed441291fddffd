// Enrolment over HTTPS: the agent verifies the controller's certificate against its CA file
// and the controller's signing key against the pin, and saves nothing when either fails.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

#include "tests/integration/transport/transport_fixture.h"

namespace vantus::controller {
namespace {

namespace fs = std::filesystem;
using namespace transport_test;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A controller serving HTTPS on 127.0.0.1:<port> with a self-signed "localhost" cert,
// cluster edge-a created.
struct TlsController {
  TlsController() : controller(root.path(), "controller") {
    cert = writeSelfSignedCert(root.path(), "controller");
    controller.appendConfig(
        fmt::format("tls_cert_file: \"{}\"\ntls_key_file: \"{}\"", cert.cert, cert.key));
    port = freePort();
    controller.serve(fmt::format("127.0.0.1:{}", port));
    const bool ready = waitUntil([&] { return httpsStatus(port, cert.cert, "/readyz") == 200; });
    REQUIRE_MESSAGE(ready, slurp(controller.logFile()));
    controller.cli("cluster create --name edge-a");
  }

  std::string url() const { return fmt::format("https://localhost:{}", port); }

  testing::TempDir root;
  Controller controller;
  CertFiles cert;
  int port = 0;
};

TEST_CASE("an agent enrols over HTTPS when its CA file verifies the controller") {
  TlsController f;
  const std::string token = f.controller.enrollToken("edge-a");
  const fs::path node_dir = f.root.path() / "n1";
  testing::CommandResult enrolled =
      agentEnroll(f.url(), token, f.controller.pin(), node_dir, "n1", "--ca-file " + f.cert.cert);
  INFO(enrolled.output);
  REQUIRE(enrolled.exit_code == 0);
  CHECK(contains(enrolled.output, "Enrolled node n1 in cluster edge-a"));
  CHECK(fs::exists(node_dir / "node.key"));
  CHECK(fs::exists(node_dir / "enrollment.json"));
  CHECK(slurp(node_dir / "credential").starts_with("vn_"));
  CHECK(contains(slurp(node_dir / "enrollment.json"), f.controller.pin()));

  testing::CommandResult nodes = f.controller.cli("node list");
  CHECK(contains(nodes.output, "edge-a/n1"));
  CHECK(contains(nodes.output, "pending"));

  // Plain HTTP gets no answer from the TLS port.
  CHECK(httpStatus(f.port, "/healthz") == 0);
}

TEST_CASE("an agent that does not trust the controller's certificate sends nothing") {
  TlsController f;
  const std::string token = f.controller.enrollToken("edge-a");
  const CertFiles stranger = writeSelfSignedCert(f.root.path(), "stranger");

  const fs::path wrong_ca = f.root.path() / "wrong-ca";
  testing::CommandResult untrusted =
      agentEnroll(f.url(), token, f.controller.pin(), wrong_ca, "n1", "--ca-file " + stranger.cert);
  CAPTURE(untrusted.output);
  CHECK(untrusted.exit_code != 0);
  CHECK(filesUnder(wrong_ca).empty());

  const fs::path plain = f.root.path() / "plain";
  testing::CommandResult cleartext = agentEnroll(fmt::format("http://localhost:{}", f.port), token,
                                                 f.controller.pin(), plain, "n1");
  CAPTURE(cleartext.output);
  CHECK(cleartext.exit_code != 0);
  CHECK(filesUnder(plain).empty());

  // Neither attempt reached the controller: no node, and the token is still unspent.
  CHECK(contains(f.controller.cli("node list").output, "no nodes yet"));
  const fs::path good = f.root.path() / "good";
  testing::CommandResult enrolled =
      agentEnroll(f.url(), token, f.controller.pin(), good, "n1", "--ca-file " + f.cert.cert);
  INFO(enrolled.output);
  CHECK(enrolled.exit_code == 0);
}

TEST_CASE("enrolling with http:// against an HTTPS controller says to use https://") {
  TlsController f;
  const fs::path node_dir = f.root.path() / "n1";

  testing::CommandResult enrolled =
      agentEnroll(fmt::format("http://localhost:{}", f.port), f.controller.enrollToken("edge-a"),
                  f.controller.pin(), node_dir, "n1");

  INFO(enrolled.output);
  CHECK(enrolled.exit_code != 0);
  CHECK(contains(enrolled.output, "speaks HTTPS, not plain HTTP"));
  CHECK(contains(enrolled.output, fmt::format("give https://localhost:{}", f.port)));
  CHECK(filesUnder(node_dir).empty());
}

TEST_CASE("an untrusted controller certificate is explained: which CA file to give") {
  TlsController f;
  const CertFiles stranger = writeSelfSignedCert(f.root.path(), "stranger");

  testing::CommandResult enrolled =
      agentEnroll(f.url(), f.controller.enrollToken("edge-a"), f.controller.pin(),
                  f.root.path() / "n1", "n1", "--ca-file " + stranger.cert);

  INFO(enrolled.output);
  CHECK(enrolled.exit_code != 0);
  CHECK(contains(enrolled.output, "is not trusted"));
  CHECK(contains(enrolled.output, "--ca-file"));
}

TEST_CASE("the controller's own readiness answers only to a client that trusts its cert") {
  TlsController f;
  const CertFiles stranger = writeSelfSignedCert(f.root.path(), "stranger");
  CHECK(httpsStatus(f.port, f.cert.cert, "/healthz") == 200);
  CHECK(httpsStatus(f.port, stranger.cert, "/healthz") == 0);
}

TEST_CASE("a wrong pin makes enrol fail and saves nothing") {
  TlsController f;
  const std::string token = f.controller.enrollToken("edge-a");
  const std::string wrong_pin = "SHA256:" + std::string(43, 'A');
  const fs::path node_dir = f.root.path() / "n1";
  testing::CommandResult refused =
      agentEnroll(f.url(), token, wrong_pin, node_dir, "n1", "--ca-file " + f.cert.cert);
  CAPTURE(refused.output);
  CHECK(refused.exit_code != 0);
  CHECK_FALSE(fs::exists(node_dir / "node.key"));
  CHECK_FALSE(fs::exists(node_dir / "enrollment.json"));
  CHECK_FALSE(fs::exists(node_dir / "credential"));
  CHECK(filesUnder(node_dir).empty());
}

TEST_CASE("a wrong pin is explained on the terminal") {
  TlsController f;
  const std::string token = f.controller.enrollToken("edge-a");
  testing::CommandResult refused =
      agentEnroll(f.url(), token, "SHA256:" + std::string(43, 'A'), f.root.path() / "n1", "n1",
                  "--ca-file " + f.cert.cert);
  CHECK(refused.exit_code != 0);
  CHECK_MESSAGE(contains(refused.output, "pinned"), refused.output);
  CHECK_MESSAGE(contains(refused.output, f.controller.pin()), refused.output);
}

// The pin is checked before the token is spent: a refused attempt leaves no node behind.
TEST_CASE("after a wrong pin the node can enrol under its name with the right pin") {
  TlsController f;
  const fs::path node_dir = f.root.path() / "n1";
  testing::CommandResult refused =
      agentEnroll(f.url(), f.controller.enrollToken("edge-a"), "SHA256:" + std::string(43, 'A'),
                  node_dir, "n1", "--ca-file " + f.cert.cert);
  REQUIRE(refused.exit_code != 0);
  REQUIRE(filesUnder(node_dir).empty());
  CHECK_MESSAGE(contains(f.controller.cli("node list").output, "no nodes yet"),
                f.controller.cli("node list").output);

  testing::CommandResult retried =
      agentEnroll(f.url(), f.controller.enrollToken("edge-a"), f.controller.pin(), node_dir, "n1",
                  "--ca-file " + f.cert.cert);
  CHECK_MESSAGE(retried.exit_code == 0, slurp(f.controller.logFile()));
}

}  // namespace
}  // namespace vantus::controller

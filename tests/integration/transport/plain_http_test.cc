// Plain HTTP: refused off loopback unless controller.yaml says allow_plain_http.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>

#include <string>

#include "tests/integration/transport/transport_fixture.h"

namespace vantus::controller {
namespace {

using namespace transport_test;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("serve refuses a non-loopback address without TLS") {
  testing::TempDir root;
  Controller controller(root.path(), "controller");
  const int port = freePort();
  controller.serve(fmt::format("0.0.0.0:{}", port));
  const int status = controller.process().waitExit(std::chrono::seconds(20));
  const std::string log = slurp(controller.logFile());
  INFO(log);
  REQUIRE(status != -1);  // it ended on its own
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) != 0);
  CHECK(contains(log, "tls_cert_file"));
  CHECK(contains(log, "allow_plain_http"));
  CHECK(httpStatus(port, "/healthz") == 0);
}

TEST_CASE("serve binds a non-loopback address in plain HTTP when allow_plain_http is set") {
  testing::TempDir root;
  Controller controller(root.path(), "controller");
  controller.replaceConfig("\nallow_plain_http: false", "\nallow_plain_http: true");
  const int port = freePort();
  controller.serve(fmt::format("0.0.0.0:{}", port));
  const bool healthy = waitUntil([&] { return httpStatus(port, "/healthz") == 200; });
  REQUIRE_MESSAGE(healthy, slurp(controller.logFile()));
  CHECK(httpStatus(port, "/readyz") == 200);

  const int status = controller.stop();
  INFO(slurp(controller.logFile()));
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(contains(slurp(controller.logFile()), "controller.plain_http"));
}

TEST_CASE("serve on loopback needs neither TLS nor allow_plain_http") {
  testing::TempDir root;
  Controller controller(root.path(), "controller");
  const int port = freePort();
  controller.serve(fmt::format("127.0.0.1:{}", port));
  const bool healthy = waitUntil([&] { return httpStatus(port, "/healthz") == 200; });
  REQUIRE_MESSAGE(healthy, slurp(controller.logFile()));
  const int status = controller.stop();
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK_FALSE(contains(slurp(controller.logFile()), "controller.plain_http"));
}

TEST_CASE("enrolling with https:// against a plain-HTTP controller says so and what to do") {
  testing::TempDir root;
  Controller controller(root.path(), "controller");
  controller.cli("cluster create --name edge-a");
  const int port = freePort();
  controller.serve(fmt::format("127.0.0.1:{}", port));
  REQUIRE_MESSAGE(waitUntil([&] { return httpStatus(port, "/healthz") == 200; }),
                  slurp(controller.logFile()));
  const std::filesystem::path node_dir = root.path() / "n1";

  testing::CommandResult enrolled =
      agentEnroll(fmt::format("https://127.0.0.1:{}", port), controller.enrollToken("edge-a"),
                  controller.pin(), node_dir, "n1");

  INFO(enrolled.output);
  CHECK(enrolled.exit_code != 0);
  CHECK(contains(enrolled.output, "speaks plain HTTP, not HTTPS"));
  CHECK(contains(enrolled.output, fmt::format("give http://127.0.0.1:{}", port)));
  CHECK(contains(enrolled.output, "tls_cert_file"));
  CHECK_FALSE(contains(enrolled.output, "SSLConnection"));
  CHECK(filesUnder(node_dir).empty());
}

}  // namespace
}  // namespace vantus::controller

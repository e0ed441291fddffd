// The node credential travels only in the Authorization header: after an enrolment and a few
// seconds of polling and heartbeats at debug level, neither process has logged it.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <string>
#include <thread>
#include <utility>

#include "tests/integration/transport/transport_fixture.h"

namespace vantus::controller {
namespace {

namespace fs = std::filesystem;
using namespace transport_test;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

TEST_CASE("neither the controller nor the agent logs the node credential or the token") {
  testing::TempDir root;
  Controller controller(root.path(), "controller");
  const int port = freePort();
  controller.serve(fmt::format("127.0.0.1:{}", port));
  REQUIRE_MESSAGE(waitUntil([&] { return httpStatus(port, "/readyz") == 200; }),
                  slurp(controller.logFile()));
  controller.cli("cluster create --name edge-a");
  const std::string token = controller.enrollToken("edge-a");

  const fs::path node_dir = root.path() / "n1";
  const std::string url = fmt::format("http://127.0.0.1:{}", port);
  testing::CommandResult enrolled = agentEnroll(url, token, controller.pin(), node_dir, "n1");
  INFO(enrolled.output);
  REQUIRE(enrolled.exit_code == 0);
  const std::string credential = trimmed(slurp(node_dir / "credential"));
  REQUIRE(credential.starts_with("vn_"));
  CHECK_FALSE(contains(enrolled.output, credential));

  const fs::path config = root.path() / "agent.yaml";
  std::ofstream(config) << fmt::format(
      "controller_url: {}\n"
      "state_dir: {}\n"
      "nginx:\n"
      "  http_listen: [\"127.0.0.1:{}\"]\n"
      "  status_listen: 127.0.0.1:{}\n"
      "  start: false\n"
      "poll:\n"
      "  long_poll_s: 1\n"
      "heartbeat_interval_s: 1\n"
      "log_level: debug\n",
      url, node_dir.string(), freePort(), freePort());
  const fs::path agent_log = root.path() / "agent.log";
  {
    Child agent({kAgent, "run", "--config", config.string()}, agent_log);
    const bool online = waitUntil(
        [&] { return contains(controller.cli("node list").output, "edge-a/n1  online"); });
    CHECK_MESSAGE(online, slurp(agent_log));
    // A few more long polls and heartbeats, each carrying the credential.
    std::this_thread::sleep_for(std::chrono::seconds(3));
    CHECK(agent.running());
    const int status = agent.stop(SIGTERM);
    INFO(slurp(agent_log));
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }

  const std::string nodes = controller.cli("node list").output;
  CHECK(contains(nodes, "edge-a/n1"));
  CHECK_FALSE(contains(nodes, "never"));            // seen: it sent a heartbeat
  const int controller_status = controller.stop();  // its log is complete from here on
  CHECK(WIFEXITED(controller_status));
  CHECK(WEXITSTATUS(controller_status) == 0);

  const std::string agent_text = slurp(agent_log);
  const std::string controller_text = slurp(controller.logFile());
  CHECK(contains(agent_text, "agent.starting"));
  CHECK(contains(controller_text, "node.enrolled"));
  const std::string secret = credential.substr(3);
  const std::string token_secret = token.substr(3);
  for (const auto& [name, text] :
       {std::pair{"agent", agent_text}, std::pair{"controller", controller_text}}) {
    CAPTURE(name);
    CHECK_FALSE(contains(text, credential));
    CHECK_FALSE(contains(text, secret));
    CHECK_FALSE(contains(text, token_secret));
  }
}

}  // namespace
}  // namespace vantus::controller

#include "agent/config/agent_config.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <fstream>
#include <string>

#include "tests/support/temp_dir.h"

namespace vantus::agent {
namespace {

using namespace std::chrono_literals;
using vantus::testing::TempDir;

constexpr std::string_view kMinimal =
    "controller_url: https://controller.example:8440\n"
    "state_dir: /var/lib/vantus-agent\n"
    "nginx:\n"
    "  http_listen: [\"0.0.0.0:80\"]\n";

constexpr std::string_view kFull =
    "controller_url: https://controller.example:8440/\n"
    "ca_file: /etc/vantus/ca.pem\n"
    "allow_plain_http: true\n"
    "state_dir: /srv/agent\n"
    "heartbeat_interval_s: 30\n"
    "drift_check_interval_s: 600\n"
    "keep_releases: 3\n"
    "log_level: debug\n"
    "nginx:\n"
    "  binary: /opt/nginx/sbin/nginx\n"
    "  runtime_dir: /run/vantus-nginx\n"
    "  http_listen: [\"10.0.0.5:8080\", \"[::1]:8080\"]\n"
    "  https_listen: [\"10.0.0.5:8443\"]\n"
    "  status_listen: 127.0.0.1:9081\n"
    "  worker_processes: 4\n"
    "  worker_connections: 4096\n"
    "  start: false\n"
    "  tls_dir: /etc/vantus/tls\n"
    "  test_timeout_s: 30\n"
    "  reload_confirm_timeout_s: 5\n"
    "poll:\n"
    "  interval_ms: 2000\n"
    "  jitter_percent: 50\n"
    "  long_poll_s: 0\n"
    "probe:\n"
    "  address: 10.0.0.5:8080\n"
    "  expected_status: 200-399,404\n"
    "  timeout_ms: 750\n";

AgentConfig parsed(std::string_view yaml) {
  auto config = parseAgentConfig(yaml, "agent.yaml");
  if (!config) {
    FAIL_CHECK(config.error().describe());
    return {};
  }
  return *config;
}

// Checks the refusal names `field` and returns its message.
std::string refused(std::string_view yaml, const std::string& field) {
  INFO(yaml);
  auto config = parseAgentConfig(yaml, "agent.yaml");
  REQUIRE_FALSE(config);
  CHECK(config.error().code == ErrorCode::kInvalidInput);
  CHECK(config.error().field == field);
  return config.error().message;
}

// kMinimal with `extra` appended (a top-level section or key).
std::string minimalWith(std::string_view extra) {
  return std::string(kMinimal) + std::string(extra);
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("a file naming every key yields exactly those values") {
  const AgentConfig config = parsed(kFull);
  CHECK(config.controller_url == "https://controller.example:8440");  // trailing '/' dropped
  CHECK(config.ca_file == "/etc/vantus/ca.pem");
  CHECK(config.allow_plain_http);
  CHECK(config.state_dir == "/srv/agent");
  CHECK(config.heartbeat_interval == 30s);
  CHECK(config.drift_check_interval == 600s);
  CHECK(config.keep_releases == 3);
  CHECK(config.log_level == log::Level::kDebug);
  CHECK(config.nginx_binary == "/opt/nginx/sbin/nginx");
  CHECK(config.runtime_dir == "/run/vantus-nginx");
  CHECK(config.http_listen == std::vector<std::string>{"10.0.0.5:8080", "[::1]:8080"});
  CHECK(config.https_listen == std::vector<std::string>{"10.0.0.5:8443"});
  CHECK(config.status_listen == "127.0.0.1:9081");
  CHECK(config.worker_processes == 4);
  CHECK(config.worker_connections == 4096);
  CHECK_FALSE(config.start_nginx);
  CHECK(config.tls_dir == "/etc/vantus/tls");
  CHECK(config.nginx_test_timeout == 30s);
  CHECK(config.reload_confirm_timeout == 5s);
  CHECK(config.poll_interval == 2000ms);
  CHECK(config.poll_jitter == doctest::Approx(0.5));
  CHECK(config.long_poll == 0s);
  CHECK(config.probe_address == "10.0.0.5:8080");
  CHECK(config.probe_timeout == 750ms);
  CHECK(config.probe_expected_status.ranges ==
        std::vector<std::pair<int, int>>{{200, 399}, {404, 404}});
}

TEST_CASE("only the three required keys: everything else takes its documented default") {
  const AgentConfig config = parsed(kMinimal);
  CHECK(config.controller_url == "https://controller.example:8440");
  CHECK(config.state_dir == "/var/lib/vantus-agent");
  CHECK(config.runtime_dir == "/var/lib/vantus-agent/nginx");
  CHECK(config.probe_address == "127.0.0.1:80");
  CHECK(config.ca_file.empty());
  CHECK_FALSE(config.allow_plain_http);
  CHECK(config.nginx_binary == "/usr/sbin/nginx");
  CHECK(config.https_listen.empty());
  CHECK(config.status_listen == "127.0.0.1:8081");
  CHECK(config.worker_processes == 0);
  CHECK(config.worker_connections == 1024);
  CHECK(config.start_nginx);
  CHECK(config.tls_dir.empty());
  CHECK(config.poll_interval == 5000ms);
  CHECK(config.poll_jitter == doctest::Approx(0.2));
  CHECK(config.long_poll == 25s);
  CHECK(config.heartbeat_interval == 15s);
  CHECK(config.drift_check_interval == 60s);
  CHECK(config.probe_timeout == 3000ms);
  CHECK(config.nginx_test_timeout == 120s);
  CHECK(config.reload_confirm_timeout == 15s);
  CHECK(config.keep_releases == 5);
  CHECK(config.log_level == log::Level::kInfo);
  CHECK(config.probe_expected_status.contains(100));
  CHECK(config.probe_expected_status.contains(599));
}

TEST_CASE("the probe address is the first HTTP listener with a wildcard host made loopback") {
  auto probeFor = [](std::string_view listen) {
    return parsed(fmt::format("controller_url: https://c.example\nstate_dir: /s\nnginx:\n"
                              "  http_listen: [\"{}\", \"10.9.9.9:81\"]\n",
                              listen))
        .probe_address;
  };
  CHECK(probeFor("0.0.0.0:80") == "127.0.0.1:80");
  CHECK(probeFor("*:8080") == "127.0.0.1:8080");
  CHECK(probeFor("[::]:80") == "[::1]:80");
  CHECK(probeFor("10.0.0.5:8080") == "10.0.0.5:8080");
}

TEST_CASE("an unknown key is refused with its dotted name and line") {
  std::string message = refused(minimalWith("  colour: blue\n"), "nginx.colour");
  CHECK_MESSAGE(contains(message, "agent.yaml:5"), message);
  CHECK_MESSAGE(contains(message, "unknown key"), message);
  refused(minimalWith("colour: blue\n"), "colour");
  refused(minimalWith("poll:\n  every_ms: 10\n"), "poll.every_ms");
  refused(minimalWith("probe:\n  adress: 127.0.0.1:80\n"), "probe.adress");
}

TEST_CASE("a key given twice is refused") {
  std::string message =
      refused(minimalWith("keep_releases: 3\nkeep_releases: 4\n"), "keep_releases");
  CHECK_MESSAGE(contains(message, "twice"), message);
}

TEST_CASE("each required key is refused when missing") {
  refused("state_dir: /s\nnginx:\n  http_listen: [\"0.0.0.0:80\"]\n", "controller_url");
  refused("controller_url: https://c.example\nnginx:\n  http_listen: [\"0.0.0.0:80\"]\n",
          "state_dir");
  refused("controller_url: https://c.example\nstate_dir: /s\n", "nginx.http_listen");
  refused("controller_url: https://c.example\nstate_dir: /s\nnginx:\n  http_listen: []\n",
          "nginx.http_listen");
  refused("", "controller_url");
}

TEST_CASE("numbers outside their range or not whole numbers are refused, naming the key") {
  CHECK(contains(refused(minimalWith("keep_releases: 1\n"), "keep_releases"), "2..100"));
  refused(minimalWith("keep_releases: 101\n"), "keep_releases");
  refused(minimalWith("keep_releases: 3.5\n"), "keep_releases");
  refused(minimalWith("keep_releases: many\n"), "keep_releases");
  refused(minimalWith("heartbeat_interval_s: 0\n"), "heartbeat_interval_s");
  refused(minimalWith("drift_check_interval_s: 86401\n"), "drift_check_interval_s");
  refused(minimalWith("  worker_connections: 63\n"), "nginx.worker_connections");
  refused(minimalWith("  worker_processes: -1\n"), "nginx.worker_processes");
  refused(minimalWith("  test_timeout_s: 3601\n"), "nginx.test_timeout_s");
  refused(minimalWith("  reload_confirm_timeout_s: 0\n"), "nginx.reload_confirm_timeout_s");
  refused(minimalWith("poll:\n  interval_ms: 99\n"), "poll.interval_ms");
  refused(minimalWith("poll:\n  jitter_percent: 101\n"), "poll.jitter_percent");
  refused(minimalWith("poll:\n  long_poll_s: 301\n"), "poll.long_poll_s");
  refused(minimalWith("probe:\n  timeout_ms: 9\n"), "probe.timeout_ms");
  // The bounds themselves are allowed.
  CHECK(parsed(minimalWith("keep_releases: 2\n")).keep_releases == 2);
  CHECK(parsed(minimalWith("keep_releases: 100\n")).keep_releases == 100);
}

TEST_CASE("wrong types and relative paths are refused") {
  refused(
      "controller_url: https://c.example\nstate_dir: relative/dir\nnginx:\n"
      "  http_listen: [\"0.0.0.0:80\"]\n",
      "state_dir");
  refused(minimalWith("  binary: nginx\n"), "nginx.binary");
  refused(minimalWith("  start: maybe\n"), "nginx.start");
  refused(minimalWith("  status_listen: [a, b]\n"), "nginx.status_listen");
  refused(minimalWith("  https_listen: 0.0.0.0:443\n"), "nginx.https_listen");
  refused(minimalWith("poll: 5\n"), "poll");
  refused(minimalWith("log_level: loud\n"), "log_level");
  refused("- just\n- a list\n", "");
}

TEST_CASE("not valid YAML is refused naming the origin") {
  auto config = parseAgentConfig("controller_url: [unclosed\n", "agent.yaml");
  REQUIRE_FALSE(config);
  CHECK(config.error().code == ErrorCode::kInvalidInput);
  CHECK_MESSAGE(contains(config.error().message, "agent.yaml:"), config.error().message);
}

TEST_CASE("a bad expected_status is refused as probe.expected_status") {
  refused(minimalWith("probe:\n  expected_status: 600\n"), "probe.expected_status");
}

TEST_CASE("the loader reads the file and names it in errors") {
  TempDir dir;
  auto missing = loadAgentConfig(dir.path() / "agent.yaml");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ErrorCode::kNotFound);

  const std::string path = dir / "agent.yaml";
  std::ofstream(path) << kMinimal << "  colour: blue\n";
  auto loaded = loadAgentConfig(path);
  REQUIRE_FALSE(loaded);
  CHECK_MESSAGE(contains(loaded.error().message, path + ":5"), loaded.error().message);
}

TEST_CASE("status ranges: single statuses and inclusive ranges, comma separated") {
  auto ranges = parseStatusRanges("200-399,404");
  REQUIRE(ranges);
  CHECK(ranges->ranges == std::vector<std::pair<int, int>>{{200, 399}, {404, 404}});
  CHECK(ranges->contains(200));
  CHECK(ranges->contains(399));
  CHECK(ranges->contains(404));
  CHECK_FALSE(ranges->contains(199));
  CHECK_FALSE(ranges->contains(400));
  CHECK_FALSE(ranges->contains(500));

  auto spaced = parseStatusRanges(" 200 , 301-302 ");
  REQUIRE(spaced);
  CHECK(spaced->ranges == std::vector<std::pair<int, int>>{{200, 200}, {301, 302}});
}

TEST_CASE("status ranges outside 100..599, reversed, malformed or empty are refused") {
  for (std::string_view bad :
       {"600", "99", "300-200", "", "abc", "200-", "-300", "200,,404", "200-300-400", "2OO"}) {
    INFO(bad);
    auto ranges = parseStatusRanges(bad);
    REQUIRE_FALSE(ranges);
    CHECK(ranges.error().code == ErrorCode::kInvalidInput);
    CHECK(ranges.error().field == "probe.expected_status");
  }
}

}  // namespace
}  // namespace vantus::agent

#include "common/log/log.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace vantus::log {
namespace {

struct CapturedLog {
  std::vector<std::string> lines;
  CapturedLog() {
    setSink([this](std::string_view line) { lines.emplace_back(line); });
  }
  ~CapturedLog() { setSink(nullptr); }
};

TEST_CASE("log lines are single JSON objects with event, level and fields") {
  CapturedLog captured;
  info("deploy.done", {{"tenant", "acme"}, {"version", 7}});
  REQUIRE(captured.lines.size() == 1);
  auto line = nlohmann::json::parse(captured.lines[0]);
  CHECK(line["event"] == "deploy.done");
  CHECK(line["level"] == "info");
  CHECK(line["tenant"] == "acme");
  CHECK(line["version"] == 7);
  CHECK(captured.lines[0].back() == '\n');
}

TEST_CASE("secrets never reach the sink, however they are nested") {
  CapturedLog captured;
  warn("auth.failed", {{"password", "hunter2"},
                       {"headers", {{"Authorization", "Bearer abc"}}},
                       {"note", "token vt_ab12_secretsecret was used"},
                       {"list", {"fine", "Bearer xyz"}},
                       {"user", "ada@example.com"}});
  REQUIRE(captured.lines.size() == 1);
  const std::string& text = captured.lines[0];
  CHECK(text.find("hunter2") == std::string::npos);
  CHECK(text.find("abc") == std::string::npos);
  CHECK(text.find("secretsecret") == std::string::npos);
  CHECK(text.find("xyz") == std::string::npos);
  CHECK(text.find("ada@example.com") != std::string::npos);
}

TEST_CASE("redactCredentialsIn replaces only the credential-shaped parts of a text") {
  const std::string secret(43, 'A');
  CHECK(redactCredentialsIn("curl/8.0 vt_0123456789ab_" + secret + " (x)") ==
        "curl/8.0 [redacted] (x)");
  CHECK(redactCredentialsIn("node vn_" + secret + ", enrol ve_" + secret) ==
        "node [redacted], enrol [redacted]");
  CHECK(redactCredentialsIn("Authorization: bearer abc.def") == "Authorization: bearer [redacted]");
  CHECK(redactCredentialsIn("Basic dXNlcjpwYXNz") == "Basic [redacted]");
  CHECK(redactCredentialsIn("a -----BEGIN PRIVATE KEY-----\nMC4=\n-----END PRIVATE KEY----- b") ==
        "a [redacted] b");
  CHECK(redactCredentialsIn("vt_short and ve_x") == "vt_short and ve_x");
  CHECK(redactCredentialsIn("SHA256:" + secret) == "SHA256:" + secret);
}

TEST_CASE("lines below the level are dropped") {
  CapturedLog captured;
  setLevel(Level::kWarn);
  info("quiet");
  error("loud");
  setLevel(Level::kInfo);
  REQUIRE(captured.lines.size() == 1);
  CHECK(captured.lines[0].find("loud") != std::string::npos);
}

}  // namespace
}  // namespace vantus::log

#include "controller/app/controller_config.h"

#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "controller/app/state_dir.h"
#include "tests/support/temp_dir.h"

namespace vantus::controller {
namespace {

using vantus::testing::TempDir;

void checkDefaults(const ControllerConfig& config) {
  CHECK(config.listen == HostPort{"127.0.0.1", 8440});
  CHECK(config.committer_name == "Vantus");
  CHECK(config.committer_email == "controller@vantus.local");
  CHECK(config.release_expiry_days == 7);
  CHECK(config.resign_before_hours == 48);
  CHECK(config.nginx_binary == "/usr/sbin/nginx");
  CHECK(config.precheck);
  CHECK(config.log_level == log::Level::kInfo);
  CHECK(config.public_url.empty());
  CHECK(config.session_idle_minutes == 30);
  CHECK(config.session_absolute_hours == 12);
}

ControllerConfig parseOk(const std::string& yaml) {
  auto config = parseControllerConfig(yaml, "controller.yaml");
  if (!config) {
    FAIL_CHECK(config.error().describe());
    return {};
  }
  return *config;
}

// Returns the message after checking the error names `field`.
std::string refused(const std::string& yaml, const std::string& field) {
  auto config = parseControllerConfig(yaml, "controller.yaml");
  REQUIRE_FALSE(config);
  INFO(yaml);
  CHECK(config.error().code == ErrorCode::kInvalidInput);
  CHECK(config.error().field == field);
  return config.error().message;
}

std::string writeFile(const TempDir& dir, const std::string& content) {
  std::string path = dir / "controller.yaml";
  std::ofstream(path) << content;
  return path;
}

TEST_CASE("an empty or comment-only file yields the defaults") {
  checkDefaults(parseOk(""));
  checkDefaults(parseOk("# nothing set yet\n"));
  checkDefaults(ControllerConfig{});
}

TEST_CASE("the default file parses back to exactly the defaults and names every key") {
  std::string yaml = defaultControllerConfigYaml();
  checkDefaults(parseOk(yaml));
  for (const char* key :
       {"listen:", "committer_name:", "committer_email:", "release_expiry_days:",
        "resign_before_hours:", "nginx_binary:", "precheck:", "log_level:", "public_url:"}) {
    CHECK_MESSAGE(yaml.find(std::string("\n") + key) != std::string::npos, key);
  }
  CHECK(yaml.find("# ") != std::string::npos);
}

TEST_CASE("trusted proxies are canonical CIDRs; the forwarded header and node budget are checked") {
  const std::string yaml = defaultControllerConfigYaml();
  CHECK(yaml.find("\n# trusted_proxies: ") != std::string::npos);
  CHECK(yaml.find("\nforwarded_header: x-forwarded-for\n") != std::string::npos);
  CHECK(yaml.find("\nrate_limit_node_requests_per_minute: 240\n") != std::string::npos);
  ControllerConfig defaults = parseOk(yaml);
  CHECK(defaults.trusted_proxies.empty());
  CHECK(defaults.rate_limit_node_requests_per_minute == 240);

  ControllerConfig set = parseOk(
      "trusted_proxies: [\"127.0.0.1\", \"10.0.0.0/8\", \"2001:DB8::/32\"]\n"
      "forwarded_header: forwarded\nrate_limit_node_requests_per_minute: 0\n");
  CHECK(set.trusted_proxies ==
        std::vector<std::string>{"127.0.0.1/32", "10.0.0.0/8", "2001:db8::/32"});
  CHECK(set.forwarded_header == ForwardedHeader::kForwarded);
  CHECK(set.rate_limit_node_requests_per_minute == 0);

  CHECK(refused("trusted_proxies: [\"10.0.0.1/8\"]\n", "trusted_proxies").find("10.0.0.0/8") !=
        std::string::npos);
  CHECK(refused("trusted_proxies: 10.0.0.0/8\n", "trusted_proxies").find("list") !=
        std::string::npos);
  CHECK(refused("forwarded_header: x-real-ip\n", "forwarded_header").find("x-forwarded-for") !=
        std::string::npos);
  refused("rate_limit_node_requests_per_minute: -1\n", "rate_limit_node_requests_per_minute");
}

TEST_CASE("web UI session timeouts are settings with bounds") {
  const std::string yaml = defaultControllerConfigYaml();
  CHECK(yaml.find("\nsession_idle_minutes: 30\n") != std::string::npos);
  CHECK(yaml.find("\nsession_absolute_hours: 12\n") != std::string::npos);
  const ControllerConfig set = parseOk("session_idle_minutes: 5\nsession_absolute_hours: 1\n");
  CHECK(set.session_idle_minutes == 5);
  CHECK(set.session_absolute_hours == 1);
  refused("session_idle_minutes: 0\n", "session_idle_minutes");
  refused("session_absolute_hours: 721\n", "session_absolute_hours");
}

TEST_CASE("the loader reads the file and names it in errors") {
  TempDir dir;
  auto missing = loadControllerConfig(dir.path() / "controller.yaml");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ErrorCode::kNotFound);

  std::string path = writeFile(dir, defaultControllerConfigYaml());
  auto loaded = loadControllerConfig(path);
  REQUIRE(loaded);
  checkDefaults(*loaded);

  writeFile(dir, "precheck: true\nlog_level: loud\n");
  auto bad = loadControllerConfig(path);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().field == "log_level");
  CHECK(bad.error().message.find(path + ":2:") == 0);
}

TEST_CASE("every key can be set") {
  auto config = parseOk(R"(
listen: "[::1]:9000"
committer_name: Platform Team
committer_email: platform@example.com
release_expiry_days: 30
resign_before_hours: 719
nginx_binary: /opt/nginx/sbin/nginx
precheck: false
log_level: debug
public_url: https://vantus.example.com/
)");
  CHECK(config.listen == HostPort{"::1", 9000});
  CHECK(config.committer_name == "Platform Team");
  CHECK(config.committer_email == "platform@example.com");
  CHECK(config.release_expiry_days == 30);
  CHECK(config.resign_before_hours == 719);
  CHECK(config.nginx_binary == "/opt/nginx/sbin/nginx");
  CHECK_FALSE(config.precheck);
  CHECK(config.log_level == log::Level::kDebug);
  CHECK(config.public_url == "https://vantus.example.com");
  CHECK(parseOk("log_level: warn").log_level == log::Level::kWarn);
  CHECK(parseOk("log_level: error").log_level == log::Level::kError);
  CHECK(parseOk("listen: localhost:0").listen == HostPort{"localhost", 0});
  CHECK(parseOk("public_url: http://10.0.0.5:8440/vantus").public_url ==
        "http://10.0.0.5:8440/vantus");
  CHECK(parseOk("public_url: \"\"").public_url.empty());
}

TEST_CASE("unknown and repeated keys are refused by name") {
  std::string message = refused("listen: 127.0.0.1:1\nlisten_port: 80\n", "listen_port");
  CHECK(message.find("controller.yaml:2:") == 0);
  CHECK(message.find("unknown key \"listen_port\"") != std::string::npos);
  CHECK(message.find("listen, committer_name") != std::string::npos);
  refused("precheck: true\nprecheck: false\n", "precheck");
}

TEST_CASE("a file that is not a map of scalars is refused") {
  CHECK(refused("- listen\n- precheck\n", "").find("map") != std::string::npos);
  CHECK(refused("listen: [a, b\n", "").find("not valid YAML") != std::string::npos);
  CHECK(refused("just a string\n", "").find("map") != std::string::npos);
  refused("? [a]\n: 1\n", "");
  std::string empty_value = refused("precheck: true\nlisten:\n", "listen");
  CHECK(empty_value.find("controller.yaml:2: listen has no value") == 0);
  CHECK(refused("committer_name: [a]\n", "committer_name").find("single value") !=
        std::string::npos);
  CHECK(refused("precheck: {a: 1}\n", "precheck").find("single value") != std::string::npos);
}

TEST_CASE("listen must be host:port with an IP literal or localhost") {
  for (const char* bad :
       {"8440", "127.0.0.1", "127.0.0.1:", "127.0.0.1:70000", "127.0.0.1:-1", "127.0.0.1:80x",
        "example.com:80", "::1:80", "[::1]", "[nope]:80", ":80", "256.1.1.1:80"}) {
    refused(std::string("listen: \"") + bad + "\"\n", "listen");
  }
}

TEST_CASE("committer identity must be usable in a git header") {
  refused("committer_name: \"\"\n", "committer_name");
  refused("committer_name: \"Eve <evil>\"\n", "committer_name");
  refused("committer_name: \"tab\\there\"\n", "committer_name");
  refused("committer_name: \" padded\"\n", "committer_name");
  refused("committer_name: " + std::string(101, 'x') + "\n", "committer_name");
  for (const char* bad : {"nobody", "@example.com", "me@", "a@b@c", "a b@c", "<a@b>"}) {
    refused(std::string("committer_email: \"") + bad + "\"\n", "committer_email");
  }
}

TEST_CASE("release_expiry_days is a whole number of days from 1 to 365") {
  CHECK(parseOk("release_expiry_days: 1\nresign_before_hours: 23\n").release_expiry_days == 1);
  CHECK(parseOk("release_expiry_days: 365").release_expiry_days == 365);
  CHECK(parseOk("release_expiry_days: 010").release_expiry_days == 10);
  for (const char* bad : {"0", "366", "-1", "seven", "7.5", "99999999999999999999", "true"}) {
    std::string message =
        refused(std::string("release_expiry_days: ") + bad + "\n", "release_expiry_days");
    CHECK(message.find("from 1 to 365") != std::string::npos);
  }
}

TEST_CASE("resign_before_hours is at least 1 and less than the expiry") {
  CHECK(parseOk("resign_before_hours: 1").resign_before_hours == 1);
  CHECK(parseOk("resign_before_hours: 167").resign_before_hours == 167);
  refused("resign_before_hours: 0\n", "resign_before_hours");
  CHECK(refused("resign_before_hours: 168\n", "resign_before_hours").find("from 1 to 167") !=
        std::string::npos);
  // Order of the keys does not matter.
  refused("resign_before_hours: 100\nrelease_expiry_days: 4\n", "resign_before_hours");
  // Shortening the expiry below the default lead time names the default.
  std::string message = refused("release_expiry_days: 1\n", "resign_before_hours");
  CHECK(message.find("default") != std::string::npos);
  CHECK(message.find("from 1 to 23") != std::string::npos);
}

TEST_CASE("nginx_binary is an absolute path, which need not exist") {
  CHECK(parseOk("nginx_binary: /nowhere/nginx").nginx_binary == "/nowhere/nginx");
  refused("nginx_binary: nginx\n", "nginx_binary");
  refused("nginx_binary: \"\"\n", "nginx_binary");
}

TEST_CASE("precheck is a boolean and log_level one of four names") {
  refused("precheck: maybe\n", "precheck");
  refused("precheck: 2\n", "precheck");
  refused("log_level: verbose\n", "log_level");
  refused("log_level: INFO\n", "log_level");
}

TEST_CASE("public_url is empty or an http(s) URL without credentials, query or fragment") {
  for (const char* bad : {"ftp://x", "vantus.example.com", "https://", "https:///path",
                          "https://user:pw@x", "https://x/?q=1", "https://x/#top", "https://x y"}) {
    refused(std::string("public_url: \"") + bad + "\"\n", "public_url");
  }
}

TEST_CASE("the state directory layout names every path under the root") {
  StateDirLayout layout = stateDirLayout("/var/lib/vantus");
  CHECK(layout.root == "/var/lib/vantus");
  CHECK(layout.config == "/var/lib/vantus/controller.yaml");
  CHECK(layout.lock_file == "/var/lib/vantus/controller.lock");
  CHECK(layout.database == "/var/lib/vantus/vantus.db");
  CHECK(layout.repository == "/var/lib/vantus/config.git");
  CHECK(layout.keys == "/var/lib/vantus/keys");
  CHECK(layout.signing_key == "/var/lib/vantus/keys/signing.key");
  CHECK(layout.signing_public_key == "/var/lib/vantus/keys/signing.pub");
  CHECK(layout.signing_public_key_ssh == "/var/lib/vantus/keys/signing.pub.ssh");
  CHECK(layout.allowed_signers == "/var/lib/vantus/keys/allowed_signers");
  CHECK(layout.bundles == "/var/lib/vantus/bundles");
  CHECK(layout.precheck == "/var/lib/vantus/precheck");
}

// --- smtp: and invitation_valid_days ---

const std::string kPublicUrl = "public_url: https://vantus.example.com\n";

TEST_CASE("smtp is off by default and invitations work for 7 days") {
  const ControllerConfig config = parseOk(defaultControllerConfigYaml());
  CHECK_FALSE(config.smtp);
  CHECK(config.invitation_valid_days == 7);
  CHECK(parseOk("invitation_valid_days: 30\n").invitation_valid_days == 30);
  refused("invitation_valid_days: 0\n", "invitation_valid_days");
}

TEST_CASE("an smtp section with every setting") {
  const ControllerConfig config = parseOk(kPublicUrl + R"(smtp:
  url: "smtp://mail.example.com:587"
  from: vantus@example.com
  from_name: Vantus Platform
  username: vantus
  password_file: /etc/vantus/smtp-password
  ca_file: /etc/vantus/mail-ca.pem
  connect_timeout_seconds: 5
  timeout_seconds: 20
)");
  REQUIRE(config.smtp);
  CHECK(config.smtp->url == "smtp://mail.example.com:587");
  CHECK(config.smtp->starttls);
  CHECK(config.smtp->from == "vantus@example.com");
  CHECK(config.smtp->from_name == "Vantus Platform");
  CHECK(config.smtp->username == "vantus");
  CHECK(config.smtp->password_file == "/etc/vantus/smtp-password");
  CHECK(config.smtp->ca_file == "/etc/vantus/mail-ca.pem");
  CHECK(config.smtp->connect_timeout_seconds == 5);
  CHECK(config.smtp->timeout_seconds == 20);
  CHECK(parseOk(kPublicUrl + "smtp:\n  url: smtps://mail.example.com\n  from: a@example.com\n")
            .smtp->url == "smtps://mail.example.com");
}

TEST_CASE("smtp refuses what would leak or could not work, and says what to do") {
  const std::string base = "smtp:\n  url: smtp://mail.example.com:587\n  from: a@example.com\n";
  CHECK(refused(base, "public_url").find("needs public_url") != std::string::npos);
  CHECK(refused(kPublicUrl + base + "  password: hunter2hunter2\n", "smtp.password")
            .find("password_file") != std::string::npos);
  CHECK(refused(kPublicUrl + base + "  starttls: false\n", "smtp.starttls").find("loopback") !=
        std::string::npos);
  CHECK(parseOk(kPublicUrl + "smtp:\n  url: smtp://127.0.0.1:2525\n  from: a@example.com\n"
                             "  starttls: false\n")
            .smtp->starttls == false);
  refused(kPublicUrl +
              "smtp:\n  url: smtps://127.0.0.1:2525\n  from: a@example.com\n"
              "  starttls: false\n",
          "smtp.starttls");
  refused(kPublicUrl + base + "  username: vantus\n", "smtp.password_file");
  refused(kPublicUrl + base + "  password_file: relative/path\n", "smtp.password_file");
  refused(kPublicUrl + base + "  colour: blue\n", "smtp.colour");
  refused(kPublicUrl + base + "  timeout_seconds: 0\n", "smtp.timeout_seconds");
  refused(kPublicUrl + "smtp:\n  url: http://mail.example.com\n  from: a@example.com\n",
          "smtp.url");
  refused(kPublicUrl + "smtp:\n  url: smtp://u:p@mail.example.com\n  from: a@example.com\n",
          "smtp.url");
  refused(kPublicUrl + "smtp:\n  url: smtp://mail.example.com\n  from: \"a@x\\r\\nBcc: e@x\"\n",
          "smtp.from");
  refused(kPublicUrl + "smtp:\n  url: smtp://mail.example.com\n", "smtp.from");
  refused(kPublicUrl + "smtp: smtp://mail.example.com\n", "smtp");
}

}  // namespace
}  // namespace vantus::controller

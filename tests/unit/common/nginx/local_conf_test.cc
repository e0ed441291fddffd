#include "common/nginx/local_conf.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/support/temp_dir.h"

namespace vantus::nginx {
namespace {

NginxLocalSettings typical() {
  NginxLocalSettings settings;
  settings.runtime_dir = "/run/vantus-nginx";
  settings.http_listen = {"*:80", "[::]:80"};
  settings.https_listen = {"0.0.0.0:443"};
  settings.status_listen = "127.0.0.1:8081";
  settings.release_version = 42;
  settings.worker_processes = 2;
  return settings;
}

std::map<std::string, std::string> render(const NginxLocalSettings& settings) {
  auto files = renderLocalFiles(settings);
  REQUIRE_MESSAGE(files.has_value(), (files ? "" : files.error().describe()));
  std::map<std::string, std::string> by_path;
  for (const LocalFile& file : *files) {
    by_path[file.path] = file.content;
  }
  return by_path;
}

// The file without its leading comment line.
std::string body(const std::string& content) { return content.substr(content.find('\n') + 1); }

Error renderError(const NginxLocalSettings& settings) {
  auto files = renderLocalFiles(settings);
  REQUIRE_FALSE(files.has_value());
  CHECK(files.error().code == ErrorCode::kInvalidInput);
  return files.error();
}

TEST_CASE("the local files follow the contract") {
  auto files = renderLocalFiles(typical());
  REQUIRE(files.has_value());
  std::vector<std::string> paths;
  for (const LocalFile& file : *files) {
    paths.push_back(file.path);
    CHECK(file.content.starts_with("# node-local"));
  }
  CHECK(paths ==
        std::vector<std::string>{"local/main.conf", "local/events.conf", "local/http.conf",
                                 "local/listen-http.conf", "local/listen-http-default.conf",
                                 "local/listen-https.conf", "local/listen-https-default.conf",
                                 "local/listen-status.conf", "local/release.conf"});

  auto by_path = render(typical());
  CHECK(body(by_path["local/main.conf"]) ==
        "pid /run/vantus-nginx/nginx.pid;\n"
        "error_log /run/vantus-nginx/error.log warn;\n"
        "worker_processes 2;\n");
  CHECK(body(by_path["local/events.conf"]) == "worker_connections 1024;\n");
  CHECK(body(by_path["local/http.conf"]) ==
        "access_log /run/vantus-nginx/access.log vantus_json;\n"
        "client_body_temp_path /run/vantus-nginx/client_body_temp;\n"
        "proxy_temp_path /run/vantus-nginx/proxy_temp;\n"
        "fastcgi_temp_path /run/vantus-nginx/fastcgi_temp;\n"
        "uwsgi_temp_path /run/vantus-nginx/uwsgi_temp;\n"
        "scgi_temp_path /run/vantus-nginx/scgi_temp;\n");
  CHECK(body(by_path["local/listen-http.conf"]) == "listen 0.0.0.0:80;\nlisten [::]:80;\n");
  CHECK(body(by_path["local/listen-http-default.conf"]) ==
        "listen 0.0.0.0:80 default_server;\nlisten [::]:80 default_server;\n");
  CHECK(body(by_path["local/listen-https.conf"]) == "listen 0.0.0.0:443 ssl;\n");
  CHECK(body(by_path["local/listen-https-default.conf"]) ==
        "listen 0.0.0.0:443 ssl default_server;\n");
  CHECK(body(by_path["local/listen-status.conf"]) == "listen 127.0.0.1:8081;\n");
  CHECK(body(by_path["local/release.conf"]) == "return 200 \"42\\n\";\n");
}

TEST_CASE("without HTTPS addresses the TLS servers get a unix socket, never port 80") {
  NginxLocalSettings settings = typical();
  settings.https_listen.clear();
  settings.runtime_dir = "/var/lib/vantus/run/";  // a trailing slash is dropped
  auto by_path = render(settings);
  CHECK(body(by_path["local/listen-https.conf"]) ==
        "listen unix:/var/lib/vantus/run/https-disabled.sock ssl;\n");
  CHECK(body(by_path["local/listen-https-default.conf"]) ==
        "listen unix:/var/lib/vantus/run/https-disabled.sock ssl default_server;\n");
}

TEST_CASE("listen addresses are normalised") {
  NginxLocalSettings settings = typical();
  settings.http_listen = {"[0:0::0:1]:8080", "10.1.2.3:8080"};
  settings.https_listen = {"[2001:DB8::1]:8443"};
  settings.status_listen = "[::1]:9000";
  settings.worker_processes = 0;
  settings.worker_connections = 4096;
  auto by_path = render(settings);
  CHECK(body(by_path["local/listen-http.conf"]) == "listen [::1]:8080;\nlisten 10.1.2.3:8080;\n");
  CHECK(body(by_path["local/listen-https.conf"]) == "listen [2001:db8::1]:8443 ssl;\n");
  CHECK(body(by_path["local/listen-status.conf"]) == "listen [::1]:9000;\n");
  CHECK(by_path["local/main.conf"].find("worker_processes auto;\n") != std::string::npos);
  CHECK(body(by_path["local/events.conf"]) == "worker_connections 4096;\n");
}

TEST_CASE("malformed listen addresses are refused and named") {
  for (const char* bad : {"",
                          "80",
                          ":80",
                          "localhost:80",
                          "1.2.3.4",
                          "1.2.3.4:",
                          "1.2.3.4:0",
                          "1.2.3.4:65536",
                          "1.2.3.4:+80",
                          "1.2.3.4:080808",
                          "::1:80",
                          "[::1]",
                          "[]:80",
                          "[fe80::1%eth0]:80",
                          "1.2.3.4:80; listen 0.0.0.0:22",
                          "1.2.3.4:80 ssl",
                          "1.2.3:80",
                          "256.1.1.1:80",
                          "[1.2.3.4]:80",
                          "*:80\n"}) {
    CAPTURE(bad);
    NginxLocalSettings settings = typical();
    settings.https_listen = {"0.0.0.0:443", bad};
    CHECK(renderError(settings).field == "https_listen[1]");
  }
}

TEST_CASE("the node needs an HTTP address and a loopback status address") {
  NginxLocalSettings settings = typical();
  settings.http_listen.clear();
  CHECK(renderError(settings).field == "http_listen");

  for (const char* not_loopback : {"10.0.0.1:8081", "0.0.0.0:8081", "[::]:8081", "*:8081", ""}) {
    CAPTURE(not_loopback);
    settings = typical();
    settings.status_listen = not_loopback;
    CHECK(renderError(settings).field == "status_listen");
  }
  settings = typical();
  settings.status_listen = "127.0.0.2:8081";
  CHECK(renderLocalFiles(settings).has_value());
}

TEST_CASE("roles never share a socket") {
  NginxLocalSettings settings = typical();
  settings.http_listen = {"127.0.0.1:80", "127.0.0.1:80"};
  CHECK(renderError(settings).field == "http_listen[1]");

  settings = typical();
  settings.https_listen = {"[::]:80"};
  CHECK(renderError(settings).field == "https_listen");

  settings = typical();
  settings.status_listen = "127.0.0.1:80";  // the wildcard *:80 covers it
  CHECK(renderError(settings).field == "status_listen");

  settings = typical();
  settings.http_listen = {"0.0.0.0:80"};
  settings.https_listen = {"[::]:80"};  // other address family, other socket
  CHECK(renderLocalFiles(settings).has_value());
}

TEST_CASE("the runtime dir must be a plain absolute path short enough for a socket") {
  for (const char* bad :
       {"", "/", "run/nginx", "/run/my nginx", "/run/x;", "/run/$x", "/run/\"x\"", "/run/x\n"}) {
    CAPTURE(bad);
    NginxLocalSettings settings = typical();
    settings.runtime_dir = bad;
    CHECK(renderError(settings).field == "runtime_dir");
  }
  NginxLocalSettings settings = typical();
  settings.runtime_dir = "/" + std::string(86, 'r');
  CHECK(renderLocalFiles(settings).has_value());
  settings.runtime_dir = "/" + std::string(87, 'r');
  CHECK(renderError(settings).field == "runtime_dir");
}

TEST_CASE("worker settings are bounded") {
  NginxLocalSettings settings = typical();
  settings.worker_processes = -1;
  CHECK(renderError(settings).field == "worker_processes");
  settings.worker_processes = 1025;
  CHECK(renderError(settings).field == "worker_processes");
  settings = typical();
  settings.worker_connections = 63;
  CHECK(renderError(settings).field == "worker_connections");
  settings.worker_connections = 65537;
  CHECK(renderError(settings).field == "worker_connections");
}

TEST_CASE("writeLocalFiles writes every file under local/") {
  vantus::testing::TempDir dir;
  std::filesystem::path release = dir.path() / "releases/42";
  REQUIRE(writeLocalFiles(release, typical()).has_value());
  for (const auto& [path, content] : render(typical())) {
    std::ifstream in(release / path);
    std::stringstream text;
    text << in.rdbuf();
    CHECK_MESSAGE(text.str() == content, path);
  }
  // Rewriting a staged release replaces the files.
  NginxLocalSettings next = typical();
  next.release_version = 43;
  REQUIRE(writeLocalFiles(release, next).has_value());
  std::ifstream in(release / "local/release.conf");
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str().ends_with("return 200 \"43\\n\";\n"));
}

TEST_CASE("writeLocalFiles writes nothing for invalid settings and reports disk errors") {
  vantus::testing::TempDir dir;
  NginxLocalSettings invalid = typical();
  invalid.http_listen = {"nope"};
  auto refused = writeLocalFiles(dir.path(), invalid);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::kInvalidInput);
  CHECK_FALSE(std::filesystem::exists(dir.path() / "local"));

  std::ofstream(dir.path() / "file") << "x";
  auto blocked = writeLocalFiles(dir.path() / "file", typical());
  REQUIRE_FALSE(blocked.has_value());
  CHECK(blocked.error().code == ErrorCode::kIo);
}

}  // namespace
}  // namespace vantus::nginx

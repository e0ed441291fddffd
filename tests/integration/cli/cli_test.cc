// The real vantus-controller binary: init, re-init, serve with health routes and SIGTERM.
#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "tests/support/processes.h"
#include "tests/support/temp_dir.h"

namespace vantus::controller {
namespace {

namespace fs = std::filesystem;
using testing::freePort;
using testing::slurp;
const std::string kBinary = std::string(VANTUS_BINARY_DIR) + "/vantus-controller";

std::string valueAfter(const std::string& text, const std::string& label) {
  const size_t at = text.find(label);
  REQUIRE(at != std::string::npos);
  std::istringstream rest(text.substr(at + label.size()));
  std::string value;
  rest >> value;
  return value;
}

// Every file under `dir` with its size and modification time.
std::map<std::string, std::pair<std::uintmax_t, fs::file_time_type>> snapshot(const fs::path& dir) {
  std::map<std::string, std::pair<std::uintmax_t, fs::file_time_type>> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      files[entry.path().string()] = {entry.file_size(), entry.last_write_time()};
    }
  }
  return files;
}

TEST_CASE("init makes a private state dir, shows the password once and refuses to run twice") {
  vantus::testing::TempDir root;
  const fs::path state = root.path() / "state";
  auto init = vantus::testing::runCommand(kBinary + " init --state-dir " + state.string());
  REQUIRE_MESSAGE(init.exit_code == 0, init.output);
  const std::string fingerprint = valueAfter(init.output, "signing key fingerprint:");
  const std::string password = valueAfter(init.output, "admin password:");
  CHECK(fingerprint.starts_with("SHA256:"));
  CHECK(password.size() >= 20);

  struct stat info {};
  REQUIRE(::stat((state / "keys" / "signing.key").c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  REQUIRE(::stat(state.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0700);
  CHECK(fs::exists(state / "config.git" / "HEAD"));
  CHECK(slurp(state / "keys" / "allowed_signers").find("ssh-ed25519 ") != std::string::npos);
  for (const auto& entry : fs::recursive_directory_iterator(state)) {
    if (entry.is_regular_file()) {
      CAPTURE(entry.path().string());
      CHECK(slurp(entry.path()).find(password) == std::string::npos);
    }
  }

  const auto before = snapshot(state);
  auto again = vantus::testing::runCommand(kBinary + " init --state-dir " + state.string());
  CHECK(again.exit_code == 1);
  CHECK(again.output.find("not empty") != std::string::npos);
  CHECK(snapshot(state) == before);
}

TEST_CASE("init creates missing parents and makes the state dir 0700") {
  vantus::testing::TempDir root;
  const fs::path state = root.path() / "a" / "b" / "c";
  auto init = vantus::testing::runCommand(kBinary + " init --state-dir " + state.string());
  REQUIRE_MESSAGE(init.exit_code == 0, init.output);
  struct stat info {};
  REQUIRE(::stat(state.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0700);
  CHECK(fs::exists(state / "config.git" / "HEAD"));
}

TEST_CASE("init makes an existing empty state dir 0700") {
  vantus::testing::TempDir root;
  const fs::path state = root.path() / "state";
  fs::create_directory(state);
  fs::permissions(state, fs::perms(0755));
  auto init = vantus::testing::runCommand(kBinary + " init --state-dir " + state.string());
  REQUIRE_MESSAGE(init.exit_code == 0, init.output);
  struct stat info {};
  REQUIRE(::stat(state.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0700);
}

TEST_CASE("init prints human text only, no log lines inside its banner") {
  vantus::testing::TempDir root;
  const fs::path state = root.path() / "state";
  auto init = vantus::testing::runCommand(kBinary + " init --state-dir " + state.string());
  REQUIRE_MESSAGE(init.exit_code == 0, init.output);
  CAPTURE(init.output);
  CHECK(init.output.starts_with("Initialised "));
  CHECK(init.output.find("{\"") == std::string::npos);
}

TEST_CASE("audit verify names the last anchored row, and fails when the chain key is replaced") {
  vantus::testing::TempDir root;
  const fs::path state = root.path() / "state";
  REQUIRE(vantus::testing::runCommand(kBinary + " init --state-dir " + state.string()).exit_code ==
          0);
  struct stat info {};
  REQUIRE(::stat((state / "keys" / "audit.key").c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  const std::string verify = kBinary + " audit verify --state-dir " + state.string() + " 2>&1";
  auto intact = vantus::testing::runCommand(verify);
  REQUIRE_MESSAGE(intact.exit_code == 0, intact.output);
  CHECK(intact.output.find("last anchored row: 1 ") != std::string::npos);

  fs::remove(state / "keys" / "audit.key");
  std::ofstream(state / "keys" / "audit.key") << std::string(64, 'a') << " keyed-from 1\n";
  auto replaced = vantus::testing::runCommand(verify);
  CHECK(replaced.exit_code == 1);
  CHECK_MESSAGE(replaced.output.find("row 1 does not match its hash") != std::string::npos,
                replaced.output);
}

TEST_CASE("serve answers health checks and stops cleanly on SIGTERM") {
  vantus::testing::TempDir root;
  const fs::path state = root.path() / "state";
  REQUIRE(vantus::testing::runCommand(kBinary + " init --state-dir " + state.string()).exit_code ==
          0);
  const int port = freePort();
  const std::string listen = "127.0.0.1:" + std::to_string(port);
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    const std::string log = (root.path() / "serve.log").string();
    FILE* out = std::freopen(log.c_str(), "w", stderr);
    (void)out;
    ::execl(kBinary.c_str(), kBinary.c_str(), "serve", "--state-dir", state.c_str(), "--listen",
            listen.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(1);
  int ready_status = 0;
  for (int attempt = 0; attempt < 100 && ready_status != 200; ++attempt) {
    auto ready = client.Get("/readyz");
    ready_status = ready ? ready->status : 0;
    if (ready_status != 200) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  CHECK_MESSAGE(ready_status == 200, slurp(root.path() / "serve.log"));
  auto alive = client.Get("/healthz");
  REQUIRE(alive);
  CHECK(alive->status == 200);
  auto denied = client.Get("/api/v1/tenants");
  REQUIRE(denied);
  CHECK(denied->status == 401);
  auto spec = client.Get("/api/v1/openapi.yaml");
  REQUIRE(spec);
  CHECK(spec->status == 200);
  CHECK(spec->body == slurp(fs::path(VANTUS_SOURCE_DIR) / "schema" / "openapi.yaml"));

  REQUIRE(::kill(child, SIGTERM) == 0);
  int status = -1;
  pid_t done = 0;
  for (int attempt = 0; attempt < 100 && done == 0; ++attempt) {
    done = ::waitpid(child, &status, WNOHANG);
    if (done == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  if (done == 0) {
    ::kill(child, SIGKILL);
    ::waitpid(child, &status, 0);
    FAIL("serve did not stop within 10 s of SIGTERM");
  }
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(slurp(root.path() / "serve.log").find("controller.stopping") != std::string::npos);
}

}  // namespace
}  // namespace vantus::controller

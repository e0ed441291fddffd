#include "tests/integration/transport/transport_fixture.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/crypto/self_signed.h"

extern char** environ;

namespace vantus::transport_test {
namespace fs = std::filesystem;

const std::string kController = std::string(VANTUS_BINARY_DIR) + "/vantus-controller";
const std::string kAgent = std::string(VANTUS_BINARY_DIR) + "/vantus-agent";

namespace {

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

}  // namespace

std::vector<std::string> filesUnder(const fs::path& dir) {
  std::vector<std::string> files;
  std::error_code error;
  if (!fs::exists(dir, error)) {
    return files;
  }
  for (auto it = fs::recursive_directory_iterator(dir, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (it->is_regular_file(error)) {
      files.push_back(fs::relative(it->path(), dir).string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

CertFiles writeSelfSignedCert(const fs::path& dir, const std::string& name) {
  auto made = crypto::makeSelfSignedCertificate("localhost", {"localhost"}, 30);
  REQUIRE_MESSAGE(made.has_value(), (made ? "" : made.error().describe()));
  CertFiles files{(dir / (name + ".crt")).string(), (dir / (name + ".key")).string()};
  std::ofstream(files.cert) << made->cert_pem;
  std::ofstream(files.key) << made->key_pem;
  ::chmod(files.key.c_str(), 0600);
  return files;
}

Controller::Controller(const fs::path& root, const std::string& name)
    : root_(root), name_(name), state_(root / name) {
  testing::CommandResult init =
      testing::runCommand(fmt::format("{} init --state-dir {}", kController, quoted(state_)));
  INFO(init.output);
  REQUIRE(init.exit_code == 0);
  const size_t at = init.output.find("SHA256:");
  REQUIRE(at != std::string::npos);
  pin_ = init.output.substr(at, init.output.find_first_of(" \n", at) - at);
  replaceConfig("\nlog_level: info", "\nlog_level: debug");
}

Controller::~Controller() {
  if (process_) {
    process_->stop(SIGTERM);
  }
}

void Controller::appendConfig(const std::string& yaml) {
  std::ofstream(state_ / "controller.yaml", std::ios::app) << "\n" << yaml << "\n";
}

void Controller::replaceConfig(const std::string& from, const std::string& to) {
  std::string config = slurp(state_ / "controller.yaml");
  const size_t at = config.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  config.replace(at, from.size(), to);
  std::ofstream(state_ / "controller.yaml", std::ios::trunc) << config;
}

testing::CommandResult Controller::cli(const std::string& args, bool may_fail) {
  testing::CommandResult result =
      testing::runCommand(fmt::format("{} {} --state-dir {}", kController, args, quoted(state_)));
  if (!may_fail) {
    INFO("vantus-controller " << args << "\n" << result.output);
    REQUIRE(result.exit_code == 0);
  }
  return result;
}

std::string Controller::enrollToken(const std::string& cluster) {
  const std::string output = cli("cluster enroll-token --cluster " + cluster).output;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with("ve_")) {
      return line;
    }
  }
  FAIL("no ve_ token in:\n" << output);
  return {};
}

void Controller::serve(const std::string& listen) {
  process_ = std::make_unique<Child>(std::vector<std::string>{kController, "serve", "--state-dir",
                                                              state_.string(), "--listen", listen},
                                     logFile());
}

int Controller::stop() {
  REQUIRE(process_);
  return process_->stop(SIGTERM);
}

int httpsStatus(int port, const std::string& ca_file, const std::string& path) {
  httplib::SSLClient client("localhost", port);
  client.set_ca_cert_path(ca_file.c_str());
  client.enable_server_certificate_verification(true);
  client.set_connection_timeout(std::chrono::seconds(2));
  client.set_read_timeout(std::chrono::seconds(5));
  auto result = client.Get(path.c_str());
  return result ? result->status : 0;
}

int httpStatus(int port, const std::string& path) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(std::chrono::seconds(2));
  client.set_read_timeout(std::chrono::seconds(5));
  auto result = client.Get(path.c_str());
  return result ? result->status : 0;
}

testing::CommandResult agentEnroll(const std::string& controller_url, const std::string& token,
                                   const std::string& pin, const fs::path& state_dir,
                                   const std::string& name, const std::string& extra) {
  return testing::runCommand(fmt::format(
      "timeout 30 {} enroll --controller {} --token {} --pin {} --state-dir {} --name {} {}",
      kAgent, quoted(controller_url), quoted(token), quoted(pin), quoted(state_dir.string()),
      quoted(name), extra));
}

}  // namespace vantus::transport_test

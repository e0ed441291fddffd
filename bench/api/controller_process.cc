#include "bench/api/controller_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace vantus::bench {

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The value after `label` on its line of `text`, trimmed; empty when the label is missing.
std::string valueAfter(const std::string& text, const std::string& label) {
  const size_t at = text.find(label);
  if (at == std::string::npos) {
    return "";
  }
  const size_t begin = text.find_first_not_of(' ', at + label.size());
  const size_t end = text.find_first_of(" \n", begin);
  return begin == std::string::npos ? "" : text.substr(begin, end - begin);
}

// Replaces the uncommented `key: …` line of a controller.yaml. The keys must exist: a renamed
// key fails here rather than silently measuring with the default (e.g. rate limits on).
std::string withSettings(std::string yaml, const std::map<std::string, std::string>& settings) {
  for (const auto& [key, value] : settings) {
    const std::string prefix = "\n" + key + ":";
    const size_t at = yaml.find(prefix);
    if (at == std::string::npos) {
      throw std::runtime_error("controller.yaml written by init has no \"" + key + "\" line");
    }
    const size_t end = yaml.find('\n', at + 1);
    yaml.replace(at + 1, end - at - 1, key + ": " + value);
  }
  return yaml;
}

}  // namespace

std::string runCommand(const std::string& command) {
  char error_path[] = "/tmp/vantus-bench-stderr-XXXXXX";
  const int error_fd = ::mkstemp(error_path);
  if (error_fd < 0) {
    throw std::runtime_error("mkstemp failed");
  }
  ::close(error_fd);
  std::string output;
  FILE* pipe = ::popen((command + " 2>" + error_path).c_str(), "r");
  if (pipe == nullptr) {
    throw std::runtime_error("cannot run: " + command);
  }
  char buffer[4096];
  size_t got;
  while ((got = ::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    output.append(buffer, got);
  }
  const int status = ::pclose(pipe);
  const std::string errors = slurp(error_path);
  ::unlink(error_path);
  if (status != 0) {
    throw std::runtime_error(
        fmt::format("failed (status {}): {}\n{}{}", status, command, output, errors));
  }
  return output;
}

int freeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    if (fd >= 0) {
      ::close(fd);
    }
    throw std::runtime_error("no free port on 127.0.0.1");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

ControllerProcess::ControllerProcess(fs::path binary, fs::path root)
    : binary_(std::move(binary)), root_(std::move(root)), state_(root_ / "state") {
  if (!fs::exists(binary_)) {
    throw std::runtime_error(binary_.string() + " does not exist: build vantus-controller first");
  }
  const std::string init = cli("init");
  admin_email_ = valueAfter(init, "admin login:");
  pin_ = valueAfter(init, "signing key fingerprint:");
  if (admin_email_.empty() || !pin_.starts_with("SHA256:")) {
    throw std::runtime_error("unexpected output of init:\n" + init);
  }
  port_ = freeLoopbackPort();
  const fs::path config = state_ / "controller.yaml";
  // precheck off: deployments here exist only to give the agent poll a release.
  const std::string yaml =
      withSettings(slurp(config), {{"listen", fmt::format("\"127.0.0.1:{}\"", port_)},
                                   {"precheck", "false"},
                                   {"log_level", "warn"},
                                   {"rate_limit_writes_per_minute", "0"},
                                   {"rate_limit_deploys_per_minute", "0"},
                                   {"rate_limit_auth_failures_per_minute", "0"}});
  std::ofstream(config, std::ios::trunc) << yaml;
}

ControllerProcess::~ControllerProcess() {
  if (pid_ > 0 && !exited_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

std::string ControllerProcess::cli(const std::string& args) const {
  return runCommand(fmt::format("{} {} --state-dir {}", binary_.string(), args, state_.string()));
}

void ControllerProcess::serve() {
  const fs::path log = root_ / "controller.log";
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  std::vector<std::string> argv{binary_.string(), "serve", "--state-dir", state_.string()};
  std::vector<char*> args;
  for (std::string& arg : argv) {
    args.push_back(arg.data());
  }
  args.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(fd);
  if (pid_ < 0) {
    throw std::runtime_error("fork failed");
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!running()) {
      throw std::runtime_error(
          fmt::format("vantus-controller serve exited (status {}):\n{}", exit_status_, slurp(log)));
    }
    httplib::Client client("127.0.0.1", port_);
    client.set_connection_timeout(std::chrono::milliseconds(200));
    auto answer = client.Get("/readyz");
    if (answer && answer->status == 200) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("vantus-controller serve not ready after 20 s; see " + log.string());
}

bool ControllerProcess::running() {
  if (pid_ <= 0 || exited_) {
    return false;
  }
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    exited_ = true;
    exit_status_ = status;
  }
  return !exited_;
}

void ControllerProcess::stop() {
  if (!running()) {
    throw std::runtime_error(
        fmt::format("vantus-controller serve had exited (status {})", exit_status_));
  }
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (running()) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    exited_ = true;
    throw std::runtime_error("vantus-controller serve did not stop within 10 s of SIGTERM");
  }
  if (!WIFEXITED(exit_status_) || WEXITSTATUS(exit_status_) != 0) {
    throw std::runtime_error(fmt::format("vantus-controller serve stopped with status {}; see {}",
                                         exit_status_, (root_ / "controller.log").string()));
  }
}

double ControllerProcess::cpuSeconds() const {
  const std::string stat = slurp(fmt::format("/proc/{}/stat", pid_));
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) {
    return 0;
  }
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  long ticks = 0;
  // Fields 14 and 15 (utime, stime); the stream starts at field 3.
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) {
      ticks += std::atol(field.c_str());
    }
  }
  return static_cast<double>(ticks) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

}  // namespace vantus::bench

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <thread>

#include "agent/apply/edge_nginx.h"
#include "agent/config/agent_config.h"
#include "common/core/files.h"
#include "common/log/log.h"

namespace vantus::agent {
namespace {

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

class SystemNginx final : public EdgeNginx {
 public:
  SystemNginx(const AgentConfig& config, ProcessRunner& runner)
      : binary_(config.nginx_binary.string()),
        runtime_dir_(config.runtime_dir),
        start_(config.start_nginx),
        test_timeout_(config.nginx_test_timeout),
        runner_(runner) {}

  Result<NginxTest> test(const std::filesystem::path& conf) override {
    VANTUS_TRY(ProcessOutput output,
               runner_.run({.argv = {binary_, "-t", "-q", "-c", conf.string()},
                            .timeout = test_timeout_,
                            .max_output_bytes = 64 * 1024}));
    if (output.timed_out) {
      return NginxTest{false, fmt::format("nginx -t did not finish within {} s",
                                          test_timeout_.count())};
    }
    return NginxTest{output.exit_code == 0, trimmed(output.stderr_text)};
  }

  bool running() override { return masterPid() > 0; }

  Result<void> reload(const std::filesystem::path& conf) override {
    if (pid_t pid = masterPid(); pid > 0) {
      if (::kill(pid, SIGHUP) != 0) {
        return fail(ErrorCode::kUnavailable,
                    fmt::format("cannot signal the nginx master {}: {}", pid, ::strerror(errno)));
      }
      return ok();
    }
    if (!start_) {
      return fail(ErrorCode::kUnavailable,
                  fmt::format("no nginx master runs (pid file {}) and nginx.start is false",
                              pidFile().string()));
    }
    // A kill -9 leaves the unix socket of the disabled HTTPS listener behind, and nginx
    // refuses to bind over it.
    std::error_code ignored;
    std::filesystem::remove(runtime_dir_ / "https-disabled.sock", ignored);
    VANTUS_TRY(ProcessOutput output, runner_.run({.argv = {binary_, "-c", conf.string()},
                                                  .timeout = test_timeout_,
                                                  .max_output_bytes = 64 * 1024}));
    if (output.exit_code != 0) {
      return fail(ErrorCode::kUnavailable,
                  fmt::format("nginx did not start: {}", trimmed(output.stderr_text)));
    }
    log::info("nginx.started", {{"conf", conf.string()}, {"pid", masterPid()}});
    return ok();
  }

  Result<void> stop() override {
    pid_t pid = masterPid();
    if (pid <= 0) {
      return ok();
    }
    ::kill(pid, SIGQUIT);
    for (int i = 0; i < 200 && ::kill(pid, 0) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    if (::kill(pid, 0) == 0) {
      ::kill(pid, SIGTERM);
    }
    return ok();
  }

  std::string version() override {
    auto output = runner_.run({.argv = {binary_, "-v"}, .timeout = std::chrono::seconds(10)});
    if (!output || output->exit_code != 0) {
      return "";
    }
    std::string text = trimmed(output->stderr_text);
    constexpr std::string_view kPrefix = "nginx version: ";
    return text.starts_with(kPrefix) ? text.substr(kPrefix.size()) : text;
  }

 private:
  std::filesystem::path pidFile() const { return runtime_dir_ / "nginx.pid"; }

  // A stale pid file (a kill -9'd master) names a dead process, or a recycled pid of
  // another program: only a live process whose executable is nginx counts.
  pid_t masterPid() const {
    auto text = readFile(pidFile().string(), 64);
    if (!text) {
      return 0;
    }
    pid_t pid = 0;
    std::string_view digits = *text;
    while (!digits.empty() && (digits.back() == '\n' || digits.back() == ' ')) {
      digits.remove_suffix(1);
    }
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
    if (error != std::errc() || end != digits.data() + digits.size() || pid <= 1) {
      return 0;
    }
    if (::kill(pid, 0) != 0) {
      return 0;
    }
    auto cmdline = readFile(fmt::format("/proc/{}/cmdline", pid), 4096);
    if (cmdline && cmdline->find("nginx") == std::string::npos) {
      return 0;
    }
    return pid;
  }

  std::string binary_;
  std::filesystem::path runtime_dir_;
  bool start_;
  std::chrono::seconds test_timeout_;
  ProcessRunner& runner_;
};

}  // namespace

std::unique_ptr<EdgeNginx> makeSystemNginx(const AgentConfig& config, ProcessRunner& runner) {
  return std::make_unique<SystemNginx>(config, runner);
}

}  // namespace vantus::agent

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <set>
#include <thread>

#include "agent/apply/edge_nginx.h"
#include "agent/apply/listen_addresses.h"
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

// nginx retries a failed bind five times and prints the same error each time: one line each.
std::string withoutRepeats(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    std::string line = text.substr(start, end - start);
    if (std::find(lines.begin(), lines.end(), line) == lines.end()) {
      lines.push_back(std::move(line));
    }
    start = end + 1;
  }
  std::string out;
  for (const std::string& line : lines) {
    out += (out.empty() ? "" : "\n") + line;
  }
  return out;
}

std::vector<ListenAddress> listenAddressesOf(const AgentConfig& config) {
  std::vector<ListenAddress> addresses;
  for (const std::string& address : config.http_listen) {
    addresses.push_back({"nginx.http_listen", address});
  }
  for (const std::string& address : config.https_listen) {
    addresses.push_back({"nginx.https_listen", address});
  }
  addresses.push_back({"nginx.status_listen", config.status_listen});
  return addresses;
}

class SystemNginx final : public EdgeNginx {
 public:
  SystemNginx(const AgentConfig& config, ProcessRunner& runner)
      : binary_(config.nginx_binary.string()),
        runtime_dir_(config.runtime_dir),
        start_(config.start_nginx),
        test_timeout_(config.nginx_test_timeout),
        confirm_timeout_(config.reload_confirm_timeout),
        listen_(listenAddressesOf(config)),
        runner_(runner) {}

  Result<NginxTest> test(const std::filesystem::path& conf) override {
    VANTUS_TRY(ProcessOutput output,
               runner_.run({.argv = {binary_, "-t", "-q", "-c", conf.string()},
                            .timeout = test_timeout_,
                            .max_output_bytes = 64 * 1024}));
    if (output.timed_out) {
      return NginxTest{false,
                       fmt::format("nginx -t did not finish within {} s", test_timeout_.count())};
    }
    return NginxTest{output.exit_code == 0, trimmed(output.stderr_text)};
  }

  bool running() override { return masterPid() > 0; }

  Result<void> reload(const std::filesystem::path& conf) override {
    if (pid_t pid = masterPid(); pid > 0) {
      const std::set<pid_t> old_workers = activeWorkers(pid);
      if (::kill(pid, SIGHUP) != 0) {
        return fail(ErrorCode::kUnavailable,
                    fmt::format("cannot signal the nginx master {}: {}", pid, ::strerror(errno)));
      }
      return waitRetired(pid, old_workers);
    }
    retireOrphanedWorkers();
    VANTUS_TRY_VOID(checkCanStart());
    // A kill -9 leaves the unix socket of the disabled HTTPS listener behind, and nginx
    // refuses to bind over it.
    std::error_code ignored;
    std::filesystem::remove(runtime_dir_ / "https-disabled.sock", ignored);
    VANTUS_TRY(ProcessOutput output, runner_.run({.argv = {binary_, "-c", conf.string()},
                                                  .timeout = test_timeout_,
                                                  .max_output_bytes = 64 * 1024}));
    if (output.exit_code != 0) {
      return fail(
          ErrorCode::kUnavailable,
          fmt::format("nginx did not start: {}", withoutRepeats(trimmed(output.stderr_text))));
    }
    log::info("nginx.started", {{"conf", conf.string()}, {"pid", masterPid()}});
    return ok();
  }

  Result<void> checkCanStart() override {
    if (masterPid() > 0) {
      return ok();
    }
    if (!start_) {
      return fail(ErrorCode::kUnavailable,
                  fmt::format("no nginx master runs (pid file {}) and nginx.start is false",
                              pidFile().string()));
    }
    return checkListenAddressesFree(listen_);
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
  // The master starts the new workers, then waits ~100 ms before it tells the old ones to
  // stop accepting; until then a request may reach either. What the agent confirms and
  // probes must be the new config, so a reload counts only once every old worker is gone or
  // shutting down. A master that refused the new config keeps its old workers: that times out.
  Result<void> waitRetired(pid_t master, const std::set<pid_t>& old_workers) {
    const auto deadline = std::chrono::steady_clock::now() + confirm_timeout_;
    while (true) {
      std::set<pid_t> still = activeWorkers(master);
      bool retired = std::none_of(old_workers.begin(), old_workers.end(),
                                  [&still](pid_t pid) { return still.contains(pid); });
      if (retired) {
        return ok();
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        return fail(ErrorCode::kUnavailable,
                    fmt::format("nginx kept its old workers {} s after the reload signal: it did "
                                "not load the new config (see {}/error.log)",
                                confirm_timeout_.count(), runtime_dir_.string()));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  // Children of the master that still accept connections (not "is shutting down").
  static std::set<pid_t> activeWorkers(pid_t master) {
    std::set<pid_t> workers;
    std::error_code error;
    for (auto it = std::filesystem::directory_iterator("/proc", error);
         !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
      const std::string name = it->path().filename().string();
      if (name.empty() || !std::isdigit(static_cast<unsigned char>(name.front()))) {
        continue;
      }
      auto stat = readFile(it->path().string() + "/stat", 4096);
      if (!stat) {
        continue;
      }
      // "pid (comm) state ppid ...": comm may hold spaces, so parse after the last ')'.
      const size_t close = stat->rfind(')');
      if (close == std::string::npos) {
        continue;
      }
      int parent = 0;
      char state = 0;
      if (std::sscanf(stat->c_str() + close + 1, " %c %d", &state, &parent) != 2 ||
          parent != master || state == 'Z') {
        continue;
      }
      auto cmdline = readFile(it->path().string() + "/cmdline", 4096);
      if (cmdline && cmdline->find("shutting down") == std::string::npos) {
        workers.insert(static_cast<pid_t>(std::atoi(name.c_str())));
      }
    }
    return workers;
  }

  std::filesystem::path pidFile() const { return runtime_dir_ / "nginx.pid"; }

  // What the pid file names, alive or not; 0 when it names nothing.
  pid_t pidFromFile() const {
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
    return pid;
  }

  // A master killed with SIGKILL leaves its workers running: they keep serving the old config
  // and hold its ports, so no new master could bind them. They are still in the dead master's
  // process group (nginx makes the master a session and group leader), which no unrelated
  // process can join; the cmdline check keeps away from anything not nginx all the same.
  // QUIT closes their listeners at once and lets requests in flight finish.
  void retireOrphanedWorkers() {
    const pid_t dead_master = pidFromFile();
    if (dead_master <= 0) {
      return;
    }
    std::vector<pid_t> orphans;
    std::error_code error;
    for (auto it = std::filesystem::directory_iterator("/proc", error);
         !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
      const std::string name = it->path().filename().string();
      if (name.empty() || !std::isdigit(static_cast<unsigned char>(name.front()))) {
        continue;
      }
      auto stat = readFile(it->path().string() + "/stat", 4096);
      const size_t close = stat ? stat->rfind(')') : std::string::npos;
      if (close == std::string::npos) {
        continue;
      }
      char state = 0;
      int parent = 0;
      int group = 0;
      if (std::sscanf(stat->c_str() + close + 1, " %c %d %d", &state, &parent, &group) != 3 ||
          group != dead_master || state == 'Z') {
        continue;
      }
      auto cmdline = readFile(it->path().string() + "/cmdline", 4096);
      if (cmdline && cmdline->starts_with("nginx: ")) {
        orphans.push_back(static_cast<pid_t>(std::atoi(name.c_str())));
      }
    }
    if (orphans.empty()) {
      return;
    }
    for (pid_t orphan : orphans) {
      ::kill(orphan, SIGQUIT);
    }
    for (int i = 0; i < 100 && !checkListenAddressesFree(listen_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    log::warn("nginx.orphans_retired", {{"dead_master", dead_master},
                                        {"workers", static_cast<std::int64_t>(orphans.size())}});
  }

  // A stale pid file (a kill -9'd master) names a dead process, or a recycled pid of
  // another program: only a live process whose executable is nginx counts.
  pid_t masterPid() const {
    const pid_t pid = pidFromFile();
    if (pid <= 0) {
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
  std::chrono::seconds confirm_timeout_;
  std::vector<ListenAddress> listen_;
  ProcessRunner& runner_;
};

}  // namespace

std::unique_ptr<EdgeNginx> makeSystemNginx(const AgentConfig& config, ProcessRunner& runner) {
  return std::make_unique<SystemNginx>(config, runner);
}

}  // namespace vantus::agent

#pragma once
// Real processes and ports for integration tests: a child process with its output in a log
// file, a free loopback port, bounded waits. Every wait is bounded; children are killed at
// destruction and die with the test process even when that one crashes.
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace vantus::testing {

// A loopback TCP port that was free a moment ago.
int freePort();
// The whole file, or "" when it cannot be read.
std::string slurp(const std::filesystem::path& path);
// Polls `done` every 50 ms until it holds or `timeout` passes.
bool waitUntil(const std::function<bool()>& done,
               std::chrono::milliseconds timeout = std::chrono::seconds(30));

// A child process with stdout and stderr appended to `log`, the environment of this process
// plus `extra_env` ("NAME=value"). SIGKILLed at destruction if still running.
class Child {
 public:
  Child(std::vector<std::string> argv, const std::filesystem::path& log,
        std::vector<std::string> extra_env = {});
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  bool running();
  // Waits up to `timeout` for the child to end on its own; its raw wait status, or -1.
  int waitExit(std::chrono::milliseconds timeout);
  // Sends `signal`, waits up to 10 s (then SIGKILL); returns the raw wait status.
  int stop(int signal);
  int pid() const { return pid_; }

 private:
  int pid_ = -1;
  bool reaped_ = false;
  int status_ = -1;
};

}  // namespace vantus::testing

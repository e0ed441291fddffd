#pragma once
// The real `vantus-controller` on a fresh state dir, for benchmarks: `init`, a controller.yaml
// fit for measuring (a free loopback port, rate limits off, no `nginx -t`, log_level warn),
// CLI calls against the state dir, then `serve`. Every failure throws std::runtime_error
// naming the command and what it printed. One thread only; the destructor stops the server.
#include <sys/types.h>

#include <filesystem>
#include <string>

namespace vantus::bench {

class ControllerProcess {
 public:
  // Runs `init` in `root`/state and writes the benchmark settings; `binary` is the
  // vantus-controller executable.
  ControllerProcess(std::filesystem::path binary, std::filesystem::path root);
  ~ControllerProcess();
  ControllerProcess(const ControllerProcess&) = delete;
  ControllerProcess& operator=(const ControllerProcess&) = delete;

  // `vantus-controller <args> --state-dir DIR`; returns its stdout, throws on a non-zero exit.
  std::string cli(const std::string& args) const;

  // Starts `serve` and waits until /readyz answers 200 (20 s at most).
  void serve();
  // SIGTERM, then waits (10 s at most, SIGKILL after); throws when it exited with an error.
  void stop();
  // False once the serving process has exited (for whatever reason).
  bool running();
  // User + system CPU seconds of the serving process so far.
  double cpuSeconds() const;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& adminEmail() const { return admin_email_; }
  const std::string& signingKeyPin() const { return pin_; }
  const std::filesystem::path& stateDir() const { return state_; }

 private:
  std::filesystem::path binary_;
  std::filesystem::path root_;
  std::filesystem::path state_;
  std::string admin_email_;
  std::string pin_;
  int port_ = 0;
  pid_t pid_ = 0;
  bool exited_ = false;
  int exit_status_ = 0;
};

// A TCP port on 127.0.0.1 nothing listens on right now (bound to port 0, then released).
int freeLoopbackPort();

// Runs a shell command; returns its stdout, throws with stdout + stderr on a non-zero exit.
std::string runCommand(const std::string& command);

}  // namespace vantus::bench

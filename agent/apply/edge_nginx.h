#pragma once
// The nginx master the agent drives: `nginx -t` on a staged tree, reload through the pid
// file (kill -HUP, which unlike `nginx -s reload` does not parse the config a second time),
// cold start when no master runs. Implementations need not be thread-safe: the one used from
// two threads (the agent's and the supervisor's) is SupervisedNginx, which serialises.
#include <filesystem>
#include <memory>
#include <string>

#include "common/core/result.h"
#include "common/process/process_runner.h"

namespace vantus::agent {

struct AgentConfig;

struct NginxTest {
  bool passed = false;
  std::string output;  // nginx's stderr, trimmed
};

class EdgeNginx {
 public:
  virtual ~EdgeNginx() = default;
  // Runs `nginx -t -q -c <conf>`; a failing test is a NginxTest, not an error.
  virtual Result<NginxTest> test(const std::filesystem::path& conf) = 0;
  // True when the pid file names a live process.
  virtual bool running() = 0;
  // HUP to the running master, returning once its old workers stopped accepting (so that
  // what answers next is the new config), or a cold start with `nginx -c <conf>` when none
  // runs (and starting is allowed). A cold start first retires the workers a dead master left
  // behind (they would keep its ports) and refuses, like checkCanStart(), when another program
  // holds a listen address. kUnavailable when neither works.
  virtual Result<void> reload(const std::filesystem::path& conf) = 0;
  // What a cold start would run into before it is tried: ok() when a master runs (it holds its
  // own addresses); otherwise kUnavailable naming the agent.yaml setting and the address that
  // another program holds, or that starting is not allowed.
  virtual Result<void> checkCanStart() = 0;
  // Graceful stop (QUIT) of the master, waiting for it to exit; no-op when none runs.
  virtual Result<void> stop() = 0;
  // "nginx/1.22.1", or "" when it cannot be told.
  virtual std::string version() = 0;
};

std::unique_ptr<EdgeNginx> makeSystemNginx(const AgentConfig& config, ProcessRunner& runner);

}  // namespace vantus::agent

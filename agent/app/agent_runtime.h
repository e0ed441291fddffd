#pragma once
// The composition root of the agent: reads the config and the enrolled identity, and wires
// the process runner, nginx, the prober, the applier and the controller client. Only this
// module names concrete implementations.
#include <filesystem>
#include <memory>
#include <string>

#include "agent/apply/applier.h"
#include "agent/apply/supervised_nginx.h"
#include "agent/config/agent_config.h"
#include "agent/run/controller_client.h"
#include "agent/state/agent_state.h"
#include "common/core/unique_fd.h"
#include "common/crypto/ed25519.h"
#include "common/process/process_runner.h"
#include "common/release/keyring.h"

namespace vantus::agent {

class AgentRuntime {
 public:
  // Holds <state_dir>/agent.lock for its lifetime: one agent process per state dir
  // (kFailedPrecondition when another holds it).
  static Result<std::unique_ptr<AgentRuntime>> open(const std::filesystem::path& config_file);

  const AgentConfig& config() const { return config_; }
  const AgentLayout& layout() const { return layout_; }
  const Enrollment& enrollment() const { return enrollment_; }
  const crypto::Ed25519PrivateKey& nodeKey() const { return *node_key_; }
  const release::Keyring& keyring() const { return keyring_; }
  // The supervised master when the agent owns nginx (nginx.start: true), else the plain one.
  EdgeNginx& nginx() { return supervised_ ? *supervised_ : *nginx_; }
  // Null when systemd owns nginx. Supervision runs only once supervise() was called on it.
  SupervisedNginx* supervisor() { return supervised_.get(); }
  Applier& applier() { return *applier_; }
  ControllerClient& controller() { return *controller_; }

 private:
  AgentRuntime() = default;

  AgentConfig config_;
  AgentLayout layout_;
  UniqueFd lock_;
  Enrollment enrollment_;
  std::unique_ptr<crypto::Ed25519PrivateKey> node_key_;
  release::Keyring keyring_;
  std::unique_ptr<ProcessRunner> runner_;
  std::unique_ptr<EdgeNginx> nginx_;
  std::unique_ptr<SupervisedNginx> supervised_;
  std::unique_ptr<EdgeProber> prober_;
  std::unique_ptr<Applier> applier_;
  std::unique_ptr<ControllerClient> controller_;
};

// Reads every *.pub under `dir` (PEM Ed25519 public keys).
Result<release::Keyring> loadKeyringDir(const std::filesystem::path& dir);

}  // namespace vantus::agent

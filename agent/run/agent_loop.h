#pragma once
// The agent's one loop: deliver what is owed to the controller (receipts, heartbeats), look
// for drift, wait for a new desired release (long-poll), fetch, verify and apply it. The
// controller being unreachable never touches what serves: the loop backs off with jitter and
// logs once per change of state. Runs on one thread; stop() may come from any other.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <string>

#include "agent/apply/applier.h"
#include "agent/apply/bundle_delivery.h"
#include "agent/config/agent_config.h"
#include "agent/run/controller_client.h"
#include "agent/state/agent_state.h"
#include "common/crypto/ed25519.h"
#include "common/release/keyring.h"

namespace vantus::agent {

struct AgentIdentity {
  Enrollment enrollment;
  const crypto::Ed25519PrivateKey& node_key;
  const release::Keyring& keyring;
  std::string nginx_version;
};

class AgentLoop {
 public:
  // `nginx_restarts` answers how often the agent restarted its nginx (heartbeats carry it).
  AgentLoop(
      const AgentConfig& config, AgentIdentity identity, ControllerClient& controller,
      Applier& applier, std::function<std::int64_t()> clock,
      std::function<std::uint64_t()> nginx_restarts = [] { return std::uint64_t{0}; });

  // Returns when stop() is called. `on_tick` runs after each round (watchdog).
  void run(const std::function<void()>& on_tick);
  void stop();

 private:
  void round();
  void heartbeatIfDue(bool force);
  void checkDriftIfDue();
  void pollOnce(std::chrono::seconds wait);
  void applyDesired(const Desired& desired);
  void report(const ApplyOutcome& outcome);
  // Posts a signed receipt, or keeps it in the state for the next contact.
  void send(std::string envelope);
  void deliverUndelivered();
  void connectivity(bool reachable, const std::string& detail);
  void sleepFor(std::chrono::milliseconds duration);
  std::chrono::milliseconds jittered(std::chrono::milliseconds base);
  bool expired() const;

  const AgentConfig& config_;
  AgentIdentity identity_;
  ControllerClient& controller_;
  Applier& applier_;
  std::function<std::int64_t()> clock_;
  std::function<std::uint64_t()> nginx_restarts_;
  BundleDelivery delivery_;

  std::string etag_;
  // A release that failed here is retried only after a pause (nginx -t will not change its
  // mind, a full disk might), unless the pointer moves on.
  std::map<std::string, std::chrono::steady_clock::time_point> failed_digests_;
  bool reachable_ = true;
  bool drift_ = false;
  bool expired_logged_ = false;
  std::chrono::milliseconds backoff_{0};
  std::chrono::steady_clock::time_point next_heartbeat_{};
  std::chrono::steady_clock::time_point next_drift_check_{};
  std::mt19937_64 random_;

  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
};

}  // namespace vantus::agent

#pragma once
// The nginx master the agent owns (nginx.start: true; under systemd's vantus-edge-nginx.service
// systemd owns it and this is not used), kept alive. Wraps the EdgeNginx that drives it: every
// call is serialised with the supervision, so a restart never races the applier's reload.
//
// A master counts as wanted once one was seen running or a reload succeeded, and stops being
// wanted on stop() (a first release that failed is taken down on purpose). While wanted,
// superviseOnce() — every kCheckEvery on the supervising thread — notices a master that died
// (nginx.died), and starts it again on `conf` (current/nginx.conf, so the release that served)
// through reload(), which first retires the workers the dead master left. The first restart
// after a calm period is immediate; each further death or failed start in a row doubles the wait
// (kFirstBackoff up to kMaxBackoff), and a master that has run kStableAfter resets it. Restarts
// are logged (nginx.restarted, nginx.restart_failed), counted and saved to `record` for
// `vantus-agent status` and the heartbeat.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "agent/apply/edge_nginx.h"
#include "agent/state/agent_state.h"

namespace vantus::agent {

class SupervisedNginx final : public EdgeNginx {
 public:
  using SteadyClock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kCheckEvery{200};
  static constexpr std::chrono::milliseconds kFirstBackoff{500};
  static constexpr std::chrono::milliseconds kMaxBackoff{30000};
  static constexpr std::chrono::seconds kStableAfter{60};

  // `steady` and `wall` (unix seconds) are the clocks; tests pass simulated ones.
  SupervisedNginx(EdgeNginx& nginx, std::filesystem::path conf, std::filesystem::path record,
                  std::function<SteadyClock::time_point()> steady,
                  std::function<std::int64_t()> wall);
  ~SupervisedNginx() override;  // stops supervising; the master keeps running

  // Starts the supervising thread (at most once).
  void supervise();
  // One look at the master; what the supervising thread does every kCheckEvery.
  void superviseOnce();
  // Restarts since enrolment (the record survives agent restarts). Any thread.
  std::uint64_t restarts() const { return restarts_.load(); }

  Result<NginxTest> test(const std::filesystem::path& conf) override;
  bool running() override;
  Result<void> reload(const std::filesystem::path& conf) override;
  Result<void> checkCanStart() override;
  Result<void> stop() override;
  std::string version() override;

 private:
  std::chrono::milliseconds backoff() const;
  void save();

  EdgeNginx& nginx_;
  const std::filesystem::path conf_;
  const std::filesystem::path record_path_;
  std::function<SteadyClock::time_point()> steady_;
  std::function<std::int64_t()> wall_;

  std::mutex mutex_;  // guards everything below and every call into nginx_ but test()
  bool wanted_ = false;
  bool down_ = false;  // the wanted master is known dead
  int streak_ = 0;     // deaths and failed starts in a row
  SteadyClock::time_point next_attempt_{};
  SteadyClock::time_point up_since_{};
  NginxRestarts record_;
  std::atomic<std::uint64_t> restarts_{0};

  std::mutex stop_mutex_;
  std::condition_variable stop_wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace vantus::agent

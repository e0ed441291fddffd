#pragma once
// Publishing, the step after a deployment: signing the releases deployments recorded,
// building their bundles and re-signing releases before they expire, off the deployments'
// path. The composition root owns one per process and makes the DeploymentService's release
// listener wake() it; the serving process start()s its thread (a round at once, then on every
// wake and every `period`), a one-shot process (the CLI) never does and gets the round it
// asked for from stop(), so that it too leaves signed bundles behind. Thread-safe.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "controller/deploy/deployment_service.h"

namespace vantus::controller {

class PublishingLoop {
 public:
  // `deployments` must outlive the loop. `crash_at` as DeploymentServiceOptions's.
  PublishingLoop(DeploymentService& deployments, std::int64_t renew_window_seconds,
                 std::string crash_at = {});
  ~PublishingLoop();  // stop()
  PublishingLoop(const PublishingLoop&) = delete;
  PublishingLoop& operator=(const PublishingLoop&) = delete;

  // Starts the thread (once). `built` runs on it after each round that built bundles: agents
  // can fetch them now.
  void start(std::function<void()> built,
             std::chrono::milliseconds period = std::chrono::minutes(1));
  // Asks for a round now.
  void wake();
  // Ends the thread after the round it is in; then runs, on the calling thread, a round asked
  // for and not run yet. Idempotent.
  void stop();

 private:
  void run();
  // One round: bundles, then renewals. Errors are logged (the next round tries again).
  void round();

  DeploymentService& deployments_;
  const std::int64_t renew_window_seconds_;
  const std::string crash_at_;
  std::function<void()> built_;
  std::chrono::milliseconds period_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool started_ = false;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace vantus::controller

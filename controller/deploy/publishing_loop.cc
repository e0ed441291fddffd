#include "controller/deploy/publishing_loop.h"

#include "common/log/log.h"
#include "controller/deploy/fault_point.h"

namespace vantus::controller {

PublishingLoop::PublishingLoop(DeploymentService& deployments, std::int64_t renew_window_seconds,
                               std::string crash_at)
    : deployments_(deployments),
      renew_window_seconds_(renew_window_seconds),
      crash_at_(std::move(crash_at)) {}

PublishingLoop::~PublishingLoop() { stop(); }

void PublishingLoop::start(std::function<void()> built, std::chrono::milliseconds period) {
  std::lock_guard lock(mutex_);
  if (started_ || stopping_) {
    return;
  }
  started_ = true;
  built_ = std::move(built);
  period_ = period;
  woken_ = true;
  thread_ = std::thread([this] { run(); });
}

void PublishingLoop::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void PublishingLoop::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
  bool pending = false;
  {
    std::lock_guard lock(mutex_);
    pending = woken_;
    woken_ = false;
  }
  if (pending) {
    round();
  }
}

void PublishingLoop::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, period_, [this] { return stopping_ || woken_; });
    if (stopping_) {
      break;
    }
    woken_ = false;
    lock.unlock();
    round();
    lock.lock();
  }
}

void PublishingLoop::round() {
  Result<std::size_t> built = deployments_.materializePending();
  if (!built) {
    log::error("bundle.build_failed", {{"error", built.error().describe()}});
  } else if (*built > 0) {
    faultPoint(crash_at_, "published");
    if (built_) {
      built_();
    }
  }
  if (auto renewed = deployments_.renewExpiring(renew_window_seconds_); !renewed) {
    log::error("release.renew_failed", {{"error", renewed.error().describe()}});
  } else if (*renewed > 0 && built_) {
    built_();
  }
}

}  // namespace vantus::controller

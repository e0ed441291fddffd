#include "agent/apply/supervised_nginx.h"

#include <algorithm>

#include "common/log/log.h"

namespace vantus::agent {

SupervisedNginx::SupervisedNginx(EdgeNginx& nginx, std::filesystem::path conf,
                                 std::filesystem::path record,
                                 std::function<SteadyClock::time_point()> steady,
                                 std::function<std::int64_t()> wall)
    : nginx_(nginx),
      conf_(std::move(conf)),
      record_path_(std::move(record)),
      steady_(std::move(steady)),
      wall_(std::move(wall)) {
  if (auto loaded = loadNginxRestarts(record_path_); loaded) {
    record_ = *loaded;
  } else {
    log::warn("nginx.restarts_unreadable", {{"error", loaded.error().describe()}});
  }
  restarts_ = record_.count;
}

SupervisedNginx::~SupervisedNginx() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void SupervisedNginx::supervise() {
  if (thread_.joinable()) {
    return;
  }
  thread_ = std::thread([this] {
    std::unique_lock lock(stop_mutex_);
    while (!stopping_) {
      lock.unlock();
      superviseOnce();
      lock.lock();
      stop_wake_.wait_for(lock, kCheckEvery, [this] { return stopping_; });
    }
  });
}

std::chrono::milliseconds SupervisedNginx::backoff() const {
  if (streak_ == 0) {
    return std::chrono::milliseconds(0);
  }
  const int doublings = std::min(streak_ - 1, 16);
  return std::min(kMaxBackoff, kFirstBackoff * (1 << doublings));
}

void SupervisedNginx::save() {
  if (auto saved = saveNginxRestarts(record_path_, record_); !saved) {
    log::warn("nginx.restarts_not_saved", {{"error", saved.error().describe()}});
  }
}

void SupervisedNginx::superviseOnce() {
  std::lock_guard lock(mutex_);
  if (!wanted_) {
    return;
  }
  const SteadyClock::time_point now = steady_();
  if (nginx_.running()) {
    if (streak_ > 0 && now - up_since_ >= kStableAfter) {
      streak_ = 0;
    }
    return;
  }
  if (!down_) {
    down_ = true;
    next_attempt_ = now + backoff();
    log::error("nginx.died", {{"conf", conf_.string()},
                              {"restart_in_ms", static_cast<std::int64_t>(backoff().count())},
                              {"effect", "nothing answers until nginx runs again"}});
  }
  if (now < next_attempt_) {
    return;
  }
  ++streak_;
  if (auto started = nginx_.reload(conf_); !started) {
    next_attempt_ = now + backoff();
    record_.last_error = started.error().describe();
    save();
    log::error("nginx.restart_failed",
               {{"error", record_.last_error},
                {"retry_in_ms", static_cast<std::int64_t>(backoff().count())}});
    return;
  }
  down_ = false;
  up_since_ = now;
  record_.count += 1;
  record_.last_at = wall_();
  record_.last_error.clear();
  restarts_ = record_.count;
  save();
  log::warn("nginx.restarted",
            {{"conf", conf_.string()}, {"restarts", static_cast<std::int64_t>(record_.count)}});
}

Result<NginxTest> SupervisedNginx::test(const std::filesystem::path& conf) {
  return nginx_.test(conf);  // runs a separate nginx -t process; nothing to serialise
}

bool SupervisedNginx::running() {
  std::lock_guard lock(mutex_);
  const bool running = nginx_.running();
  if (running && !wanted_) {
    wanted_ = true;  // a master that was already there at start is ours to keep alive
    up_since_ = steady_();
  }
  return running;
}

Result<void> SupervisedNginx::reload(const std::filesystem::path& conf) {
  std::lock_guard lock(mutex_);
  VANTUS_TRY_VOID(nginx_.reload(conf));
  if (!wanted_ || down_) {
    up_since_ = steady_();
  }
  wanted_ = true;
  down_ = false;
  return ok();
}

Result<void> SupervisedNginx::checkCanStart() {
  std::lock_guard lock(mutex_);
  return nginx_.checkCanStart();
}

Result<void> SupervisedNginx::stop() {
  std::lock_guard lock(mutex_);
  wanted_ = false;
  down_ = false;
  return nginx_.stop();
}

std::string SupervisedNginx::version() { return nginx_.version(); }

}  // namespace vantus::agent

#include "controller/fleet/desired_releases.h"

#include "common/log/log.h"
#include "controller/store/store_access.h"

namespace vantus::controller {

DesiredReleases::DesiredReleases(Store& store, std::size_t max_waiters,
                                 std::chrono::milliseconds refresh_every)
    : store_(store), max_waiters_(max_waiters), refresh_every_(refresh_every) {}

DesiredReleases::~DesiredReleases() { stop(); }

Result<void> DesiredReleases::start() {
  VANTUS_TRY_VOID(refresh());
  watcher_ = std::thread([this] { watch(); });
  return ok();
}

void DesiredReleases::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (watcher_.joinable()) {
    watcher_.join();
  }
}

Result<void> DesiredReleases::refresh() {
  VANTUS_TRY(std::vector<Release> latest,
             readValue<std::vector<Release>>(
                 store_, [](Transaction& tx) { return tx.latestBuiltReleases(); }));
  bool any_change = false;
  {
    std::lock_guard lock(mutex_);
    for (const Release& release : latest) {
      DesiredPointer& pointer = pointers_[release.cluster_id];
      if (pointer.digest != release.digest) {
        pointer = {release.version, release.digest, release.expires_at};
        any_change = true;
      }
    }
  }
  if (any_change) {
    changed_.notify_all();
  }
  return ok();
}

void DesiredReleases::watch() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    changed_.wait_for(lock, refresh_every_, [this] { return stopping_; });
    if (stopping_) {
      break;
    }
    lock.unlock();
    if (auto refreshed = refresh(); !refreshed) {
      log::warn("desired.refresh_failed", {{"error", refreshed.error().describe()}});
    }
    lock.lock();
  }
}

std::optional<DesiredPointer> DesiredReleases::current(Id cluster_id) const {
  std::lock_guard lock(mutex_);
  auto found = pointers_.find(cluster_id);
  return found == pointers_.end() ? std::nullopt : std::optional(found->second);
}

std::optional<DesiredPointer> DesiredReleases::waitForChange(Id cluster_id,
                                                             const std::string& known_digest,
                                                             std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  auto differs = [&] {
    auto found = pointers_.find(cluster_id);
    return stopping_ || (found != pointers_.end() && found->second.digest != known_digest);
  };
  if (!differs() && waiters_ < max_waiters_ && timeout.count() > 0) {
    ++waiters_;
    changed_.wait_for(lock, timeout, differs);
    --waiters_;
  }
  auto found = pointers_.find(cluster_id);
  return found == pointers_.end() ? std::nullopt : std::optional(found->second);
}

std::size_t DesiredReleases::waiters() const {
  std::lock_guard lock(mutex_);
  return waiters_;
}

}  // namespace vantus::controller

#pragma once
// What each cluster should run, kept in memory so that an agent's poll costs no SQL: a
// watcher refreshes it from the store a few times a second (deployments made by the CLI in
// another process land here too) and wakes the long-polling agents of the clusters that
// changed. Waiters are bounded well below the HTTP worker pool, because each holds a worker
// thread; beyond the bound a poll is answered at once. Thread-safe.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/core/result.h"
#include "controller/model/deployments.h"

namespace vantus::controller {

class Store;

struct DesiredPointer {
  std::uint64_t version = 0;
  std::string digest;
  std::int64_t expires_at = 0;
};

class DesiredReleases {
 public:
  DesiredReleases(Store& store, std::size_t max_waiters, std::chrono::milliseconds refresh_every);
  ~DesiredReleases();

  // Loads the pointers once, then refreshes them on a background thread until stop().
  Result<void> start();
  // Wakes every waiter and joins the watcher. Idempotent.
  void stop();
  // Reads the store now and wakes waiters of changed clusters.
  Result<void> refresh();

  std::optional<DesiredPointer> current(Id cluster_id) const;
  // The pointer as soon as its digest differs from `known_digest`, or at `timeout`, or at
  // once when max_waiters are already waiting.
  std::optional<DesiredPointer> waitForChange(Id cluster_id, const std::string& known_digest,
                                              std::chrono::milliseconds timeout);
  std::size_t waiters() const;

 private:
  void watch();

  Store& store_;
  const std::size_t max_waiters_;
  const std::chrono::milliseconds refresh_every_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<Id, DesiredPointer> pointers_;
  std::size_t waiters_ = 0;
  bool stopping_ = false;
  std::thread watcher_;
};

}  // namespace vantus::controller

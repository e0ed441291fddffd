#pragma once
// An exclusive flock(2) on a file of the state dir, so that the deployments of every process
// on that state dir (the serving controller, the CLI) run one at a time. The kernel drops the
// lock when its holder exits or is killed, so whatever is found half-done while holding it
// was left by a process that is gone. Threads: acquire() serialises processes, not threads
// (the caller holds its own mutex first).
#include <filesystem>
#include <memory>
#include <utility>

#include "common/core/result.h"
#include "common/core/unique_fd.h"

namespace vantus::controller {

class FileLock {
 public:
  // Held until destroyed (or moved from).
  class Held {
   public:
    Held() = default;
    explicit Held(int fd) : fd_(fd) {}
    Held(Held&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    Held& operator=(Held&& other) noexcept;
    ~Held();

   private:
    int fd_ = -1;
  };

  // Opens (creating) `path`; kIo when it cannot.
  static Result<std::unique_ptr<FileLock>> open(const std::filesystem::path& path);
  ~FileLock() = default;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

  // Blocks until this process holds the lock.
  Result<Held> acquire();

 private:
  explicit FileLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace vantus::controller

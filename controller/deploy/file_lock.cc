#include "controller/deploy/file_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

namespace vantus::controller {

FileLock::Held& FileLock::Held::operator=(Held&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) {
      ::flock(fd_, LOCK_UN);
    }
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

FileLock::Held::~Held() {
  if (fd_ >= 0) {
    ::flock(fd_, LOCK_UN);
  }
}

Result<std::unique_ptr<FileLock>> FileLock::open(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot open {}: {}", path.string(), ::strerror(errno)));
  }
  return std::unique_ptr<FileLock>(new FileLock(std::move(fd)));
}

Result<FileLock::Held> FileLock::acquire() {
  while (::flock(fd_.get(), LOCK_EX) != 0) {
    if (errno != EINTR) {
      return fail(ErrorCode::kIo,
                  fmt::format("cannot lock the deployments: {}", ::strerror(errno)));
    }
  }
  return Held(fd_.get());
}

}  // namespace vantus::controller

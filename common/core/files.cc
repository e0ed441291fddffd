#include "common/core/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

namespace vantus {

namespace {

Unexpected ioError(std::string_view what, const std::string& path) {
  return fail(ErrorCode::kIo, fmt::format("{} {}: {}", what, path, std::strerror(errno)));
}

Result<void> writeAll(int fd, std::string_view content, const std::string& path) {
  while (!content.empty()) {
    ssize_t written = ::write(fd, content.data(), content.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      return ioError("cannot write", path);
    }
    content.remove_prefix(static_cast<size_t>(written));
  }
  return ok();
}

std::string parentOf(const std::string& path) {
  std::string parent = std::filesystem::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

}  // namespace

Result<void> fsyncDirectory(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return ioError("cannot open directory", path);
  }
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) {
    return ioError("cannot fsync directory", path);
  }
  return ok();
}

Result<void> writeFileAtomically(const std::string& path, std::string_view content,
                                 unsigned mode) {
  std::string temp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) {
    return ioError("cannot create", temp);
  }
  ::fchmod(fd, mode);
  auto written = writeAll(fd, content, temp);
  if (written && ::fsync(fd) != 0) {
    written = ioError("cannot fsync", temp);
  }
  ::close(fd);
  if (!written) {
    ::unlink(temp.c_str());
    return written;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    auto error = ioError("cannot rename onto", path);
    ::unlink(temp.c_str());
    return error;
  }
  return fsyncDirectory(parentOf(path));
}

Result<void> writeNewFile(const std::string& path, std::string_view content, unsigned mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST) {
      return fail(ErrorCode::kAlreadyExists, path + " already exists");
    }
    return ioError("cannot create", path);
  }
  ::fchmod(fd, mode);
  auto written = writeAll(fd, content, path);
  if (written && ::fsync(fd) != 0) {
    written = ioError("cannot fsync", path);
  }
  ::close(fd);
  if (!written) {
    ::unlink(path.c_str());
  }
  return written;
}

Result<std::string> readFile(const std::string& path, size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      return fail(ErrorCode::kNotFound, path + " does not exist");
    }
    return ioError("cannot open", path);
  }
  std::string content;
  char buffer[64 * 1024];
  for (;;) {
    ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      auto error = ioError("cannot read", path);
      ::close(fd);
      return error;
    }
    if (got == 0) {
      break;
    }
    if (content.size() + static_cast<size_t>(got) > max_bytes) {
      ::close(fd);
      return fail(ErrorCode::kTooLarge,
                  fmt::format("{} is larger than {} bytes", path, max_bytes));
    }
    content.append(buffer, static_cast<size_t>(got));
  }
  ::close(fd);
  return content;
}

}  // namespace vantus

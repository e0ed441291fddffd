#include "common/core/files.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/core/unique_fd.h"

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
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) {
    return ioError("cannot open directory", path);
  }
  if (::fsync(fd.get()) != 0) {
    return ioError("cannot fsync directory", path);
  }
  return ok();
}

Result<void> writeFileAtomically(const std::string& path, std::string_view content, unsigned mode) {
  std::string temp = path + ".tmp." + std::to_string(::getpid());
  UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (!fd) {
    return ioError("cannot create", temp);
  }
  ::fchmod(fd.get(), mode);
  auto written = writeAll(fd.get(), content, temp);
  if (written && ::fsync(fd.get()) != 0) {
    written = ioError("cannot fsync", temp);
  }
  fd.reset();
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
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
  if (!fd) {
    if (errno == EEXIST) {
      return fail(ErrorCode::kAlreadyExists, path + " already exists");
    }
    return ioError("cannot create", path);
  }
  ::fchmod(fd.get(), mode);
  auto written = writeAll(fd.get(), content, path);
  if (written && ::fsync(fd.get()) != 0) {
    written = ioError("cannot fsync", path);
  }
  fd.reset();
  if (!written) {
    ::unlink(path.c_str());
  }
  return written;
}

Result<void> writeScratchFile(const std::string& path, std::string_view content, unsigned mode) {
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), error);
  if (error) {
    return fail(ErrorCode::kIo, "cannot create the directory of " + path + ": " + error.message());
  }
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode));
  if (!fd) {
    return ioError("cannot write", path);
  }
  return writeAll(fd.get(), content, path);
}

Result<void> createFileIfMissing(const std::string& path, unsigned mode) {
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, mode));
  if (!fd) {
    return ioError("cannot create", path);
  }
  return ok();
}

Result<std::string> readFile(const std::string& path, size_t max_bytes) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) {
      return fail(ErrorCode::kNotFound, path + " does not exist");
    }
    return ioError("cannot open", path);
  }
  std::string content;
  char buffer[64 * 1024];
  for (;;) {
    ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      return ioError("cannot read", path);
    }
    if (got == 0) {
      break;
    }
    if (content.size() + static_cast<size_t>(got) > max_bytes) {
      return fail(ErrorCode::kTooLarge, fmt::format("{} is larger than {} bytes", path, max_bytes));
    }
    content.append(buffer, static_cast<size_t>(got));
  }
  return content;
}

}  // namespace vantus

#include "common/process/process_runner.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <optional>
#include <thread>
#include <utility>

#include "common/core/unique_fd.h"

extern char** environ;

namespace vantus {

namespace {

using Clock = std::chrono::steady_clock;

struct Channel {
  UniqueFd parent;
  UniqueFd child;
};

Unexpected systemError(std::string_view what) {
  return fail(ErrorCode::kIo, fmt::format("{}: {}", what, ::strerror(errno)));
}

Result<void> setNonBlocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
    return systemError("fcntl(O_NONBLOCK)");
  }
  return ok();
}

// O_CLOEXEC from the start: a child spawned by another thread in between must not inherit
// our end and keep the pipe open.
Result<Channel> outputPipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return systemError("pipe2");
  }
  Channel channel{UniqueFd(fds[0]), UniqueFd(fds[1])};
  VANTUS_TRY_VOID(setNonBlocking(channel.parent.get()));
  return channel;
}

// A socket rather than a pipe so that writes can use MSG_NOSIGNAL: a child that exits
// without reading its input must not raise SIGPIPE in this (multi-threaded) process.
Result<Channel> inputSocket() {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    return systemError("socketpair");
  }
  Channel channel{UniqueFd(fds[0]), UniqueFd(fds[1])};
  VANTUS_TRY_VOID(setNonBlocking(channel.parent.get()));
  return channel;
}

class FileActions {
 public:
  FileActions() { ::posix_spawn_file_actions_init(&actions_); }
  ~FileActions() { ::posix_spawn_file_actions_destroy(&actions_); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

class SpawnAttributes {
 public:
  SpawnAttributes() { ::posix_spawnattr_init(&attributes_); }
  ~SpawnAttributes() { ::posix_spawnattr_destroy(&attributes_); }
  SpawnAttributes(const SpawnAttributes&) = delete;
  SpawnAttributes& operator=(const SpawnAttributes&) = delete;
  posix_spawnattr_t* get() { return &attributes_; }

 private:
  posix_spawnattr_t attributes_;
};

// Kills and reaps the child unless it was reaped already, so that no early return leaves a
// zombie or a runaway process group behind.
class ChildGuard {
 public:
  explicit ChildGuard(pid_t pid) : pid_(pid) {}
  ~ChildGuard() {
    if (pid_ > 0) {
      killGroup();
      reap();
    }
  }
  ChildGuard(const ChildGuard&) = delete;
  ChildGuard& operator=(const ChildGuard&) = delete;

  void killGroup() const { ::kill(-pid_, SIGKILL); }

  // Blocks until the child is gone; returns its wait status.
  int reap() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
  }

  // The wait status if the child has exited by `deadline`; it is then reaped.
  std::optional<int> reapBy(Clock::time_point deadline) {
    auto pause = std::chrono::milliseconds(1);
    while (true) {
      int status = 0;
      pid_t got = ::waitpid(pid_, &status, WNOHANG);
      if (got == pid_ || (got < 0 && errno != EINTR)) {
        pid_ = -1;
        return status;
      }
      if (Clock::now() >= deadline) {
        return std::nullopt;
      }
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::milliseconds(20));
    }
  }

 private:
  pid_t pid_;
};

class CappedText {
 public:
  CappedText(std::string& text, std::size_t cap) : text_(text), cap_(cap) {}
  void append(const char* data, std::size_t size) {
    std::size_t room = cap_ > text_.size() ? cap_ - text_.size() : 0;
    std::size_t kept = std::min(room, size);
    text_.append(data, kept);
    dropped_ += size - kept;
  }
  bool finish() {
    if (dropped_ == 0) {
      return false;
    }
    text_ += fmt::format("\n[... truncated: {} more bytes not kept]\n", dropped_);
    return true;
  }

 private:
  std::string& text_;
  std::size_t cap_;
  std::size_t dropped_ = 0;
};

// Reads what is available; closes `fd` at end of file or on an error.
Result<void> drain(UniqueFd& fd, CappedText& text) {
  std::array<char, 16384> buffer;
  while (true) {
    ssize_t got = ::read(fd.get(), buffer.data(), buffer.size());
    if (got > 0) {
      text.append(buffer.data(), static_cast<std::size_t>(got));
      continue;
    }
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return ok();
    }
    if (got < 0) {
      Unexpected error = systemError("read from child");
      fd.reset();
      return error;
    }
    fd.reset();
    return ok();
  }
}

// Writes what the socket takes; closes `fd` when everything is written or the child is gone.
void feed(UniqueFd& fd, std::string_view data, std::size_t& offset) {
  while (offset < data.size()) {
    ssize_t sent =
        ::send(fd.get(), data.data() + offset, data.size() - offset, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent > 0) {
      offset += static_cast<std::size_t>(sent);
      continue;
    }
    if (sent < 0 && errno == EINTR) {
      continue;
    }
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;
    }
    break;  // EPIPE and the like: the child does not read its input
  }
  fd.reset();
}

int exitCodeOf(int status) {
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  if (WIFSIGNALED(status)) {
    return 128 + WTERMSIG(status);
  }
  return -1;
}

int pollTimeout(Clock::time_point deadline) {
  auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 60000));
}

Unexpected spawnError(int code, const std::string& program) {
  if (code == ENOENT) {
    return fail(ErrorCode::kNotFound,
                fmt::format("cannot run {:?}: no such program (is it installed?)", program));
  }
  if (code == EACCES || code == EPERM) {
    return fail(ErrorCode::kPermissionDenied,
                fmt::format("cannot run {:?}: {}", program, ::strerror(code)));
  }
  return fail(ErrorCode::kIo, fmt::format("cannot run {:?}: {}", program, ::strerror(code)));
}

class SystemProcessRunner : public ProcessRunner {
 public:
  Result<ProcessOutput> run(const ProcessSpec& spec) override {
    if (spec.argv.empty() || spec.argv[0].empty()) {
      return fail(ErrorCode::kInvalidInput, "no program to run", "argv");
    }
    VANTUS_TRY(Channel out, outputPipe());
    VANTUS_TRY(Channel err, outputPipe());
    Channel in;
    if (!spec.stdin_data.empty()) {
      VANTUS_TRY(in, inputSocket());
    }

    FileActions actions;
    if (in.child.valid()) {
      ::posix_spawn_file_actions_adddup2(actions.get(), in.child.get(), STDIN_FILENO);
    } else {
      ::posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    }
    ::posix_spawn_file_actions_adddup2(actions.get(), out.child.get(), STDOUT_FILENO);
    ::posix_spawn_file_actions_adddup2(actions.get(), err.child.get(), STDERR_FILENO);
    // Descriptors that a library opened without O_CLOEXEC do not reach the child either.
    ::posix_spawn_file_actions_addclosefrom_np(actions.get(), STDERR_FILENO + 1);

    // The controller and the agent block SIGTERM/SIGINT in every thread for sigwait(); the
    // child must not inherit that mask, nor any ignored signal.
    SpawnAttributes attributes;
    sigset_t empty;
    sigset_t all;
    sigemptyset(&empty);
    sigfillset(&all);
    ::posix_spawnattr_setflags(
        attributes.get(), POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    ::posix_spawnattr_setpgroup(attributes.get(), 0);
    ::posix_spawnattr_setsigmask(attributes.get(), &empty);
    ::posix_spawnattr_setsigdefault(attributes.get(), &all);

    std::vector<char*> argv;
    argv.reserve(spec.argv.size() + 1);
    for (const std::string& arg : spec.argv) {
      argv.push_back(const_cast<char*>(arg.c_str()));
    }
    argv.push_back(nullptr);

    pid_t pid = -1;
    const bool search_path = spec.argv[0].find('/') == std::string::npos;
    int spawned =
        search_path
            ? ::posix_spawnp(&pid, argv[0], actions.get(), attributes.get(), argv.data(), environ)
            : ::posix_spawn(&pid, argv[0], actions.get(), attributes.get(), argv.data(), environ);
    if (spawned != 0) {
      return spawnError(spawned, spec.argv[0]);
    }
    ChildGuard child(pid);
    const Clock::time_point deadline = Clock::now() + spec.timeout;
    in.child.reset();
    out.child.reset();
    err.child.reset();

    ProcessOutput output;
    CappedText stdout_text(output.stdout_text, spec.max_output_bytes);
    CappedText stderr_text(output.stderr_text, spec.max_output_bytes);
    std::size_t stdin_offset = 0;
    if (in.parent.valid()) {
      feed(in.parent, spec.stdin_data, stdin_offset);
    }
    // The output is read until every holder of the pipes has closed them, which normally is
    // when the child exits.
    while (out.parent.valid() || err.parent.valid()) {
      std::array<pollfd, 3> fds{};
      std::array<UniqueFd*, 3> owners{};
      nfds_t count = 0;
      for (auto [fd, events] : {std::pair{&out.parent, POLLIN}, std::pair{&err.parent, POLLIN},
                                std::pair{&in.parent, POLLOUT}}) {
        if (fd->valid()) {
          fds[count] = pollfd{fd->get(), static_cast<short>(events), 0};
          owners[count++] = fd;
        }
      }
      int timeout_ms = pollTimeout(deadline);
      if (timeout_ms == 0) {
        output.timed_out = true;
        break;
      }
      int ready = ::poll(fds.data(), count, timeout_ms);
      if (ready < 0 && errno == EINTR) {
        continue;
      }
      if (ready < 0) {
        return systemError("poll");
      }
      for (nfds_t i = 0; i < count; ++i) {
        if (fds[i].revents == 0) {
          continue;
        }
        if (owners[i] == &in.parent) {
          feed(in.parent, spec.stdin_data, stdin_offset);
        } else {
          VANTUS_TRY_VOID(drain(*owners[i], owners[i] == &out.parent ? stdout_text : stderr_text));
        }
      }
    }
    in.parent.reset();

    std::optional<int> status;
    if (!output.timed_out) {
      status = child.reapBy(deadline);
      output.timed_out = !status.has_value();
    }
    if (output.timed_out) {
      child.killGroup();
      child.reap();
      output.exit_code = -1;
    } else {
      output.exit_code = exitCodeOf(*status);
    }
    bool stdout_cut = stdout_text.finish();
    bool stderr_cut = stderr_text.finish();
    output.truncated = stdout_cut || stderr_cut;
    return output;
  }
};

}  // namespace

std::unique_ptr<ProcessRunner> makeSystemProcessRunner() {
  return std::make_unique<SystemProcessRunner>();
}

}  // namespace vantus

#pragma once
// Runs a program and collects its output. No shell is involved: argv goes to the program as
// is. The child runs in its own process group with an empty signal mask and default signal
// dispositions; it gets no descriptor of ours beyond stdin, stdout and stderr. On timeout the
// whole process group is killed with SIGKILL. Implementations are thread-safe: many threads
// may call run() at the same time.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "common/core/result.h"

namespace vantus {

// Members carry default initializers so designated initializers may name any subset.
struct ProcessSpec {
  std::vector<std::string> argv{};  // argv[0] is a path, or a name searched in $PATH
  std::chrono::milliseconds timeout{30000};
  std::string stdin_data{};                // written to the child's stdin, then stdin is closed
  std::size_t max_output_bytes = 1 << 20;  // per stream; the rest is read and dropped
};

struct ProcessOutput {
  int exit_code = -1;  // 0..255 on exit, 128 + signal when killed by one, -1 on timeout
  std::string stdout_text{};
  std::string stderr_text{};
  bool timed_out = false;
  // A stream went past max_output_bytes: its text ends with a "[... truncated ...]" line.
  bool truncated = false;
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // A non-zero exit, a signal or a timeout is a ProcessOutput, not an error. Errors: empty
  // argv (kInvalidInput), a program that does not exist (kNotFound) or cannot be started
  // (kPermissionDenied, kIo), a failing pipe or poll (kIo).
  virtual Result<ProcessOutput> run(const ProcessSpec& spec) = 0;
};

// posix_spawn + pipes + poll().
std::unique_ptr<ProcessRunner> makeSystemProcessRunner();

}  // namespace vantus

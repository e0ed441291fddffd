#pragma once
// A ProcessRunner for unit tests: answers from a table instead of running anything and
// records every call. A command is the argv joined with single spaces; a rule matches when
// that string, or the same string with argv[0] cut to its base name, starts with the rule's
// prefix ("nginx -t" matches "/usr/sbin/nginx -t -q ..."). The rule added last wins; an
// unmatched command succeeds with exit code 0 and no output. Thread-safe.
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/process/process_runner.h"

namespace vantus::testing {

class FakeProcessRunner : public ProcessRunner {
 public:
  using Handler = std::function<Result<ProcessOutput>(const ProcessSpec&)>;

  void onCommand(std::string prefix, ProcessOutput output);
  // Runs `handler` for matching commands: it may inspect files or return an Error.
  void onCommand(std::string prefix, Handler handler);

  // True when a recorded command line contains `substring`.
  bool ran(std::string_view substring) const;
  std::vector<ProcessSpec> calls() const;
  std::vector<std::string> commandLines() const;

  Result<ProcessOutput> run(const ProcessSpec& spec) override;

  static std::string commandLine(const ProcessSpec& spec);

 private:
  struct Rule {
    std::string prefix;
    Handler handler;
  };
  mutable std::mutex mutex_;
  std::vector<Rule> rules_;
  std::vector<ProcessSpec> calls_;
};

}  // namespace vantus::testing

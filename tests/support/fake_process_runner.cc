#include "tests/support/fake_process_runner.h"

#include <utility>

namespace vantus::testing {

namespace {

std::string joined(const std::vector<std::string>& argv, bool base_name_first) {
  std::string line;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    std::string_view arg = argv[i];
    if (i == 0 && base_name_first) {
      std::size_t slash = arg.rfind('/');
      if (slash != std::string_view::npos) {
        arg.remove_prefix(slash + 1);
      }
    }
    if (i > 0) {
      line += ' ';
    }
    line += arg;
  }
  return line;
}

}  // namespace

void FakeProcessRunner::onCommand(std::string prefix, ProcessOutput output) {
  onCommand(
      std::move(prefix),
      [output = std::move(output)](const ProcessSpec&) -> Result<ProcessOutput> { return output; });
}

void FakeProcessRunner::onCommand(std::string prefix, Handler handler) {
  std::lock_guard lock(mutex_);
  rules_.push_back(Rule{std::move(prefix), std::move(handler)});
}

bool FakeProcessRunner::ran(std::string_view substring) const {
  std::lock_guard lock(mutex_);
  for (const ProcessSpec& call : calls_) {
    if (commandLine(call).find(substring) != std::string::npos) {
      return true;
    }
  }
  return false;
}

std::vector<ProcessSpec> FakeProcessRunner::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

std::vector<std::string> FakeProcessRunner::commandLines() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> lines;
  for (const ProcessSpec& call : calls_) {
    lines.push_back(commandLine(call));
  }
  return lines;
}

std::string FakeProcessRunner::commandLine(const ProcessSpec& spec) {
  return joined(spec.argv, /*base_name_first=*/false);
}

Result<ProcessOutput> FakeProcessRunner::run(const ProcessSpec& spec) {
  Handler handler;
  {
    std::lock_guard lock(mutex_);
    calls_.push_back(spec);
    std::string full = joined(spec.argv, false);
    std::string short_form = joined(spec.argv, true);
    for (auto rule = rules_.rbegin(); rule != rules_.rend(); ++rule) {
      if (full.starts_with(rule->prefix) || short_form.starts_with(rule->prefix)) {
        handler = rule->handler;
        break;
      }
    }
  }
  if (!handler) {
    return ProcessOutput{.exit_code = 0};
  }
  // Outside the lock: a handler may call back into the fake.
  return handler(spec);
}

}  // namespace vantus::testing

#include "tests/support/temp_dir.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdlib>
#include <stdexcept>

namespace vantus::testing {

TempDir::TempDir() {
  std::string base = std::filesystem::temp_directory_path() / "vantus-test-XXXXXX";
  if (::mkdtemp(base.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  path_ = base;
}

TempDir::~TempDir() {
  if (std::getenv("VANTUS_KEEP_TEST_DIRS") != nullptr) {
    std::fprintf(stderr, "kept %s\n", path_.c_str());
    return;
  }
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

CommandResult runCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    return result;
  }
  char buffer[4096];
  size_t got;
  while ((got = ::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    result.output.append(buffer, got);
  }
  int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace vantus::testing

#pragma once
// A directory under $TMPDIR removed with everything in it at scope exit.
#include <filesystem>
#include <string>

namespace vantus::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string operator/(std::string_view name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Runs a shell command, returns its exit status and captures stdout+stderr.
struct CommandResult {
  int exit_code = -1;
  std::string output;
};
CommandResult runCommand(const std::string& command);

}  // namespace vantus::testing

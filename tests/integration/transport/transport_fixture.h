#pragma once
// Real vantus-controller and vantus-agent processes on loopback for the transport tests:
// a controller state dir made by `init`, optionally with a self-signed TLS certificate, the
// `serve` process with its stderr captured in a file, and `vantus-agent` commands.
// Every wait is bounded; child processes are killed at destruction.
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/processes.h"
#include "tests/support/temp_dir.h"

namespace vantus::transport_test {

extern const std::string kController;
extern const std::string kAgent;

using testing::Child;
using testing::freePort;
using testing::slurp;
using testing::waitUntil;

// Every regular file under `dir` (relative paths); empty when `dir` does not exist.
std::vector<std::string> filesUnder(const std::filesystem::path& dir);

// PEM files of a fresh self-signed certificate for "localhost".
struct CertFiles {
  std::string cert;
  std::string key;
};
CertFiles writeSelfSignedCert(const std::filesystem::path& dir, const std::string& name);

class Controller {
 public:
  // `vantus-controller init` in <root>/<name>; REQUIREs success and reads the pin.
  Controller(const std::filesystem::path& root, const std::string& name);
  ~Controller();

  const std::filesystem::path& stateDir() const { return state_; }
  const std::string& pin() const { return pin_; }
  std::filesystem::path logFile() const { return root_ / (name_ + ".log"); }

  // Appends lines to controller.yaml.
  void appendConfig(const std::string& yaml);
  // Replaces `from` by `to` in controller.yaml; REQUIREs that `from` is there.
  void replaceConfig(const std::string& from, const std::string& to);

  // `vantus-controller <args> --state-dir <dir>`; REQUIREs exit 0 unless `may_fail`.
  testing::CommandResult cli(const std::string& args, bool may_fail = false);
  // `cluster enroll-token --cluster <cluster>`: the ve_ token.
  std::string enrollToken(const std::string& cluster);

  // Starts `serve --listen <listen>`.
  void serve(const std::string& listen);
  Child& process() { return *process_; }
  // Sends SIGTERM and returns the raw wait status.
  int stop();

 private:
  std::filesystem::path root_;
  std::string name_;
  std::filesystem::path state_;
  std::string pin_;
  std::unique_ptr<Child> process_;
};

// GET https://localhost:<port><path> trusting only `ca_file`; the status, 0 without answer.
int httpsStatus(int port, const std::string& ca_file, const std::string& path);
// GET http://127.0.0.1:<port><path>; the status, 0 without answer.
int httpStatus(int port, const std::string& path);

// `vantus-agent enroll …`; `extra` is appended verbatim (e.g. "--ca-file X").
testing::CommandResult agentEnroll(const std::string& controller_url, const std::string& token,
                                   const std::string& pin, const std::filesystem::path& state_dir,
                                   const std::string& name, const std::string& extra = "");

}  // namespace vantus::transport_test

#pragma once
// Node-local nginx settings. A signed release only ever references files under
// `<release>/local/`; whoever runs nginx on that release (the agent, or the controller's
// pre-check sandbox) writes them from its own configuration, so no node address, path or
// version is ever part of what the controller signs. The file contract is in README.md.
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "common/core/result.h"

namespace vantus::nginx {

struct NginxLocalSettings {
  std::string runtime_dir;  // absolute; holds the pid file, logs and temp dirs; must exist
  std::vector<std::string> http_listen;   // "host:port": IPv4, [IPv6] or "*"; at least one
  std::vector<std::string> https_listen;  // may be empty: TLS servers then get no network port
  std::string status_listen;              // loopback "127.0.0.1:PORT" or "[::1]:PORT"
  std::uint64_t release_version = 0;      // answered at /.vantus/version
  int worker_processes = 1;               // 1..1024; 0 = "auto"
  int worker_connections = 1024;          // 64..65536
};

struct LocalFile {
  std::string path;  // relative to the release dir, e.g. "local/main.conf"
  std::string content;
};

// The files of the contract, in a fixed order. Fails with kInvalidInput (field names the
// setting) on a malformed or overlapping listen address, a relative or unsafe runtime dir
// or an out-of-range worker setting.
Result<std::vector<LocalFile>> renderLocalFiles(const NginxLocalSettings& settings);

// Renders the files and writes them under `release_dir` (creating `local/`), each one
// atomically. Certificates under local/tls/ are not touched.
Result<void> writeLocalFiles(const std::filesystem::path& release_dir,
                             const NginxLocalSettings& settings);

// Adds to `paths` every "local/tls/<slug>.crt" and ".key" that `content` names (slug: lowercase
// letters, digits and '-'). Anything else after local/tls/ is left alone: nginx then reports
// the file it cannot load. The node provides these files; see README.md.
void collectTlsPaths(std::string_view content, std::set<std::string>& paths);

}  // namespace vantus::nginx

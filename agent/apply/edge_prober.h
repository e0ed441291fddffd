#pragma once
// Asks the running nginx, over loopback, whether a reload took and whether every tenant's
// name is served. Agent thread only.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/core/result.h"

namespace vantus::agent {

struct AgentConfig;

class EdgeProber {
 public:
  virtual ~EdgeProber() = default;
  // Polls the status listener's /.vantus/version until it answers `version` (new workers
  // serve) or `timeout` passes: kUnavailable naming what it saw last.
  virtual Result<void> confirmVersion(std::uint64_t version, std::chrono::milliseconds timeout) = 0;
  // One GET / per name with that Host header to the probe address; the first name whose
  // answer is missing or outside the expected statuses fails (kUnavailable).
  virtual Result<void> probeNames(const std::vector<std::string>& names) = 0;
};

std::unique_ptr<EdgeProber> makeHttpProber(const AgentConfig& config);

// The names a release serves: every server_name of tenants/**.conf, "*." wildcards probed as
// "vantus-probe.<rest>", "_" and regexes skipped, each once, in file order.
std::vector<std::string> probeNamesOf(
    const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace vantus::agent

#pragma once
// The agent's state dir and the two files that say what it trusts and runs. Both are only
// ever replaced whole (write-temp + fsync + rename), so a kill -9 leaves the old or the new
// content, never a mix.
//
//   <root>/node.key           the node's Ed25519 key (0600), made at enrolment
//   <root>/credential         the node credential (0600); only its hash is on the controller
//   <root>/enrollment.json    node name, cluster, controller URL and the pinned key ids
//   <root>/keyring/*.pub      the controller's release signing keys (PEM)
//   <root>/state.json         what serves: version, digest, release dir, expiry, last result
//   <root>/releases/<name>/   verified releases, the last keep_releases of them
//   <root>/bundles/<digest>.bundle   the signed bundle of each kept release (drift repair)
//   <root>/current            symlink -> releases/<name>, swapped with rename(2)
//   <root>/nginx-restarts.json how often the agent restarted the nginx it owns, and when
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/core/result.h"

namespace vantus::agent {

struct AgentLayout {
  std::filesystem::path root;
  std::filesystem::path node_key;
  std::filesystem::path credential;
  std::filesystem::path enrollment;
  std::filesystem::path keyring;
  std::filesystem::path state;
  std::filesystem::path releases;
  std::filesystem::path bundles;
  std::filesystem::path current;
  std::filesystem::path nginx_restarts;
};

AgentLayout agentLayout(const std::filesystem::path& root);

struct Enrollment {
  std::string node;
  std::string cluster;
  std::string controller_url;
  std::vector<std::string> key_ids{};  // fingerprints pinned at enrolment
};

Result<Enrollment> loadEnrollment(const std::filesystem::path& file);
Result<void> saveEnrollment(const std::filesystem::path& file, const Enrollment& enrollment);

struct AgentState {
  std::uint64_t version = 0;    // the trusted, serving version: the floor for new bundles
  std::string digest;           // its bundle digest
  std::string release;          // its dir name under releases/
  std::int64_t expires_at = 0;  // its manifest's expiry
  std::int64_t applied_at = 0;
  std::string last_result;  // applied, failed, rolled_back, rejected, repaired
  std::string last_reason;
  std::int64_t last_result_at = 0;
  std::string undelivered_receipt;  // signed envelope the controller has not acknowledged

  bool operator==(const AgentState&) const = default;
};

// Written by the nginx supervisor (its own file: state.json belongs to the agent thread).
struct NginxRestarts {
  std::uint64_t count = 0;   // restarts of a master that had died, since enrolment
  std::int64_t last_at = 0;  // unix seconds of the last one
  std::string last_error;    // why the last attempt failed; "" once one succeeded

  bool operator==(const NginxRestarts&) const = default;
};

// A missing file is no restart yet; a corrupt one is kInvalidInput.
Result<NginxRestarts> loadNginxRestarts(const std::filesystem::path& file);
Result<void> saveNginxRestarts(const std::filesystem::path& file, const NginxRestarts& restarts);

// A missing file is the empty state (nothing applied yet); a corrupt one is kInvalidInput.
Result<AgentState> loadAgentState(const std::filesystem::path& file);
Result<void> saveAgentState(const std::filesystem::path& file, const AgentState& state);

}  // namespace vantus::agent

#pragma once
// The release dirs on disk and the `current` symlink. Every change is crash-safe: a release
// is written under releases/.stage-*, fsynced and renamed into place; `current` is replaced
// by rename(2) of a fresh symlink; leftovers of a kill -9 are recognisable by name and
// removed by removeLeftovers(). Agent thread only.
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/core/result.h"
#include "common/nginx/local_conf.h"
#include "common/release/verifier.h"

namespace vantus::agent {

struct DriftReport {
  std::vector<std::string> modified;  // size or sha256 differs
  std::vector<std::string> missing;
  std::vector<std::string> unexpected;  // present but not in the manifest (local/ excepted)
  std::string repointed;                // where `current` points when not at the serving release
  bool clean() const {
    return modified.empty() && missing.empty() && unexpected.empty() && repointed.empty();
  }
  std::string describe() const;
};

class ReleaseDirs {
 public:
  // `releases` must be on the same file system as `current` (both under the state dir).
  ReleaseDirs(std::filesystem::path releases, std::filesystem::path current,
              std::filesystem::path tls_dir);

  // Writes the verified files, the node-local files and the TLS files the config names
  // (from tls_dir, else a self-signed placeholder) and returns the new dir's name,
  // "<version>-<random>". Nothing of a failed stage is left behind.
  Result<std::string> stage(const release::VerifiedRelease& verified,
                            const nginx::NginxLocalSettings& local);
  // Points `current` at releases/<name>.
  Result<void> pointCurrentAt(const std::string& name);
  Result<void> removeCurrent();
  // The dir name `current` points at, if it points into releases/.
  std::optional<std::string> currentTarget() const;
  bool exists(const std::string& name) const;
  std::filesystem::path pathOf(const std::string& name) const { return releases_ / name; }
  Result<void> remove(const std::string& name);
  // Removes half-written stage dirs and temporary symlinks; returns how many.
  std::size_t removeLeftovers();
  // Keeps `keep` release dirs, newest first, never removing one in `protect`.
  void prune(std::size_t keep, const std::set<std::string>& protect);
  // Compares releases/<name> with the manifest; local/ is the node's and not compared.
  // Symlinks are never part of a release and always count as unexpected.
  Result<DriftReport> drift(const std::string& name, const release::Manifest& manifest) const;

 private:
  std::filesystem::path releases_;
  std::filesystem::path current_;
  std::filesystem::path tls_dir_;
};

}  // namespace vantus::agent

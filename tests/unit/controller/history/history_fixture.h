#pragma once
// A fresh bare config repository in a temp dir, opened with a new signing key.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/crypto/ed25519.h"
#include "controller/history/config_history.h"
#include "tests/support/temp_dir.h"

namespace vantus::controller {

inline constexpr std::int64_t kTestTime = 1700000000;

CommitRequest makeRequest(std::vector<FileChange> changes, std::string message = "Deploy");

struct HistoryFixture {
  HistoryFixture();

  // Commits `request` and returns the new id; fails the test on error.
  std::string commitOk(const CommitRequest& request);
  // Files under the repository's objects/ directory, excluding packs: loose objects.
  size_t looseObjectCount() const;
  size_t packCount() const;

  testing::TempDir dir;
  crypto::Ed25519PrivateKey key;
  std::filesystem::path repo_path;
  std::unique_ptr<ConfigHistory> history;
};

}  // namespace vantus::controller

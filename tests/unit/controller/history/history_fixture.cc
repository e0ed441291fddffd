#include "tests/unit/controller/history/history_fixture.h"

#include <doctest/doctest.h>

#include "controller/history/git_config_history.h"

namespace vantus::controller {

CommitRequest makeRequest(std::vector<FileChange> changes, std::string message) {
  CommitRequest request;
  request.changes = std::move(changes);
  request.author_name = "Alice Admin";
  request.author_email = "alice@example.com";
  request.message = std::move(message);
  request.time = kTestTime;
  return request;
}

HistoryFixture::HistoryFixture()
    : key(*crypto::Ed25519PrivateKey::generate()), repo_path(dir.path() / "config.git") {
  REQUIRE(initBareRepository(repo_path));
  auto opened = openGitHistory(repo_path, key, "Vantus Controller", "controller@vantus.invalid");
  REQUIRE(opened);
  history = std::move(*opened);
}

std::string HistoryFixture::commitOk(const CommitRequest& request) {
  auto id = history->commit(request);
  REQUIRE_MESSAGE(id, (id ? "" : id.error().describe()));
  REQUIRE(id->size() == 40);
  return *id;
}

size_t HistoryFixture::looseObjectCount() const {
  size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(repo_path / "objects")) {
    std::string name = entry.path().filename();
    if (entry.is_directory() && name.size() == 2) {
      count += std::distance(std::filesystem::directory_iterator(entry.path()),
                             std::filesystem::directory_iterator());
    }
  }
  return count;
}

size_t HistoryFixture::packCount() const {
  size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(repo_path / "objects" / "pack")) {
    count += entry.path().extension() == ".pack" ? 1 : 0;
  }
  return count;
}

}  // namespace vantus::controller

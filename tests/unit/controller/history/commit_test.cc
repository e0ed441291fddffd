#include <doctest/doctest.h>

#include <fstream>

#include "controller/history/git_config_history.h"
#include "tests/unit/controller/history/history_fixture.h"

namespace vantus::controller {
namespace {

const std::string kAcme = "clusters/edge-a/tenants/ac/acme.conf";
const std::string kBeta = "clusters/edge-a/tenants/be/beta.conf";
const std::string kEdgeA = "clusters/edge-a/nginx.conf";

TEST_CASE("a new repository has no head, an empty log, and cannot be initialised twice") {
  HistoryFixture f;
  CHECK(*f.history->head() == "");
  CHECK(f.history->log("", 10)->empty());
  auto again = initBareRepository(f.repo_path);
  REQUIRE_FALSE(again);
  CHECK(again.error().code == ErrorCode::kAlreadyExists);
}

TEST_CASE("opening needs an existing repository and a committer identity") {
  HistoryFixture f;
  auto missing = openGitHistory(f.dir.path() / "absent.git", f.key, "Vantus", "v@x");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ErrorCode::kNotFound);
  auto anonymous = openGitHistory(f.repo_path, f.key, "", "v@x");
  REQUIRE_FALSE(anonymous);
  CHECK(anonymous.error().code == ErrorCode::kInvalidInput);
}

TEST_CASE("every commit is a snapshot readable by its id") {
  HistoryFixture f;
  std::string first = f.commitOk(makeRequest({{kAcme, "acme v1\n"}, {kEdgeA, "events {}\n"}}));
  CHECK(*f.history->head() == first);
  std::string second = f.commitOk(makeRequest({{kAcme, "acme v2\n"}}));
  CHECK(*f.history->head() == second);

  CHECK(*f.history->readFile(first, kAcme) == std::optional<std::string>("acme v1\n"));
  CHECK(*f.history->readFile(second, kAcme) == std::optional<std::string>("acme v2\n"));
  CHECK(*f.history->readFile(second, kEdgeA) == std::optional<std::string>("events {}\n"));
  CHECK(*f.history->readFile(second, kBeta) == std::nullopt);
  CHECK(f.history->describe(second)->parent == first);
  CHECK(f.history->describe(first)->parent == "");
}

TEST_CASE("readFile refuses directories, unknown commits and malformed ids") {
  HistoryFixture f;
  std::string id = f.commitOk(makeRequest({{kAcme, "acme\n"}}));

  auto directory = f.history->readFile(id, "clusters/edge-a");
  REQUIRE_FALSE(directory);
  CHECK(directory.error().code == ErrorCode::kInvalidInput);
  auto unknown = f.history->readFile(std::string(40, 'a'), kAcme);
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code == ErrorCode::kNotFound);
  for (const std::string& bad : std::vector<std::string>{"HEAD", "HEAD~1", id.substr(0, 12),
                                                         id + "0", std::string(40, 'g')}) {
    auto malformed = f.history->readFile(bad, kAcme);
    REQUIRE_FALSE(malformed);
    CHECK(malformed.error().code == ErrorCode::kInvalidInput);
  }
}

TEST_CASE("deleting a file removes it, and directories left empty disappear") {
  HistoryFixture f;
  f.commitOk(makeRequest({{kAcme, "acme\n"}, {kBeta, "beta\n"}}));
  std::string id = f.commitOk(makeRequest({{kAcme, std::nullopt}}, "Remove acme"));

  CHECK(*f.history->readFile(id, kAcme) == std::nullopt);
  CHECK(*f.history->listPaths(id, "") == std::vector<std::string>{kBeta});
}

TEST_CASE("deleting an absent file is a no-op, so alone it is nothing to commit") {
  HistoryFixture f;
  std::string id = f.commitOk(makeRequest({{kAcme, "acme\n"}}));
  auto result = f.history->commit(makeRequest({{kBeta, std::nullopt}}));
  REQUIRE_FALSE(result);
  CHECK(result.error().code == ErrorCode::kFailedPrecondition);
  CHECK(*f.history->head() == id);
}

TEST_CASE("a full deployment replaces a cluster's subtree and leaves other clusters alone") {
  HistoryFixture f;
  f.commitOk(makeRequest({{kAcme, "acme\n"},
                          {kBeta, "beta\n"},
                          {kEdgeA, "a\n"},
                          {"clusters/edge-b/nginx.conf", "b\n"}}));
  CommitRequest full = makeRequest({{kEdgeA, "a2\n"}, {kBeta, "beta2\n"}}, "Deploy all");
  full.remove_prefixes = {"clusters/edge-a", "clusters/never-existed"};
  std::string id = f.commitOk(full);

  CHECK(*f.history->listPaths(id, "") ==
        std::vector<std::string>{kEdgeA, kBeta, "clusters/edge-b/nginx.conf"});
  CHECK(*f.history->readFile(id, kBeta) == std::optional<std::string>("beta2\n"));
}

TEST_CASE("removing a cluster without re-adding files drops it entirely") {
  HistoryFixture f;
  f.commitOk(makeRequest({{kAcme, "acme\n"}, {"clusters/edge-b/nginx.conf", "b\n"}}));
  CommitRequest removal = makeRequest({}, "Remove edge-a");
  removal.remove_prefixes = {"clusters/edge-a"};
  std::string id = f.commitOk(removal);
  CHECK(*f.history->listPaths(id, "") == std::vector<std::string>{"clusters/edge-b/nginx.conf"});
}

TEST_CASE("committing unchanged content is refused as nothing to commit") {
  HistoryFixture f;
  auto empty = f.history->commit(makeRequest({}));
  REQUIRE_FALSE(empty);
  CHECK(empty.error().code == ErrorCode::kFailedPrecondition);
  CHECK(*f.history->head() == "");

  std::string id = f.commitOk(makeRequest({{kAcme, "acme\n"}}));
  auto same = f.history->commit(makeRequest({{kAcme, "acme\n"}}));
  REQUIRE_FALSE(same);
  CHECK(same.error().code == ErrorCode::kFailedPrecondition);
  CHECK(same.error().message.find("nothing to commit") != std::string::npos);
  CHECK(*f.history->head() == id);
}

TEST_CASE("expected_head guards against committing on top of an unseen change") {
  HistoryFixture f;
  CommitRequest first = makeRequest({{kAcme, "acme\n"}});
  first.expected_head = "";
  std::string id = f.commitOk(first);

  CommitRequest stale = makeRequest({{kAcme, "acme v2\n"}});
  stale.expected_head = "";
  auto conflict = f.history->commit(stale);
  REQUIRE_FALSE(conflict);
  CHECK(conflict.error().code == ErrorCode::kConflict);

  stale.expected_head = id;
  f.commitOk(stale);
}

TEST_CASE("a second writer on the same repository builds on the first one's commit") {
  HistoryFixture f;
  auto other = openGitHistory(f.repo_path, f.key, "Vantus Controller", "c@vantus.invalid");
  REQUIRE(other);
  std::string first = f.commitOk(makeRequest({{kAcme, "acme\n"}}));
  auto second = (*other)->commit(makeRequest({{kBeta, "beta\n"}}));
  REQUIRE(second);
  CHECK((*other)->describe(*second)->parent == first);
  CHECK(*f.history->listPaths(*f.history->head(), "") == std::vector<std::string>{kAcme, kBeta});
}

TEST_CASE("a branch locked by another writer makes the commit a conflict and changes nothing") {
  HistoryFixture f;
  std::string id = f.commitOk(makeRequest({{kAcme, "acme\n"}}));
  std::filesystem::path lock = f.repo_path / "refs" / "heads" / "main.lock";
  { std::ofstream(lock) << id << "\n"; }

  auto locked = f.history->commit(makeRequest({{kAcme, "acme v2\n"}}));
  REQUIRE_FALSE(locked);
  CHECK(locked.error().code == ErrorCode::kConflict);
  std::filesystem::remove(lock);
  CHECK(*f.history->head() == id);
}

TEST_CASE("bad paths are refused before anything is written") {
  HistoryFixture f;
  f.commitOk(makeRequest({{kAcme, "acme\n"}}));
  size_t objects = f.looseObjectCount();
  for (std::string bad :
       std::vector<std::string>{"", "/etc/passwd", "../x.conf", "a//b.conf", "a/./b.conf", "a/",
                                ".git/config", "clusters/.GIT/x", "a\\b.conf"}) {
    CAPTURE(bad);
    auto result = f.history->commit(makeRequest({{bad, "x"}}));
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::kInvalidInput);
    CHECK(result.error().field == "changes");
  }
  CommitRequest bad_prefix = makeRequest({});
  bad_prefix.remove_prefixes = {"../clusters"};
  auto prefix_result = f.history->commit(bad_prefix);
  REQUIRE_FALSE(prefix_result);
  CHECK(prefix_result.error().field == "remove_prefixes");
  CHECK(f.looseObjectCount() == objects);
}

TEST_CASE("changes that do not fit the tree shape are refused and leave nothing behind") {
  HistoryFixture f;
  f.commitOk(makeRequest({{kAcme, "acme\n"}}));
  size_t objects = f.looseObjectCount();

  auto twice = f.history->commit(makeRequest({{kBeta, "1"}, {kBeta, "2"}}));
  REQUIRE_FALSE(twice);
  CHECK(twice.error().code == ErrorCode::kInvalidInput);
  auto under_file = f.history->commit(makeRequest({{kAcme + "/inner.conf", "x"}}));
  REQUIRE_FALSE(under_file);
  CHECK(under_file.error().code == ErrorCode::kInvalidInput);
  auto over_directory = f.history->commit(makeRequest({{"clusters/edge-a", "x"}}));
  REQUIRE_FALSE(over_directory);
  CHECK(over_directory.error().code == ErrorCode::kInvalidInput);
  auto delete_directory = f.history->commit(makeRequest({{"clusters/edge-a", std::nullopt}}));
  REQUIRE_FALSE(delete_directory);
  CHECK(delete_directory.error().code == ErrorCode::kInvalidInput);

  CHECK(f.looseObjectCount() == objects);
}

TEST_CASE("author and message are validated") {
  HistoryFixture f;
  CommitRequest nameless = makeRequest({{kAcme, "x"}});
  nameless.author_name = "";
  CHECK(f.history->commit(nameless).error().field == "author");
  CommitRequest bracketed = makeRequest({{kAcme, "x"}});
  bracketed.author_email = "<evil>";
  CHECK(f.history->commit(bracketed).error().code == ErrorCode::kInvalidInput);
  CHECK(f.history->commit(makeRequest({{kAcme, "x"}}, " \n\n")).error().field == "message");
  CHECK(*f.history->head() == "");
}

}  // namespace
}  // namespace vantus::controller

#include <doctest/doctest.h>

#include "tests/unit/controller/history/history_fixture.h"

namespace vantus::controller {
namespace {

const std::string kAcme = "clusters/edge-a/tenants/ac/acme.conf";
const std::string kBeta = "clusters/edge-a/tenants/be/beta.conf";

std::vector<std::string> subjects(const std::vector<CommitInfo>& log) {
  std::vector<std::string> result;
  for (const CommitInfo& info : log) {
    result.push_back(info.subject);
  }
  return result;
}

TEST_CASE("listTree gives every file under a prefix, relative to it and sorted") {
  HistoryFixture f;
  std::string id = f.commitOk(makeRequest({{kBeta, "beta\n"},
                                           {kAcme, "acme\n"},
                                           {"clusters/edge-a/nginx.conf", "a\n"},
                                           {"clusters/edge-ab/nginx.conf", "ab\n"}}));

  std::vector<TreeFile> expected{{"nginx.conf", "a\n"},
                                 {"tenants/ac/acme.conf", "acme\n"},
                                 {"tenants/be/beta.conf", "beta\n"}};
  CHECK(*f.history->listTree(id, "clusters/edge-a") == expected);
  CHECK(*f.history->listTree(id, "clusters/edge-a/") == expected);
  CHECK(f.history->listTree(id, "")->size() == 4);
  CHECK(f.history->listTree(id, "clusters/edge-z")->empty());
  CHECK(*f.history->listPaths(id, "clusters/edge-a/tenants") ==
        std::vector<std::string>{"ac/acme.conf", "be/beta.conf"});

  auto file_prefix = f.history->listTree(id, kAcme);
  REQUIRE_FALSE(file_prefix);
  CHECK(file_prefix.error().code == ErrorCode::kInvalidInput);
  CHECK(f.history->listTree(id, "../x").error().code == ErrorCode::kInvalidInput);
  CHECK(f.history->listTree(std::string(40, '0'), "").error().code == ErrorCode::kNotFound);
}

TEST_CASE("log lists the commits that touched a prefix, newest first") {
  HistoryFixture f;
  std::string c1 = f.commitOk(makeRequest({{kAcme, "acme 1\n"}}, "Add acme"));
  std::string c2 = f.commitOk(makeRequest({{kBeta, "beta 1\n"}}, "Add beta"));
  std::string c3 = f.commitOk(makeRequest({{kAcme, "acme 2\n"}}, "Change acme"));
  std::string c4 = f.commitOk(makeRequest({{"clusters/edge-ab/nginx.conf", "x\n"}}, "Add edge-ab"));
  std::string c5 = f.commitOk(makeRequest({{kAcme, std::nullopt}}, "Remove acme"));

  CHECK(subjects(*f.history->log(kAcme, 10)) ==
        std::vector<std::string>{"Remove acme", "Change acme", "Add acme"});
  CHECK(subjects(*f.history->log("clusters/edge-a", 10)) ==
        std::vector<std::string>{"Remove acme", "Change acme", "Add beta", "Add acme"});
  CHECK(f.history->log("", 10)->size() == 5);
  CHECK(subjects(*f.history->log("", 2)) == std::vector<std::string>{"Remove acme", "Add edge-ab"});
  CHECK(subjects(*f.history->log(kAcme, 10, c2)) == std::vector<std::string>{"Add acme"});
  CHECK(f.history->log("clusters/none", 10)->empty());

  CommitInfo newest = f.history->log(kAcme, 1)->front();
  CHECK(newest.id == c5);
  CHECK(newest.parent == c4);
  CHECK(newest.author_name == "Alice Admin");
  CHECK(newest.author_email == "alice@example.com");
  CHECK(newest.time == kTestTime);
  (void)c3;

  CHECK(f.history->log("", 10, "main").error().code == ErrorCode::kInvalidInput);
}

TEST_CASE("the message carries the trailers as a git trailer block") {
  HistoryFixture f;
  CommitRequest request =
      makeRequest({{kAcme, "acme\n"}}, "Deploy acme\n\nReason: new upstream\n\n");
  request.trailers = {{"Vantus-Deployment", "42"}, {"Vantus-Actor", "user:alice"}};
  std::string id = f.commitOk(request);

  CommitInfo info = *f.history->describe(id);
  CHECK(info.subject == "Deploy acme");
  CHECK(info.message ==
        "Deploy acme\n\nReason: new upstream\n\nVantus-Deployment: 42\nVantus-Actor: user:alice\n");
  CHECK(info.trailers ==
        std::vector<Trailer>{{"Vantus-Deployment", "42"}, {"Vantus-Actor", "user:alice"}});
}

TEST_CASE("trailer keys and values are validated") {
  HistoryFixture f;
  for (Trailer bad : std::vector<Trailer>{
           {"Has Space", "1"}, {"", "1"}, {"Colon:", "1"}, {"Multi", "a\nb"}, {"Empty", ""}}) {
    CAPTURE(bad.key);
    CommitRequest request = makeRequest({{kAcme, "acme\n"}});
    request.trailers = {bad};
    auto result = f.history->commit(request);
    REQUIRE_FALSE(result);
    CHECK(result.error().field == "trailers");
  }
}

TEST_CASE("diff renders git's unified patch, limited to a prefix") {
  HistoryFixture f;
  std::string old_conf = "server {\n  listen 80;\n  server_name acme.example;\n}\n";
  std::string new_conf = "server {\n  listen 443;\n  server_name acme.example;\n}\n";
  std::string c1 = f.commitOk(makeRequest({{kAcme, old_conf}, {kBeta, "beta\n"}}));
  std::string c2 = f.commitOk(makeRequest({{kAcme, new_conf}, {kBeta, std::nullopt}}));

  const std::string acme_patch =
      "diff --git a/clusters/edge-a/tenants/ac/acme.conf b/clusters/edge-a/tenants/ac/acme.conf\n"
      "index b372bad..5b8c377 100644\n"
      "--- a/clusters/edge-a/tenants/ac/acme.conf\n"
      "+++ b/clusters/edge-a/tenants/ac/acme.conf\n"
      "@@ -1,4 +1,4 @@\n"
      " server {\n"
      "-  listen 80;\n"
      "+  listen 443;\n"
      "   server_name acme.example;\n"
      " }\n";
  CHECK(*f.history->diff(c1, c2, kAcme) == acme_patch);
  CHECK(*f.history->diff(c1, c2, "clusters/edge-a/tenants/ac") == acme_patch);

  std::string all = *f.history->diff(c1, c2, "");
  CHECK(all.find(acme_patch) == 0);
  CHECK(all.find("deleted file mode 100644\n") != std::string::npos);
  CHECK(all.find("-beta\n") != std::string::npos);

  CHECK(*f.history->diff(c1, c2, "clusters/edge-a/tenants/a") == "");
  CHECK(*f.history->diff(c2, c2, "") == "");
  std::string from_nothing = *f.history->diff("", c1, kAcme);
  CHECK(from_nothing.find("new file mode 100644\n") != std::string::npos);
  CHECK(from_nothing.find("+  listen 80;\n") != std::string::npos);

  CHECK(f.history->diff("HEAD~1", c2, "").error().code == ErrorCode::kInvalidInput);
  CHECK(f.history->diff(c1, std::string(40, 'f'), "").error().code == ErrorCode::kNotFound);
}

}  // namespace
}  // namespace vantus::controller

// A real `vantus-controller serve` kills itself (VANTUS_CONTROLLER_FAULT) at each durable step
// of a deployment made through POST /api/v1/deployments with an Idempotency-Key; after a
// restart every commit has exactly one deployment row and one audit row, ids are unique, the
// retry with the same key answers 201 with a deployment that was made once, the releases are
// signed and the audit chain verifies.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "controller/app/state_dir.h"
#include "controller/store/store.h"
#include "tests/support/processes.h"
#include "tests/support/temp_dir.h"

namespace vantus::controller {
namespace {

using testing::Child;
using testing::runCommand;

const std::string kController = std::string(VANTUS_BINARY_DIR) + "/vantus-controller";

struct Crashed {
  testing::TempDir root;
  std::filesystem::path state = root.path() / "state";
  int port = testing::freePort();
  std::string token;
  std::unique_ptr<Child> serve;

  std::string cli(const std::string& args) {
    auto result =
        runCommand(fmt::format("{} {} --state-dir {}", kController, args, state.string()));
    INFO("vantus-controller " << args << "\n" << result.output);
    REQUIRE(result.exit_code == 0);
    return result.output;
  }

  void start(const std::string& fault) {
    std::vector<std::string> env;
    if (!fault.empty()) {
      env.push_back("VANTUS_CONTROLLER_FAULT=" + fault);
    }
    serve = std::make_unique<Child>(
        std::vector<std::string>{kController, "serve", "--state-dir", state.string(), "--listen",
                                 fmt::format("127.0.0.1:{}", port)},
        root.path() / "serve.log", env);
    REQUIRE(testing::waitUntil(
        [&] {
          httplib::Client client("127.0.0.1", port);
          auto reply = client.Get("/readyz");
          return reply && reply->status == 200;
        },
        std::chrono::seconds(20)));
  }

  httplib::Result post(const std::string& key, const nlohmann::json& body) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(30, 0);
    return client.Post("/api/v1/deployments",
                       {{"Authorization", "Bearer " + token}, {"Idempotency-Key", key}},
                       body.dump(), "application/json");
  }
};

// commit id -> Vantus-Deployment trailer, newest first.
std::vector<std::pair<std::string, std::string>> deploymentCommits(
    const std::filesystem::path& state) {
  auto log =
      runCommand("git -C " + (state / "config.git").string() +
                 " log --format='%H %(trailers:key=Vantus-Deployment,valueonly,separator=)'");
  REQUIRE(log.exit_code == 0);
  std::vector<std::pair<std::string, std::string>> commits;
  std::istringstream lines(log.output);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() < 40) {
      continue;
    }
    std::string trailer = line.size() > 41 ? line.substr(41) : "";
    while (!trailer.empty() && (trailer.back() == ' ' || trailer.back() == '\n')) {
      trailer.pop_back();
    }
    commits.emplace_back(line.substr(0, 40), trailer);
  }
  return commits;
}

TEST_CASE("a deployment killed at every durable step is whole after a restart") {
  for (const std::string fault : {"reserved", "committed", "recorded", "published"}) {
    CAPTURE(fault);
    Crashed c;
    c.cli("init --admin-email admin@example.com");
    c.cli("cluster create --name edge-a");
    c.cli("tenant create --slug acme --name Acme");
    c.cli("domain add --tenant acme --name www.acme.example");
    c.cli(
        "pool set --tenant acme --json '{\"name\":\"web\",\"targets\":[{\"host\":\"127.0.0.1\","
        "\"port\":9000}]}'");
    c.cli("assign --tenant acme --cluster edge-a");
    c.token =
        c.cli("token create --user admin@example.com --name crash --scopes deploy,config:read");
    while (!c.token.empty() && c.token.back() == '\n') {
      c.token.pop_back();
    }
    const nlohmann::json body = {{"tenant_id", 1}, {"message", "crash at " + fault}};
    const std::string key = "crash-" + fault;

    c.start(fault);
    auto first = c.post(key, body);
    const int status = c.serve->waitExit(std::chrono::seconds(30));
    REQUIRE(status != -1);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGKILL);
    c.serve.reset();

    c.start("");
    auto retry = c.post(key, body);
    REQUIRE(retry);
    INFO(retry->body);
    CHECK(retry->status == 201);
    auto answer = nlohmann::json::parse(retry->body, nullptr, false);
    REQUIRE(answer.is_object());
    const std::string answered = answer["id"].is_string() ? answer["id"].get<std::string>()
                                                          : std::to_string(answer["id"].get<Id>());

    auto commits = deploymentCommits(c.state);
    REQUIRE(commits.size() == 1);  // the deployment was made exactly once
    CHECK(commits[0].second == answered);

    // Publishing after the restart is asynchronous for the deployment the retry made.
    auto layout = stateDirLayout(c.state);
    auto store = Store::open(layout.database,
                             std::filesystem::path(VANTUS_SOURCE_DIR) / "schema" / "migrations");
    REQUIRE(store);
    REQUIRE(testing::waitUntil([&] {
      bool built = false;
      (void)(*store)->read([&](Transaction& tx) -> Result<void> {
        VANTUS_TRY(std::optional<Release> latest, tx.latestRelease(1));
        built = latest && !latest->digest.empty() && !latest->envelope_json.empty() &&
                latest->commit_id == commits[0].first;
        return ok();
      });
      return built;
    }));
    REQUIRE((*store)->read([&](Transaction& tx) -> Result<void> {
      VANTUS_TRY(std::vector<Deployment> rows, tx.deploymentsOfTenant(1, 0, 100));
      VANTUS_TRY(std::vector<AuditEntry> audit, tx.auditEntries(std::nullopt, 0, 1000));
      VANTUS_TRY(std::vector<DeploymentReservation> left, tx.deploymentReservations());
      CHECK(left.empty());
      std::map<std::string, int> rows_of_commit;
      std::set<Id> ids;
      for (const Deployment& row : rows) {
        CHECK(ids.insert(row.id).second);
        if (row.status == DeploymentStatus::kFailed) {
          CHECK(row.commit_id.empty());
          CHECK(fault == "reserved");
        } else {
          ++rows_of_commit[row.commit_id];
        }
        int audit_rows = 0;
        for (const AuditEntry& entry : audit) {
          if (entry.target == fmt::format("deployment:{}", row.id)) {
            ++audit_rows;
            CHECK(entry.action == (row.status == DeploymentStatus::kFailed ? "deployment.fail"
                                                                           : "deployment.create"));
          }
        }
        CHECK(audit_rows == 1);
      }
      CHECK(rows_of_commit.size() == 1);
      CHECK(rows_of_commit[commits[0].first] == 1);
      CHECK(rows.size() == (fault == "reserved" ? 2u : 1u));
      return ok();
    }));

    // The next deployment (from the CLI, another process) takes a new id.
    c.cli("policy set --tenant acme --json '{\"headers\":{\"X-After\":\"crash\"}}'");
    c.cli("deploy --tenant acme --message after");
    commits = deploymentCommits(c.state);
    REQUIRE(commits.size() == 2);
    CHECK(commits[0].second != commits[1].second);
    c.cli("audit verify");
    c.serve->stop(SIGTERM);
    (void)first;
  }
}

}  // namespace
}  // namespace vantus::controller

// The config repository as auditors see it: stock git (with ssh-keygen) reads, verifies
// and diffs what controller/history wrote.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <fstream>

#include "common/crypto/ed25519.h"
#include "controller/history/git_config_history.h"
#include "tests/support/temp_dir.h"

namespace vantus::controller {
namespace {

using testing::runCommand;
using testing::TempDir;

const std::string kAcme = "clusters/edge-a/tenants/ac/acme.conf";

struct AuditedRepository {
  AuditedRepository()
      : key(*crypto::Ed25519PrivateKey::generate()),
        repo(dir.path() / "config.git"),
        signers(dir.path() / "allowed_signers") {
    REQUIRE(initBareRepository(repo));
    auto opened = openGitHistory(repo, key, "Vantus Controller", "controller@vantus.invalid");
    REQUIRE(opened);
    history = std::move(*opened);
    std::ofstream(signers) << allowedSignersLine(key.publicKey(), "vantus-controller") << "\n";
  }

  // `git <args>` on the repository, isolated from the user's and the system's git config;
  // later commands of a pipeline in `args` run on the repository too.
  testing::CommandResult git(const std::string& args) const {
    return runCommand(
        fmt::format("cd {0} && export HOME={0} GIT_CONFIG_NOSYSTEM=1 GIT_DIR={1} && /usr/bin/git "
                    "-c gpg.format=ssh -c gpg.ssh.allowedSignersFile={2} {3}",
                    dir.path().string(), repo.string(), signers.string(), args));
  }

  std::string commit(std::vector<FileChange> changes, std::string message,
                     std::vector<Trailer> trailers = {}) {
    CommitRequest request;
    request.changes = std::move(changes);
    request.author_name = "Alice Admin";
    request.author_email = "alice@example.com";
    request.message = std::move(message);
    request.trailers = std::move(trailers);
    request.time = 1700000000;
    auto id = history->commit(request);
    REQUIRE_MESSAGE(id, (id ? "" : id.error().describe()));
    return *id;
  }

  TempDir dir;
  crypto::Ed25519PrivateKey key;
  std::filesystem::path repo;
  std::filesystem::path signers;
  std::unique_ptr<ConfigHistory> history;
};

TEST_CASE("git verify-commit and git log --show-signature accept the controller's commits") {
  AuditedRepository audited;
  audited.commit(
      {{kAcme, "server { listen 80; }\n"}, {"clusters/edge-a/nginx.conf", "events {}\n"}},
      "Deploy acme");
  std::string head = audited.commit({{kAcme, "server { listen 443; }\n"}}, "Enable TLS for acme",
                                    {{"Vantus-Deployment", "42"}, {"Vantus-Actor", "user:alice"}});

  auto verified = audited.git("verify-commit HEAD");
  CHECK_MESSAGE(verified.exit_code == 0, verified.output);
  CHECK(verified.output.find("Good \"git\" signature for vantus-controller") != std::string::npos);
  auto shown = audited.git("log --show-signature -2");
  CHECK(shown.exit_code == 0);
  CHECK(shown.output.find("Good \"git\" signature") !=
        shown.output.rfind("Good \"git\" signature"));
  CHECK(audited.git("rev-parse HEAD").output == head + "\n");
  CHECK(audited.git("log -1 --format=%an/%cn").output == "Alice Admin/Vantus Controller\n");
  auto trailers = audited.git("log -1 --format=%B | git interpret-trailers --parse");
  CHECK(trailers.output == "Vantus-Deployment: 42\nVantus-Actor: user:alice\n");
  auto fsck = audited.git("fsck --strict --no-dangling");
  CHECK_MESSAGE(fsck.exit_code == 0, fsck.output);
}

TEST_CASE("a commit edited after signing, or signed by another key, fails git verify-commit") {
  AuditedRepository audited;
  std::string head = audited.commit({{kAcme, "server { listen 80; }\n"}}, "Deploy acme");

  auto tampered = audited.git(
      "cat-file commit HEAD | sed 's/Deploy acme/Deploy acmf/' | git hash-object -t commit -w "
      "--stdin");
  REQUIRE(tampered.exit_code == 0);
  std::string tampered_id = tampered.output.substr(0, 40);
  REQUIRE(tampered_id != head);
  REQUIRE(audited.git("update-ref refs/heads/tampered " + tampered_id).exit_code == 0);
  auto rejected = audited.git("verify-commit tampered");
  CHECK_MESSAGE(rejected.exit_code != 0, rejected.output);
  CHECK(rejected.output.find("incorrect signature") != std::string::npos);
  CHECK(audited.history->verifySignature(tampered_id).error().code ==
        ErrorCode::kVerificationFailed);

  auto other_key = crypto::Ed25519PrivateKey::generate();
  REQUIRE(other_key);
  auto impostor = openGitHistory(audited.repo, *other_key, "Vantus Controller", "c@x.invalid");
  REQUIRE(impostor);
  CommitRequest request;
  request.changes = {{kAcme, "server { listen 8080; }\n"}};
  request.author_name = "Mallory";
  request.author_email = "m@example.com";
  request.message = "Sneaky";
  REQUIRE((*impostor)->commit(request));
  auto foreign = audited.git("verify-commit HEAD");
  CHECK_MESSAGE(foreign.exit_code != 0, foreign.output);
  CHECK(foreign.output.find("No principal matched") != std::string::npos);
}

TEST_CASE("git reads packed deployments and agrees with our log and diff") {
  AuditedRepository audited;
  std::vector<FileChange> all;
  for (int i = 0; i < 250; ++i) {
    all.push_back({fmt::format("clusters/edge-a/tenants/{:02x}/t{}.conf", i % 64, i),
                   fmt::format("server {{\n  server_name t{}.example;\n  listen 80;\n}}\n", i)});
  }
  std::string first = audited.commit(all, "Deploy all");
  std::string second = audited.commit({{all[3].path,
                                        "server {\n  server_name t3.example;\n  "
                                        "listen 443;\n}\n"}},
                                      "Enable TLS for t3");
  std::string third = audited.commit({{kAcme, "acme\n"}}, "Add acme");

  auto fsck = audited.git("fsck --strict --no-dangling");
  CHECK_MESSAGE(fsck.exit_code == 0, fsck.output);
  CHECK(audited.git("count-objects -v").output.find("packs: 1") != std::string::npos);
  CHECK(audited.git("ls-tree -r --name-only HEAD | wc -l").output == "251\n");
  CHECK(audited.git("verify-commit " + first).exit_code == 0);

  auto git_log = audited.git("log --format=%H -- " + all[3].path);
  CHECK(git_log.output == second + "\n" + first + "\n");
  std::vector<CommitInfo> ours = *audited.history->log(all[3].path, 10);
  REQUIRE(ours.size() == 2);
  CHECK(ours[0].id == second);
  CHECK(ours[1].id == first);

  auto git_diff = audited.git(fmt::format("diff {} {} -- clusters/edge-a", first, third));
  CHECK(git_diff.exit_code == 0);
  CHECK(*audited.history->diff(first, third, "clusters/edge-a") == git_diff.output);
}

}  // namespace
}  // namespace vantus::controller

#include <doctest/doctest.h>
#include <git2.h>

#include "common/crypto/sshsig.h"
#include "controller/history/git_config_history.h"
#include "controller/history/git_handles.h"
#include "tests/unit/controller/history/history_fixture.h"

namespace vantus::controller {
namespace {

const std::string kAcme = "clusters/edge-a/tenants/ac/acme.conf";

git::Repository openRaw(const std::filesystem::path& path) {
  git::ensureInitialized();
  git_repository* raw = nullptr;
  REQUIRE(git_repository_open_bare(&raw, path.c_str()) == 0);
  return git::Repository(raw);
}

TEST_CASE("each commit carries an SSHSIG gpgsig header by the controller key over its content") {
  HistoryFixture f;
  std::string id = f.commitOk(makeRequest({{kAcme, "acme\n"}}));
  CHECK(f.history->verifySignature(id));

  git::Repository repo = openRaw(f.repo_path);
  git_oid oid;
  REQUIRE(git_oid_fromstr(&oid, id.c_str()) == 0);
  git::OwnedBuf signature;
  git::OwnedBuf signed_data;
  REQUIRE(git_commit_extract_signature(&signature.buf, &signed_data.buf, repo.get(), &oid,
                                       "gpgsig") == 0);
  CHECK(signature.view().rfind("-----BEGIN SSH SIGNATURE-----\n", 0) == 0);
  CHECK(signed_data.view().find("gpgsig") == std::string_view::npos);
  CHECK(crypto::sshsigVerify(f.key.publicKey(), signature.view(), signed_data.view(), "git"));
  CHECK_FALSE(crypto::sshsigVerify(f.key.publicKey(), signature.view(),
                                   std::string(signed_data.view()) + "x", "git"));

  git_commit* raw_commit = nullptr;
  REQUIRE(git_commit_lookup(&raw_commit, repo.get(), &oid) == 0);
  git::Commit commit(raw_commit);
  CHECK(std::string(git_commit_author(commit.get())->name) == "Alice Admin");
  CHECK(std::string(git_commit_committer(commit.get())->name) == "Vantus Controller");
  CHECK(std::string(git_commit_committer(commit.get())->email) == "controller@vantus.invalid");
  CHECK(git_commit_time(commit.get()) == kTestTime);
}

TEST_CASE("verifySignature refuses another key's commits and unsigned commits") {
  HistoryFixture f;
  std::string id = f.commitOk(makeRequest({{kAcme, "acme\n"}}));
  auto other_key = crypto::Ed25519PrivateKey::generate();
  REQUIRE(other_key);
  auto other = openGitHistory(f.repo_path, *other_key, "Vantus", "v@vantus.invalid");
  REQUIRE(other);
  auto foreign = (*other)->verifySignature(id);
  REQUIRE_FALSE(foreign);
  CHECK(foreign.error().code == ErrorCode::kVerificationFailed);

  git::Repository repo = openRaw(f.repo_path);
  git_oid tree_id;
  git_treebuilder* raw_builder = nullptr;
  REQUIRE(git_treebuilder_new(&raw_builder, repo.get(), nullptr) == 0);
  REQUIRE(git_treebuilder_write(&tree_id, raw_builder) == 0);
  git_treebuilder_free(raw_builder);
  git_tree* raw_tree = nullptr;
  REQUIRE(git_tree_lookup(&raw_tree, repo.get(), &tree_id) == 0);
  git::Tree tree(raw_tree);
  git_signature* raw_signature = nullptr;
  REQUIRE(git_signature_new(&raw_signature, "Mallory", "m@example.com", kTestTime, 0) == 0);
  git::Signature signature(raw_signature);
  git_oid unsigned_id;
  REQUIRE(git_commit_create(&unsigned_id, repo.get(), nullptr, signature.get(), signature.get(),
                            nullptr, "unsigned\n", tree.get(), 0, nullptr) == 0);
  auto unsigned_result = f.history->verifySignature(git::toHex(unsigned_id));
  REQUIRE_FALSE(unsigned_result);
  CHECK(unsigned_result.error().code == ErrorCode::kVerificationFailed);
  CHECK(f.history->verifySignature(std::string(40, '1')).error().code == ErrorCode::kNotFound);
}

TEST_CASE("allowedSignersLine names the principal, the git namespace and the public key") {
  auto key = crypto::Ed25519PrivateKey::generate();
  REQUIRE(key);
  CHECK(allowedSignersLine(key->publicKey(), "vantus-controller") ==
        "vantus-controller namespaces=\"git\" " + key->publicKey().sshAuthorizedKey());
}

}  // namespace
}  // namespace vantus::controller

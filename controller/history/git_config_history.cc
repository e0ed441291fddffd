#include "controller/history/git_config_history.h"

#include <fmt/format.h>
#include <git2.h>

#include <mutex>
#include <system_error>

#include "common/crypto/sshsig.h"
#include "controller/history/commit_message.h"
#include "controller/history/git_handles.h"
#include "controller/history/history_queries.h"
#include "controller/history/object_stager.h"
#include "controller/history/repository_pool.h"
#include "controller/history/tree_update.h"

namespace vantus::controller {

namespace {

Result<git::Signature> makeSignature(const std::string& name, const std::string& email,
                                     std::int64_t time, std::string_view field) {
  if (name.empty() || email.empty()) {
    return fail(ErrorCode::kInvalidInput, "a commit identity needs a name and an email",
                std::string(field));
  }
  git_signature* raw = nullptr;
  if (int rc = git_signature_new(&raw, name.c_str(), email.c_str(), time, 0); rc < 0) {
    return git::failure(rc, "bad commit identity", ErrorCode::kInvalidInput);
  }
  return git::Signature(raw);
}

class GitConfigHistory final : public ConfigHistory {
 public:
  GitConfigHistory(const std::filesystem::path& path, const crypto::Ed25519PrivateKey& key,
                   std::string committer_name, std::string committer_email, git::Repository writer,
                   std::unique_ptr<ObjectStager> stager)
      : key_(key),
        committer_name_(std::move(committer_name)),
        committer_email_(std::move(committer_email)),
        writer_(std::move(writer)),
        stager_(std::move(stager)),
        readers_(path) {}

  Result<std::string> head() const override {
    VANTUS_TRY(auto repo, readers_.acquire());
    VANTUS_TRY(HeadRef head, readHead(repo.get()));
    return head.id ? git::toHex(*head.id) : std::string();
  }

  Result<std::string> commit(const CommitRequest& request) override {
    std::lock_guard lock(writer_mutex_);
    git_repository* repo = writer_.get();
    VANTUS_TRY(HeadRef head, readHead(repo));
    std::string head_hex = head.id ? git::toHex(*head.id) : std::string();
    if (request.expected_head && *request.expected_head != head_hex) {
      return fail(ErrorCode::kConflict,
                  fmt::format("the config repository moved to {:?}; expected {:?}", head_hex,
                              *request.expected_head));
    }
    VANTUS_TRY(git::Signature author,
               makeSignature(request.author_name, request.author_email, request.time, "author"));
    VANTUS_TRY(git::Signature committer,
               makeSignature(committer_name_, committer_email_, request.time, "committer"));
    VANTUS_TRY(std::string message, composeCommitMessage(request.message, request.trailers));

    git::Commit parent;
    git::Tree parent_tree;
    if (head.id) {
      VANTUS_TRY(parent, lookupCommit(repo, *head.id));
      git_tree* raw_tree = nullptr;
      if (int rc = git_commit_tree(&raw_tree, parent.get()); rc < 0) {
        return git::failure(rc, "reading the head's tree");
      }
      parent_tree.reset(raw_tree);
    }

    struct DiscardStaged {
      ObjectStager& stager;
      ~DiscardStaged() { stager.discard(); }
    } discard_on_exit{*stager_};
    VANTUS_TRY(git_oid tree_id, buildUpdatedTree(repo, parent_tree.get(), request));
    git_tree* raw_tree = nullptr;
    if (int rc = git_tree_lookup(&raw_tree, repo, &tree_id); rc < 0) {
      return git::failure(rc, "reading the new tree", ErrorCode::kInternal);
    }
    git::Tree tree(raw_tree);
    bool unchanged = parent_tree ? git_oid_equal(&tree_id, git_tree_id(parent_tree.get())) != 0
                                 : git_tree_entrycount(tree.get()) == 0;
    if (unchanged) {
      return fail(ErrorCode::kFailedPrecondition, "nothing to commit: the tree is unchanged");
    }

    git::OwnedBuf content;
    const git_commit* parents[] = {parent.get()};
    if (int rc =
            git_commit_create_buffer(&content.buf, repo, author.get(), committer.get(), nullptr,
                                     message.c_str(), tree.get(), parent ? 1 : 0, parents);
        rc < 0) {
      return git::failure(rc, "formatting the commit", ErrorCode::kInternal);
    }
    std::string signature = crypto::sshsigSign(key_, content.view(), "git");
    git_oid commit_id;
    if (int rc = git_commit_create_with_signature(&commit_id, repo, content.buf.ptr,
                                                  signature.c_str(), "gpgsig");
        rc < 0) {
      return git::failure(rc, "storing the signed commit", ErrorCode::kInternal);
    }
    VANTUS_TRY_VOID(stager_->persist(commit_id));
    VANTUS_TRY_VOID(moveBranch(head, commit_id, message));
    return git::toHex(commit_id);
  }

  Result<std::optional<std::string>> readFile(std::string_view commit,
                                              std::string_view path) const override {
    VANTUS_TRY(auto repo, readers_.acquire());
    return readFileAt(repo.get(), commit, path);
  }

  Result<std::vector<TreeFile>> listTree(std::string_view commit,
                                         std::string_view prefix) const override {
    VANTUS_TRY(auto repo, readers_.acquire());
    return listFilesAt(repo.get(), commit, prefix, /*with_content=*/true);
  }

  Result<std::vector<std::string>> listPaths(std::string_view commit,
                                             std::string_view prefix) const override {
    VANTUS_TRY(auto repo, readers_.acquire());
    VANTUS_TRY(std::vector<TreeFile> files,
               listFilesAt(repo.get(), commit, prefix, /*with_content=*/false));
    std::vector<std::string> paths;
    paths.reserve(files.size());
    for (TreeFile& file : files) {
      paths.push_back(std::move(file.path));
    }
    return paths;
  }

  Result<std::string> treeId(std::string_view commit, std::string_view prefix) const override {
    if (commit.empty()) {
      return std::string();
    }
    VANTUS_TRY(auto repo, readers_.acquire());
    return treeIdAt(repo.get(), commit, prefix);
  }

  Result<std::vector<CommitInfo>> log(std::string_view path_prefix, size_t limit,
                                      std::string_view start) const override {
    VANTUS_TRY(auto repo, readers_.acquire());
    return logFrom(repo.get(), start, path_prefix, limit);
  }

  Result<CommitInfo> describe(std::string_view commit) const override {
    VANTUS_TRY(auto repo, readers_.acquire());
    VANTUS_TRY(git::Commit found, lookupCommit(repo.get(), commit));
    return commitInfo(found.get());
  }

  Result<std::string> diff(std::string_view from_commit, std::string_view to_commit,
                           std::string_view path_prefix) const override {
    VANTUS_TRY(auto repo, readers_.acquire());
    return diffCommits(repo.get(), from_commit, to_commit, path_prefix);
  }

  Result<void> verifySignature(std::string_view commit) const override {
    VANTUS_TRY(auto repo, readers_.acquire());
    return verifyCommitSignature(repo.get(), commit, key_.publicKey());
  }

 private:
  // Compare-and-swap on the branch: another writer (a second process, a git push into
  // the repository) that moved it since `head` was read makes this a kConflict.
  Result<void> moveBranch(const HeadRef& head, const git_oid& commit_id,
                          const std::string& message) {
    std::string log_message = "commit: " + message.substr(0, message.find('\n'));
    git_reference* raw_ref = nullptr;
    int rc = head.id ? git_reference_create_matching(&raw_ref, writer_.get(), head.branch.c_str(),
                                                     &commit_id, 1, &*head.id, log_message.c_str())
                     : git_reference_create(&raw_ref, writer_.get(), head.branch.c_str(),
                                            &commit_id, 0, log_message.c_str());
    git::Reference ref(raw_ref);
    if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS || rc == GIT_ELOCKED) {
      return git::failure(rc, "the config repository moved during the commit",
                          ErrorCode::kConflict);
    }
    if (rc < 0) {
      return git::failure(rc, "moving " + head.branch);
    }
    return ok();
  }

  const crypto::Ed25519PrivateKey& key_;
  const std::string committer_name_;
  const std::string committer_email_;
  std::mutex writer_mutex_;
  git::Repository writer_;
  std::unique_ptr<ObjectStager> stager_;
  mutable RepositoryPool readers_;
};

}  // namespace

Result<void> initBareRepository(const std::filesystem::path& path) {
  git::ensureInitialized();
  std::error_code error;
  if (std::filesystem::exists(path, error) || error) {
    return fail(ErrorCode::kAlreadyExists, fmt::format("{} already exists", path.string()));
  }
  git_repository_init_options options;
  git_repository_init_options_init(&options, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
  options.flags =
      GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
  options.initial_head = "main";
  git_repository* raw = nullptr;
  if (int rc = git_repository_init_ext(&raw, path.c_str(), &options); rc < 0) {
    return git::failure(rc, "creating repository " + path.string());
  }
  git_repository_free(raw);
  return ok();
}

Result<std::unique_ptr<ConfigHistory>> openGitHistory(const std::filesystem::path& bare_repo,
                                                      const crypto::Ed25519PrivateKey& signing_key,
                                                      std::string committer_name,
                                                      std::string committer_email) {
  git::ensureInitialized();
  VANTUS_TRY(git::Signature committer,
             makeSignature(committer_name, committer_email, 0, "committer"));
  VANTUS_TRY(git::Repository writer, openBareRepository(bare_repo));
  if (git_repository_is_bare(writer.get()) == 0) {
    return fail(ErrorCode::kFailedPrecondition,
                fmt::format("{} is not a bare repository", bare_repo.string()));
  }
  VANTUS_TRY_VOID(readHead(writer.get()));
  VANTUS_TRY(std::unique_ptr<ObjectStager> stager, ObjectStager::attach(writer.get()));
  return std::unique_ptr<ConfigHistory>(
      new GitConfigHistory(bare_repo, signing_key, std::move(committer_name),
                           std::move(committer_email), std::move(writer), std::move(stager)));
}

std::string allowedSignersLine(const crypto::Ed25519PublicKey& key, std::string_view principal) {
  if (principal.empty() || principal.find_first_of(" \t\r\n\",") != std::string_view::npos) {
    abortOnBrokenInvariant("an allowed-signers principal must be a plain word");
  }
  return fmt::format("{} namespaces=\"git\" {}", principal, key.sshAuthorizedKey());
}

}  // namespace vantus::controller

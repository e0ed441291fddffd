#pragma once
// The read side of the config repository, on one libgit2 repository handle that the
// caller does not share with another thread while a call runs.
#include <git2.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "common/crypto/ed25519.h"
#include "controller/history/config_history.h"
#include "controller/history/git_handles.h"

namespace vantus::controller {

struct HeadRef {
  std::string branch;         // the ref HEAD points at, e.g. "refs/heads/main"
  std::optional<git_oid> id;  // nullopt while the branch has no commit
};
Result<HeadRef> readHead(git_repository* repo);

// kInvalidInput for a malformed id, kNotFound for an unknown one.
Result<git::Commit> lookupCommit(git_repository* repo, std::string_view id,
                                 std::string_view field = "commit");
Result<git::Commit> lookupCommit(git_repository* repo, const git_oid& id,
                                 std::string_view field = "commit");

Result<std::optional<std::string>> readFileAt(git_repository* repo, std::string_view commit,
                                              std::string_view path);
// Files under `prefix`, sorted by path; contents are read only when `with_content`.
Result<std::vector<TreeFile>> listFilesAt(git_repository* repo, std::string_view commit,
                                          std::string_view prefix, bool with_content);

// The id of the tree at `prefix` in `commit`, "" when nothing is there.
Result<std::string> treeIdAt(git_repository* repo, std::string_view commit,
                             std::string_view prefix);

CommitInfo commitInfo(git_commit* commit);
Result<std::vector<CommitInfo>> logFrom(git_repository* repo, std::string_view start,
                                        std::string_view path_prefix, size_t limit);

Result<std::string> diffCommits(git_repository* repo, std::string_view from_commit,
                                std::string_view to_commit, std::string_view path_prefix);

Result<void> verifyCommitSignature(git_repository* repo, std::string_view commit,
                                   const crypto::Ed25519PublicKey& key);

}  // namespace vantus::controller

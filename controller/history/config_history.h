#pragma once
// The config repository: one signed commit per deployment, whose tree is the deployed
// state (`clusters/<cluster>/...`). Paths are relative, '/'-separated, without empty,
// ".", ".." or ".git" components. Commit ids are 40 lowercase hex digits; reads take
// ids, never revision expressions, so they cost a lookup, not a history walk.
//
// Threads: every method may be called from any thread. commit() calls are serialised
// internally (the service runs one deployment at a time anyway); reads run concurrently
// with each other and with a commit, and see the head either before or after it.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"

namespace vantus::controller {

struct Trailer {
  std::string key;  // letters, digits and '-', e.g. "Vantus-Deployment"
  std::string value;
  bool operator==(const Trailer&) const = default;
};

struct FileChange {
  std::string path;                    // e.g. "clusters/edge-a/tenants/ab/acme.conf"
  std::optional<std::string> content;  // nullopt deletes the file (absent: no-op)
};

struct CommitRequest {
  // Whole subtrees removed before `changes` apply (absent ones are skipped). A full
  // deployment of a cluster is {"clusters/<c>"} here plus every file of it in `changes`.
  std::vector<std::string> remove_prefixes;
  std::vector<FileChange> changes;  // each path at most once
  std::string author_name;          // the actor; name and email must be non-empty
  std::string author_email;
  std::string message;            // subject line, optional body; trailing blank lines dropped
  std::vector<Trailer> trailers;  // appended as a git trailer block
  std::int64_t time = 0;          // unix seconds, author and committer time (UTC)
  // When set, the commit fails with kConflict unless the head is this id ("" = no commit
  // yet). Either way the branch only moves if nobody moved it since this commit began.
  std::optional<std::string> expected_head;
};

struct CommitInfo {
  std::string id;
  std::string parent;  // "" for the first commit
  std::string author_name;
  std::string author_email;
  std::string subject;  // first paragraph of the message, on one line
  std::string message;  // the full message, trailers included
  std::vector<Trailer> trailers;
  std::int64_t time = 0;  // author time
};

struct TreeFile {
  std::string path;  // relative to the listed prefix
  std::string content;
  bool operator==(const TreeFile&) const = default;
};

class ConfigHistory {
 public:
  virtual ~ConfigHistory() = default;

  // The id of the newest commit, "" when there is none yet.
  virtual Result<std::string> head() const = 0;

  // Applies `request` to the head's tree, signs the commit and moves the branch with a
  // compare-and-swap. Returns the new commit id. Errors: kInvalidInput (a path, author,
  // message or trailer), kFailedPrecondition "nothing to commit" when the tree would not
  // change, kConflict when the head moved (see expected_head). After any error the branch
  // is unchanged.
  virtual Result<std::string> commit(const CommitRequest& request) = 0;

  // The content of the file at `path` in `commit`; nullopt when there is no such file.
  // kNotFound for an unknown commit, kInvalidInput when `path` is a directory.
  virtual Result<std::optional<std::string>> readFile(std::string_view commit,
                                                      std::string_view path) const = 0;
  // Every file under `prefix` ("" = all) in `commit`, sorted by path. An absent prefix
  // gives an empty list.
  virtual Result<std::vector<TreeFile>> listTree(std::string_view commit,
                                                 std::string_view prefix) const = 0;
  // As listTree without reading contents.
  virtual Result<std::vector<std::string>> listPaths(std::string_view commit,
                                                     std::string_view prefix) const = 0;
  // The id of the tree at `prefix` (a directory; "" = the root) in `commit`: equal ids mean
  // equal contents. "" when `commit` is "" or nothing is at `prefix`.
  virtual Result<std::string> treeId(std::string_view commit, std::string_view prefix) const = 0;

  // Commits that changed something under `path_prefix` ("" = every commit), newest
  // first, following first parents from `start` ("" = head). At most `limit` entries.
  virtual Result<std::vector<CommitInfo>> log(std::string_view path_prefix, size_t limit,
                                              std::string_view start = {}) const = 0;
  virtual Result<CommitInfo> describe(std::string_view commit) const = 0;

  // `git diff`-style unified patch text from `from_commit` ("" = the empty tree) to
  // `to_commit`, limited to `path_prefix` ("" = everything). "" when nothing differs.
  virtual Result<std::string> diff(std::string_view from_commit, std::string_view to_commit,
                                   std::string_view path_prefix) const = 0;

  // Checks the commit's SSH signature against this history's signing key.
  // kVerificationFailed when it is missing or does not verify.
  virtual Result<void> verifySignature(std::string_view commit) const = 0;
};

}  // namespace vantus::controller

#include "controller/history/history_queries.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/crypto/sshsig.h"
#include "controller/history/commit_message.h"
#include "controller/history/tree_path.h"

namespace vantus::controller {

namespace {

Result<git::Tree> commitTree(git_commit* commit) {
  git_tree* raw_tree = nullptr;
  if (int rc = git_commit_tree(&raw_tree, commit); rc < 0) {
    return git::failure(rc, "reading a commit's tree");
  }
  return git::Tree(raw_tree);
}

// The entry at `path` ("" = the root tree itself), nullopt when absent.
std::optional<git_oid> entryIdAt(git_tree* tree, const std::string& path) {
  if (path.empty()) {
    return *git_tree_id(tree);
  }
  git_tree_entry* raw_entry = nullptr;
  if (git_tree_entry_bypath(&raw_entry, tree, path.c_str()) < 0) {
    return std::nullopt;
  }
  git::TreeEntry entry(raw_entry);
  return *git_tree_entry_id(entry.get());
}

Result<std::string> readBlob(git_repository* repo, const git_oid& id) {
  git_blob* raw_blob = nullptr;
  if (int rc = git_blob_lookup(&raw_blob, repo, &id); rc < 0) {
    return git::failure(rc, "reading a file");
  }
  git::Blob blob(raw_blob);
  return std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                     static_cast<size_t>(git_blob_rawsize(blob.get())));
}

struct WalkState {
  git_repository* repo;
  bool with_content;
  std::vector<TreeFile> files;
  std::optional<Error> error;
};

int collectFile(const char* root, const git_tree_entry* entry, void* payload) {
  auto& state = *static_cast<WalkState*>(payload);
  if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) {
    return 0;
  }
  TreeFile file{std::string(root) + git_tree_entry_name(entry), {}};
  if (state.with_content) {
    auto content = readBlob(state.repo, *git_tree_entry_id(entry));
    if (!content) {
      state.error = std::move(content).error();
      return -1;
    }
    file.content = std::move(*content);
  }
  state.files.push_back(std::move(file));
  return 0;
}

}  // namespace

Result<HeadRef> readHead(git_repository* repo) {
  git_reference* raw_head = nullptr;
  if (int rc = git_reference_lookup(&raw_head, repo, "HEAD"); rc < 0) {
    return git::failure(rc, "reading HEAD");
  }
  git::Reference head(raw_head);
  if (git_reference_type(head.get()) != GIT_REFERENCE_SYMBOLIC) {
    return fail(ErrorCode::kFailedPrecondition, "HEAD of the config repository is detached");
  }
  HeadRef result{git_reference_symbolic_target(head.get()), std::nullopt};
  git_oid id;
  int rc = git_reference_name_to_id(&id, repo, result.branch.c_str());
  if (rc == 0) {
    result.id = id;
  } else if (rc != GIT_ENOTFOUND) {
    return git::failure(rc, "reading " + result.branch);
  }
  return result;
}

Result<git::Commit> lookupCommit(git_repository* repo, const git_oid& id, std::string_view field) {
  git_commit* raw_commit = nullptr;
  if (int rc = git_commit_lookup(&raw_commit, repo, &id); rc < 0) {
    if (rc == GIT_ENOTFOUND) {
      return fail(ErrorCode::kNotFound, fmt::format("no commit {}", git::toHex(id)),
                  std::string(field));
    }
    return git::failure(rc, fmt::format("reading commit {}", git::toHex(id)));
  }
  return git::Commit(raw_commit);
}

Result<git::Commit> lookupCommit(git_repository* repo, std::string_view id,
                                 std::string_view field) {
  VANTUS_TRY(git_oid oid, git::parseId(id, field));
  return lookupCommit(repo, oid, field);
}

Result<std::optional<std::string>> readFileAt(git_repository* repo, std::string_view commit_id,
                                              std::string_view path) {
  VANTUS_TRY_VOID(validateTreePath(path, "path"));
  VANTUS_TRY(git::Commit commit, lookupCommit(repo, commit_id));
  VANTUS_TRY(git::Tree tree, commitTree(commit.get()));
  git_tree_entry* raw_entry = nullptr;
  if (int rc = git_tree_entry_bypath(&raw_entry, tree.get(), std::string(path).c_str()); rc < 0) {
    if (rc == GIT_ENOTFOUND) {
      return std::optional<std::string>();
    }
    return git::failure(rc, fmt::format("looking up {:?}", path));
  }
  git::TreeEntry entry(raw_entry);
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) {
    return fail(ErrorCode::kInvalidInput, fmt::format("{:?} is a directory", path), "path");
  }
  VANTUS_TRY(std::string content, readBlob(repo, *git_tree_entry_id(entry.get())));
  return std::optional<std::string>(std::move(content));
}

Result<std::vector<TreeFile>> listFilesAt(git_repository* repo, std::string_view commit_id,
                                          std::string_view raw_prefix, bool with_content) {
  VANTUS_TRY(std::string prefix, normalizePrefix(raw_prefix, "prefix"));
  VANTUS_TRY(git::Commit commit, lookupCommit(repo, commit_id));
  VANTUS_TRY(git::Tree tree, commitTree(commit.get()));
  git::Tree subtree;
  if (!prefix.empty()) {
    git_tree_entry* raw_entry = nullptr;
    if (int rc = git_tree_entry_bypath(&raw_entry, tree.get(), prefix.c_str()); rc < 0) {
      if (rc == GIT_ENOTFOUND) {
        return std::vector<TreeFile>();
      }
      return git::failure(rc, fmt::format("looking up {:?}", prefix));
    }
    git::TreeEntry entry(raw_entry);
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE) {
      return fail(ErrorCode::kInvalidInput, fmt::format("{:?} is a file", prefix), "prefix");
    }
    git_tree* raw_subtree = nullptr;
    if (int rc = git_tree_lookup(&raw_subtree, repo, git_tree_entry_id(entry.get())); rc < 0) {
      return git::failure(rc, fmt::format("reading {:?}", prefix));
    }
    subtree.reset(raw_subtree);
  }
  WalkState state{repo, with_content, {}, std::nullopt};
  int rc = git_tree_walk(prefix.empty() ? tree.get() : subtree.get(), GIT_TREEWALK_PRE, collectFile,
                         &state);
  if (state.error) {
    return fail(std::move(*state.error));
  }
  if (rc < 0) {
    return git::failure(rc, fmt::format("listing {:?}", prefix));
  }
  std::sort(state.files.begin(), state.files.end(),
            [](const TreeFile& a, const TreeFile& b) { return a.path < b.path; });
  return std::move(state.files);
}

Result<std::string> treeIdAt(git_repository* repo, std::string_view commit_id,
                             std::string_view raw_prefix) {
  VANTUS_TRY(std::string prefix, normalizePrefix(raw_prefix, "prefix"));
  VANTUS_TRY(git::Commit commit, lookupCommit(repo, commit_id));
  if (prefix.empty()) {
    return git::toHex(*git_commit_tree_id(commit.get()));
  }
  VANTUS_TRY(git::Tree tree, commitTree(commit.get()));
  git_tree_entry* raw_entry = nullptr;
  if (int rc = git_tree_entry_bypath(&raw_entry, tree.get(), prefix.c_str()); rc < 0) {
    if (rc == GIT_ENOTFOUND) {
      return std::string();
    }
    return git::failure(rc, fmt::format("looking up {:?}", prefix));
  }
  git::TreeEntry entry(raw_entry);
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE) {
    return fail(ErrorCode::kInvalidInput, fmt::format("{:?} is a file", prefix), "prefix");
  }
  return git::toHex(*git_tree_entry_id(entry.get()));
}

CommitInfo commitInfo(git_commit* commit) {
  CommitInfo info;
  info.id = git::toHex(*git_commit_id(commit));
  if (git_commit_parentcount(commit) > 0) {
    info.parent = git::toHex(*git_commit_parent_id(commit, 0));
  }
  const git_signature* author = git_commit_author(commit);
  info.author_name = author->name;
  info.author_email = author->email;
  info.time = author->when.time;
  const char* summary = git_commit_summary(commit);
  info.subject = summary != nullptr ? summary : "";
  info.message = git_commit_message(commit);
  info.trailers = parseTrailers(info.message);
  return info;
}

Result<std::vector<CommitInfo>> logFrom(git_repository* repo, std::string_view start,
                                        std::string_view raw_prefix, size_t limit) {
  VANTUS_TRY(std::string prefix, normalizePrefix(raw_prefix, "path_prefix"));
  std::vector<CommitInfo> entries;
  git_oid start_id;
  if (start.empty()) {
    VANTUS_TRY(HeadRef head, readHead(repo));
    if (!head.id) {
      return entries;
    }
    start_id = *head.id;
  } else {
    VANTUS_TRY(git::Commit commit, lookupCommit(repo, start, "start"));
    start_id = *git_commit_id(commit.get());
  }
  git_revwalk* raw_walk = nullptr;
  if (int rc = git_revwalk_new(&raw_walk, repo); rc < 0) {
    return git::failure(rc, "walking history");
  }
  git::Revwalk walk(raw_walk);
  git_revwalk_simplify_first_parent(walk.get());
  if (int rc = git_revwalk_push(walk.get(), &start_id); rc < 0) {
    return git::failure(rc, "walking history");
  }
  git_oid id;
  while (entries.size() < limit) {
    int rc = git_revwalk_next(&id, walk.get());
    if (rc == GIT_ITEROVER) {
      break;
    }
    if (rc < 0) {
      return git::failure(rc, "walking history");
    }
    VANTUS_TRY(git::Commit commit, lookupCommit(repo, id));
    VANTUS_TRY(git::Tree tree, commitTree(commit.get()));
    std::optional<git_oid> before;
    if (git_commit_parentcount(commit.get()) > 0) {
      VANTUS_TRY(git::Commit parent, lookupCommit(repo, *git_commit_parent_id(commit.get(), 0)));
      VANTUS_TRY(git::Tree parent_tree, commitTree(parent.get()));
      before = entryIdAt(parent_tree.get(), prefix);
    }
    std::optional<git_oid> after = entryIdAt(tree.get(), prefix);
    bool changed =
        before.has_value() != after.has_value() || (before && git_oid_cmp(&*before, &*after) != 0);
    if (prefix.empty() || changed) {
      entries.push_back(commitInfo(commit.get()));
    }
  }
  return entries;
}

Result<std::string> diffCommits(git_repository* repo, std::string_view from_commit,
                                std::string_view to_commit, std::string_view raw_prefix) {
  VANTUS_TRY(std::string prefix, normalizePrefix(raw_prefix, "path_prefix"));
  VANTUS_TRY(git::Commit to, lookupCommit(repo, to_commit, "to"));
  VANTUS_TRY(git::Tree to_tree, commitTree(to.get()));
  git::Tree from_tree;
  if (!from_commit.empty()) {
    VANTUS_TRY(git::Commit from, lookupCommit(repo, from_commit, "from"));
    VANTUS_TRY(from_tree, commitTree(from.get()));
  }
  git_diff_options options;
  git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
  char* pathspec[] = {prefix.data()};
  if (!prefix.empty()) {
    options.pathspec = {pathspec, 1};
    options.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;  // a literal prefix, not a glob
  }
  git_diff* raw_diff = nullptr;
  if (int rc = git_diff_tree_to_tree(&raw_diff, repo, from_tree.get(), to_tree.get(), &options);
      rc < 0) {
    return git::failure(rc, "diffing commits");
  }
  git::Diff diff(raw_diff);
  git::OwnedBuf patch;
  if (int rc = git_diff_to_buf(&patch.buf, diff.get(), GIT_DIFF_FORMAT_PATCH); rc < 0) {
    return git::failure(rc, "formatting a diff");
  }
  return std::string(patch.view());
}

Result<void> verifyCommitSignature(git_repository* repo, std::string_view commit_id,
                                   const crypto::Ed25519PublicKey& key) {
  VANTUS_TRY(git::Commit commit, lookupCommit(repo, commit_id));
  git_oid id = *git_commit_id(commit.get());
  git::OwnedBuf signature;
  git::OwnedBuf signed_data;
  if (int rc = git_commit_extract_signature(&signature.buf, &signed_data.buf, repo, &id, "gpgsig");
      rc < 0) {
    if (rc == GIT_ENOTFOUND) {
      return fail(ErrorCode::kVerificationFailed,
                  fmt::format("commit {} is not signed", commit_id));
    }
    return git::failure(rc, fmt::format("reading the signature of {}", commit_id));
  }
  return crypto::sshsigVerify(key, signature.view(), signed_data.view(), "git");
}

}  // namespace vantus::controller

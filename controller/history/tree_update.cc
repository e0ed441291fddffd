#include "controller/history/tree_update.h"

#include <fmt/format.h>

#include <optional>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "controller/history/git_handles.h"
#include "controller/history/tree_path.h"

namespace vantus::controller {

namespace {

std::optional<git_object_t> entryType(git_tree* tree, const std::string& path) {
  git_tree_entry* raw_entry = nullptr;
  if (tree == nullptr || git_tree_entry_bypath(&raw_entry, tree, path.c_str()) < 0) {
    return std::nullopt;
  }
  git::TreeEntry entry(raw_entry);
  return git_tree_entry_type(entry.get());
}

Result<void> validate(const CommitRequest& request) {
  for (const std::string& prefix : request.remove_prefixes) {
    VANTUS_TRY_VOID(validateTreePath(prefix, "remove_prefixes"));
  }
  std::unordered_set<std::string_view> seen;
  for (const FileChange& change : request.changes) {
    VANTUS_TRY_VOID(validateTreePath(change.path, "changes"));
    if (!seen.insert(change.path).second) {
      return fail(ErrorCode::kInvalidInput, fmt::format("path {:?} changes twice", change.path),
                  "changes");
    }
  }
  return ok();
}

Result<git_oid> applyUpdates(git_repository* repo, git_tree* baseline,
                             const std::vector<git_tree_update>& updates) {
  git_oid id;
  if (int rc = git_tree_create_updated(&id, repo, baseline, updates.size(), updates.data());
      rc < 0) {
    // Object writes go to memory (ObjectStager), so a failure here is about path shapes.
    return git::failure(rc, "the changes do not fit the tree", ErrorCode::kInvalidInput);
  }
  return id;
}

Result<git::Tree> lookupTree(git_repository* repo, const git_oid& id) {
  git_tree* raw_tree = nullptr;
  if (int rc = git_tree_lookup(&raw_tree, repo, &id); rc < 0) {
    return git::failure(rc, "reading a new tree", ErrorCode::kInternal);
  }
  return git::Tree(raw_tree);
}

}  // namespace

Result<git_oid> buildUpdatedTree(git_repository* repo, git_tree* parent,
                                 const CommitRequest& request) {
  VANTUS_TRY_VOID(validate(request));

  // Removing whole subtrees first, in a pass of its own, lets changes re-create files
  // under a removed prefix without ordering subtleties inside one update list.
  git::Tree without_removed;
  git_tree* baseline = parent;
  std::vector<git_tree_update> removals;
  for (const std::string& prefix : request.remove_prefixes) {
    if (entryType(parent, prefix)) {
      git_tree_update update{};
      update.action = GIT_TREE_UPDATE_REMOVE;
      update.path = prefix.c_str();
      removals.push_back(update);
    }
  }
  if (!removals.empty()) {
    VANTUS_TRY(git_oid id, applyUpdates(repo, parent, removals));
    VANTUS_TRY(without_removed, lookupTree(repo, id));
    baseline = without_removed.get();
  }

  std::vector<git_tree_update> updates;
  updates.reserve(request.changes.size());
  for (const FileChange& change : request.changes) {
    std::optional<git_object_t> existing = entryType(baseline, change.path);
    if (existing == GIT_OBJECT_TREE) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("{:?} is a directory; remove it with remove_prefixes", change.path),
                  "changes");
    }
    git_tree_update update{};
    update.path = change.path.c_str();
    if (change.content) {
      if (int rc = git_blob_create_from_buffer(&update.id, repo, change.content->data(),
                                               change.content->size());
          rc < 0) {
        return git::failure(rc, "storing " + change.path);
      }
      update.action = GIT_TREE_UPDATE_UPSERT;
      update.filemode = GIT_FILEMODE_BLOB;
    } else if (existing) {
      update.action = GIT_TREE_UPDATE_REMOVE;
    } else {
      continue;
    }
    updates.push_back(update);
  }
  if (updates.empty() && baseline != nullptr) {
    return *git_tree_id(baseline);
  }
  return applyUpdates(repo, baseline, updates);
}

}  // namespace vantus::controller

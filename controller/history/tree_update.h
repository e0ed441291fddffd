#pragma once
// Builds a commit's tree from its parent's without an index: git_tree_create_updated
// costs the depth of each changed path, not the size of the tree (10,000 files: ~40 ms
// for all of them, ~1 ms for one).
#include <git2.h>

#include "common/core/result.h"
#include "controller/history/config_history.h"

namespace vantus::controller {

// The id of `parent` (nullptr: the empty tree) with the request's removals and changes
// applied; its objects are written to `repo`'s object database. kInvalidInput for a bad
// or repeated path, or a change that needs a file where a directory is (or vice versa).
Result<git_oid> buildUpdatedTree(git_repository* repo, git_tree* parent,
                                 const CommitRequest& request);

}  // namespace vantus::controller

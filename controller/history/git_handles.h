#pragma once
// RAII owners for libgit2 handles, process-wide libgit2 set-up and the translation of
// libgit2 errors into Result. libgit2 is included by controller/history only.
#include <git2.h>

#include <memory>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace vantus::controller::git {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* handle) const { Free(handle); }
};
template <typename T, void (*Free)(T*)>
using Handle = std::unique_ptr<T, Deleter<T, Free>>;

using Repository = Handle<git_repository, git_repository_free>;
using Commit = Handle<git_commit, git_commit_free>;
using Tree = Handle<git_tree, git_tree_free>;
using TreeEntry = Handle<git_tree_entry, git_tree_entry_free>;
using Blob = Handle<git_blob, git_blob_free>;
using Reference = Handle<git_reference, git_reference_free>;
using Signature = Handle<git_signature, git_signature_free>;
using Diff = Handle<git_diff, git_diff_free>;
using Revwalk = Handle<git_revwalk, git_revwalk_free>;
using Odb = Handle<git_odb, git_odb_free>;
using OdbObject = Handle<git_odb_object, git_odb_object_free>;
using Packbuilder = Handle<git_packbuilder, git_packbuilder_free>;

struct OwnedBuf {
  git_buf buf = GIT_BUF_INIT;
  OwnedBuf() = default;
  OwnedBuf(const OwnedBuf&) = delete;
  OwnedBuf& operator=(const OwnedBuf&) = delete;
  ~OwnedBuf() { git_buf_dispose(&buf); }
  std::string_view view() const { return {buf.ptr, buf.size}; }
};

// git_libgit2_init once per process, with strict object creation off (every tree insert
// would re-read its object: ~14 ms instead of ~2 ms per commit; we write those objects
// ourselves) and fsync of objects, packs and refs on (the repository is the audit trail).
void ensureInitialized();

// A failure carrying libgit2's last error message: "<what>: <message>". The code follows
// the return value: ENOTFOUND -> kNotFound, EEXISTS -> kAlreadyExists, EMODIFIED and
// ELOCKED -> kConflict, anything else -> `otherwise`.
Unexpected failure(int rc, std::string_view what, ErrorCode otherwise = ErrorCode::kIo);

std::string toHex(const git_oid& id);
// Exactly 40 hex digits; kInvalidInput naming `field` otherwise.
Result<git_oid> parseId(std::string_view hex, std::string_view field);

}  // namespace vantus::controller::git

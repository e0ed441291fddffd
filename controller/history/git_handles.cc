#include "controller/history/git_handles.h"

#include <fmt/format.h>

#include <mutex>

namespace vantus::controller::git {

void ensureInitialized() {
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();  // never shut down: handles may live until exit
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0);
    git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
  });
}

Unexpected failure(int rc, std::string_view what, ErrorCode otherwise) {
  const git_error* last = git_error_last();
  std::string message =
      fmt::format("{}: {}", what,
                  last != nullptr && last->message != nullptr ? last->message : "libgit2 error");
  switch (rc) {
    case GIT_ENOTFOUND:
      return fail(ErrorCode::kNotFound, std::move(message));
    case GIT_EEXISTS:
      return fail(ErrorCode::kAlreadyExists, std::move(message));
    case GIT_EMODIFIED:
    case GIT_ELOCKED:
      return fail(ErrorCode::kConflict, std::move(message));
    default:
      return fail(otherwise, std::move(message));
  }
}

std::string toHex(const git_oid& id) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &id);
  return std::string(hex, GIT_OID_HEXSZ);
}

Result<git_oid> parseId(std::string_view hex, std::string_view field) {
  git_oid id;
  bool all_hex = hex.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
  if (hex.size() != GIT_OID_HEXSZ || !all_hex ||
      git_oid_fromstrn(&id, hex.data(), hex.size()) != 0) {
    return fail(ErrorCode::kInvalidInput, fmt::format("{:?} is not a 40-digit commit id", hex),
                std::string(field));
  }
  return id;
}

}  // namespace vantus::controller::git

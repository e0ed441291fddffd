#include "controller/history/text_diff.h"

#include <string>

#include "controller/history/git_handles.h"

namespace vantus::controller {

namespace {
using Patch = git::Handle<git_patch, git_patch_free>;
}  // namespace

Result<std::string> unifiedDiff(std::string_view path, const std::optional<std::string>& before,
                                const std::optional<std::string>& after) {
  if (before == after) {
    return std::string();
  }
  git::ensureInitialized();
  const std::string file_path(path);
  git_diff_options options;
  git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
  git_patch* raw_patch = nullptr;
  int rc = git_patch_from_buffers(&raw_patch, before ? before->data() : nullptr,
                                  before ? before->size() : 0, before ? file_path.c_str() : nullptr,
                                  after ? after->data() : nullptr, after ? after->size() : 0,
                                  after ? file_path.c_str() : nullptr, &options);
  if (rc < 0) {
    return git::failure(rc, "diffing texts");
  }
  Patch patch(raw_patch);
  git::OwnedBuf text;
  if (rc = git_patch_to_buf(&text.buf, patch.get()); rc < 0) {
    return git::failure(rc, "formatting a diff");
  }
  return std::string(text.view());
}

}  // namespace vantus::controller

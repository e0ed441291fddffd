#pragma once
// Unified diff of two texts with libgit2 (the same format as ConfigHistory::diff), for
// previews: what deploying would change against what is deployed. Pure; any thread.
#include <optional>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace vantus::controller {

// `git diff`-style patch turning `before` into `after` at `path`; nullopt means the file is
// absent on that side. "" when both sides are equal.
Result<std::string> unifiedDiff(std::string_view path, const std::optional<std::string>& before,
                                const std::optional<std::string>& after);

}  // namespace vantus::controller

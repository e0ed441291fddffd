#pragma once
// Which relative paths a signed release may name. A release path is written by the agent
// under its release directory, so it must stay inside it on every file system and shell.
#include <cstddef>
#include <string_view>

#include "common/core/result.h"

namespace vantus::release {

inline constexpr size_t kMaxReleasePathLength = 255;

// Accepts "nginx.conf", "tenants/acme.conf"; refuses with a message naming the rule:
// empty, longer than 255, a character outside [A-Za-z0-9._/-] (backslash, NUL and control
// characters included), leading '/', an empty, "." or ".." component, and "local" or
// "local/..." (reserved for node-local files the agent writes). kInvalidInput.
Result<void> checkReleasePath(std::string_view path);

}  // namespace vantus::release

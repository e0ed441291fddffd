#pragma once
// Paths inside the config repository: relative, '/'-separated, no empty, ".", ".." or
// ".git" components (git itself refuses the last), no NUL or backslash.
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace vantus::controller {

// A path naming a file or directory; kInvalidInput naming `field` otherwise.
Result<void> validateTreePath(std::string_view path, std::string_view field);

// A prefix to list, log or diff: "" (the whole tree) or a valid path; one trailing '/'
// is dropped.
Result<std::string> normalizePrefix(std::string_view prefix, std::string_view field);

}  // namespace vantus::controller

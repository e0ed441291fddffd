#include "controller/history/tree_path.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace vantus::controller {

namespace {

bool isDotGit(std::string_view component) {
  return component.size() == 4 &&
         std::equal(component.begin(), component.end(), ".git", [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

}  // namespace

Result<void> validateTreePath(std::string_view path, std::string_view field) {
  auto invalid = [&](std::string_view why) {
    return fail(ErrorCode::kInvalidInput, fmt::format("path {:?} {}", path, why),
                std::string(field));
  };
  if (path.empty()) {
    return invalid("is empty");
  }
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) {
    return invalid("contains NUL or a backslash");
  }
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    std::string_view component = path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (component.empty() || component == "." || component == "..") {
      return invalid("has an empty, \".\" or \"..\" component");
    }
    if (isDotGit(component)) {
      return invalid("has a \".git\" component");
    }
    if (slash == std::string_view::npos) {
      return ok();
    }
    start = slash + 1;
  }
}

Result<std::string> normalizePrefix(std::string_view prefix, std::string_view field) {
  if (!prefix.empty() && prefix.back() == '/') {
    prefix.remove_suffix(1);
  }
  if (prefix.empty()) {
    return std::string();
  }
  VANTUS_TRY_VOID(validateTreePath(prefix, field));
  return std::string(prefix);
}

}  // namespace vantus::controller

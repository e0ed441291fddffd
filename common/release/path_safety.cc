#include "common/release/path_safety.h"

#include <fmt/format.h>

namespace vantus::release {
namespace {

bool isAllowedCharacter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '/' || c == '-';
}

Unexpected unsafe(std::string_view path, std::string_view why) {
  return fail(ErrorCode::kInvalidInput, fmt::format("release path {:?} {}", path, why));
}

}  // namespace

Result<void> checkReleasePath(std::string_view path) {
  if (path.empty()) {
    return fail(ErrorCode::kInvalidInput, "release path is empty");
  }
  if (path.size() > kMaxReleasePathLength) {
    return unsafe(path.substr(0, 64),
                  fmt::format("(truncated) is longer than {} bytes", kMaxReleasePathLength));
  }
  for (char c : path) {
    if (c == '\\') {
      return unsafe(path, "contains a backslash");
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return unsafe(path, "contains a NUL or control character");
    }
    if (!isAllowedCharacter(c)) {
      return unsafe(path, "contains a character outside [A-Za-z0-9._/-]");
    }
  }
  if (path.front() == '/') {
    return unsafe(path, "is absolute");
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    std::string_view component = path.substr(start, end - start);
    if (component.empty()) {
      return unsafe(path, "has an empty component");
    }
    if (component == "." || component == "..") {
      return unsafe(path, fmt::format("has a {:?} component", component));
    }
    start = end + 1;
  }
  if (path == "local" || path.starts_with("local/")) {
    return unsafe(path, "is under local/, which is reserved for node-local files");
  }
  return ok();
}

}  // namespace vantus::release

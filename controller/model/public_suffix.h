#pragma once
// The Public Suffix List (libpsl: its built-in list or Debian's `publicsuffix` file,
// whichever is newer), so that no tenant claims a name everybody registers under.
// Thread-safe.
#include <string_view>

namespace vantus::controller {

// "com", "co.uk", "github.io", and (by the list's default rule) any unlisted top-level
// label: true. "example.co.uk": false. `name` is lower-case ASCII without a trailing dot.
bool isPublicSuffix(std::string_view name);

}  // namespace vantus::controller

#pragma once
// The one seam to the file system for small files that must survive a crash.
#include <cstddef>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace vantus {

// Writes `content` to `path` through a temporary file in the same directory, fsync of
// the file, rename(2) over `path` and fsync of the directory: after a crash `path` holds
// either the old or the new content, never a mix.
Result<void> writeFileAtomically(const std::string& path, std::string_view content,
                                 unsigned mode = 0644);
// Creates `path` with `mode`; fails with kAlreadyExists if it exists (O_EXCL).
Result<void> writeNewFile(const std::string& path, std::string_view content, unsigned mode);
// Scratch files (a sandbox rebuilt on every run): no fsync, no temp-and-rename, O_NOFOLLOW,
// parents created. After a crash such a file may be empty or cut short.
Result<void> writeScratchFile(const std::string& path, std::string_view content, unsigned mode);
// Creates `path` empty with `mode` unless it exists; the file is not otherwise touched.
Result<void> createFileIfMissing(const std::string& path, unsigned mode);
Result<std::string> readFile(const std::string& path, size_t max_bytes = 64u << 20);
Result<void> fsyncDirectory(const std::string& path);

}  // namespace vantus

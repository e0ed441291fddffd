#include "agent/apply/release_dirs.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/core/files.h"
#include "common/core/unique_fd.h"
#include "common/crypto/encoding.h"
#include "common/crypto/hash.h"
#include "common/crypto/self_signed.h"
#include "common/log/log.h"

namespace vantus::agent {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kStagePrefix = ".stage-";
constexpr std::string_view kLinkPrefix = ".current-";

Unexpected ioError(std::string_view what, const fs::path& path, int error) {
  return fail(ErrorCode::kIo,
              fmt::format("cannot {} {}: {}", what, path.string(), std::strerror(error)));
}

// Regular files only, never through a symlink, never over an existing file. Not synced one
// by one: stage() syncs the whole tree with one syncfs(2) before it renames it into place.
Result<void> writeReleaseFile(const fs::path& path, std::string_view content, mode_t mode) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (!fd) {
    return ioError("create", path, errno);
  }
  size_t offset = 0;
  while (offset < content.size()) {
    ssize_t wrote = ::write(fd.get(), content.data() + offset, content.size() - offset);
    if (wrote < 0 && errno == EINTR) {
      continue;
    }
    if (wrote <= 0) {
      return ioError("write", path, errno);
    }
    offset += static_cast<size_t>(wrote);
  }
  return ok();
}

Result<void> makeDirs(const fs::path& dir) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) {
    return fail(ErrorCode::kIo, fmt::format("cannot create {}: {}", dir.string(), error.message()));
  }
  return ok();
}

Result<std::string> randomSuffix() {
  VANTUS_TRY(std::string bytes, crypto::randomBytes(6));
  return crypto::hexEncode(bytes);
}

// One syncfs(2) for the file system holding `root`: a release is a handful of files, and one
// journal flush costs less than an fsync per file and directory.
Result<void> syncTree(const fs::path& root) {
  UniqueFd fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) {
    return ioError("open", root, errno);
  }
  if (::syncfs(fd.get()) != 0) {
    return ioError("sync", root, errno);
  }
  return ok();
}

}  // namespace

std::string DriftReport::describe() const {
  std::vector<std::string> parts;
  auto add = [&parts](std::string_view label, const std::vector<std::string>& paths) {
    if (paths.empty()) {
      return;
    }
    std::string text = fmt::format("{} {}", paths.size(), label);
    for (size_t i = 0; i < std::min<size_t>(paths.size(), 5); ++i) {
      text += (i == 0 ? ": " : ", ") + paths[i];
    }
    parts.push_back(text);
  };
  add("modified", modified);
  add("missing", missing);
  add("unexpected", unexpected);
  if (!repointed.empty()) {
    parts.push_back("current points at " + repointed);
  }
  std::string out;
  for (const std::string& part : parts) {
    out += (out.empty() ? "" : "; ") + part;
  }
  return out.empty() ? "no drift" : out;
}

ReleaseDirs::ReleaseDirs(fs::path releases, fs::path current, fs::path tls_dir)
    : releases_(std::move(releases)), current_(std::move(current)), tls_dir_(std::move(tls_dir)) {}

Result<std::string> ReleaseDirs::stage(const release::VerifiedRelease& verified,
                                       const nginx::NginxLocalSettings& local) {
  VANTUS_TRY_VOID(makeDirs(releases_));
  VANTUS_TRY(std::string suffix, randomSuffix());
  const fs::path staging = releases_ / (std::string(kStagePrefix) + suffix);
  const std::string name = fmt::format("{}-{}", verified.manifest.version, suffix);
  auto staged = [&]() -> Result<void> {
    VANTUS_TRY_VOID(makeDirs(staging));
    std::set<std::string> tls_paths;
    for (const release::BundleFile& file : verified.files) {
      const fs::path target = staging / file.path;
      VANTUS_TRY_VOID(makeDirs(target.parent_path()));
      VANTUS_TRY_VOID(writeReleaseFile(target, file.content, 0644));
      nginx::collectTlsPaths(file.content, tls_paths);
    }
    VANTUS_TRY(std::vector<nginx::LocalFile> local_files, nginx::renderLocalFiles(local));
    for (const nginx::LocalFile& file : local_files) {
      VANTUS_TRY_VOID(makeDirs((staging / file.path).parent_path()));
      VANTUS_TRY_VOID(writeReleaseFile(staging / file.path, file.content, 0644));
    }
    std::optional<crypto::SelfSignedCertificate> placeholder;
    for (const std::string& path : tls_paths) {
      const bool key = path.ends_with(".key");
      const fs::path provided =
          tls_dir_.empty() ? fs::path() : tls_dir_ / fs::path(path).filename();
      std::string content;
      if (!provided.empty() && fs::exists(provided)) {
        VANTUS_TRY(content, readFile(provided.string(), 1 << 20));
      } else {
        if (!placeholder) {
          VANTUS_TRY(placeholder, crypto::makeSelfSignedCertificate("vantus-placeholder",
                                                                    {"placeholder.invalid"}, 30));
          log::warn("tls.placeholder_certificate",
                    {{"path", path},
                     {"tls_dir", tls_dir_.string()},
                     {"hint", "put <slug>.crt and <slug>.key into nginx.tls_dir"}});
        }
        content = key ? placeholder->key_pem : placeholder->cert_pem;
      }
      VANTUS_TRY_VOID(makeDirs((staging / path).parent_path()));
      VANTUS_TRY_VOID(writeReleaseFile(staging / path, content, key ? 0600 : 0644));
    }
    VANTUS_TRY_VOID(syncTree(staging));
    if (::rename(staging.c_str(), (releases_ / name).c_str()) != 0) {
      return ioError("rename", staging, errno);
    }
    return fsyncDirectory(releases_.string());
  }();
  if (!staged) {
    std::error_code ignored;
    fs::remove_all(staging, ignored);
    return fail(std::move(staged).error());
  }
  return name;
}

Result<void> ReleaseDirs::pointCurrentAt(const std::string& name) {
  VANTUS_TRY(std::string suffix, randomSuffix());
  const fs::path link = current_.parent_path() / (std::string(kLinkPrefix) + suffix);
  const fs::path target = fs::relative(releases_, current_.parent_path()) / name;
  if (::symlink(target.c_str(), link.c_str()) != 0) {
    return ioError("create symlink", link, errno);
  }
  if (::rename(link.c_str(), current_.c_str()) != 0) {
    int saved = errno;
    ::unlink(link.c_str());
    return ioError("swap", current_, saved);
  }
  return fsyncDirectory(current_.parent_path().string());
}

Result<void> ReleaseDirs::removeCurrent() {
  if (::unlink(current_.c_str()) != 0 && errno != ENOENT) {
    return ioError("remove", current_, errno);
  }
  return fsyncDirectory(current_.parent_path().string());
}

std::optional<std::string> ReleaseDirs::currentTarget() const {
  std::error_code error;
  fs::path target = fs::read_symlink(current_, error);
  if (error) {
    return std::nullopt;
  }
  std::string name = target.filename().string();
  if (target.parent_path().filename() != releases_.filename() || name.empty() ||
      name.starts_with(".")) {
    return std::nullopt;
  }
  return name;
}

bool ReleaseDirs::exists(const std::string& name) const {
  std::error_code error;
  return !name.empty() && fs::is_directory(releases_ / name, error);
}

Result<void> ReleaseDirs::remove(const std::string& name) {
  std::error_code error;
  fs::remove_all(releases_ / name, error);
  if (error) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot remove {}: {}", (releases_ / name).string(), error.message()));
  }
  return ok();
}

std::size_t ReleaseDirs::removeLeftovers() {
  std::size_t removed = 0;
  std::error_code error;
  for (const fs::path& dir : {releases_, current_.parent_path()}) {
    for (auto it = fs::directory_iterator(dir, error); !error && it != fs::directory_iterator();
         it.increment(error)) {
      const std::string name = it->path().filename().string();
      if (name.starts_with(kStagePrefix) || name.starts_with(kLinkPrefix)) {
        std::error_code ignored;
        fs::remove_all(it->path(), ignored);
        ++removed;
      }
    }
  }
  return removed;
}

void ReleaseDirs::prune(std::size_t keep, const std::set<std::string>& protect) {
  struct Entry {
    fs::file_time_type time;
    std::string name;
  };
  std::vector<Entry> entries;
  std::error_code error;
  for (auto it = fs::directory_iterator(releases_, error); !error && it != fs::directory_iterator();
       it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (!name.starts_with(".") && it->is_directory()) {
      entries.push_back({it->last_write_time(), name});
    }
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.time > b.time; });
  std::size_t kept = 0;
  for (const Entry& entry : entries) {
    if (protect.contains(entry.name) || kept < keep) {
      ++kept;
      continue;
    }
    if (auto removed = remove(entry.name); !removed) {
      log::warn("release.prune_failed", {{"error", removed.error().describe()}});
    }
  }
}

Result<DriftReport> ReleaseDirs::drift(const std::string& name,
                                       const release::Manifest& manifest) const {
  const fs::path root = releases_ / name;
  DriftReport report;
  std::set<std::string> expected;
  for (const release::ManifestFile& file : manifest.files) {
    expected.insert(file.path);
    const fs::path path = root / file.path;
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) {
      report.missing.push_back(file.path);
      continue;
    }
    if (!S_ISREG(info.st_mode) || static_cast<std::uint64_t>(info.st_size) != file.size) {
      report.modified.push_back(file.path);
      continue;
    }
    auto hash = crypto::sha256HexOfFile(path.string());
    if (!hash || *hash != file.sha256) {
      report.modified.push_back(file.path);
    }
  }
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(root, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    // lexically: fs::relative would resolve a planted symlink to its target's path.
    const std::string relative = it->path().lexically_relative(root).string();
    if (relative == "local") {
      it.disable_recursion_pending();
      continue;
    }
    const bool link = it->is_symlink(error);
    if (link || (!it->is_directory(error) && !expected.contains(relative))) {
      if (std::find(report.modified.begin(), report.modified.end(), relative) ==
          report.modified.end()) {
        report.unexpected.push_back(relative);
      }
    }
  }
  if (error) {
    return fail(ErrorCode::kIo, fmt::format("cannot read {}: {}", root.string(), error.message()));
  }
  return report;
}

}  // namespace vantus::agent

#include "controller/deploy/precheck.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "common/core/files.h"
#include "common/crypto/hash.h"
#include "common/crypto/self_signed.h"
#include "common/nginx/local_conf.h"
#include "common/release/path_safety.h"
#include "controller/model/validate.h"

namespace vantus::controller {

namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxMessageBytes = 4096;
constexpr int kCertificateDays = 3650;

class SkippedPrecheck : public Precheck {
 public:
  Result<void> check(std::string_view, const std::vector<ClusterFile>&) override { return ok(); }
  bool active() const override { return false; }
};

void replaceAll(std::string& text, std::string_view from, std::string_view to) {
  if (from.empty()) {
    return;
  }
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

std::string trimmedMessage(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  if (text.size() <= kMaxMessageBytes) {
    return text;
  }
  size_t cut = text.rfind('\n', kMaxMessageBytes);
  text.resize(cut == std::string::npos || cut == 0 ? kMaxMessageBytes : cut);
  return text + "\n[... more output cut]";
}

// What this object last wrote into one cluster's sandbox.
struct Sandbox {
  fs::path root;     // nginx's prefix; error.log lives here
  fs::path release;  // root/release: the cluster dir, run with -c release/nginx.conf
  std::unordered_map<std::string, std::string> written;  // path -> sha256 of its content
  // The repository tree the sandbox holds under `undo`'s changes; nullopt when unknown.
  std::optional<std::string> base_tree;
  // What the last checkChanges() replaced: path -> previous content (nullopt: was absent).
  std::map<std::string, std::optional<std::string>> undo;
};

class NginxPrecheck : public Precheck {
 public:
  NginxPrecheck(NginxPrecheckOptions options, ProcessRunner& runner)
      : options_(std::move(options)), runner_(runner) {}

  Result<void> check(std::string_view cluster, const std::vector<ClusterFile>& files) override {
    std::lock_guard lock(mutex_);
    VANTUS_TRY_VOID(validateCluster(cluster));
    VANTUS_TRY_VOID(validatePaths(files));
    if (std::none_of(files.begin(), files.end(),
                     [](const ClusterFile& file) { return file.path == "nginx.conf"; })) {
      return noMainConfig(cluster);
    }
    VANTUS_TRY(Sandbox * sandbox, loaded(cluster, files));
    sandbox->base_tree.reset();
    return runNginx(std::string(cluster), *sandbox);
  }

  Result<void> checkChanges(std::string_view cluster, std::string_view base_tree,
                            const std::vector<ClusterFileChange>& changes,
                            const ClusterTreeLoader& load_base) override {
    std::lock_guard lock(mutex_);
    VANTUS_TRY_VOID(validateCluster(cluster));
    VANTUS_TRY_VOID(validatePaths(changes));
    const std::string name(cluster);
    Sandbox* sandbox = nullptr;
    if (auto found = sandboxes_.find(name);
        found != sandboxes_.end() && found->second.base_tree == base_tree) {
      sandbox = &found->second;
      if (Result<void> undone = undo(*sandbox); !undone) {
        sandboxes_.erase(found);
        return undone;
      }
    } else {
      VANTUS_TRY(std::vector<ClusterFile> files, load_base());
      VANTUS_TRY_VOID(validatePaths(files));
      VANTUS_TRY(sandbox, loaded(cluster, files));
      sandbox->base_tree = std::string(base_tree);
    }
    if (Result<void> applied = apply(*sandbox, changes); !applied) {
      sandboxes_.erase(name);
      return applied;
    }
    if (!sandbox->written.contains("nginx.conf")) {
      return noMainConfig(cluster);
    }
    return runNginx(name, *sandbox);
  }

  void committed(std::string_view cluster, std::string_view base_tree,
                 std::string_view new_tree) override {
    std::lock_guard lock(mutex_);
    auto found = sandboxes_.find(std::string(cluster));
    if (found != sandboxes_.end() && found->second.base_tree == base_tree) {
      found->second.base_tree = std::string(new_tree);
      found->second.undo.clear();
    }
  }

 private:
  Result<void> validateCluster(std::string_view cluster) const {
    if (auto slug = parseSlug(cluster, "cluster"); !slug) {
      return fail(slug.error());
    }
    if (options_.work_dir.empty()) {
      return fail(ErrorCode::kFailedPrecondition, "the pre-check has no work directory");
    }
    return ok();
  }

  template <typename File>
  static Result<void> validatePaths(const std::vector<File>& files) {
    std::set<std::string_view> seen;
    for (const File& file : files) {
      if (Result<void> safe = release::checkReleasePath(file.path); !safe) {
        return fail(ErrorCode::kInvalidInput, safe.error().message, file.path);
      }
      if (!seen.insert(file.path).second) {
        return fail(ErrorCode::kInvalidInput, "the path is listed twice", file.path);
      }
    }
    return ok();
  }

  static Unexpected noMainConfig(std::string_view cluster) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("cluster {:?} has no nginx.conf to test", cluster));
  }

  // The cluster's sandbox holding exactly `files` (plus node-local files and certificates).
  Result<Sandbox*> loaded(std::string_view cluster, const std::vector<ClusterFile>& files) {
    std::string name(cluster);
    auto found = sandboxes_.find(name);
    if (found == sandboxes_.end()) {
      VANTUS_TRY(Sandbox fresh, createSandbox(name));
      found = sandboxes_.emplace(name, std::move(fresh)).first;
    }
    found->second.undo.clear();
    if (Result<void> synced = sync(found->second, files); !synced) {
      // The sandbox is in an unknown state: the next check starts from scratch.
      sandboxes_.erase(found);
      return fail(synced.error());
    }
    return &found->second;
  }

  Result<void> writeTracked(Sandbox& sandbox, const std::string& path, std::string_view content,
                            mode_t mode) {
    // Scratch: 10,000 fsyncs would dominate the first check of a big cluster.
    VANTUS_TRY_VOID(writeScratchFile((sandbox.release / path).string(), content, mode));
    sandbox.written[path] = crypto::sha256(content);
    return ok();
  }

  Result<void> removeTracked(Sandbox& sandbox, const std::string& path) {
    std::error_code error;
    fs::remove(sandbox.release / path, error);
    if (error) {
      return fail(ErrorCode::kIo, fmt::format("cannot delete {} in the pre-check sandbox: {}", path,
                                              error.message()));
    }
    sandbox.written.erase(path);
    return ok();
  }

  // Puts back what the previous checkChanges() replaced.
  Result<void> undo(Sandbox& sandbox) {
    for (const auto& [path, previous] : sandbox.undo) {
      if (!previous) {
        VANTUS_TRY_VOID(removeTracked(sandbox, path));
      }
    }
    for (const auto& [path, previous] : sandbox.undo) {
      if (previous) {
        VANTUS_TRY_VOID(writeTracked(sandbox, path, *previous, 0644));
      }
    }
    sandbox.undo.clear();
    return ok();
  }

  // Applies `changes`, remembering what each replaced; certificates a changed file references
  // are added (unused ones cost nothing and go at the next full load).
  Result<void> apply(Sandbox& sandbox, const std::vector<ClusterFileChange>& changes) {
    auto remember = [&](const std::string& path) -> Result<void> {
      if (sandbox.undo.contains(path)) {
        return ok();
      }
      std::optional<std::string> previous;
      if (sandbox.written.contains(path)) {
        VANTUS_TRY(previous, readFile((sandbox.release / path).string()));
      }
      sandbox.undo.emplace(path, std::move(previous));
      return ok();
    };
    // Deletions first: a removed file may stand where a new directory goes.
    for (const ClusterFileChange& change : changes) {
      if (!change.content && sandbox.written.contains(change.path)) {
        VANTUS_TRY_VOID(remember(change.path));
        VANTUS_TRY_VOID(removeTracked(sandbox, change.path));
      }
    }
    std::set<std::string> tls_paths;
    for (const ClusterFileChange& change : changes) {
      if (!change.content) {
        continue;
      }
      VANTUS_TRY_VOID(remember(change.path));
      VANTUS_TRY_VOID(writeTracked(sandbox, change.path, *change.content, 0644));
      nginx::collectTlsPaths(*change.content, tls_paths);
    }
    for (const std::string& path : tls_paths) {
      if (sandbox.written.contains(path)) {
        continue;
      }
      VANTUS_TRY(const crypto::SelfSignedCertificate* shared, certificate());
      const bool key = path.ends_with(".key");
      VANTUS_TRY_VOID(writeTracked(sandbox, path, key ? shared->key_pem : shared->cert_pem,
                                   static_cast<mode_t>(key ? 0600 : 0644)));
    }
    return ok();
  }

  Result<Sandbox> createSandbox(const std::string& cluster) const {
    std::error_code error;
    fs::path work_dir = fs::absolute(options_.work_dir, error);
    if (error) {
      return fail(ErrorCode::kIo, fmt::format("cannot resolve {}: {}", options_.work_dir.string(),
                                              error.message()));
    }
    Sandbox sandbox;
    sandbox.root = work_dir.lexically_normal() / cluster;
    sandbox.release = sandbox.root / "release";
    // A sandbox left by an earlier process may hold files this object does not know of.
    fs::remove_all(sandbox.root, error);
    fs::path runtime = sandbox.root / "run";
    if (!error) {
      fs::create_directories(sandbox.release, error);
    }
    if (!error) {
      fs::create_directories(runtime, error);
    }
    if (error) {
      return fail(ErrorCode::kIo, fmt::format("cannot prepare the pre-check sandbox {}: {}",
                                              sandbox.root.string(), error.message()));
    }
    Result<void> local = nginx::writeLocalFiles(sandbox.release, localSettings(runtime));
    if (!local && local.error().field == "runtime_dir") {
      // A long work_dir plus a 63-character cluster name can pass the unix socket path
      // bound of the runtime dir; a short hashed name next to the sandboxes still fits.
      runtime = work_dir.lexically_normal() / (".run-" + crypto::sha256Hex(cluster).substr(0, 12));
      fs::create_directories(runtime, error);
      local = nginx::writeLocalFiles(sandbox.release, localSettings(runtime));
    }
    if (!local) {
      return fail(ErrorCode::kIo,
                  fmt::format("cannot write the pre-check sandbox's node-local files: {}",
                              local.error().describe()));
    }
    return sandbox;
  }

  // nginx -t binds nothing, so any loopback ports do; an HTTPS address makes the TLS
  // servers part of the test like on a node that serves HTTPS.
  static nginx::NginxLocalSettings localSettings(const fs::path& runtime) {
    nginx::NginxLocalSettings settings;
    settings.runtime_dir = runtime.string();
    settings.http_listen = {"127.0.0.1:1"};
    settings.https_listen = {"127.0.0.1:2"};
    settings.status_listen = "127.0.0.1:3";
    return settings;
  }

  Result<const crypto::SelfSignedCertificate*> certificate() {
    if (!certificate_) {
      VANTUS_TRY(certificate_, crypto::makeSelfSignedCertificate(
                                   "vantus-precheck", {"precheck.invalid"}, kCertificateDays));
    }
    return &*certificate_;
  }

  Result<void> sync(Sandbox& sandbox, const std::vector<ClusterFile>& files) {
    struct Wanted {
      std::string_view content;
      mode_t mode;
    };
    std::map<std::string_view, Wanted> wanted;
    std::set<std::string> tls_paths;
    for (const ClusterFile& file : files) {
      wanted.emplace(file.path, Wanted{file.content, 0644});
      nginx::collectTlsPaths(file.content, tls_paths);
    }
    if (!tls_paths.empty()) {
      VANTUS_TRY(const crypto::SelfSignedCertificate* shared, certificate());
      for (const std::string& path : tls_paths) {
        bool key = path.ends_with(".key");
        wanted.emplace(path, Wanted{key ? shared->key_pem : shared->cert_pem,
                                    static_cast<mode_t>(key ? 0600 : 0644)});
      }
    }
    // Deletions first: a removed file may stand where a new directory goes.
    for (auto it = sandbox.written.begin(); it != sandbox.written.end();) {
      if (wanted.contains(it->first)) {
        ++it;
        continue;
      }
      std::error_code error;
      fs::remove(sandbox.release / it->first, error);
      if (error) {
        return fail(ErrorCode::kIo, fmt::format("cannot delete {} in the pre-check sandbox: {}",
                                                it->first, error.message()));
      }
      it = sandbox.written.erase(it);
    }
    for (const auto& [path, file] : wanted) {
      std::string digest = crypto::sha256(file.content);
      auto known = sandbox.written.find(std::string(path));
      if (known != sandbox.written.end() && known->second == digest) {
        continue;
      }
      VANTUS_TRY_VOID(writeScratchFile((sandbox.release / path).string(), file.content, file.mode));
      sandbox.written[std::string(path)] = std::move(digest);
    }
    return ok();
  }

  Result<void> runNginx(const std::string& cluster, const Sandbox& sandbox) {
    ProcessSpec spec;
    spec.argv = {options_.nginx_binary,
                 "-t",
                 "-q",
                 "-p",
                 sandbox.root.string() + "/",
                 "-e",
                 (sandbox.root / "error.log").string(),
                 "-c",
                 (sandbox.release / "nginx.conf").string()};
    spec.timeout = options_.timeout;
    spec.max_output_bytes = 64 * 1024;
    auto output = runner_.run(spec);
    if (!output) {
      return fail(ErrorCode::kUnavailable,
                  fmt::format("cannot run the pre-check: {}", output.error().message));
    }
    if (output->timed_out) {
      return fail(ErrorCode::kUnavailable,
                  fmt::format("the pre-check of cluster {:?} was stopped: nginx -t did not "
                              "finish within {} ms",
                              cluster, options_.timeout.count()));
    }
    if (output->exit_code == 0) {
      return ok();
    }
    std::string message = output->stderr_text.empty() ? output->stdout_text : output->stderr_text;
    if (message.find_first_not_of(" \n") == std::string::npos) {
      message = fmt::format("nginx -t failed with exit code {} and no message", output->exit_code);
    }
    // Paths as the user knows them from the config repository, not the scratch dir.
    replaceAll(message, sandbox.release.string() + "/", fmt::format("clusters/{}/", cluster));
    replaceAll(message, sandbox.root.string(), "[pre-check sandbox]");
    replaceAll(message, sandbox.root.parent_path().string() + "/", "[pre-check sandbox]/");
    return fail(ErrorCode::kFailedPrecondition, trimmedMessage(std::move(message)));
  }

  const NginxPrecheckOptions options_;
  ProcessRunner& runner_;
  std::mutex mutex_;
  std::map<std::string, Sandbox> sandboxes_;
  std::optional<crypto::SelfSignedCertificate> certificate_;
};

}  // namespace

Result<void> Precheck::checkChanges(std::string_view cluster, std::string_view,
                                    const std::vector<ClusterFileChange>& changes,
                                    const ClusterTreeLoader& load_base) {
  VANTUS_TRY(std::vector<ClusterFile> base, load_base());
  std::map<std::string, std::string> tree;
  for (ClusterFile& file : base) {
    tree.emplace(std::move(file.path), std::move(file.content));
  }
  for (const ClusterFileChange& change : changes) {
    if (change.content) {
      tree[change.path] = *change.content;
    } else {
      tree.erase(change.path);
    }
  }
  std::vector<ClusterFile> files;
  files.reserve(tree.size());
  for (auto& [path, content] : tree) {
    files.push_back(ClusterFile{path, std::move(content)});
  }
  return check(cluster, files);
}

std::unique_ptr<Precheck> makeNginxPrecheck(NginxPrecheckOptions options, ProcessRunner& runner) {
  return std::make_unique<NginxPrecheck>(std::move(options), runner);
}

std::unique_ptr<Precheck> makeSkippedPrecheck() { return std::make_unique<SkippedPrecheck>(); }

}  // namespace vantus::controller

#pragma once
// The deployment pre-check: `nginx -t` over a cluster's complete rendered tree before it is
// committed. Thread-safe: check() calls on one object are serialised.
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "common/process/process_runner.h"

namespace vantus::controller {

struct ClusterFile {
  std::string path;  // relative to the cluster dir: "nginx.conf", "tenants/ab/acme.conf"
  std::string content;
};

// One file of a change set, relative to the cluster dir; nullopt content deletes it.
struct ClusterFileChange {
  std::string path;
  std::optional<std::string> content;
};

// The cluster's whole tree at the base of a check, read only when the pre-check needs it.
using ClusterTreeLoader = std::function<Result<std::vector<ClusterFile>>()>;

class Precheck {
 public:
  virtual ~Precheck() = default;
  // Tests the cluster's complete rendered tree (nginx.conf at the root) with `nginx -t`.
  // kFailedPrecondition with nginx's message when it is refused, file names reading
  // "clusters/<cluster>/tenants/ab/acme.conf:12". kInvalidInput for a cluster that is not a
  // slug, a path that is not a release path (common/release/path_safety.h, so nothing under
  // local/), a duplicate path or a tree without nginx.conf. kUnavailable when nginx cannot
  // be run or does not finish in time; kIo when the sandbox cannot be written.
  virtual Result<void> check(std::string_view cluster, const std::vector<ClusterFile>& files) = 0;
  // As check() on the tree `base_tree` names (the cluster's tree id in the repository, "" for
  // none) with `changes` applied. `load_base` gives that tree; it is called only when this
  // object does not hold it already (the default implementation always calls it). Errors as
  // check(), plus those of `load_base`.
  virtual Result<void> checkChanges(std::string_view cluster, std::string_view base_tree,
                                    const std::vector<ClusterFileChange>& changes,
                                    const ClusterTreeLoader& load_base);
  // The changes last checked for `cluster` on `base_tree` were committed and the cluster's tree
  // is now `new_tree`; a later checkChanges() on `new_tree` starts from them.
  virtual void committed(std::string_view /*cluster*/, std::string_view /*base_tree*/,
                         std::string_view /*new_tree*/) {}
  // False for the skipped pre-check, so callers need not assemble a tree nobody reads.
  virtual bool active() const { return true; }
};

struct NginxPrecheckOptions {
  std::string nginx_binary = "/usr/sbin/nginx";
  std::filesystem::path work_dir;  // holds one sandbox per cluster: <work_dir>/<cluster>/
  std::chrono::milliseconds timeout{120000};
};

// Keeps a persistent sandbox per cluster under `work_dir`: the first check of a cluster by
// this object clears its sandbox and writes everything; later checks write only the files
// whose content changed and delete those no longer present, so a one-tenant deployment in a
// 10,000-tenant cluster writes one file. checkChanges() on the tree the sandbox holds (the one
// last loaded, or the one committed() named) undoes the previous check's changes and writes
// only the new ones, without reading or hashing the rest of the tree. The sandbox also gets the
// node-local files (common/nginx/local_conf.h; loopback addresses, nothing is bound) and, for every
// `local/tls/<slug>.crt` / `.key` the tree references, one self-signed P-256 certificate
// made once per object. Files changed behind the object's back are not noticed.
// `runner` must outlive the returned object.
std::unique_ptr<Precheck> makeNginxPrecheck(NginxPrecheckOptions options, ProcessRunner& runner);

// For hosts without nginx: every check passes.
std::unique_ptr<Precheck> makeSkippedPrecheck();

}  // namespace vantus::controller

#pragma once
// Applies verified releases exactly as DESIGN §7: stage -> `nginx -t` on the staged tree ->
// swap `current` -> reload -> confirm the new version -> probe every tenant name -> commit
// state.json. On any failure after the swap the previous release is put back, nginx is
// reloaded onto it and its version confirmed again. state.json changes only after a release
// answered every check, so a kill -9 at any step is undone by reconcile() at the next start.
// Agent thread only.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "agent/apply/edge_nginx.h"
#include "agent/apply/edge_prober.h"
#include "agent/apply/release_dirs.h"
#include "agent/state/agent_state.h"
#include "common/core/result.h"
#include "common/nginx/local_conf.h"
#include "common/release/node_report.h"
#include "common/release/verifier.h"

namespace vantus::agent {

struct ApplyOutcome {
  release::ApplyResult result = release::ApplyResult::kFailed;
  std::uint64_t version = 0;  // the release the attempt was about
  std::string digest{};
  std::string reason{};
  std::string nginx_output{};
  std::uint64_t serving_version = 0;
  std::map<std::string, std::int64_t> timings_ms{};
};

// The receipt `node` of `cluster` signs for this outcome, made at `at` (unix seconds).
release::Receipt receiptOf(const ApplyOutcome& outcome, const std::string& node,
                           const std::string& cluster, std::int64_t at);

// The serving release's kept bundle, verified as of the moment it was applied: it may have
// expired since, and expiry is the controller's alarm, not a reason to forget what serves.
struct KeptBundle {
  std::string bytes;
  release::VerifiedRelease verified;
};
Result<KeptBundle> loadKeptBundle(const AgentLayout& layout, const AgentState& state,
                                  const release::Keyring& keyring);

// What differs under releases/<state.release> from `manifest`, and whether `current` points
// elsewhere.
Result<DriftReport> servingDrift(const ReleaseDirs& dirs, const AgentState& state,
                                 const release::Manifest& manifest);

struct ApplierOptions {
  nginx::NginxLocalSettings local;  // release_version is set per release
  std::filesystem::path tls_dir;    // tenant certificates; empty = placeholders
  std::size_t keep_releases = 5;
  std::chrono::milliseconds reload_confirm_timeout{15000};
  // Test hook: "after-stage", "after-swap" or "after-reload" makes the process kill itself
  // with SIGKILL at that point (VANTUS_AGENT_FAULT), to prove crash safety.
  std::string crash_at{};
};

class Applier {
 public:
  // `keyring` verifies the kept bundle again before a repair.
  Applier(const AgentLayout& layout, ApplierOptions options, const release::Keyring& keyring,
          EdgeNginx& nginx, EdgeProber& prober, std::function<std::int64_t()> clock);

  // Loads state.json, removes leftovers of a crash (stage dirs, temporary symlinks, every kept
  // bundle but the serving release's), points `current` back at the trusted release if a
  // swap was not confirmed, and makes sure nginx runs that release.
  Result<void> reconcile();

  // `verified` must come from verifyBundle with min_version = state().version and serving =
  // servingManifest(), as BundleDelivery (the one caller outside tests) verifies it. A bundle
  // of the serving version with the same files (a re-signed release) only updates the state.
  ApplyOutcome apply(const release::VerifiedRelease& verified, std::string_view bundle_bytes);

  // Compares current/ with the serving release's manifest.
  Result<DriftReport> checkDrift();
  // Re-applies the serving release from its kept bundle (result kRepaired on success).
  ApplyOutcome repair();

  // Records a rejected bundle (verification failed) in the state.
  void recordRejection(const std::string& digest, const std::string& reason);

  const AgentState& state() const { return state_; }
  Result<void> setUndeliveredReceipt(std::string envelope);
  // The serving release's manifest, when one serves.
  const std::optional<release::Manifest>& servingManifest() const { return serving_manifest_; }

 private:
  ApplyOutcome run(const release::VerifiedRelease& verified, std::string_view bundle_bytes,
                   bool repair);
  Result<void> rollBack(const std::string& failed_name, ApplyOutcome& outcome);
  Result<void> loadServingManifest();
  // Returns how many were removed.
  std::size_t removeStaleBundles();
  void crashPoint(std::string_view point) const;
  void record(const ApplyOutcome& outcome);
  std::filesystem::path currentConf() const { return layout_.current / "nginx.conf"; }
  std::filesystem::path bundlePath(const std::string& digest) const {
    return layout_.bundles / (digest + ".bundle");
  }

  AgentLayout layout_;
  ApplierOptions options_;
  const release::Keyring& keyring_;
  EdgeNginx& nginx_;
  EdgeProber& prober_;
  std::function<std::int64_t()> clock_;
  ReleaseDirs dirs_;
  AgentState state_;
  std::optional<release::Manifest> serving_manifest_;
};

}  // namespace vantus::agent

#include "agent/apply/applier.h"

#include <fmt/format.h>
#include <signal.h>

#include "common/core/files.h"
#include "common/log/log.h"

namespace vantus::agent {
namespace {

using release::ApplyResult;
using Clock = std::chrono::steady_clock;

std::int64_t millisSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

std::vector<std::pair<std::string, std::string>> filePairs(
    const release::VerifiedRelease& verified) {
  std::vector<std::pair<std::string, std::string>> pairs;
  pairs.reserve(verified.files.size());
  for (const release::BundleFile& file : verified.files) {
    pairs.emplace_back(file.path, file.content);
  }
  return pairs;
}

}  // namespace

release::Receipt receiptOf(const ApplyOutcome& outcome, const std::string& node,
                           const std::string& cluster, std::int64_t at) {
  return release::Receipt{.node = node,
                          .cluster = cluster,
                          .version = outcome.version,
                          .digest = outcome.digest,
                          .result = outcome.result,
                          .reason = outcome.reason,
                          .nginx_output = outcome.nginx_output,
                          .serving_version = outcome.serving_version,
                          .timings_ms = outcome.timings_ms,
                          .at = at};
}

Result<KeptBundle> loadKeptBundle(const AgentLayout& layout, const AgentState& state,
                                  const release::Keyring& keyring) {
  KeptBundle kept;
  VANTUS_TRY(kept.bytes,
             readFile((layout.bundles / (state.digest + ".bundle")).string(), 256u << 20));
  release::VerifyPolicy policy{.min_version = state.version, .now = state.applied_at};
  auto verified = release::verifyBundle(kept.bytes, keyring, policy);
  if (!verified) {
    return fail(verified.error().code,
                "the kept bundle does not verify: " + verified.error().describe());
  }
  kept.verified = std::move(*verified);
  return kept;
}

Result<DriftReport> servingDrift(const ReleaseDirs& dirs, const AgentState& state,
                                 const release::Manifest& manifest) {
  VANTUS_TRY(DriftReport report, dirs.drift(state.release, manifest));
  if (std::optional<std::string> target = dirs.currentTarget(); target != state.release) {
    report.repointed = target.value_or("(nothing)");
  }
  return report;
}

Applier::Applier(const AgentLayout& layout, ApplierOptions options, const release::Keyring& keyring,
                 EdgeNginx& nginx, EdgeProber& prober, std::function<std::int64_t()> clock)
    : layout_(layout),
      options_(std::move(options)),
      keyring_(keyring),
      nginx_(nginx),
      prober_(prober),
      clock_(std::move(clock)),
      dirs_(layout.releases, layout.current, options_.tls_dir) {}

void Applier::crashPoint(std::string_view point) const {
  if (options_.crash_at == point) {
    log::warn("agent.fault_injected", {{"point", point}});
    ::raise(SIGKILL);
  }
}

Result<void> Applier::loadServingManifest() {
  serving_manifest_.reset();
  if (state_.digest.empty()) {
    return ok();
  }
  VANTUS_TRY(KeptBundle kept, loadKeptBundle(layout_, state_, keyring_));
  serving_manifest_ = std::move(kept.verified.manifest);
  return ok();
}

Result<void> Applier::reconcile() {
  VANTUS_TRY(state_, loadAgentState(layout_.state));
  if (std::size_t removed = dirs_.removeLeftovers(); removed > 0) {
    log::warn("agent.leftovers_removed", {{"count", removed}});
  }
  if (std::size_t removed = removeStaleBundles(); removed > 0) {
    log::warn("agent.stale_bundles_removed", {{"count", removed}, {"kept", state_.digest}});
  }
  if (auto loaded = loadServingManifest(); !loaded) {
    log::error("agent.serving_bundle_unreadable", {{"error", loaded.error().describe()}});
  }
  const std::optional<std::string> target = dirs_.currentTarget();
  bool reload = false;
  if (!state_.release.empty() && dirs_.exists(state_.release) && target != state_.release) {
    log::warn("agent.unconfirmed_swap_reverted",
              {{"current", target.value_or("")}, {"trusted", state_.release}});
    VANTUS_TRY_VOID(dirs_.pointCurrentAt(state_.release));
    reload = true;
  } else if (state_.release.empty() && target) {
    // A first release that never passed its checks: nothing older exists to go back to, so
    // it keeps serving (it was verified and passed nginx -t) until the next apply.
    log::warn("agent.unconfirmed_first_release", {{"current", *target}});
  }
  if (!dirs_.currentTarget()) {
    return ok();
  }
  if (!nginx_.running() || reload) {
    VANTUS_TRY_VOID(nginx_.reload(currentConf()));
    if (state_.version > 0) {
      VANTUS_TRY_VOID(prober_.confirmVersion(state_.version, options_.reload_confirm_timeout));
    }
  }
  return ok();
}

std::size_t Applier::removeStaleBundles() {
  // Only the serving release is ever re-applied from its bundle; any other one is what an
  // apply killed between saving it and committing left behind, and a newer apply would
  // never look at it again.
  const std::string kept =
      state_.digest.empty() ? "" : bundlePath(state_.digest).filename().string();
  std::size_t removed = 0;
  std::error_code error;
  for (auto it = std::filesystem::directory_iterator(layout_.bundles, error);
       !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
    if (it->path().filename() == kept) {
      continue;
    }
    std::error_code ignored;
    if (std::filesystem::remove(it->path(), ignored)) {
      ++removed;
    }
  }
  return removed;
}

ApplyOutcome Applier::apply(const release::VerifiedRelease& verified,
                            std::string_view bundle_bytes) {
  const release::Manifest& manifest = verified.manifest;
  if (serving_manifest_ && manifest.version == state_.version &&
      manifest.files == serving_manifest_->files && dirs_.currentTarget() == state_.release) {
    ApplyOutcome outcome{.result = ApplyResult::kApplied,
                         .version = manifest.version,
                         .digest = verified.digest,
                         .serving_version = state_.version};
    auto saved = writeFileAtomically(bundlePath(verified.digest).string(), bundle_bytes, 0600);
    if (saved) {
      const std::string old_digest = state_.digest;
      state_.digest = verified.digest;
      state_.expires_at = manifest.expires_at;
      state_.applied_at = clock_();
      serving_manifest_ = manifest;
      record(outcome);
      if (old_digest != verified.digest) {
        std::error_code ignored;
        std::filesystem::remove(bundlePath(old_digest), ignored);
      }
      log::info("release.renewed",
                {{"version", manifest.version}, {"expires_at", manifest.expires_at}});
      return outcome;
    }
    outcome.result = ApplyResult::kFailed;
    outcome.reason = saved.error().describe();
    record(outcome);
    return outcome;
  }
  return run(verified, bundle_bytes, false);
}

ApplyOutcome Applier::run(const release::VerifiedRelease& verified, std::string_view bundle_bytes,
                          bool repair) {
  const release::Manifest& manifest = verified.manifest;
  ApplyOutcome outcome{.result = ApplyResult::kFailed,
                       .version = manifest.version,
                       .digest = verified.digest,
                       .serving_version = state_.version};
  auto failed = [&](std::string reason) {
    outcome.reason = std::move(reason);
    if (verified.digest != state_.digest) {
      std::error_code ignored;
      std::filesystem::remove(bundlePath(verified.digest), ignored);
    }
    log::error("release.apply_failed", {{"version", manifest.version},
                                        {"result", release::applyResultName(outcome.result)},
                                        {"reason", outcome.reason}});
    record(outcome);
    return outcome;
  };

  auto started = Clock::now();
  if (auto saved = writeFileAtomically(bundlePath(verified.digest).string(), bundle_bytes, 0600);
      !saved) {
    return failed(saved.error().describe());
  }
  nginx::NginxLocalSettings local = options_.local;
  local.release_version = manifest.version;
  auto staged = dirs_.stage(verified, local);
  outcome.timings_ms["stage"] = millisSince(started);
  if (!staged) {
    return failed("staging failed: " + staged.error().describe());
  }
  const std::string name = *staged;
  crashPoint("after-stage");

  started = Clock::now();
  auto tested = nginx_.test(dirs_.pathOf(name) / "nginx.conf");
  outcome.timings_ms["test"] = millisSince(started);
  if (!tested || !tested->passed) {
    outcome.nginx_output = tested ? tested->output : "";
    (void)dirs_.remove(name);
    return failed(tested ? "nginx -t refused the release" : tested.error().describe());
  }

  // nginx -t binds nothing: a port another program holds would fail only the cold start after
  // the swap. Refused here, nothing changed and nothing was applied.
  if (auto startable = nginx_.checkCanStart(); !startable) {
    (void)dirs_.remove(name);
    return failed("nothing was applied: " + startable.error().describe());
  }

  started = Clock::now();
  if (auto swapped = dirs_.pointCurrentAt(name); !swapped) {
    (void)dirs_.remove(name);
    return failed(swapped.error().describe());
  }
  outcome.timings_ms["swap"] = millisSince(started);
  crashPoint("after-swap");

  // From here on the previous release must be put back on any failure.
  auto after_swap = [&]() -> Result<void> {
    auto step = Clock::now();
    VANTUS_TRY_VOID(nginx_.reload(currentConf()));
    outcome.timings_ms["reload"] = millisSince(step);
    crashPoint("after-reload");
    step = Clock::now();
    VANTUS_TRY_VOID(prober_.confirmVersion(manifest.version, options_.reload_confirm_timeout));
    outcome.timings_ms["confirm"] = millisSince(step);
    step = Clock::now();
    VANTUS_TRY_VOID(prober_.probeNames(probeNamesOf(filePairs(verified))));
    outcome.timings_ms["probe"] = millisSince(step);
    return ok();
  }();
  if (!after_swap) {
    outcome.result = ApplyResult::kRolledBack;
    std::string reason = after_swap.error().describe();
    if (auto back = rollBack(name, outcome); !back) {
      // The previous files are back, but nginx did not confirm them: not a rollback.
      outcome.result = ApplyResult::kFailed;
      reason += "; rolling back also failed: " + back.error().describe();
    }
    return failed(reason);
  }

  const std::string previous_digest = state_.digest;
  const std::string previous_release = state_.release;
  state_.version = manifest.version;
  state_.digest = verified.digest;
  state_.release = name;
  state_.expires_at = manifest.expires_at;
  state_.applied_at = clock_();
  serving_manifest_ = manifest;
  outcome.result = repair ? ApplyResult::kRepaired : ApplyResult::kApplied;
  outcome.serving_version = manifest.version;
  record(outcome);
  if (!repair || previous_release != name) {
    std::set<std::string> protect = {name};
    if (!previous_release.empty()) {
      protect.insert(previous_release);
    }
    dirs_.prune(options_.keep_releases, protect);
  }
  std::error_code ignored;
  if (!previous_digest.empty() && previous_digest != verified.digest) {
    // Only the serving release is ever re-applied from its bundle.
    std::filesystem::remove(bundlePath(previous_digest), ignored);
  }
  log::info(repair ? "release.repaired" : "release.applied",
            {{"version", manifest.version}, {"release", name}, {"timings_ms", outcome.timings_ms}});
  return outcome;
}

Result<void> Applier::rollBack(const std::string& failed_name, ApplyOutcome& outcome) {
  auto started = Clock::now();
  if (state_.release.empty() || !dirs_.exists(state_.release)) {
    // A first release failed: there is nothing older to serve.
    VANTUS_TRY_VOID(dirs_.removeCurrent());
    VANTUS_TRY_VOID(nginx_.stop());
    (void)dirs_.remove(failed_name);
    outcome.serving_version = 0;
    return ok();
  }
  VANTUS_TRY_VOID(dirs_.pointCurrentAt(state_.release));
  VANTUS_TRY_VOID(nginx_.reload(currentConf()));
  VANTUS_TRY_VOID(prober_.confirmVersion(state_.version, options_.reload_confirm_timeout));
  (void)dirs_.remove(failed_name);
  outcome.serving_version = state_.version;
  outcome.timings_ms["rollback"] = millisSince(started);
  log::warn("release.rolled_back", {{"to_version", state_.version}, {"release", state_.release}});
  return ok();
}

Result<DriftReport> Applier::checkDrift() {
  if (!serving_manifest_ || state_.release.empty()) {
    return DriftReport{};
  }
  return servingDrift(dirs_, state_, *serving_manifest_);
}

ApplyOutcome Applier::repair() {
  ApplyOutcome outcome{.result = ApplyResult::kFailed,
                       .version = state_.version,
                       .digest = state_.digest,
                       .serving_version = state_.version};
  auto kept = loadKeptBundle(layout_, state_, keyring_);
  if (!kept) {
    outcome.reason = "cannot repair: " + kept.error().describe();
    record(outcome);
    return outcome;
  }
  const std::int64_t applied_at = state_.applied_at;
  ApplyOutcome repaired = run(kept->verified, kept->bytes, true);
  if (repaired.result == ApplyResult::kRepaired) {
    state_.applied_at = applied_at;
    record(repaired);
  }
  return repaired;
}

void Applier::recordRejection(const std::string& digest, const std::string& reason) {
  record(ApplyOutcome{.result = ApplyResult::kRejected,
                      .digest = digest,
                      .reason = reason,
                      .serving_version = state_.version});
}

Result<void> Applier::setUndeliveredReceipt(std::string envelope) {
  state_.undelivered_receipt = std::move(envelope);
  return saveAgentState(layout_.state, state_);
}

void Applier::record(const ApplyOutcome& outcome) {
  state_.last_result = std::string(release::applyResultName(outcome.result));
  state_.last_reason = outcome.reason;
  state_.last_result_at = clock_();
  if (auto saved = saveAgentState(layout_.state, state_); !saved) {
    log::error("agent.state_not_saved", {{"error", saved.error().describe()}});
  }
}

}  // namespace vantus::agent

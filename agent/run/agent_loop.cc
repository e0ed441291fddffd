#include "agent/run/agent_loop.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/core/time.h"
#include "common/log/log.h"
#include "common/release/node_report.h"

namespace vantus::agent {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kMaxBackoff{60000};
constexpr std::chrono::minutes kRetryFailedAfter{10};

}  // namespace

AgentLoop::AgentLoop(const AgentConfig& config, AgentIdentity identity,
                     ControllerClient& controller, Applier& applier,
                     std::function<std::int64_t()> clock,
                     std::function<std::uint64_t()> nginx_restarts)
    : config_(config),
      identity_(std::move(identity)),
      controller_(controller),
      applier_(applier),
      clock_(std::move(clock)),
      nginx_restarts_(std::move(nginx_restarts)),
      delivery_(applier_, identity_.keyring, identity_.enrollment, identity_.node_key, clock_),
      random_(std::random_device{}()) {}

void AgentLoop::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  controller_.cancel();
}

void AgentLoop::sleepFor(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, duration, [this] { return stopping_.load(); });
}

std::chrono::milliseconds AgentLoop::jittered(std::chrono::milliseconds base) {
  std::uniform_real_distribution<double> spread(1.0 - config_.poll_jitter,
                                                1.0 + config_.poll_jitter);
  return std::chrono::milliseconds(
      std::max<std::int64_t>(1, static_cast<std::int64_t>(base.count() * spread(random_))));
}

bool AgentLoop::expired() const {
  const AgentState& state = applier_.state();
  return state.version > 0 && state.expires_at <= clock_();
}

void AgentLoop::run(const std::function<void()>& on_tick) {
  next_heartbeat_ = SteadyClock::now();
  next_drift_check_ = SteadyClock::now() + config_.drift_check_interval;
  while (!stopping_) {
    round();
    on_tick();
  }
}

void AgentLoop::round() {
  deliverUndelivered();
  checkDriftIfDue();
  heartbeatIfDue(false);
  if (stopping_) {
    return;
  }
  if (expired() && !expired_logged_) {
    log::error("release.expired", {{"version", applier_.state().version},
                                   {"expires_at", applier_.state().expires_at},
                                   {"effect", "still serving; waiting for a re-signed release"}});
    expired_logged_ = true;
    heartbeatIfDue(true);
  } else if (!expired()) {
    expired_logged_ = false;
  }
  auto until = [](SteadyClock::time_point at) {
    return std::chrono::duration_cast<std::chrono::seconds>(at - SteadyClock::now());
  };
  std::chrono::seconds wait =
      std::min({config_.long_poll, until(next_heartbeat_), until(next_drift_check_)});
  wait = config_.long_poll.count() == 0 ? std::chrono::seconds(0)
                                        : std::max(wait, std::chrono::seconds(1));
  pollOnce(wait);
}

void AgentLoop::pollOnce(std::chrono::seconds wait) {
  const auto started = SteadyClock::now();
  auto answer = controller_.desired(etag_, wait);
  if (stopping_) {
    return;
  }
  if (!answer) {
    connectivity(false, answer.error().describe());
    backoff_ = std::min(kMaxBackoff, std::max(std::chrono::milliseconds(1000), backoff_ * 2));
    // A controller that said when to come back is not asked before then; the jitter comes on
    // top, so that refused agents do not return together.
    sleepFor(controller_.retryAfter() + jittered(backoff_));
    return;
  }
  connectivity(true, "");
  backoff_ = std::chrono::milliseconds(0);
  if (answer->kind == Desired::Kind::kChanged) {
    etag_ = answer->etag;
    if (answer->digest != applier_.state().digest ||
        !applier_.state().undelivered_receipt.empty()) {
      applyDesired(*answer);
    }
    return;
  }
  // A server that did not hold the request (plain polling, or its waiters are full) is
  // asked again after the poll interval, not at once.
  if (wait.count() == 0 || SteadyClock::now() - started < wait / 2) {
    sleepFor(jittered(config_.poll_interval));
  }
}

void AgentLoop::applyDesired(const Desired& desired) {
  if (desired.digest == applier_.state().digest) {
    return;
  }
  if (auto failed = failed_digests_.find(desired.digest);
      failed != failed_digests_.end() && SteadyClock::now() < failed->second) {
    return;
  }
  log::info("release.offered", {{"version", desired.version},
                                {"digest", desired.digest},
                                {"expires_at", formatRfc3339Utc(desired.expires_at)}});
  auto bytes = controller_.bundle(desired.bundle_path);
  if (!bytes) {
    log::warn("bundle.download_failed",
              {{"version", desired.version}, {"error", bytes.error().describe()}});
    etag_.clear();  // ask again next round
    sleepFor(jittered(config_.poll_interval));
    return;
  }
  Delivery delivery =
      delivery_.deliver(*bytes, {.digest = desired.digest, .version = desired.version});
  if (delivery.outcome.result != release::ApplyResult::kApplied) {
    failed_digests_[desired.digest] = SteadyClock::now() + kRetryFailedAfter;
  } else {
    failed_digests_.clear();
  }
  send(std::move(delivery.receipt));
  if (delivery.outcome.result != release::ApplyResult::kRejected) {
    heartbeatIfDue(true);
  }
}

void AgentLoop::report(const ApplyOutcome& outcome) {
  const release::Receipt receipt =
      receiptOf(outcome, identity_.enrollment.node, identity_.enrollment.cluster, clock_());
  send(release::signReceipt(receipt, identity_.node_key));
}

void AgentLoop::send(std::string envelope) {
  if (auto sent = controller_.postReceipt(envelope); !sent) {
    log::warn("receipt.not_delivered", {{"error", sent.error().describe()}});
    if (auto kept = applier_.setUndeliveredReceipt(std::move(envelope)); !kept) {
      log::error("agent.state_not_saved", {{"error", kept.error().describe()}});
    }
  }
}

void AgentLoop::deliverUndelivered() {
  const std::string& pending = applier_.state().undelivered_receipt;
  if (pending.empty() || !reachable_) {
    return;
  }
  if (controller_.postReceipt(pending)) {
    (void)applier_.setUndeliveredReceipt("");
  }
}

void AgentLoop::heartbeatIfDue(bool force) {
  if (!force && SteadyClock::now() < next_heartbeat_) {
    return;
  }
  next_heartbeat_ = SteadyClock::now() + config_.heartbeat_interval;
  const AgentState& state = applier_.state();
  release::Heartbeat heartbeat{.node = identity_.enrollment.node,
                               .cluster = identity_.enrollment.cluster,
                               .version = state.version,
                               .digest = state.digest,
                               .nginx_version = identity_.nginx_version,
                               .drift = drift_,
                               .expired = expired(),
                               .last_result = state.last_result,
                               .nginx_restarts = nginx_restarts_(),
                               .at = clock_()};
  if (auto sent = controller_.postHeartbeat(release::signHeartbeat(heartbeat, identity_.node_key));
      !sent) {
    connectivity(false, sent.error().describe());
  }
}

void AgentLoop::checkDriftIfDue() {
  if (SteadyClock::now() < next_drift_check_) {
    return;
  }
  next_drift_check_ = SteadyClock::now() + config_.drift_check_interval;
  auto drift = applier_.checkDrift();
  if (!drift) {
    log::error("drift.check_failed", {{"error", drift.error().describe()}});
    return;
  }
  if (drift->clean()) {
    drift_ = false;
    return;
  }
  drift_ = true;
  log::warn("drift.detected",
            {{"release", applier_.state().release}, {"drift", drift->describe()}});
  heartbeatIfDue(true);
  ApplyOutcome outcome = applier_.repair();
  if (outcome.result == release::ApplyResult::kRepaired) {
    outcome.reason = "drift undone: " + drift->describe();
  }
  report(outcome);
}

void AgentLoop::connectivity(bool reachable, const std::string& detail) {
  if (reachable == reachable_) {
    return;
  }
  reachable_ = reachable;
  if (reachable) {
    log::info("controller.reachable", {{"url", config_.controller_url}});
  } else {
    log::warn("controller.unreachable",
              {{"url", config_.controller_url},
               {"error", detail},
               {"effect", "still serving the last good release; retrying with backoff"}});
  }
}

}  // namespace vantus::agent

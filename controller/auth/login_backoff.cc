#include "controller/auth/login_backoff.h"

#include <algorithm>

namespace vantus::controller {

namespace {

std::string accountKey(const std::string& email) { return "account:" + email; }
std::string addressKey(const std::string& address) { return "address:" + address; }

}  // namespace

std::int64_t LoginBackoff::waitOf(const std::string& key, std::int64_t now) const {
  auto it = failures_.find(key);
  if (it == failures_.end()) {
    return 0;
  }
  return std::max<std::int64_t>(0, it->second.retry_at - now);
}

std::int64_t LoginBackoff::waitSeconds(const std::string& email, const std::string& address,
                                       std::int64_t now) const {
  std::lock_guard lock(mutex_);
  return std::max(waitOf(accountKey(email), now), waitOf(addressKey(address), now));
}

void LoginBackoff::fail(const std::string& key, const BackoffRule& rule, std::int64_t now) {
  Failures& entry = failures_[key];
  entry.count += 1;
  const int over = entry.count - rule.free_failures;
  if (over > 0) {
    // 2^(over-1), capped before it can overflow.
    const std::int64_t wait =
        over > 30 ? rule.max_wait_seconds
                  : std::min<std::int64_t>(std::int64_t{1} << (over - 1), rule.max_wait_seconds);
    entry.retry_at = now + wait;
  }
}

void LoginBackoff::recordFailure(const std::string& email, const std::string& address,
                                 std::int64_t now) {
  std::lock_guard lock(mutex_);
  if (failures_.size() > kSweepAbove) {
    // A key idle for twice the longest wait has nothing left to say.
    const std::int64_t horizon =
        2 * std::max(account_rule_.max_wait_seconds, address_rule_.max_wait_seconds);
    std::erase_if(failures_,
                  [&](const auto& entry) { return entry.second.retry_at + horizon < now; });
  }
  fail(accountKey(email), account_rule_, now);
  fail(addressKey(address), address_rule_, now);
}

void LoginBackoff::recordSuccess(const std::string& email) {
  std::lock_guard lock(mutex_);
  failures_.erase(accountKey(email));
}

}  // namespace vantus::controller

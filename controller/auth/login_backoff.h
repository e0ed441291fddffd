#pragma once
// Exponential back-off of failed sign-ins, per account and per source address, in memory.
// A key may fail `free_failures` times; each further failure doubles its wait (1 s, 2 s, 4 s…
// up to `max_wait_seconds`). A success clears the account's key, never the address's, so one
// known password cannot reopen an address that guesses at many accounts. Thread-safe; keys
// whose wait ended long ago are forgotten, so the map stays bounded by the active guessers.
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace vantus::controller {

struct BackoffRule {
  int free_failures = 5;
  std::int64_t max_wait_seconds = 15 * 60;
};

class LoginBackoff {
 public:
  LoginBackoff(BackoffRule account_rule, BackoffRule address_rule)
      : account_rule_(account_rule), address_rule_(address_rule) {}

  // Seconds until `email` from `address` may try again; 0 when it may now.
  std::int64_t waitSeconds(const std::string& email, const std::string& address,
                           std::int64_t now) const;
  void recordFailure(const std::string& email, const std::string& address, std::int64_t now);
  void recordSuccess(const std::string& email);

 private:
  struct Failures {
    int count = 0;
    std::int64_t retry_at = 0;  // unix seconds
  };
  static constexpr std::size_t kSweepAbove = 100000;
  void fail(const std::string& key, const BackoffRule& rule, std::int64_t now);
  std::int64_t waitOf(const std::string& key, std::int64_t now) const;

  BackoffRule account_rule_;
  BackoffRule address_rule_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Failures> failures_;
};

}  // namespace vantus::controller

#pragma once
// A Mailer for tests: records what it is given; can be told to fail, or to hold every message
// until released (to fill a queue in front of it). Header-only: the tests that use it link
// controller/mail. Thread-safe.
#include <condition_variable>
#include <mutex>
#include <vector>

#include "controller/mail/mailer.h"

namespace vantus::testing {

class FakeMailer final : public controller::mail::Mailer {
 public:
  using MailMessage = controller::mail::MailMessage;

  Result<void> send(const MailMessage& message) override {
    std::unique_lock lock(mutex_);
    released_.wait(lock, [this] { return !holding_; });
    if (failing_) {
      return fail(ErrorCode::kUnavailable, "Couldn't connect to server");
    }
    sent_.push_back(message);
    return ok();
  }
  void hold() {
    std::lock_guard lock(mutex_);
    holding_ = true;
  }
  void release() {
    {
      std::lock_guard lock(mutex_);
      holding_ = false;
    }
    released_.notify_all();
  }
  void failing(bool value) {
    std::lock_guard lock(mutex_);
    failing_ = value;
  }
  std::vector<MailMessage> sent() {
    std::lock_guard lock(mutex_);
    return sent_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable released_;
  bool holding_ = false;
  bool failing_ = false;
  std::vector<MailMessage> sent_;
};

}  // namespace vantus::testing

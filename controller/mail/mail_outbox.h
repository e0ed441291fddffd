#pragma once
// A bounded queue in front of a slow Mailer, drained by one background thread, so that a
// request handler that e-mails never waits for the SMTP server. `send` only queues; a message
// that then fails is logged (`mail.send_failed`, with the server's or the network's words)
// and not retried: what it carried (a one-time link) can be asked for again. Thread-safe.
// Destruction lets the message in flight finish (bounded by the mailer's timeout) and logs
// each one still queued as `mail.not_sent`.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>

#include "controller/mail/mailer.h"

namespace vantus::controller::mail {

class MailOutbox final : public Mailer {
 public:
  MailOutbox(Mailer& sender, std::size_t capacity);
  ~MailOutbox() override;
  MailOutbox(const MailOutbox&) = delete;
  MailOutbox& operator=(const MailOutbox&) = delete;

  // kUnavailable when `capacity` messages are already waiting.
  Result<void> send(const MailMessage& message) override;
  // Until nothing is queued or being sent, at most `timeout`; false when it ran out.
  bool waitIdle(std::chrono::milliseconds timeout);

 private:
  void run();

  Mailer& sender_;
  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<MailMessage> queue_;
  bool sending_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace vantus::controller::mail

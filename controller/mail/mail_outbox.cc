#include "controller/mail/mail_outbox.h"

#include <fmt/format.h>

#include "common/log/log.h"

namespace vantus::controller::mail {

MailOutbox::MailOutbox(Mailer& sender, std::size_t capacity)
    : sender_(sender), capacity_(capacity), thread_([this] { run(); }) {}

MailOutbox::~MailOutbox() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
  for (const MailMessage& left : queue_) {
    log::warn("mail.not_sent",
              {{"to", left.to}, {"subject", left.subject}, {"reason", "the controller stopped"}});
  }
}

Result<void> MailOutbox::send(const MailMessage& message) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= capacity_) {
      return fail(ErrorCode::kUnavailable,
                  fmt::format("the outgoing mail queue is full ({} messages wait for the SMTP "
                              "server); try again later",
                              queue_.size()));
    }
    queue_.push_back(message);
  }
  changed_.notify_all();
  return ok();
}

bool MailOutbox::waitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [this] { return queue_.empty() && !sending_; });
}

void MailOutbox::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) {
      return;
    }
    MailMessage message = std::move(queue_.front());
    queue_.pop_front();
    sending_ = true;
    lock.unlock();
    Result<void> sent = sender_.send(message);
    if (sent) {
      log::info("mail.sent", {{"to", message.to}, {"subject", message.subject}});
    } else {
      log::warn(
          "mail.send_failed",
          {{"to", message.to}, {"subject", message.subject}, {"error", sent.error().describe()}});
    }
    lock.lock();
    sending_ = false;
    changed_.notify_all();
  }
}

}  // namespace vantus::controller::mail

#pragma once
// Where e-mail goes: SMTP (smtp_mailer.h), a background queue in front of it (mail_outbox.h),
// or a test's fake. Implementations are thread-safe.
#include "common/core/result.h"
#include "controller/mail/mail_message.h"

namespace vantus::controller::mail {

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Hands the message on: delivered to the SMTP server, or queued for that. The error says
  // what failed (the server's or the network's words).
  virtual Result<void> send(const MailMessage& message) = 0;
};

}  // namespace vantus::controller::mail

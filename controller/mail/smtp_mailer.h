#pragma once
// Mail over SMTP with libcurl (the only module that links it): one connection per message,
// TLS by STARTTLS (required) or smtps://, the server's certificate verified, optional AUTH.
// `send` blocks for at most the settings' timeout. Thread-safe (one curl handle per call).
#include <memory>

#include "common/core/result.h"
#include "controller/mail/mailer.h"
#include "controller/mail/smtp_settings.h"

namespace vantus::controller::mail {

// Reads the password file now (kFailedPrecondition when others may read it, kIo when it
// cannot be read), so that a misconfiguration shows at start, not at the first e-mail.
Result<std::unique_ptr<Mailer>> makeSmtpMailer(const SmtpSettings& settings);

}  // namespace vantus::controller::mail

#include "controller/mail/link_mail.h"

#include <fmt/format.h>

namespace vantus::controller::mail {

std::string describeDuration(std::int64_t seconds) {
  auto counted = [](std::int64_t count, std::string_view unit) {
    return fmt::format("{} {}{}", count, unit, count == 1 ? "" : "s");
  };
  if (seconds >= 86400 && seconds % 86400 == 0) {
    return counted(seconds / 86400, "day");
  }
  if (seconds >= 3600 && seconds % 3600 == 0) {
    return counted(seconds / 3600, "hour");
  }
  return counted((seconds + 59) / 60, "minute");
}

std::string LinkMail::passwordLinkUrl(std::string_view token) const {
  return fmt::format("{}/reset/{}", sender_.base_url, token);
}

std::string LinkMail::invitationUrl(std::string_view token) const {
  return fmt::format("{}/invitations/{}", sender_.base_url, token);
}

MailMessage LinkMail::passwordLinkMessage(std::string_view to, std::string_view token,
                                          std::int64_t valid_seconds) const {
  MailMessage message{sender_.address, sender_.name, std::string(to), "Set your Vantus password",
                      ""};
  message.text = fmt::format(
      "Someone, probably you, asked to set the password of the Vantus account {}.\n\n"
      "Open this link to choose a new password (it works once, for {}):\n\n{}\n\n"
      "If you did not ask for this, ignore this message: your password stays as it is.\n",
      to, describeDuration(valid_seconds), passwordLinkUrl(token));
  return message;
}

MailMessage LinkMail::invitationMessage(std::string_view to, std::string_view tenant_name,
                                        std::string_view inviter, std::string_view token,
                                        std::int64_t valid_seconds) const {
  MailMessage message{sender_.address, sender_.name, std::string(to),
                      fmt::format("You are invited to {} on Vantus", tenant_name), ""};
  message.text = fmt::format(
      "{} invited you ({}) to the tenant {} on Vantus.\n\n"
      "Open this link to choose your password and sign in (it works once, for {}):\n\n{}\n\n"
      "If you do not know what this is about, ignore this message.\n",
      inviter, to, tenant_name, describeDuration(valid_seconds), invitationUrl(token));
  return message;
}

Result<void> LinkMail::sendPasswordLink(std::string_view to, std::string_view token,
                                        std::int64_t valid_seconds) {
  return mailer_.send(passwordLinkMessage(to, token, valid_seconds));
}

Result<void> LinkMail::sendInvitation(std::string_view to, std::string_view tenant_name,
                                      std::string_view inviter, std::string_view token,
                                      std::int64_t valid_seconds) {
  return mailer_.send(invitationMessage(to, tenant_name, inviter, token, valid_seconds));
}

}  // namespace vantus::controller::mail

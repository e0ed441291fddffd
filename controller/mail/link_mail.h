#pragma once
// The e-mails that carry a one-time link: a password link (`/reset/<token>`) and an invitation
// to a tenant (`/invitations/<token>`), both under the controller's public URL. Builds each
// message and hands it to its Mailer. Thread-safe when the Mailer is.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/core/result.h"
#include "controller/mail/mailer.h"

namespace vantus::controller::mail {

struct MailSender {
  std::string address;   // addr-spec
  std::string name;      // display name
  std::string base_url;  // the controller's public URL, without a trailing '/'
};

class LinkMail {
 public:
  LinkMail(Mailer& mailer, MailSender sender) : mailer_(mailer), sender_(std::move(sender)) {}

  std::string passwordLinkUrl(std::string_view token) const;
  std::string invitationUrl(std::string_view token) const;
  MailMessage passwordLinkMessage(std::string_view to, std::string_view token,
                                  std::int64_t valid_seconds) const;
  MailMessage invitationMessage(std::string_view to, std::string_view tenant_name,
                                std::string_view inviter, std::string_view token,
                                std::int64_t valid_seconds) const;

  Result<void> sendPasswordLink(std::string_view to, std::string_view token,
                                std::int64_t valid_seconds);
  Result<void> sendInvitation(std::string_view to, std::string_view tenant_name,
                              std::string_view inviter, std::string_view token,
                              std::int64_t valid_seconds);

 private:
  Mailer& mailer_;
  MailSender sender_;
};

// "30 minutes", "7 days", "1 hour".
std::string describeDuration(std::int64_t seconds);

}  // namespace vantus::controller::mail

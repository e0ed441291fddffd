// Users (platform admins) and the one-time password link page that a new user or one who
// forgot their password opens.
#include <fmt/format.h>

#include "controller/ui/form_support.h"
#include "controller/ui/ui_pages.h"

namespace vantus::controller::ui {

namespace {

// What the users page shows once: a link just made.
struct IssuedLink {
  std::string email;
  std::string url;
};

std::string linkUrl(const UiRequest& ui, const std::string& token) {
  return fmt::format("{}/reset/{}", ui.siteUrl(), token);
}

Result<void> usersPage(UiRequest& ui, const IssuedLink* issued, const Error* error,
                       const std::string& typed_email) {
  VANTUS_TRY(Page<User> users, ui.services.users.users(ui.caller(), 0, 500));
  ui.page(error ? 400 : 200, "Users", "users.tpl", [&](ctemplate::TemplateDictionary& page) {
    for (const User& user : users.items) {
      ctemplate::TemplateDictionary* row = page.AddSectionDictionary("USER");
      row->SetIntValue("ID", user.id);
      row->SetValue("EMAIL", tplString(user.email));
      row->SetValue("CSRF", tplString(ui.session->csrf_token));
      row->ShowSection(user.is_platform_admin ? "IS_ADMIN" : "NOT_ADMIN");
      row->ShowSection(user.disabled ? "IS_DISABLED" : "IS_ENABLED");
      if (user.password_hash.empty()) {
        row->ShowSection("NO_PASSWORD");
      }
    }
    page.SetValue("TYPED_EMAIL", tplString(typed_email));
    if (issued) {
      ctemplate::TemplateDictionary* shown = page.AddSectionDictionary("ISSUED");
      shown->SetValue("EMAIL", tplString(issued->email));
      shown->SetValue("URL", tplString(issued->url));
    }
    if (error) {
      page.SetValueAndShowSection("ERROR", tplString(error->describe()), "HAS_ERROR");
    }
  });
  return ok();
}

// The same page for a password link and an invitation; the form posts back to its own URL.
void passwordLinkPage(UiRequest& ui, const std::string& error, int status) {
  const bool invitation = ui.http.path.starts_with("/invitations/");
  const std::string title = invitation ? "Accept the invitation" : "Set your password";
  ui.page(status, title, "reset.tpl", [&](ctemplate::TemplateDictionary& page) {
    page.SetValue("HEADING", tplString(title));
    page.SetValue("ACTION", tplString(ui.http.path));
    page.SetValue("BUTTON", tplString(invitation ? "Set password and sign in" : "Set password"));
    if (!error.empty()) {
      page.SetValueAndShowSection("ERROR", tplString(error), "HAS_ERROR");
    }
  });
}

}  // namespace

Result<void> showUsers(UiRequest& ui) { return usersPage(ui, nullptr, nullptr, ""); }

Result<void> createUser(UiRequest& ui) {
  const std::string email = formValue(ui.form, "email");
  Result<User> created = ui.services.users.createUser(ui.caller(), email,
                                                      formValue(ui.form, "platform_admin") == "on");
  if (!created && (created.error().code == ErrorCode::kInvalidInput ||
                   created.error().code == ErrorCode::kAlreadyExists)) {
    return usersPage(ui, nullptr, &created.error(), email);
  }
  VANTUS_TRY(User user, std::move(created));
  // A new user has no password: the link lets them choose one.
  VANTUS_TRY(std::string token, ui.services.sessions.issuePasswordLink(ui.caller(), user.email));
  IssuedLink issued{user.email, linkUrl(ui, token)};
  return usersPage(ui, &issued, nullptr, "");
}

Result<void> updateUser(UiRequest& ui) {
  VANTUS_TRY(Id user_id, ui.pathId(1));
  UserUpdate update;
  if (const std::string admin = formValue(ui.form, "platform_admin"); !admin.empty()) {
    update.platform_admin = admin == "yes";
  }
  if (const std::string disabled = formValue(ui.form, "disabled"); !disabled.empty()) {
    update.disabled = disabled == "yes";
  }
  VANTUS_TRY_VOID(ui.services.users.updateUser(ui.caller(), user_id, update));
  ui.redirect("/users");
  return ok();
}

Result<void> issuePasswordLink(UiRequest& ui) {
  VANTUS_TRY(Id user_id, ui.pathId(1));
  VANTUS_TRY(User user, ui.services.users.user(ui.caller(), user_id));
  VANTUS_TRY(std::string token, ui.services.sessions.issuePasswordLink(ui.caller(), user.email));
  IssuedLink issued{user.email, linkUrl(ui, token)};
  return usersPage(ui, &issued, nullptr, "");
}

Result<void> showPasswordLink(UiRequest& ui) {
  passwordLinkPage(ui, "", 200);
  return ok();
}

Result<void> setPasswordWithLink(UiRequest& ui) {
  const std::string token = ui.http.matches[1];
  const std::string new_password = formValue(ui.form, "new_password");
  Result<SpentLink> spent =
      ui.services.sessions.setPasswordWithLink(token, new_password, ui.client());
  if (!spent) {
    const ErrorCode code = spent.error().code;
    if (code == ErrorCode::kInvalidInput || code == ErrorCode::kUnauthenticated) {
      passwordLinkPage(ui, spent.error().message, code == ErrorCode::kInvalidInput ? 400 : 410);
      return ok();
    }
    return fail(spent.error());
  }
  if (spent->purpose == LinkPurpose::kInvitation) {
    // The invitee chose the password a moment ago: they land signed in on their tenant.
    Result<std::string> session_id =
        ui.services.sessions.signIn(spent->user.email, new_password, ui.client());
    if (session_id) {
      ui.response.set_header("Set-Cookie", sessionCookie(ui.services.tls, *session_id));
      ui.redirect(spent->tenant_id ? tenantPath(*spent->tenant_id, "") : "/");
      return ok();
    }
  }
  ui.redirect("/login?next=/");
  return ok();
}

}  // namespace vantus::controller::ui

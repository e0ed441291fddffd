// The signed-in user's API tokens: create (the secret is shown once, on the answer to the
// POST, never stored or shown again), list, revoke.
#include <fmt/format.h>

#include <ctime>

#include "common/core/time.h"
#include "controller/ui/ui_pages.h"

namespace vantus::controller::ui {

namespace {

struct CreatedToken {
  std::string secret;
  std::string name;
};

Result<void> tokensPage(UiRequest& ui, const CreatedToken* created, const Error* error) {
  VANTUS_TRY(std::vector<ApiToken> tokens, ui.services.tokens.list(ui.caller()));
  const int status = error ? 400 : 200;
  ui.page(status, "API tokens", "api_tokens.tpl", [&](ctemplate::TemplateDictionary& page) {
    for (const ApiToken& token : tokens) {
      if (token.revoked) {
        continue;
      }
      ctemplate::TemplateDictionary* row = page.AddSectionDictionary("TOKEN");
      row->SetIntValue("ID", token.id);
      row->SetValue("NAME", tplString(token.name));
      row->SetValue("PREFIX", tplString("vt_" + token.prefix));
      std::string scopes;
      for (const std::string& scope : token.scopes) {
        scopes += (scopes.empty() ? "" : " ") + scope;
      }
      row->SetValue("SCOPES", tplString(scopes));
      row->SetValue("TENANT",
                    tplString(token.tenant_id ? std::to_string(*token.tenant_id) : "any"));
      row->SetValue("EXPIRES",
                    tplString(token.expires_at ? formatRfc3339Utc(*token.expires_at) : "never"));
      row->SetValue("LAST_USED",
                    tplString(token.last_used_at.empty() ? "never" : token.last_used_at));
      row->SetValue("CSRF", tplString(ui.session->csrf_token));
    }
    for (const std::string& scope : allScopes()) {
      ctemplate::TemplateDictionary* option = page.AddSectionDictionary("SCOPE");
      option->SetValue("NAME", tplString(scope));
    }
    if (created) {
      ctemplate::TemplateDictionary* shown = page.AddSectionDictionary("CREATED");
      shown->SetValue("SECRET", tplString(created->secret));
      shown->SetValue("NAME", tplString(created->name));
    }
    if (error) {
      page.SetValueAndShowSection("ERROR", tplString(error->describe()), "HAS_ERROR");
    }
  });
  return ok();
}

}  // namespace

Result<void> showTokens(UiRequest& ui) { return tokensPage(ui, nullptr, nullptr); }

Result<void> createToken(UiRequest& ui) {
  TokenRequest request;
  request.name = formValue(ui.form, "name");
  auto [begin, end] = ui.form.equal_range("scope");
  std::string csv;
  for (auto it = begin; it != end; ++it) {
    csv += (csv.empty() ? "" : ",") + it->second;
  }
  Result<IssuedToken> issued = [&]() -> Result<IssuedToken> {
    VANTUS_TRY(request.scopes, parseScopes(csv));
    if (const std::string tenant = formValue(ui.form, "tenant"); !tenant.empty()) {
      VANTUS_TRY(std::int64_t id, ui.formInteger("tenant", 1, INT64_MAX));
      request.tenant_id = id;
    }
    VANTUS_TRY(std::int64_t days, ui.formInteger("expires_days", 1, 365));
    request.expires_at = static_cast<std::int64_t>(std::time(nullptr)) + days * 86400;
    return ui.services.tokens.create(ui.caller(), request);
  }();
  if (!issued) {
    const ErrorCode code = issued.error().code;
    if (code == ErrorCode::kInvalidInput || code == ErrorCode::kPermissionDenied ||
        code == ErrorCode::kNotFound) {
      return tokensPage(ui, nullptr, &issued.error());
    }
    return fail(issued.error());
  }
  // Answered here, not redirected: the secret exists only in this response (no-store).
  CreatedToken created{issued->token, issued->record.name};
  return tokensPage(ui, &created, nullptr);
}

Result<void> revokeToken(UiRequest& ui) {
  VANTUS_TRY(Id token_id, ui.pathId(1));
  VANTUS_TRY_VOID(ui.services.tokens.revoke(ui.caller(), token_id));
  ui.redirect("/settings/api-tokens");
  return ok();
}

}  // namespace vantus::controller::ui

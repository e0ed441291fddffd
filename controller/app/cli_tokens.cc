#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <ctime>
#include <iostream>

#include "controller/app/cli_support.h"
#include "controller/auth/api_tokens.h"

namespace vantus::controller::cli {

namespace {

// "30d", "12h", "90m" or "never".
Result<std::optional<std::int64_t>> parseExpiry(const std::string& text, std::int64_t now) {
  if (text == "never") {
    return std::optional<std::int64_t>();
  }
  std::int64_t amount = 0;
  size_t used = 0;
  try {
    amount = std::stoll(text, &used);
  } catch (...) {
    used = 0;
  }
  const std::string unit = text.substr(used);
  const std::int64_t seconds = unit == "d" ? 86400 : unit == "h" ? 3600 : unit == "m" ? 60 : 0;
  if (used == 0 || seconds == 0 || amount <= 0 || amount > 3650 * 86400 / seconds) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("--expires \"{}\" is not a duration like 30d, 12h, 90m or never", text),
                "expires");
  }
  return std::optional<std::int64_t>(now + amount * seconds);
}

}  // namespace

void addTokenCommands(CLI::App& root, CommonOptions& options) {
  static std::string user, name, scopes, tenant, expires = "30d";
  auto* token = root.add_subcommand("token", "API tokens for automation");
  token->require_subcommand(1);
  auto* create = token->add_subcommand(
      "create", "Create an API token; prints only the token (shown once) on stdout");
  addCommonOptions(*create, options);
  create->add_option("--user", user, "Owner's email; the token never exceeds the owner's rights")
      ->required();
  create->add_option("--name", name, "What the token is for")->required();
  create
      ->add_option("--scopes", scopes,
                   "Comma-separated: " + fmt::format("{}", fmt::join(allScopes(), ",")))
      ->required();
  create->add_option("--tenant", tenant, "Bind the token to one tenant (slug)");
  create->add_option("--expires", expires, "Lifetime: 30d, 12h, 90m or never")
      ->capture_default_str();
  create->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      NewToken request;
      request.user_email = user;
      request.name = name;
      VANTUS_TRY(request.scopes, parseScopes(scopes));
      VANTUS_TRY(request.expires_at, parseExpiry(expires, std::time(nullptr)));
      if (!tenant.empty()) {
        VANTUS_TRY(Tenant bound, tenantBySlug(app, tenant));
        request.tenant_id = bound.id;
      }
      VANTUS_TRY(IssuedToken issued, app.tokens().create(commandLineActor(), request));
      std::cout << issued.token << "\n";
      return ok();
    });
  });
}

}  // namespace vantus::controller::cli

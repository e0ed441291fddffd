#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <ctime>
#include <iostream>
#include <memory>

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

struct TokenOptions {
  std::string user;
  std::string name;
  std::string scopes;
  std::string tenant;
  std::string expires = "30d";
};

void addTokenCommands(CLI::App& root, CommonOptions& options) {
  auto* token = root.add_subcommand("token", "API tokens for automation");
  token->require_subcommand(1);
  auto create_options = std::make_shared<TokenOptions>();
  auto* create = token->add_subcommand(
      "create", "Create an API token; prints only the token (shown once) on stdout");
  addCommonOptions(*create, options);
  create
      ->add_option("--user", create_options->user,
                   "Owner's email; the token never exceeds the owner's rights")
      ->required();
  create->add_option("--name", create_options->name, "What the token is for")->required();
  create
      ->add_option("--scopes", create_options->scopes,
                   "Comma-separated: " + fmt::format("{}", fmt::join(allScopes(), ",")))
      ->required();
  create->add_option("--tenant", create_options->tenant, "Bind the token to one tenant (slug)");
  create->add_option("--expires", create_options->expires, "Lifetime: 30d, 12h, 90m or never")
      ->capture_default_str();
  create->callback([&options, create_options] {
    runWithApp(options, [create_options](ControllerApp& app) -> Result<void> {
      const TokenOptions& wanted = *create_options;
      TokenRequest request;
      request.user_email = wanted.user;
      request.name = wanted.name;
      VANTUS_TRY(request.scopes, parseScopes(wanted.scopes));
      VANTUS_TRY(request.expires_at, parseExpiry(wanted.expires, std::time(nullptr)));
      if (!wanted.tenant.empty()) {
        VANTUS_TRY(Tenant bound, tenantBySlug(app, wanted.tenant));
        request.tenant_id = bound.id;
      }
      VANTUS_TRY(IssuedToken issued, app.tokens().create(cliCaller(), request));
      std::cout << issued.token << "\n";
      return ok();
    });
  });
}

}  // namespace vantus::controller::cli

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "controller/app/cli_support.h"
#include "controller/model/validate.h"

namespace vantus::controller::cli {

void addUserCommands(CLI::App& root, CommonOptions& options) {
  auto* user = root.add_subcommand("user", "Users of the web UI");
  user->require_subcommand(1);
  auto* link = user->add_subcommand(
      "reset-link",
      "Print a one-time link (30 minutes) that sets the user's password; with smtp in "
      "controller.yaml, also e-mail it");
  addCommonOptions(*link, options);
  auto email = std::make_shared<std::string>();
  link->add_option("--email", *email, "The user's email")->required();
  link->callback([&options, email] {
    runWithApp(options, [email](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(std::string token, app.sessions().issuePasswordLink(cliCaller(), *email));
      const std::string base = app.config().public_url.empty()
                                   ? "http://" + app.config().listen.toString()
                                   : app.config().public_url;
      std::cout << fmt::format(
          "{}/reset/{}\n(sets the password of {}; valid 30 minutes, once; shown once)\n", base,
          token, printable(*email));
      mail::LinkMail* mail = app.directLinkMail();
      if (mail == nullptr) {
        return ok();
      }
      VANTUS_TRY(std::string address, parseEmail(*email));
      std::cout << std::flush;
      if (Result<void> sent =
              mail->sendPasswordLink(address, token, SessionService::kPasswordLinkSeconds);
          !sent) {
        return fail(sent.error().code,
                    fmt::format("{}; the link above was not e-mailed but works: pass it on, or "
                                "run this command again once the mail server answers",
                                sent.error().message));
      }
      std::cout << fmt::format("e-mailed to {}\n", printable(address));
      return ok();
    });
  });
}

}  // namespace vantus::controller::cli

#include "controller/app/cli_support.h"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <iterator>

#include "common/core/files.h"
#include "common/log/log.h"

namespace vantus::controller::cli {

Actor commandLineActor() {
  Actor actor;
  actor.kind = "cli";
  const passwd* entry = ::getpwuid(::getuid());
  actor.id = entry != nullptr ? entry->pw_name : std::to_string(::getuid());
  actor.name = actor.id;
  char host[256] = {};
  ::gethostname(host, sizeof(host) - 1);
  actor.email = actor.id + "@" + (host[0] != '\0' ? host : "localhost");
  return actor;
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
      continue;
    }
    // C1 controls (U+0080..U+009F) and the bidi embeddings, overrides and isolates
    // (U+202A..U+202E, U+2066..U+2069) in UTF-8.
    const auto next = [&](std::size_t k) {
      return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0;
    };
    if (byte == 0xc2 && next(1) >= 0x80 && next(1) <= 0x9f) {
      out += fmt::format("\\u{:04x}", next(1));
      ++i;
      continue;
    }
    if (byte == 0xe2 && ((next(1) == 0x80 && next(2) >= 0xaa && next(2) <= 0xae) ||
                         (next(1) == 0x81 && next(2) >= 0xa6 && next(2) <= 0xa9))) {
      out += fmt::format("\\u{:04x}", 0x2000 + ((next(1) & 0x3f) << 6) + (next(2) & 0x3f));
      i += 2;
      continue;
    }
    out += text[i];
  }
  return out;
}

const Caller& cliCaller() {
  static const Caller caller = localOperator(commandLineActor());
  return caller;
}

Result<nlohmann::json> readJsonArgument(const std::string& argument) {
  std::string text;
  if (argument == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else if (argument.starts_with("@")) {
    VANTUS_TRY(text, readFile(argument.substr(1), 1 << 20));
  } else {
    text = argument;
  }
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return fail(ErrorCode::kInvalidInput, "the --json argument is not valid JSON", "json");
  }
  return parsed;
}

int reportError(const Error& error) {
  std::cerr << "error: " << error.message;
  if (!error.field.empty() && error.message.find(error.field) == std::string::npos) {
    std::cerr << " (field: " << error.field << ")";
  }
  std::cerr << "\n";
  return 1;
}

int withApp(const CommonOptions& options,
            const std::function<Result<void>(ControllerApp& app)>& command) {
  auto app = ControllerApp::open(options.state_dir, options.data_dir);
  if (!app) {
    return reportError(app.error());
  }
  // A command prints its own result; only warnings and errors are worth a log line here.
  log::setLevel(std::max(log::Level::kWarn, (*app)->config().log_level));
  Result<void> done = command(**app);
  return done ? 0 : reportError(done.error());
}

void runWithApp(const CommonOptions& options,
                const std::function<Result<void>(ControllerApp& app)>& command) {
  if (int code = withApp(options, command); code != 0) {
    throw CLI::RuntimeError(code);
  }
}

void addCommonOptions(CLI::App& command, CommonOptions& options) {
  command.add_option("--state-dir", options.state_dir, "Controller state directory")->required();
  command.add_option("--data-dir", options.data_dir,
                     "Directory holding templates/ and schema/ (default: installed or built-in)");
}

Result<Tenant> tenantBySlug(ControllerApp& app, const std::string& slug) {
  return app.model().tenantBySlug(cliCaller(), slug);
}

}  // namespace vantus::controller::cli

// E-mail of one-time links through the real vantus-controller binary and a real SMTP sink
// (Debian's python3-aiosmtpd, smtp_sink.py) on loopback: STARTTLS with a throwaway
// certificate and AUTH, `user reset-link`, "Forgot password?", invitations, and what happens
// while the sink is down. Every wait is bounded.
#include <doctest/doctest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include "tests/support/browser_session.h"
#include "tests/support/processes.h"
#include "tests/support/temp_dir.h"

namespace vantus::testing {
namespace {

namespace fs = std::filesystem;

const std::string kBinary = std::string(VANTUS_BINARY_DIR) + "/vantus-controller";
const std::string kSink = std::string(VANTUS_SOURCE_DIR) + "/tests/integration/mail/smtp_sink.py";
constexpr auto kMailWait = std::chrono::seconds(20);

std::string valueAfter(const std::string& text, const std::string& label) {
  const size_t at = text.find(label);
  REQUIRE_MESSAGE(at != std::string::npos, label, " not in ", text);
  std::istringstream rest(text.substr(at + label.size()));
  std::string value;
  rest >> value;
  return value;
}

// The path of the first link under `prefix` ("/reset/", "/invitations/") in `text`.
std::string linkPath(const std::string& text, const std::string& prefix) {
  const size_t at = text.find(prefix);
  REQUIRE_MESSAGE(at != std::string::npos, prefix, " not in ", text);
  constexpr size_t kTokenLength = 43;
  return text.substr(at, prefix.size() + kTokenLength);
}

struct WorldOptions {
  bool sink_tls = true;               // the sink offers (and requires) STARTTLS
  std::string extra_smtp_settings{};  // more lines under smtp:
};

// A state dir whose controller.yaml e-mails through the sink, the sink, and `serve`.
class MailWorld {
 public:
  explicit MailWorld(WorldOptions options = {}) : options_(std::move(options)) {
    state_ = (root_.path() / "state").string();
    auto init = runCommand(kBinary + " init --state-dir " + state_);
    REQUIRE_MESSAGE(init.exit_code == 0, init.output);
    admin_email = valueAfter(init.output, "admin login:");
    admin_password = valueAfter(init.output, "admin password:");
    port = freePort();
    sink_port = freePort();
    mail_dir_ = root_.path() / "mail";
    fs::create_directories(mail_dir_);
    if (options_.sink_tls) {
      auto cert = runCommand(
          "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
          "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
          (root_ / "sink.key") + " -out " + (root_ / "sink.crt"));
      REQUIRE_MESSAGE(cert.exit_code == 0, cert.output);
    }
    const std::string password_file = root_ / "smtp-password";
    std::ofstream(password_file) << "sink password 1\n";
    ::chmod(password_file.c_str(), 0600);
    configure(password_file);
    startSink();
    startController();
  }

  void startSink() {
    fs::remove(mail_dir_ / "ready");
    std::vector<std::string> argv = {"/usr/bin/python3",
                                     kSink,
                                     "--port",
                                     std::to_string(sink_port),
                                     "--dir",
                                     mail_dir_.string(),
                                     "--user",
                                     "vantus",
                                     "--password",
                                     "sink password 1"};
    if (options_.sink_tls) {
      argv.insert(argv.end(), {"--tls-cert", root_ / "sink.crt", "--tls-key", root_ / "sink.key"});
    }
    sink_ = std::make_unique<Child>(argv, root_.path() / "sink.log");
    REQUIRE_MESSAGE(waitUntil([&] { return fs::exists(mail_dir_ / "ready"); }, kMailWait),
                    slurp(root_.path() / "sink.log"));
  }
  void stopSink() {
    sink_->stop(SIGTERM);
    sink_.reset();
  }

  // The `n`th message the sink accepted (1-based), waited for.
  std::string mail(int n) {
    const fs::path file = mail_dir_ / mailFileName(n);
    REQUIRE_MESSAGE(waitUntil([&] { return fs::exists(file); }, kMailWait), "no mail ", n,
                    "; controller: ", controllerLog(), " sink: ", slurp(root_.path() / "sink.log"));
    return slurp(file);
  }
  bool hasMail(int n) const { return fs::exists(mail_dir_ / mailFileName(n)); }

  CommandResult cli(const std::string& arguments) {
    return runCommand(kBinary + " " + arguments + " --state-dir " + state_);
  }
  std::string controllerLog() const { return slurp(root_.path() / "controller.log"); }

  std::string admin_email;
  std::string admin_password;
  int port = 0;
  int sink_port = 0;

 private:
  static std::string mailFileName(int n) {
    char name[16];
    std::snprintf(name, sizeof name, "%04d.eml", n);
    return name;
  }

  void configure(const std::string& password_file) {
    const fs::path config = fs::path(state_) / "controller.yaml";
    std::string yaml = slurp(config);
    const std::string unset = "public_url: \"\"\n";
    const size_t at = yaml.find(unset);
    REQUIRE(at != std::string::npos);
    yaml.replace(at, unset.size(),
                 "public_url: \"http://127.0.0.1:" + std::to_string(port) + "\"\n");
    yaml += "smtp:\n  url: \"smtp://127.0.0.1:" + std::to_string(sink_port) + "\"\n" +
            "  from: \"vantus@example.com\"\n  username: vantus\n  password_file: \"" +
            password_file + "\"\n  timeout_seconds: 10\n";
    if (options_.sink_tls) {
      yaml += "  ca_file: \"" + (root_ / "sink.crt") + "\"\n";
    }
    yaml += options_.extra_smtp_settings;
    std::ofstream(config) << yaml;
  }

  void startController() {
    controller_ = std::make_unique<Child>(
        std::vector<std::string>{kBinary, "serve", "--state-dir", state_, "--listen",
                                 "127.0.0.1:" + std::to_string(port)},
        root_.path() / "controller.log");
    REQUIRE_MESSAGE(waitUntil([&] {
                      httplib::Client client("127.0.0.1", port);
                      auto health = client.Get("/healthz");
                      return health && health->status == 200;
                    }),
                    controllerLog());
  }

  TempDir root_;
  WorldOptions options_;
  std::string state_;
  fs::path mail_dir_;
  std::unique_ptr<Child> sink_;
  std::unique_ptr<Child> controller_;
};

// Opens a one-time link, sets `password` and returns where the answer leads.
std::string setPasswordThrough(BrowserSession& browser, const std::string& path,
                               const std::string& password) {
  auto shown = browser.get(path);
  REQUIRE(shown);
  REQUIRE_MESSAGE(shown->status == 200, shown->body);
  auto set = browser.post(path, {{"new_password", password}}, /*with_csrf=*/false);
  REQUIRE(set);
  REQUIRE_MESSAGE(set->status == 303, set->body);
  return set->get_header_value("Location");
}

TEST_CASE("reset-link e-mails the link over STARTTLS with AUTH, and the link sets the password") {
  MailWorld world;
  auto printed = world.cli("user reset-link --email " + world.admin_email);
  REQUIRE_MESSAGE(printed.exit_code == 0, printed.output);
  CHECK(printed.output.find("e-mailed to " + world.admin_email) != std::string::npos);

  const std::string mail = world.mail(1);
  CHECK(mail.find("X-Sink-TLS: yes\r\n") != std::string::npos);
  CHECK(mail.find("X-Sink-Auth: yes\r\n") != std::string::npos);
  CHECK(mail.find("X-Sink-To: " + world.admin_email + "\r\n") != std::string::npos);
  CHECK(mail.find("From: \"Vantus\" <vantus@example.com>\r\n") != std::string::npos);
  CHECK(mail.find("To: " + world.admin_email + "\r\n") != std::string::npos);
  CHECK(mail.find("Subject: Set your Vantus password\r\n") != std::string::npos);
  CHECK(mail.find("\r\nDate: ") != std::string::npos);
  CHECK(mail.find("\r\nMessage-ID: <") != std::string::npos);
  CHECK(mail.find("Content-Type: text/plain; charset=UTF-8\r\n") != std::string::npos);
  const std::string link = linkPath(mail, "/reset/");
  CHECK(mail.find("http://127.0.0.1:" + std::to_string(world.port) + link) != std::string::npos);
  // The printed link and the e-mailed one are the same.
  CHECK(printed.output.find(link) != std::string::npos);

  BrowserSession browser(world.port);
  CHECK(setPasswordThrough(browser, link, "a mailed new password") == "/login?next=/");
  CHECK(browser.signIn(world.admin_email, "a mailed new password") == "/");
  auto again = browser.post(link, {{"new_password", "another password 1"}}, false);
  REQUIRE(again);
  CHECK(again->status == 410);
}

TEST_CASE("Forgot password? answers alike for every email, e-mails accounts only, backs off") {
  MailWorld world;
  BrowserSession browser(world.port);
  auto login = browser.get("/login");
  REQUIRE(login);
  CHECK(login->body.find("href=\"/forgot-password\">Forgot password?</a>") != std::string::npos);
  REQUIRE(browser.get("/forgot-password")->status == 200);
  auto unknown = browser.post("/forgot-password", {{"email", "nobody@example.org"}}, false);
  auto known = browser.post("/forgot-password", {{"email", world.admin_email}}, false);
  REQUIRE(unknown);
  REQUIRE(known);
  CHECK(unknown->status == 200);
  CHECK(known->status == 200);
  const std::string sent = "is the e-mail of an account here, a link that sets its password";
  CHECK(unknown->body.find(sent) != std::string::npos);
  CHECK(known->body.find(sent) != std::string::npos);

  // The outbox sends in order: by the time the account's mail is here, the other one would be.
  const std::string mail = world.mail(1);
  CHECK(mail.find("X-Sink-To: " + world.admin_email + "\r\n") != std::string::npos);
  CHECK_FALSE(world.hasMail(2));

  BrowserSession invitee(world.port);
  setPasswordThrough(invitee, linkPath(mail, "/reset/"), "forgot and found 1");
  CHECK(invitee.signIn(world.admin_email, "forgot and found 1") == "/");

  // Three requests per email are free; then the waits double from one second.
  std::optional<httplib::Result> backed_off;
  for (int tries = 0; tries < 6 && !backed_off; ++tries) {
    auto answer = browser.post("/forgot-password", {{"email", world.admin_email}}, false);
    REQUIRE(answer);
    if (answer->status == 429) {
      backed_off.emplace(std::move(answer));
    } else {
      CHECK(answer->status == 200);
    }
  }
  REQUIRE(backed_off);
  CHECK_FALSE((*backed_off)->get_header_value("Retry-After").empty());
  CHECK((*backed_off)->body.find("Too many requests") != std::string::npos);

  auto audit = world.cli("audit list --action user.password_link_request");
  REQUIRE_MESSAGE(audit.exit_code == 0, audit.output);
  CHECK(audit.output.find("user:unknown") != std::string::npos);
}

TEST_CASE("an invitation e-mails a link that sets the password and lands signed in on the tenant") {
  MailWorld world;
  BrowserSession admin(world.port);
  admin.signIn(world.admin_email, world.admin_password);
  REQUIRE(admin.get("/tenants/new"));
  auto created = admin.post("/tenants", {{"slug", "acme"}, {"name", "Acme"}});
  REQUIRE(created);
  REQUIRE(created->status == 303);
  const std::string tenant = created->get_header_value("Location");
  REQUIRE(admin.get(tenant + "/members"));
  auto invited =
      admin.post(tenant + "/members", {{"email", "New.Member@Example.org"}, {"role", "operator"}});
  REQUIRE(invited);
  INFO(invited->body);
  CHECK(invited->status == 200);
  CHECK(invited->body.find("An invitation is on its way to new.member@example.org") !=
        std::string::npos);
  CHECK(invited->body.find("/invitations/") == std::string::npos);
  CHECK(admin.get(tenant + "/members")->body.find(">invited</span>") != std::string::npos);

  const std::string mail = world.mail(1);
  CHECK(mail.find("Subject: You are invited to Acme on Vantus\r\n") != std::string::npos);
  CHECK(mail.find("To: new.member@example.org\r\n") != std::string::npos);
  CHECK(mail.find(world.admin_email + " invited you") != std::string::npos);
  CHECK(mail.find("7 days") != std::string::npos);

  BrowserSession invitee(world.port);
  const std::string link = linkPath(mail, "/invitations/");
  CHECK(invitee.get(link)->body.find("Accept the invitation") != std::string::npos);
  CHECK(setPasswordThrough(invitee, link, "my first password") == tenant);
  auto landed = invitee.get(tenant);
  REQUIRE(landed);
  CHECK(landed->status == 200);
  CHECK(landed->body.find("Acme") != std::string::npos);
  CHECK(admin.get(tenant + "/members")->body.find(">invited</span>") == std::string::npos);
  CHECK(invitee.post(link, {{"new_password", "a second password"}}, false)->status == 410);

  auto audit = world.cli("audit list --action member.");
  REQUIRE_MESSAGE(audit.exit_code == 0, audit.output);
  CHECK(audit.output.find("member.invite\t") != std::string::npos);
  CHECK(audit.output.find("member.invitation_accept\t") != std::string::npos);
}

TEST_CASE("with the sink down nothing is lost: the link works and an invitation is sent again") {
  MailWorld world;
  world.stopSink();
  auto printed = world.cli("user reset-link --email " + world.admin_email);
  CHECK(printed.exit_code != 0);
  INFO(printed.output);
  CHECK(printed.output.find("sending e-mail to " + world.admin_email) != std::string::npos);
  CHECK(printed.output.find("Couldn't connect to server") != std::string::npos);
  CHECK(printed.output.find("the link above was not e-mailed but works") != std::string::npos);
  BrowserSession browser(world.port);
  setPasswordThrough(browser, linkPath(printed.output, "/reset/"), "printed link password");
  CHECK(browser.signIn(world.admin_email, "printed link password") == "/");

  REQUIRE(browser.get("/tenants/new"));
  const std::string tenant =
      browser.post("/tenants", {{"slug", "acme"}, {"name", "Acme"}})->get_header_value("Location");
  REQUIRE(browser.get(tenant + "/members"));
  auto invited =
      browser.post(tenant + "/members", {{"email", "late@example.org"}, {"role", "viewer"}});
  REQUIRE(invited);
  CHECK(invited->status == 200);
  CHECK(
      waitUntil([&] { return world.controllerLog().find("mail.send_failed") != std::string::npos; },
                kMailWait));
  CHECK(world.controllerLog().find("Couldn't connect to server") != std::string::npos);

  world.startSink();
  const std::string members = browser.get(tenant + "/members")->body;
  const std::string marker = "action=\"" + tenant + "/members/";
  const size_t at = members.find("/reinvite\"");
  REQUIRE(at != std::string::npos);
  const size_t start = members.rfind(marker, at) + marker.size();
  auto again =
      browser.post(tenant + "/members/" + members.substr(start, at - start) + "/reinvite", {});
  REQUIRE(again);
  CHECK(again->status == 200);
  const std::string mail = world.mail(1);
  CHECK(mail.find("To: late@example.org\r\n") != std::string::npos);
  BrowserSession invitee(world.port);
  CHECK(setPasswordThrough(invitee, linkPath(mail, "/invitations/"), "late but here 1") == tenant);
}

TEST_CASE("STARTTLS is required: a server that does not offer it gets no mail") {
  MailWorld world(WorldOptions{.sink_tls = false});
  auto printed = world.cli("user reset-link --email " + world.admin_email);
  CHECK(printed.exit_code != 0);
  INFO(printed.output);
  CHECK(printed.output.find("sending e-mail to") != std::string::npos);
  CHECK_FALSE(world.hasMail(1));
}

TEST_CASE("starttls: false reaches a plain loopback sink") {
  MailWorld world(WorldOptions{.sink_tls = false, .extra_smtp_settings = "  starttls: false\n"});
  auto printed = world.cli("user reset-link --email " + world.admin_email);
  REQUIRE_MESSAGE(printed.exit_code == 0, printed.output);
  CHECK(world.mail(1).find("X-Sink-TLS: no\r\n") != std::string::npos);
}

}  // namespace
}  // namespace vantus::testing

#include "tests/integration/fleet/fleet_fixture.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/core/time.h"
#include "common/crypto/hash.h"

extern char** environ;

namespace vantus::fleet_test {
namespace fs = std::filesystem;
namespace {

const std::string kController = std::string(VANTUS_BINARY_DIR) + "/vantus-controller";
const std::string kAgent = std::string(VANTUS_BINARY_DIR) + "/vantus-agent";

std::thread serveOnAnyPort(httplib::Server& server, int& port) {
  port = server.bind_to_any_port("127.0.0.1");
  REQUIRE(port > 0);
  std::thread thread([&server] { server.listen_after_bind(); });
  waitUntil([&server] { return server.is_running(); }, std::chrono::seconds(5));
  return thread;
}

void copyAnswer(const httplib::Result& result, httplib::Response& response) {
  if (!result) {
    response.status = 502;
    return;
  }
  response.status = result->status;
  response.body = result->body;
  for (const auto& [name, value] : result->headers) {
    if (name == "ETag" || name == "Content-Type" || name == "Cache-Control") {
      response.set_header(name, value);
    }
  }
}

httplib::Headers forwardedHeaders(const httplib::Request& request) {
  httplib::Headers headers;
  for (const char* name : {"Authorization", "If-None-Match"}) {
    if (request.has_header(name)) {
      headers.emplace(name, request.get_header_value(name));
    }
  }
  return headers;
}

// A zombie is gone too: some containers' init reaps late or never.
bool alive(int pid) {
  return ::kill(pid, 0) == 0 &&
         slurp(fmt::format("/proc/{}/stat", pid)).find(") Z ") == std::string::npos;
}

void killNginxOf(const fs::path& runtime_dir) {
  std::ifstream in(runtime_dir / "nginx.pid");
  int pid = 0;
  if (in >> pid && pid > 1) {
    ::kill(pid, SIGQUIT);
    for (int i = 0; i < 100 && alive(pid); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(pid, SIGKILL);
  }
}

}  // namespace

Reply getVia(int port, const std::string& host, const std::string& path) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(std::chrono::seconds(2));
  client.set_read_timeout(std::chrono::seconds(5));
  client.set_keep_alive(false);
  auto result = client.Get(path, {{"Host", host}});
  Reply reply;
  if (result) {
    reply.status = result->status;
    reply.body = result->body;
    for (const auto& [name, value] : result->headers) {
      reply.headers[name] = value;
    }
  }
  return reply;
}

Upstream::Upstream(std::string name) : server_(std::make_unique<httplib::Server>()) {
  // nginx keeps idle upstream connections open, and each holds one of these threads.
  server_->new_task_queue = [] { return new httplib::ThreadPool(128); };
  server_->Get(".*", [name](const httplib::Request&, httplib::Response& response) {
    response.set_content("upstream " + name + "\n", "text/plain");
  });
  thread_ = serveOnAnyPort(*server_, port_);
}

Upstream::~Upstream() {
  server_->stop();
  thread_.join();
}

EvilProxy::EvilProxy(int controller_port)
    : controller_port_(controller_port), server_(std::make_unique<httplib::Server>()) {
  server_->new_task_queue = [] { return new httplib::ThreadPool(16); };
  server_->Get(
      "/agent/v1/desired", [this](const httplib::Request& request, httplib::Response& response) {
        std::unique_lock lock(mutex_);
        if (mode_ == Mode::kServe) {
          const std::string digest = crypto::sha256Hex(bundle_);
          response.set_header("ETag", "\"" + digest + "\"");
          if (request.get_header_value("If-None-Match") == "\"" + digest + "\"") {
            response.status = 304;
            return;
          }
          // The pointer's expiry is a hint; the bundle's signed manifest is what counts.
          nlohmann::json body = {{"version", version_},
                                 {"digest", digest},
                                 {"expires_at", formatRfc3339Utc(std::time(nullptr) + 86400)},
                                 {"bundle_url", "/agent/v1/bundles/" + digest}};
          response.set_content(body.dump(), "application/json");
          return;
        }
        lock.unlock();
        httplib::Client client("127.0.0.1", controller_port_);
        client.set_read_timeout(std::chrono::seconds(60));
        std::string path = request.path;
        if (request.has_param("wait")) {
          path += "?wait=" + request.get_param_value("wait");
        }
        copyAnswer(client.Get(path, forwardedHeaders(request)), response);
      });
  server_->Get(R"(/agent/v1/bundles/(.+))",
               [this](const httplib::Request& request, httplib::Response& response) {
                 ++bundles_served_;
                 std::unique_lock lock(mutex_);
                 if (mode_ == Mode::kServe) {
                   response.set_content(bundle_, "application/json");
                   return;
                 }
                 const Mode mode = mode_;
                 lock.unlock();
                 httplib::Client client("127.0.0.1", controller_port_);
                 copyAnswer(client.Get(request.path, forwardedHeaders(request)), response);
                 if (mode == Mode::kTamper && response.status == 200) {
                   // One changed base64 character in the first file: still a well-formed bundle.
                   const size_t at = response.body.find("\"content\":\"");
                   if (at != std::string::npos) {
                     char& c = response.body[at + 11];
                     c = c == 'A' ? 'B' : 'A';
                   }
                 }
               });
  server_->Get("/agent/v1/signing-keys",
               [this](const httplib::Request& request, httplib::Response& response) {
                 httplib::Client client("127.0.0.1", controller_port_);
                 copyAnswer(client.Get(request.path), response);
               });
  server_->Post(
      R"(/agent/v1/(.+))", [this](const httplib::Request& request, httplib::Response& response) {
        httplib::Client client("127.0.0.1", controller_port_);
        copyAnswer(
            client.Post(request.path, forwardedHeaders(request), request.body, "application/json"),
            response);
      });
  thread_ = serveOnAnyPort(*server_, port_);
}

EvilProxy::~EvilProxy() {
  server_->stop();
  thread_.join();
}

void EvilProxy::passThrough() {
  std::lock_guard lock(mutex_);
  mode_ = Mode::kPass;
}

void EvilProxy::tamperBundles() {
  std::lock_guard lock(mutex_);
  mode_ = Mode::kTamper;
}

void EvilProxy::serve(std::uint64_t version, std::string bundle) {
  std::lock_guard lock(mutex_);
  mode_ = Mode::kServe;
  version_ = version;
  bundle_ = std::move(bundle);
}

Fleet::Fleet() : state_(root_.path() / "controller") {
  controller_port_ = freePort();
  std::string init = cli("init");
  const size_t at = init.find("SHA256:");
  REQUIRE(at != std::string::npos);
  pin_ = init.substr(at, init.find_first_of(" \n", at) - at);
  // The edges' own `nginx -t` is under test here, so the controller does not pre-check; the
  // test agents poll and beat about fifteen times as often as default ones.
  std::string config = slurp(state_ / "controller.yaml");
  for (auto [from, to] : {std::pair{"\nprecheck: true", "\nprecheck: false"},
                          std::pair{"\nlog_level: info", "\nlog_level: warn"},
                          std::pair{"\nrate_limit_node_requests_per_minute: 240",
                                    "\nrate_limit_node_requests_per_minute: 3600"}}) {
    const size_t at = config.find(from);
    REQUIRE(at != std::string::npos);
    config.replace(at, std::string_view(from).size(), to);
  }
  std::ofstream(state_ / "controller.yaml", std::ios::trunc) << config;
  startController();
  proxy_ = std::make_unique<EvilProxy>(controller_port_);
}

Fleet::~Fleet() {
  for (auto& [name, node] : nodes_) {
    if (node.agent) {
      node.agent->stop(SIGKILL);
    }
    killNginxOf(node.dir / "nginx");
  }
  if (controller_) {
    controller_->stop(SIGTERM);
  }
}

std::string Fleet::cli(const std::string& args, bool may_fail, int* exit_code) {
  testing::CommandResult result =
      testing::runCommand(fmt::format("{} {} --state-dir {}", kController, args, state_.string()));
  if (exit_code != nullptr) {
    *exit_code = result.exit_code;
  }
  if (!may_fail) {
    INFO("vantus-controller " << args << "\n" << result.output);
    REQUIRE(result.exit_code == 0);
  }
  return result.output;
}

void Fleet::startController() {
  controller_ = std::make_unique<Child>(
      std::vector<std::string>{kController, "serve", "--state-dir", state_.string(), "--listen",
                               fmt::format("127.0.0.1:{}", controller_port_)},
      root_.path() / "controller.log");
  REQUIRE(
      waitUntil([this] { return getVia(controller_port_, "localhost", "/readyz").status == 200; },
                std::chrono::seconds(20)));
}

void Fleet::killController() {
  controller_->stop(SIGKILL);
  controller_.reset();
}

void Fleet::ensureController() {
  if (!controller_ || !controller_->running()) {
    startController();
  }
}

void Fleet::removeNode(const std::string& name) {
  auto found = nodes_.find(name);
  if (found == nodes_.end()) {
    return;
  }
  if (found->second.agent) {
    found->second.agent->stop(SIGTERM);
  }
  killNginxOf(found->second.dir / "nginx");
  nodes_.erase(found);
}

testing::CommandResult Fleet::agentCli(const std::string& name, const std::string& args) {
  return testing::runCommand(
      fmt::format("{} {} --config {}", kAgent, args, nodes_.at(name).config.string()));
}

int Fleet::nginxMasterPid(const std::string& name) const {
  std::ifstream in(nodes_.at(name).dir / "nginx" / "nginx.pid");
  int pid = 0;
  return in >> pid ? pid : 0;
}

fs::path Fleet::agentLog(const std::string& name) const { return root_.path() / (name + ".log"); }

void Fleet::addNode(const NodeOptions& options) {
  Node node;
  node.options = options;
  node.dir = root_.path() / ("node-" + options.name);
  node.config = root_.path() / (options.name + ".yaml");
  node.http_port = freePort();
  node.status_port = options.status_port != 0 ? options.status_port : freePort();
  const int controller_port = options.via_proxy ? proxy_->port() : controller_port_;
  std::string token_output = cli("cluster enroll-token --cluster " + options.cluster);
  const size_t at = token_output.find("ve_");
  REQUIRE(at != std::string::npos);
  const std::string token = token_output.substr(at, token_output.find('\n', at) - at);
  testing::CommandResult enrolled = testing::runCommand(fmt::format(
      "{} enroll --controller http://127.0.0.1:{} --token {} --pin {} --state-dir {} --name {}",
      kAgent, controller_port, token, pin_, node.dir.string(), options.name));
  INFO(enrolled.output);
  REQUIRE(enrolled.exit_code == 0);
  std::ofstream(node.config) << fmt::format(
      "controller_url: http://127.0.0.1:{}\n"
      "state_dir: {}\n"
      "nginx:\n"
      "  http_listen: [\"127.0.0.1:{}\"]\n"
      "  status_listen: 127.0.0.1:{}\n"
      "  worker_processes: 1\n"
      "  worker_connections: 256\n"
      "poll:\n"
      "  interval_ms: 300\n"
      "  long_poll_s: 10\n"
      "probe:\n"
      "  expected_status: \"{}\"\n"
      "heartbeat_interval_s: 1\n"
      "drift_check_interval_s: 1\n"
      "keep_releases: 3\n",
      controller_port, node.dir.string(), node.http_port, node.status_port,
      options.expected_status);
  const std::string name = options.name;
  nodes_.emplace(name, std::move(node));
  startAgent(name);
}

void Fleet::startAgent(const std::string& name, const std::string& fault) {
  Node& node = nodes_.at(name);
  std::vector<std::string> env;
  if (!fault.empty()) {
    env.push_back("VANTUS_AGENT_FAULT=" + fault);
  }
  node.agent = std::make_unique<Child>(
      std::vector<std::string>{kAgent, "run", "--config", node.config.string()},
      root_.path() / (name + ".log"), env);
}

void Fleet::stopAgent(const std::string& name) {
  Node& node = nodes_.at(name);
  if (node.agent) {
    node.agent->stop(SIGTERM);
    node.agent.reset();
  }
}

std::uint64_t Fleet::servedVersion(const std::string& name) const {
  auto state = nlohmann::json::parse(slurp(nodes_.at(name).dir / "state.json"), nullptr, false);
  return state.is_object() ? state.value("version", std::uint64_t{0}) : 0;
}

std::uint64_t Fleet::nginxVersion(const std::string& name) const {
  Reply reply = getVia(nodes_.at(name).status_port, "localhost", "/.vantus/version");
  return reply.status == 200 ? std::strtoull(reply.body.c_str(), nullptr, 10) : 0;
}

int Fleet::deploy(const std::string& tenant, const std::string& message) {
  std::string output = cli(fmt::format("deploy --tenant {} --message '{}'", tenant, message));
  const size_t at = output.find("deployment ");
  REQUIRE(at != std::string::npos);
  const int id = std::atoi(output.c_str() + at + 11);
  const size_t release = output.find(": release ");
  if (release != std::string::npos) {
    last_release_version_ = std::strtoull(output.c_str() + release + 10, nullptr, 10);
  }
  return id;
}

}  // namespace vantus::fleet_test

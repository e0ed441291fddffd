#pragma once
// A real fleet on loopback for the fleet tests: one vantus-controller process, edge nodes
// each made of a vantus-agent process and the nginx master it starts (own prefix, own ports,
// run as the current user), an upstream answering on loopback, and a man-in-the-middle proxy
// between one agent and the controller. Every wait is bounded.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/processes.h"
#include "tests/support/temp_dir.h"

namespace httplib {
class Server;
}

namespace vantus::fleet_test {

using testing::Child;
using testing::freePort;
using testing::slurp;
using testing::waitUntil;

struct Reply {
  int status = 0;  // 0 = no answer
  std::string body;
  std::map<std::string, std::string> headers;
};
// GET http://127.0.0.1:<port>/ with Host: <host> on a fresh connection.
Reply getVia(int port, const std::string& host, const std::string& path = "/");

// Tiny HTTP upstream in this process: answers "upstream <name>" to everything.
class Upstream {
 public:
  explicit Upstream(std::string name);
  ~Upstream();
  int port() const { return port_; }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

// Sits between one agent and the controller and can lie: tamper bundles or serve a pointer
// and bundle of its own choosing.
class EvilProxy {
 public:
  explicit EvilProxy(int controller_port);
  ~EvilProxy();
  int port() const { return port_; }
  void passThrough();
  void tamperBundles();
  void serve(std::uint64_t version, std::string bundle);
  int bundlesServed() const { return bundles_served_; }

 private:
  enum class Mode { kPass, kTamper, kServe };
  int controller_port_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  Mode mode_ = Mode::kPass;
  std::uint64_t version_ = 0;
  std::string bundle_;
  std::atomic<int> bundles_served_{0};
};

struct NodeOptions {
  std::string cluster;
  std::string name;
  std::string expected_status = "100-599";
  bool via_proxy = false;
  int status_port = 0;  // 0: a free one
};

class Fleet {
 public:
  Fleet();
  ~Fleet();

  const std::filesystem::path& stateDir() const { return state_; }
  int controllerPort() const { return controller_port_; }
  EvilProxy& proxy() { return *proxy_; }
  Upstream& upstream() { return upstream_; }

  // vantus-controller <args> --state-dir <state>; REQUIREs exit 0 unless `may_fail`.
  std::string cli(const std::string& args, bool may_fail = false, int* exit_code = nullptr);
  void startController();
  void killController();  // SIGKILL
  // Starts the controller again if a case left it down.
  void ensureController();

  // Enrols and starts the agent of a new node; waits for nothing.
  void addNode(const NodeOptions& options);
  void startAgent(const std::string& node, const std::string& fault = "");
  void stopAgent(const std::string& node);
  // Stops the node's agent and its nginx, and forgets the node.
  void removeNode(const std::string& node);
  // `vantus-agent <args> --config <the node's agent.yaml>`.
  testing::CommandResult agentCli(const std::string& node, const std::string& args);
  // The pid in the node's nginx pid file, 0 if none.
  int nginxMasterPid(const std::string& node) const;
  std::filesystem::path agentLog(const std::string& node) const;
  Child& agent(const std::string& node) { return *nodes_.at(node).agent; }
  int httpPort(const std::string& node) const { return nodes_.at(node).http_port; }
  std::filesystem::path agentDir(const std::string& node) const { return nodes_.at(node).dir; }
  // The version in the node's state.json (what it trusts and serves).
  std::uint64_t servedVersion(const std::string& node) const;
  // What nginx on the node answers at its status port, 0 if nothing.
  std::uint64_t nginxVersion(const std::string& node) const;

  // Deploys `tenant` and returns the deployment id.
  int deploy(const std::string& tenant, const std::string& message);
  // The latest release version of `cluster` according to `node list`-independent data:
  // parsed from the deploy output.
  std::uint64_t lastReleaseVersion() const { return last_release_version_; }

 private:
  struct Node {
    NodeOptions options;
    std::filesystem::path dir;
    std::filesystem::path config;
    int http_port = 0;
    int status_port = 0;
    std::unique_ptr<Child> agent;
  };

  testing::TempDir root_;
  std::filesystem::path state_;
  std::string pin_;
  int controller_port_ = 0;
  std::unique_ptr<Child> controller_;
  Upstream upstream_{"main"};
  std::unique_ptr<EvilProxy> proxy_;
  std::map<std::string, Node> nodes_;
  std::uint64_t last_release_version_ = 0;
};

}  // namespace vantus::fleet_test

// The fleet on loopback, measured: propagation from the API write to every node serving the
// new version (real agents, each with its own nginx), agent memory and CPU across many
// applies, and the no-change poll of /agent/v1/desired against plain nginx (wrk).
//
//   bench_fleet --agents 20 --rounds 10            propagation
//   bench_fleet --agents 1 --applies 1000          agent RSS / private memory / CPU
//   bench_fleet --agents 1 --wrk 10                poll throughput vs nginx, 10 s each
#include <fcntl.h>
#include <fmt/format.h>
#include <httplib.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <vector>

#include "common/crypto/ed25519.h"
#include "common/release/keyring.h"
#include "common/release/verifier.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string gBin = VANTUS_BINARY_DIR;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string run(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen((command + " 2>/dev/null").c_str(), "r");
  char buffer[4096];
  size_t got;
  while ((got = ::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    output.append(buffer, got);
  }
  if (::pclose(pipe) != 0) {
    throw std::runtime_error("failed: " + command + "\n" + output);
  }
  return output;
}

pid_t spawn(std::vector<std::string> argv, const fs::path& log) {
  std::vector<char*> args;
  for (std::string& arg : argv) {
    args.push_back(arg.data());
  }
  args.push_back(nullptr);
  int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(fd);
  return pid;
}

template <typename Done>
bool waitFor(Done done, std::chrono::seconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (done()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

std::uint64_t versionAt(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(std::chrono::milliseconds(500));
  auto answer = client.Get("/.vantus/version");
  return answer && answer->status == 200 ? std::strtoull(answer->body.c_str(), nullptr, 10) : 0;
}

struct Memory {
  long rss_kib = 0;
  long anon_kib = 0;
  double cpu_s = 0;
};

Memory memoryOf(pid_t pid) {
  Memory memory;
  std::istringstream status(slurp(fmt::format("/proc/{}/status", pid)));
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) {
      memory.rss_kib = std::atol(line.c_str() + 6);
    }
    if (line.starts_with("RssAnon:")) {
      memory.anon_kib = std::atol(line.c_str() + 8);
    }
  }
  std::string stat = slurp(fmt::format("/proc/{}/stat", pid));
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  long ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) {
      ticks += std::atol(field.c_str());
    }
  }
  memory.cpu_s = static_cast<double>(ticks) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  return memory;
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  size_t index = static_cast<size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

int freePortHint(int base, int i) { return base + i; }

class Fleet {
 public:
  Fleet(int agents, fs::path root) : root_(std::move(root)) {
    fs::remove_all(root_);
    fs::create_directories(root_);
    state_ = root_ / "controller";
    const std::string controller = gBin + "/vantus-controller";
    const std::string init =
        run(fmt::format("{} init --state-dir {}", controller, state_.string()));
    pin_ = init.substr(init.find("SHA256:"),
                       init.find(' ', init.find("SHA256:")) - init.find("SHA256:"));
    std::string config = slurp(state_ / "controller.yaml");
    config.replace(config.find("\nprecheck: true"), 15, "\nprecheck: false");
    config.replace(config.find("\nlog_level: info"), 16, "\nlog_level: warn");
    std::ofstream(state_ / "controller.yaml", std::ios::trunc) << config;
    cli("cluster create --name bench");
    cli("tenant create --slug bench --name Bench");
    cli("domain add --tenant bench --name www.bench.test");
    cli("pool set --tenant bench --json "
        "'{\"name\":\"web\",\"targets\":[{\"host\":\"127.0.0.1\",\"port\":9}]}'");
    cli("assign --tenant bench --cluster bench");
    cli("deploy --tenant bench --message first");
    token_ =
        cli("token create --user admin@vantus.local --name bench --scopes "
            "tenants:read,config:read,config:write,deploy");
    token_ = token_.substr(token_.find("vt_"),
                           token_.find_first_of(" \n", token_.find("vt_")) - token_.find("vt_"));
    controller_port_ = 28440;
    controller_pid_ = spawn({controller, "serve", "--state-dir", state_.string(), "--listen",
                             fmt::format("127.0.0.1:{}", controller_port_)},
                            root_ / "controller.log");
    waitFor(
        [this] { return httplib::Client("127.0.0.1", controller_port_).Get("/readyz") != nullptr; },
        std::chrono::seconds(20));
    for (int i = 0; i < agents; ++i) {
      addAgent(i);
    }
  }

  ~Fleet() {
    for (pid_t pid : agent_pids_) {
      ::kill(pid, SIGKILL);
    }
    for (int i = 0; i < static_cast<int>(agent_pids_.size()); ++i) {
      std::ifstream in(root_ / fmt::format("node-{}", i) / "nginx" / "nginx.pid");
      int pid = 0;
      if (in >> pid) {
        ::kill(pid, SIGQUIT);
      }
    }
    ::kill(controller_pid_, SIGTERM);
    ::waitpid(controller_pid_, nullptr, 0);
  }

  std::string cli(const std::string& args) {
    return run(fmt::format("{}/vantus-controller {} --state-dir {}", gBin, args, state_.string()));
  }

  void addAgent(int i) {
    const fs::path dir = root_ / fmt::format("node-{}", i);
    std::string token = cli("cluster enroll-token --cluster bench");
    token = token.substr(0, token.find('\n'));
    run(
        fmt::format("{}/vantus-agent enroll --controller http://127.0.0.1:{} --token {} --pin {} "
                    "--state-dir {} --name n{}",
                    gBin, controller_port_, token, pin_, dir.string(), i));
    const fs::path config = root_ / fmt::format("n{}.yaml", i);
    std::ofstream(config) << fmt::format(
        "controller_url: http://127.0.0.1:{}\nstate_dir: {}\nnginx:\n  http_listen: "
        "[\"127.0.0.1:{}\"]\n"
        "  status_listen: 127.0.0.1:{}\n  worker_processes: 1\n  worker_connections: 128\n"
        "log_level: info\n",
        controller_port_, dir.string(), freePortHint(30000, 2 * i), freePortHint(30001, 2 * i));
    status_ports_.push_back(30001 + 2 * i);
    agent_pids_.push_back(spawn({gBin + "/vantus-agent", "run", "--config", config.string()},
                                root_ / fmt::format("n{}.log", i)));
  }

  // PUT a policy change and POST the deployment; returns the release version and the time
  // just before the deployment request.
  std::pair<std::uint64_t, Clock::time_point> deploy(int revision) {
    httplib::Client client("127.0.0.1", controller_port_);
    httplib::Headers auth{{"Authorization", "Bearer " + token_}};
    client.Put("/api/v1/tenants/1/edge-policy", auth,
               fmt::format("{{\"headers\":{{\"X-Rev\":\"{}\"}}}}", revision), "application/json");
    const auto started = Clock::now();
    auto answer = client.Post("/api/v1/deployments", auth,
                              fmt::format("{{\"tenant_id\":1,\"message\":\"rev {}\"}}", revision),
                              "application/json");
    if (!answer || answer->status != 201) {
      throw std::runtime_error("deployment refused: " + (answer ? answer->body : "no answer"));
    }
    auto body = nlohmann::json::parse(answer->body);
    return {body["releases"][0]["version"].get<std::uint64_t>(), started};
  }

  const std::vector<int>& statusPorts() const { return status_ports_; }
  const std::vector<pid_t>& agentPids() const { return agent_pids_; }
  int controllerPort() const { return controller_port_; }
  const fs::path& root() const { return root_; }
  const fs::path& stateDir() const { return state_; }

 private:
  fs::path root_;
  fs::path state_;
  std::string pin_;
  std::string token_;
  int controller_port_ = 0;
  pid_t controller_pid_ = 0;
  std::vector<int> status_ports_;
  std::vector<pid_t> agent_pids_;
};

void propagation(Fleet& fleet, int rounds) {
  const auto& ports = fleet.statusPorts();
  std::vector<double> latencies;
  for (int round = 0; round < rounds; ++round) {
    auto [version, started] = fleet.deploy(100 + round);
    std::vector<double> seen(ports.size(), -1);
    std::vector<std::thread> pollers;
    for (size_t t = 0; t < 4; ++t) {
      pollers.emplace_back([&, t] {
        const auto deadline = Clock::now() + std::chrono::seconds(30);
        while (Clock::now() < deadline) {
          bool all = true;
          for (size_t i = t; i < ports.size(); i += 4) {
            if (seen[i] >= 0) {
              continue;
            }
            if (versionAt(ports[i]) >= version) {
              seen[i] = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
            } else {
              all = false;
            }
          }
          if (all) {
            break;
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
      });
    }
    for (auto& poller : pollers) {
      poller.join();
    }
    for (double ms : seen) {
      latencies.push_back(ms < 0 ? 30000 : ms);
    }
  }
  std::cout << fmt::format(
      "propagation, {} agents x {} deployments: p50 {:.0f} ms, p99 {:.0f} ms, "
      "max {:.0f} ms\n",
      ports.size(), rounds, percentile(latencies, 0.5), percentile(latencies, 0.99),
      percentile(latencies, 1.0));
}

// Agents without nginx, labelled as such: threads of this process that enrol, long-poll the
// pointer, download and verify the bundle (the real verifier) and count as "applied" then.
// Measures the controller's fan-out, not nginx.
void simulatedPropagation(Fleet& fleet, int agents, int rounds) {
  const std::string pem = slurp(fleet.stateDir() / "keys" / "signing.pub");
  auto key = vantus::crypto::Ed25519PublicKey::fromPem(pem);
  auto keyring = vantus::release::Keyring::fromKeys({*key});
  std::vector<std::string> credentials;
  for (int i = 0; i < agents; ++i) {
    std::string token = fleet.cli("cluster enroll-token --cluster bench");
    token = token.substr(0, token.find('\n'));
    auto node_key = vantus::crypto::Ed25519PrivateKey::generate();
    httplib::Client client("127.0.0.1", fleet.controllerPort());
    nlohmann::json request = {{"token", token},
                              {"name", fmt::format("sim{}", i)},
                              {"public_key", node_key->publicKey().pem()}};
    auto answer = client.Post("/agent/v1/enroll", request.dump(), "application/json");
    credentials.push_back(nlohmann::json::parse(answer->body)["credential"].get<std::string>());
  }
  std::atomic<std::uint64_t> target{0};
  std::atomic<bool> stop{false};
  std::vector<std::vector<std::pair<std::uint64_t, Clock::time_point>>> seen(agents);
  std::vector<std::thread> threads;
  for (int i = 0; i < agents; ++i) {
    threads.emplace_back([&, i] {
      httplib::Client client("127.0.0.1", fleet.controllerPort());
      client.set_keep_alive(true);
      client.set_read_timeout(std::chrono::seconds(40));
      const httplib::Headers auth{{"Authorization", "Bearer " + credentials[i]}};
      std::string etag;
      while (!stop) {
        httplib::Headers headers = auth;
        if (!etag.empty()) {
          headers.emplace("If-None-Match", etag);
        }
        auto answer = client.Get("/agent/v1/desired?wait=5", headers);
        if (!answer) {
          continue;
        }
        if (answer->status != 200) {
          continue;
        }
        etag = answer->get_header_value("ETag");
        auto pointer = nlohmann::json::parse(answer->body);
        auto bundle = client.Get(pointer["bundle_url"].get<std::string>(), auth);
        vantus::release::VerifyPolicy policy{.now = std::time(nullptr)};
        auto verified = vantus::release::verifyBundle(bundle->body, *keyring, policy);
        if (verified) {
          seen[i].emplace_back(verified->manifest.version, Clock::now());
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));
  std::vector<double> latencies;
  for (int round = 0; round < rounds; ++round) {
    auto [version, started] = fleet.deploy(5000 + round);
    waitFor(
        [&] {
          return std::all_of(seen.begin(), seen.end(), [&](const auto& s) {
            return !s.empty() && s.back().first >= version;
          });
        },
        std::chrono::seconds(30));
    for (const auto& s : seen) {
      for (const auto& [v, at] : s) {
        if (v == version) {
          latencies.push_back(std::chrono::duration<double, std::milli>(at - started).count());
        }
      }
    }
  }
  stop = true;
  fleet.deploy(9999);  // wakes the long polls
  for (auto& thread : threads) {
    thread.join();
  }
  std::cout << fmt::format(
      "propagation, {} SIMULATED agents (no nginx: long-poll, download, verify) x "
      "{} deployments: p50 {:.0f} ms, p99 {:.0f} ms, max {:.0f} ms ({} of {} seen)\n",
      agents, rounds, percentile(latencies, 0.5), percentile(latencies, 0.99),
      percentile(latencies, 1.0), latencies.size(), agents * rounds);
}

void applies(Fleet& fleet, int count) {
  const pid_t agent = fleet.agentPids().front();
  const int port = fleet.statusPorts().front();
  auto report = [&](int done) {
    Memory m = memoryOf(agent);
    std::cout << fmt::format(
        "after {:>5} applies: RSS {:.1f} MiB, private (RssAnon) {:.1f} MiB, "
        "CPU {:.2f} s\n",
        done, m.rss_kib / 1024.0, m.anon_kib / 1024.0, m.cpu_s);
  };
  std::this_thread::sleep_for(std::chrono::seconds(3));
  report(0);
  for (int i = 1; i <= count; ++i) {
    auto [version, started] = fleet.deploy(1000 + i);
    waitFor([&] { return versionAt(port) >= version; }, std::chrono::seconds(30));
    if (i == 10 || i % 250 == 0) {
      report(i);
    }
  }
  const Memory before = memoryOf(agent);
  std::this_thread::sleep_for(std::chrono::seconds(10));
  const Memory after = memoryOf(agent);
  std::cout << fmt::format("idle 10 s: CPU {:.3f} s, RSS {:.1f} MiB\n", after.cpu_s - before.cpu_s,
                           after.rss_kib / 1024.0);
}

double wrk(const std::string& url, const std::vector<std::string>& headers, int seconds) {
  std::string command = fmt::format("wrk -t2 -c32 -d{}s", seconds);
  for (const std::string& header : headers) {
    command += " -H '" + header + "'";
  }
  const std::string output = run(command + " " + url);
  const size_t at = output.find("Requests/sec:");
  return at == std::string::npos ? 0 : std::atof(output.c_str() + at + 13);
}

void pollThroughput(Fleet& fleet, int seconds) {
  const fs::path node = fleet.root() / "node-0";
  std::string credential = slurp(node / "credential");
  credential.erase(credential.find_last_not_of("\n ") + 1);
  const std::string auth = "Authorization: Bearer " + credential;
  httplib::Client client("127.0.0.1", fleet.controllerPort());
  auto pointer = client.Get("/agent/v1/desired", {{"Authorization", "Bearer " + credential}});
  const std::string etag = pointer->get_header_value("ETag");
  const std::string url =
      fmt::format("http://127.0.0.1:{}/agent/v1/desired", fleet.controllerPort());

  // Plain nginx serving a file as large as the pointer, same machine, same wrk.
  const fs::path plain = fleet.root() / "plain";
  fs::create_directories(plain / "html");
  std::ofstream(plain / "html" / "desired") << pointer->body;
  std::ofstream(plain / "nginx.conf") << fmt::format(
      "daemon off; pid {0}/nginx.pid; error_log {0}/error.log; worker_processes 1;\n"
      "events {{ worker_connections 1024; }}\nhttp {{ access_log off; client_body_temp_path {0}; "
      "proxy_temp_path {0}; fastcgi_temp_path {0}; uwsgi_temp_path {0}; scgi_temp_path {0};\n"
      "server {{ listen 127.0.0.1:28500; root {0}/html; }} }}\n",
      plain.string());
  pid_t nginx =
      spawn({"/usr/sbin/nginx", "-c", (plain / "nginx.conf").string()}, plain / "out.log");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  const double unchanged = wrk(url, {auth, "If-None-Match: " + etag}, seconds);
  const double full = wrk(url, {auth}, seconds);
  const double closing = wrk(url, {auth, "If-None-Match: " + etag, "Connection: close"}, seconds);
  const double reference = wrk("http://127.0.0.1:28500/desired", {}, seconds);
  const double reference_closing =
      wrk("http://127.0.0.1:28500/desired", {"Connection: close"}, seconds);
  ::kill(nginx, SIGQUIT);
  ::waitpid(nginx, nullptr, 0);
  std::cout << fmt::format(
      "poll /agent/v1/desired (wrk -t2 -c32, {} s each):\n"
      "  no change (304), keep-alive:   {:>8.0f} req/s   {:.2f}x nginx\n"
      "  no change (304), Connection: close: {:>8.0f} req/s   {:.2f}x nginx (close)\n"
      "  pointer (200), keep-alive:     {:>8.0f} req/s   {:.2f}x nginx\n"
      "  nginx static {} B, keep-alive: {:>8.0f} req/s; Connection: close: {:.0f} req/s\n",
      seconds, unchanged, unchanged / reference, closing, closing / reference_closing, full,
      full / reference, pointer->body.size(), reference, reference_closing);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_fleet: propagation, agent memory and poll throughput on loopback"};
  int agents = 20, rounds = 10, apply_count = 0, wrk_seconds = 0, simulated = 0;
  std::string root = "/tmp/vantus-bench-fleet";
  app.add_option("--agents", agents, "Agents, each with its own nginx")->capture_default_str();
  app.add_option("--rounds", rounds, "Deployments for the propagation figure (0 = skip)")
      ->capture_default_str();
  app.add_option("--applies", apply_count, "Apply cycles for the memory figure (0 = skip)");
  app.add_option("--wrk", wrk_seconds, "Seconds per wrk run for the poll figure (0 = skip)");
  app.add_option("--simulated", simulated, "Simulated agents (no nginx) for propagation");
  app.add_option("--dir", root, "Scratch dir (removed first)")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  try {
    Fleet fleet(agents, root);
    const auto& ports = fleet.statusPorts();
    if (!waitFor(
            [&] {
              return std::all_of(ports.begin(), ports.end(),
                                 [](int port) { return versionAt(port) > 0; });
            },
            std::chrono::seconds(120))) {
      std::cerr << "not every agent came up; see " << root << "\n";
      return 1;
    }
    if (rounds > 0 && simulated > 0) {
      simulatedPropagation(fleet, simulated, rounds);
    }
    if (rounds > 0 && agents > 0) {
      propagation(fleet, rounds);
    }
    if (apply_count > 0) {
      applies(fleet, apply_count);
    }
    if (wrk_seconds > 0) {
      pollThroughput(fleet, wrk_seconds);
    }
  } catch (const std::exception& e) {
    std::cerr << "bench_fleet: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

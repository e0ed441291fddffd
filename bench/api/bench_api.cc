// The REST API on loopback, measured with wrk against the real `vantus-controller serve`:
// writes (authenticate, validate, store, audit row), authenticated reads, and — in the same
// run, on the same controller — the agent's no-change poll that the read target is set
// against. After the writes it checks that every acknowledged write is stored, that the audit
// log grew by as many rows, and that `audit verify` accepts the chain.
//
//   bench_api [--seconds 5] [--connections 32] [--threads 2] [--controller PATH] [--keep]
#include <fmt/format.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>
#include <vector>

#include "bench/api/controller_process.h"
#include "bench/api/wrk_runner.h"
#include "common/crypto/ed25519.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using vantus::bench::ControllerProcess;
using vantus::bench::WrkJob;
using vantus::bench::WrkOptions;
using vantus::bench::WrkResult;

constexpr int kPageItems = 100;
constexpr double kWriteTarget = 5000;      // writes/s
constexpr double kReadToPollTarget = 0.5;  // reads/s over no-change polls/s

// JSON calls with the bench token; any answer but `expected` throws.
class Api {
 public:
  Api(int port, std::string token) : client_("127.0.0.1", port), token_(std::move(token)) {
    client_.set_read_timeout(std::chrono::seconds(60));
  }

  json call(const std::string& method, const std::string& path, const json& body, int expected) {
    const httplib::Headers auth{{"Authorization", "Bearer " + token_}};
    httplib::Result answer = method == "GET"
                                 ? client_.Get(path, auth)
                                 : client_.Post(path, auth, body.dump(), "application/json");
    if (!answer || answer->status != expected) {
      throw std::runtime_error(fmt::format("{} {} answered {}: {}", method, path,
                                           answer ? std::to_string(answer->status) : "nothing",
                                           answer ? answer->body : ""));
    }
    return json::parse(answer->body);
  }
  json get(const std::string& path) { return call("GET", path, nullptr, 200); }
  json post(const std::string& path, const json& body) { return call("POST", path, body, 201); }

 private:
  httplib::Client client_;
  std::string token_;
};

// A cluster with one deployed tenant, so the agent poll has a release to say "unchanged" about
// (the same setup as bench_fleet); returns a one-time enrolment token.
std::string prepareRelease(ControllerProcess& controller) {
  controller.cli("cluster create --name bench");
  controller.cli("tenant create --slug poll --name Poll");
  controller.cli("domain add --tenant poll --name www.poll.bench.example");
  controller.cli(
      "pool set --tenant poll --json "
      "'{\"name\":\"web\",\"targets\":[{\"host\":\"127.0.0.1\",\"port\":9}]}'");
  controller.cli("assign --tenant poll --cluster bench");
  controller.cli("deploy --tenant poll --message first");
  const std::string enrol = controller.cli("cluster enroll-token --cluster bench");
  return enrol.substr(0, enrol.find('\n'));
}

std::string firstWord(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \n");
  const size_t end = text.find_first_of(" \n", begin);
  return begin == std::string::npos ? "" : text.substr(begin, end - begin);
}

// Enrols a simulated node (a fresh Ed25519 key, no nginx) and returns its credential and the
// ETag of the current pointer: what an agent sends on its no-change poll.
std::pair<std::string, std::string> enrolNode(int port, const std::string& enrol_token) {
  auto key = vantus::crypto::Ed25519PrivateKey::generate();
  if (!key) {
    throw std::runtime_error("cannot generate a node key");
  }
  httplib::Client client("127.0.0.1", port);
  const json request = {
      {"token", enrol_token}, {"name", "bench-node"}, {"public_key", key->publicKey().pem()}};
  auto answer = client.Post("/agent/v1/enroll", request.dump(), "application/json");
  if (!answer || answer->status != 201) {
    throw std::runtime_error("enrolment refused: " + (answer ? answer->body : "no answer"));
  }
  const std::string credential = json::parse(answer->body)["credential"].get<std::string>();
  auto pointer = client.Get("/agent/v1/desired", {{"Authorization", "Bearer " + credential}});
  if (!pointer || pointer->status != 200 || pointer->get_header_value("ETag").empty()) {
    throw std::runtime_error("no release pointer for the bench node");
  }
  return {credential, pointer->get_header_value("ETag")};
}

// Plain nginx (one worker) serving a 232-byte file: the same reference as bench_fleet.
class PlainNginx {
 public:
  explicit PlainNginx(const fs::path& dir) : port_(vantus::bench::freeLoopbackPort()) {
    fs::create_directories(dir / "html");
    std::ofstream(dir / "html" / "static") << std::string(232, 'x');
    // Run as root, nginx serves through unprivileged workers: they must reach the file
    // through the scratch dir, which mkdtemp made 0700.
    std::error_code ignored;
    fs::permissions(dir.parent_path(), fs::perms::others_exec | fs::perms::group_exec,
                    fs::perm_options::add, ignored);
    std::ofstream(dir / "nginx.conf") << fmt::format(
        "daemon off; pid {0}/nginx.pid; error_log {0}/error.log; worker_processes 1;\n"
        "events {{ worker_connections 1024; }}\nhttp {{ access_log off; client_body_temp_path "
        "{0}; proxy_temp_path {0}; fastcgi_temp_path {0}; uwsgi_temp_path {0}; "
        "scgi_temp_path {0};\nserver {{ listen 127.0.0.1:{1}; root {0}/html; }} }}\n",
        dir.string(), port_);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::execl("/usr/sbin/nginx", "nginx", "-c", (dir / "nginx.conf").c_str(), nullptr);
      ::_exit(127);
    }
    if (pid_ < 0) {
      throw std::runtime_error("fork failed");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ~PlainNginx() {
    ::kill(pid_, SIGQUIT);
    ::waitpid(pid_, nullptr, 0);
  }
  PlainNginx(const PlainNginx&) = delete;
  PlainNginx& operator=(const PlainNginx&) = delete;
  std::string url() const { return fmt::format("http://127.0.0.1:{}/static", port_); }

 private:
  int port_;
  pid_t pid_ = 0;
};

WrkJob getJob(std::string name, std::string url,
              std::vector<std::pair<std::string, std::string>> headers, int expected = 200) {
  WrkJob job;
  job.name = std::move(name);
  job.url = std::move(url);
  job.headers = std::move(headers);
  job.expected_status = expected;
  return job;
}

// A JSON write with the bench token and a unique body per request.
WrkJob writeJob(std::string name, std::string method, std::string url, const std::string& token,
                std::string body_format, int expected) {
  WrkJob job = getJob(std::move(name), std::move(url),
                      {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}},
                      expected);
  job.method = std::move(method);
  job.body_format = std::move(body_format);
  return job;
}

// What a row is held against: the reference, the read target or the write target.
enum class Kind { kReference, kRead, kWrite };

struct Row {
  std::string label;
  WrkResult result;
  double controller_cpu_s = 0;  // CPU seconds the controller spent during the run
  Kind kind = Kind::kReference;
};

Row measure(ControllerProcess& controller, const WrkJob& job, const WrkOptions& options,
            const fs::path& dir, std::string label, Kind kind) {
  const double cpu_before = controller.cpuSeconds();
  WrkResult result = vantus::bench::runWrk(job, options, dir);
  const double cpu = controller.cpuSeconds() - cpu_before;
  if (!controller.running()) {
    throw std::runtime_error("vantus-controller exited during " + job.name);
  }
  return Row{std::move(label), std::move(result), cpu, kind};
}

std::string statusList(const WrkResult& result) {
  std::string text;
  for (const auto& [status, count] : result.statuses) {
    text += fmt::format("{}{}×{}", text.empty() ? "" : " ", status, count);
  }
  return text.empty() ? "-" : text;
}

// Every acknowledged write is stored, the audit log grew by one row per stored write, the
// chain verifies. Returns the problems found (empty: all good).
std::vector<std::string> checkWrites(Api& api, ControllerProcess& controller,
                                     const std::string& domains_path, const Row& domains,
                                     const Row& policy, long audit_before, int connections,
                                     std::ostream& report) {
  std::vector<std::string> problems;
  // Requests still in flight when wrk stopped may complete on the server unacknowledged.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const long stored = static_cast<long>(api.get(domains_path)["items"].size());
  const long acked = domains.result.expected;
  const long slack = connections + domains.result.timeouts;
  report << fmt::format(
      "  domains stored {} / acknowledged 201 {} (unacknowledged in flight allowed: ≤ {})\n",
      stored, acked, slack);
  if (stored < acked) {
    problems.push_back(fmt::format("{} acknowledged writes lost", acked - stored));
  }
  if (stored > acked + slack) {
    problems.push_back(fmt::format("{} more domains stored than acknowledged", stored - acked));
  }
  const long audit_after = api.get("/api/v1/audit?limit=1")["items"][0]["id"].get<long>();
  const long audit_rows = audit_after - audit_before;
  const long policy_acked = policy.result.expected;
  const long policy_slack = connections + policy.result.timeouts;
  report << fmt::format(
      "  audit rows added {} / domains stored {} + policy writes acknowledged {} (+ ≤ {} in "
      "flight)\n",
      audit_rows, stored, policy_acked, policy_slack);
  if (audit_rows < stored + policy_acked || audit_rows > stored + policy_acked + policy_slack) {
    problems.push_back("the audit log does not have one row per write");
  }
  controller.stop();
  const std::string verified = controller.cli("audit verify");
  report << "  audit verify: " << verified;
  return problems;
}

void printTable(const std::vector<Row>& rows, double poll_rate, const WrkOptions& options) {
  std::cout << fmt::format(
      "\nwrk -t{} -c{} -d{}s per row, keep-alive, loopback; req/s counts expected answers "
      "only; controller CPU = its user + system time per answer\n\n",
      options.threads, options.connections, options.seconds);
  std::cout << "| request | req/s | p50 ms | p99 ms | vs poll | controller CPU | answers |\n"
               "|---|---:|---:|---:|---:|---:|---|\n";
  for (const Row& row : rows) {
    const WrkResult& r = row.result;
    std::string answers = statusList(r);
    if (r.socket_errors > 0) {
      answers += fmt::format(", socket errors {}", r.socket_errors);
    }
    const std::string cpu =
        row.controller_cpu_s > 0 && r.requests > 0
            ? fmt::format("{:.0f} µs", row.controller_cpu_s * 1e6 / static_cast<double>(r.requests))
            : std::string("-");
    std::cout << fmt::format("| {} | {:.0f} | {:.2f} | {:.2f} | {:.2f}× | {} | {} |\n", row.label,
                             r.rate(), r.p50_ms, r.p99_ms, r.rate() / poll_rate, cpu, answers);
  }
}

int run(const fs::path& binary, const fs::path& dir, const WrkOptions& options) {
  ControllerProcess controller(binary, dir);
  const std::string enrol_token = prepareRelease(controller);
  const std::string token = firstWord(controller.cli(
      "token create --user " + controller.adminEmail() +
      " --name bench --expires 1d --scopes tenants:read,tenants:write,config:read,config:write,"
      "audit:read"));
  controller.serve();
  const std::string base = fmt::format("http://127.0.0.1:{}", controller.port());
  const auto [credential, etag] = enrolNode(controller.port(), enrol_token);

  Api api(controller.port(), token);
  const long writes_id =
      api.post("/api/v1/tenants", {{"slug", "writes"}, {"name", "W"}})["id"].get<long>();
  const long reads_id =
      api.post("/api/v1/tenants", {{"slug", "reads"}, {"name", "R"}})["id"].get<long>();
  const std::string reads_domains = fmt::format("/api/v1/tenants/{}/domains", reads_id);
  for (int i = 1; i <= kPageItems; ++i) {
    api.post("/api/v1/tenants", {{"slug", fmt::format("bench-{:03}", i)}, {"name", "T"}});
    api.post(reads_domains, {{"name", fmt::format("r{:03}.reads.bench.example", i)}});
  }
  const std::string tenants_page = fmt::format("/api/v1/tenants?limit={}", kPageItems);
  if (api.get(tenants_page)["items"].size() != kPageItems ||
      api.get(reads_domains)["items"].size() != kPageItems) {
    throw std::runtime_error("a list page does not hold 100 items");
  }

  const std::pair<std::string, std::string> auth{"Authorization", "Bearer " + token};
  const std::string writes_domains = fmt::format("/api/v1/tenants/{}/domains", writes_id);
  std::vector<Row> rows;
  rows.push_back(
      measure(controller,
              getJob("poll", base + "/agent/v1/desired",
                     {{"Authorization", "Bearer " + credential}, {"If-None-Match", etag}}, 304),
              options, dir, "agent poll, no change (304) — the reference", Kind::kReference));
  rows.push_back(measure(
      controller, getJob("get-tenant", fmt::format("{}/api/v1/tenants/{}", base, reads_id), {auth}),
      options, dir, "GET /api/v1/tenants/{id}", Kind::kRead));
  rows.push_back(measure(controller, getJob("list-tenants", base + tenants_page, {auth}), options,
                         dir, "GET /api/v1/tenants?limit=100 (100 items)", Kind::kRead));
  rows.push_back(measure(controller, getJob("list-domains", base + reads_domains, {auth}), options,
                         dir, "GET /api/v1/tenants/{id}/domains (100 items)", Kind::kRead));
  const long audit_before = api.get("/api/v1/audit?limit=1")["items"][0]["id"].get<long>();
  const size_t post_row = rows.size();
  rows.push_back(measure(controller,
                         writeJob("post-domain", "POST", base + writes_domains, token,
                                  R"({"name":"d%d-%d.bench.example"})", 201),
                         options, dir, "POST /api/v1/tenants/{id}/domains (unique names)",
                         Kind::kWrite));
  const size_t put_row = rows.size();
  rows.push_back(measure(controller,
                         writeJob("put-policy", "PUT",
                                  fmt::format("{}/api/v1/tenants/{}/edge-policy", base, writes_id),
                                  token, R"({"headers":{"X-Bench":"t%d-%d"}})", 200),
                         options, dir, "PUT /api/v1/tenants/{id}/edge-policy (same row)",
                         Kind::kWrite));
  if (fs::exists("/usr/sbin/nginx")) {
    PlainNginx nginx(dir / "nginx");
    Row reference{"plain nginx, static 232 B (not the controller)",
                  vantus::bench::runWrk(getJob("nginx", nginx.url(), {}), options, dir)};
    rows.push_back(std::move(reference));
  }

  const double poll_rate = rows.front().result.rate();
  if (poll_rate <= 0) {
    throw std::runtime_error("the agent poll got no 304 answer");
  }
  printTable(rows, poll_rate, options);

  std::cout << "\nCorrectness after the write runs:\n";
  std::vector<std::string> problems =
      checkWrites(api, controller, writes_domains, rows[post_row], rows[put_row], audit_before,
                  options.connections, std::cout);
  for (const Row& row : rows) {
    if (row.result.unexpected() > 0 || row.result.socket_errors > 0) {
      problems.push_back(fmt::format("{}: {} unexpected answers, {} socket errors", row.label,
                                     row.result.unexpected(), row.result.socket_errors));
    }
  }

  std::cout << "\nTargets:\n";
  for (const Row& row : rows) {
    if (row.kind == Kind::kWrite) {
      std::cout << fmt::format("  {}: {:.0f} writes/s, target ≥ {:.0f}: {}\n", row.label,
                               row.result.rate(), kWriteTarget,
                               row.result.rate() >= kWriteTarget ? "met" : "MISSED");
    }
    if (row.kind == Kind::kRead) {
      const double ratio = row.result.rate() / poll_rate;
      std::cout << fmt::format("  {}: {:.2f}× the no-change poll, target ≥ {:.1f}×: {}\n",
                               row.label, ratio, kReadToPollTarget,
                               ratio >= kReadToPollTarget ? "met" : "MISSED");
    }
  }
  if (!problems.empty()) {
    std::cerr << "\nbench_api: FAILED checks:\n";
    for (const std::string& problem : problems) {
      std::cerr << "  " << problem << "\n";
    }
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_api: REST API writes and reads vs the agent poll, with wrk on loopback"};
  WrkOptions options;
  std::string binary = std::string(VANTUS_BINARY_DIR) + "/vantus-controller";
  bool keep = false;
  app.add_option("--seconds", options.seconds, "wrk duration per row")
      ->capture_default_str()
      ->check(CLI::Range(1, 600));
  app.add_option("--connections", options.connections, "wrk connections")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  app.add_option("--threads", options.threads, "wrk threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.add_option("--controller", binary, "vantus-controller binary")->capture_default_str();
  app.add_flag("--keep", keep, "Keep the scratch dir (state, logs, Lua scripts)");
  CLI11_PARSE(app, argc, argv);
  if (options.connections < options.threads) {
    std::cerr << "bench_api: --connections must be at least --threads\n";
    return 2;
  }
  char scratch[] = "/tmp/vantus-bench-api-XXXXXX";
  if (::mkdtemp(scratch) == nullptr) {
    std::cerr << "bench_api: cannot make a scratch dir in /tmp\n";
    return 1;
  }
  int code = 1;
  try {
    code = run(binary, scratch, options);
  } catch (const std::exception& e) {
    std::cerr << "bench_api: " << e.what() << "\n(scratch dir kept: " << scratch << ")\n";
    return 1;
  }
  if (keep || code != 0) {
    std::cout << "scratch dir kept: " << scratch << "\n";
  } else {
    std::error_code ignored;
    fs::remove_all(scratch, ignored);
  }
  return code;
}

// Page render time of the web UI against the same data's REST answers, in one run on the real
// `vantus-controller serve`: a tenant overview with 100 domains beside
// GET /api/v1/tenants/{id}/domains, and a deployment page with a diff of about 1,000 lines
// beside GET /api/v1/deployments/{id}/diff. Requests go one at a time over one keep-alive
// connection; median and p99 of each.
//
//   bench_ui [--requests 200] [--controller PATH]
#include <fmt/format.h>
#include <httplib.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

#include "bench/api/controller_process.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using vantus::bench::ControllerProcess;

constexpr int kDomains = 100;
constexpr int kPools = 250;  // ~4 rendered lines each: a diff of ~1,000 lines

std::string firstWord(const std::string& text) { return text.substr(0, text.find_first_of(" \n")); }

void expect(const httplib::Result& answer, int status, const std::string& what) {
  if (!answer || answer->status != status) {
    throw std::runtime_error(fmt::format("{} answered {}: {}", what,
                                         answer ? std::to_string(answer->status) : "nothing",
                                         answer ? answer->body.substr(0, 500) : ""));
  }
}

struct Timing {
  double median_ms = 0;
  double p99_ms = 0;
  std::size_t bytes = 0;
};

Timing measure(httplib::Client& client, const std::string& path, const httplib::Headers& headers,
               int requests) {
  std::vector<double> ms;
  std::size_t bytes = 0;
  for (int i = 0; i < requests; ++i) {
    const auto start = std::chrono::steady_clock::now();
    httplib::Result answer = client.Get(path, headers);
    const auto end = std::chrono::steady_clock::now();
    expect(answer, 200, "GET " + path);
    bytes = answer->body.size();
    ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 99 / 100)], bytes};
}

int run(const fs::path& binary, const fs::path& dir, int requests) {
  ControllerProcess controller(binary, dir);
  controller.cli("cluster create --name bench");
  controller.cli("tenant create --slug pages --name Pages");
  controller.cli("assign --tenant pages --cluster bench");
  const std::string token = firstWord(
      controller.cli("token create --user " + controller.adminEmail() +
                     " --name bench --expires 1d --scopes tenants:read,config:read,config:write,"
                     "deploy"));
  const std::string link = controller.cli("user reset-link --email " + controller.adminEmail());
  const std::string reset = link.substr(link.find("/reset/"), 7 + 43);
  controller.serve();

  httplib::Client client("127.0.0.1", controller.port());
  client.set_read_timeout(std::chrono::seconds(60));
  const httplib::Headers bearer{{"Authorization", "Bearer " + token}};
  auto post = [&](const std::string& path, const json& body, int status) {
    httplib::Result answer = client.Post(path, bearer, body.dump(), "application/json");
    expect(answer, status, "POST " + path);
    return json::parse(answer->body);
  };
  const long tenant = 1;  // the only tenant, made above
  for (int i = 0; i < kDomains; ++i) {
    post(fmt::format("/api/v1/tenants/{}/domains", tenant),
         {{"name", fmt::format("d{:03}.pages.bench.example", i)}}, 201);
  }
  post(fmt::format("/api/v1/tenants/{}/upstream-pools", tenant),
       {{"name", "web"}, {"targets", {{{"host", "127.0.0.1"}, {"port", 9}}}}}, 201);
  const long first =
      post("/api/v1/deployments", {{"tenant_id", tenant}, {"message", "first"}}, 201)["id"]
          .get<long>();
  for (int i = 0; i < kPools; ++i) {
    post(fmt::format("/api/v1/tenants/{}/upstream-pools", tenant),
         {{"name", fmt::format("p{:03}", i)}, {"targets", {{{"host", "127.0.0.1"}, {"port", 9}}}}},
         201);
  }
  const long second =
      post("/api/v1/deployments", {{"tenant_id", tenant}, {"message", "second"}}, 201)["id"]
          .get<long>();

  // A session for the pages: the one-time link sets a password, the form signs in.
  const std::string password = "bench password of the UI";
  const httplib::Headers origin{{"Origin", fmt::format("http://127.0.0.1:{}", controller.port())}};
  expect(client.Post(reset, origin, "new_password=" + httplib::detail::encode_query_param(password),
                     "application/x-www-form-urlencoded"),
         303, "POST " + reset);
  httplib::Result login =
      client.Post("/login", origin,
                  fmt::format("email={}&password={}",
                              httplib::detail::encode_query_param(controller.adminEmail()),
                              httplib::detail::encode_query_param(password)),
                  "application/x-www-form-urlencoded");
  expect(login, 303, "POST /login");
  const std::string cookie = login->get_header_value("Set-Cookie");
  const httplib::Headers session{{"Cookie", cookie.substr(0, cookie.find(';'))}};

  const std::string diff_api = fmt::format("/api/v1/deployments/{}/diff?against={}", second, first);
  const std::string diff_page = fmt::format("/tenants/{}/deployments/{}", tenant, second);
  httplib::Result diff = client.Get(diff_api, bearer);
  expect(diff, 200, "GET " + diff_api);
  const std::string& diff_text = diff->body;  // text/x-diff
  const long diff_lines = std::count(diff_text.begin(), diff_text.end(), '\n');

  struct Row {
    std::string label;
    std::string path;
    const httplib::Headers* headers;
  };
  const std::vector<Row> rows = {
      {fmt::format("UI tenant overview ({} domains)", kDomains), fmt::format("/tenants/{}", tenant),
       &session},
      {fmt::format("UI domains page ({} domains)", kDomains),
       fmt::format("/tenants/{}/domains", tenant), &session},
      {"API GET …/domains (same data)", fmt::format("/api/v1/tenants/{}/domains?limit=500", tenant),
       &bearer},
      {fmt::format("UI deployment page ({}-line diff)", diff_lines), diff_page, &session},
      {"API GET …/diff (same diff)", diff_api, &bearer},
  };
  std::cout << fmt::format("{} requests each, one at a time, one keep-alive connection\n\n",
                           requests);
  std::cout << "| what | median ms | p99 ms | bytes |\n|---|---:|---:|---:|\n";
  for (const Row& row : rows) {
    const Timing timing = measure(client, row.path, *row.headers, requests);
    std::cout << fmt::format("| {} | {:.2f} | {:.2f} | {} |\n", row.label, timing.median_ms,
                             timing.p99_ms, timing.bytes);
  }
  controller.stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Web UI page render time beside the REST API's"};
  int requests = 200;
  std::string binary = std::string(VANTUS_BINARY_DIR) + "/vantus-controller";
  app.add_option("--requests", requests, "Requests per row")->check(CLI::Range(10, 100000));
  app.add_option("--controller", binary, "The vantus-controller executable");
  CLI11_PARSE(app, argc, argv);
  const fs::path dir = fs::temp_directory_path() / fmt::format("vantus-bench-ui-{}", ::getpid());
  try {
    fs::create_directories(dir);
    const int code = run(binary, dir, requests);
    fs::remove_all(dir);
    return code;
  } catch (const std::exception& e) {
    std::cerr << "bench_ui: " << e.what() << "\n";
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return 1;
  }
}

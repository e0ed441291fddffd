#include "bench/api/wrk_runner.h"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "bench/api/controller_process.h"

namespace vantus::bench {

namespace {

// setup() numbers the threads in wrk's main Lua state; each thread counts its answers by
// status in its own state; done() gathers the counts (wrk copies tables across states) and
// prints machine-readable "BENCH" lines next to wrk's own summary.
constexpr const char* kCommonLua = R"lua(
local threads = {}
local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("id", thread_count)
  table.insert(threads, thread)
end
function init(args)
  statuses = {}
  n = 0
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for code, count in pairs(thread:get("statuses")) do
      total[code] = (total[code] or 0) + count
    end
  end
  local e = summary.errors
  io.write(string.format("BENCH duration_us %d\n", summary.duration))
  io.write(string.format("BENCH requests %d\n", summary.requests))
  io.write(string.format("BENCH socket_errors %d\n", e.connect + e.read + e.write + e.timeout))
  io.write(string.format("BENCH timeouts %d\n", e.timeout))
  io.write(string.format("BENCH p50_us %d\n", latency:percentile(50)))
  io.write(string.format("BENCH p99_us %d\n", latency:percentile(99)))
  for code, count in pairs(total) do
    io.write(string.format("BENCH status %d %d\n", code, count))
  end
end
)lua";

std::string luaScript(const WrkJob& job) {
  std::string script = fmt::format("wrk.method = \"{}\"\n", job.method);
  for (const auto& [name, value] : job.headers) {
    script += fmt::format("wrk.headers[ [[{}]] ] = [[{}]]\n", name, value);
  }
  if (!job.body_format.empty()) {
    // Lua long brackets: the JSON's quotes need no escaping.
    script += fmt::format(
        "function request()\n"
        "  n = n + 1\n"
        "  return wrk.format(nil, nil, nil, string.format([[{}]], id, n))\n"
        "end\n",
        job.body_format);
  }
  return script + kCommonLua;
}

}  // namespace

WrkResult runWrk(const WrkJob& job, const WrkOptions& options,
                 const std::filesystem::path& script_dir) {
  const std::filesystem::path script = script_dir / (job.name + ".lua");
  std::ofstream(script, std::ios::trunc) << luaScript(job);
  const std::string output =
      runCommand(fmt::format("wrk -t{} -c{} -d{}s -s {} '{}'", options.threads, options.connections,
                             options.seconds, script.string(), job.url));
  WrkResult result;
  bool complete = false;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string tag, key;
    if (!(words >> tag >> key) || tag != "BENCH") {
      continue;
    }
    long value = 0, count = 0;
    words >> value;
    if (key == "duration_us") {
      result.seconds = static_cast<double>(value) / 1e6;
    }
    if (key == "requests") {
      result.requests = value;
    }
    if (key == "socket_errors") {
      result.socket_errors = value;
    }
    if (key == "timeouts") {
      result.timeouts = value;
    }
    if (key == "p50_us") {
      result.p50_ms = static_cast<double>(value) / 1e3;
    }
    if (key == "p99_us") {
      result.p99_ms = static_cast<double>(value) / 1e3;
      complete = true;
    }
    if (key == "status" && words >> count) {
      result.statuses[static_cast<int>(value)] = count;
    }
  }
  if (!complete || result.seconds <= 0) {
    throw std::runtime_error("wrk printed no result for " + job.name + ":\n" + output);
  }
  auto expected = result.statuses.find(job.expected_status);
  result.expected = expected == result.statuses.end() ? 0 : expected->second;
  return result;
}

}  // namespace vantus::bench

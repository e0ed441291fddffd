#pragma once
// One wrk run driven by a generated Lua script that counts every answer by status code, so a
// figure is the rate of *expected* answers only (a 4xx/5xx storm is not a fast result).
// Throws std::runtime_error when wrk fails or prints no result. One thread only.
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace vantus::bench {

struct WrkOptions {
  int threads = 2;
  int connections = 32;
  int seconds = 5;
};

struct WrkJob {
  std::string name;  // for the table and the script's file name
  std::string url;   // http://127.0.0.1:PORT/path?query
  std::string method = "GET";
  std::vector<std::pair<std::string, std::string>> headers;
  // A Lua string.format pattern taking (thread number, request number in that thread), making
  // each request's body unique, e.g. R"({"name":"d%d-%d.bench.example"})". Empty: no body.
  std::string body_format;
  int expected_status = 200;
};

struct WrkResult {
  double seconds = 0;
  long requests = 0;       // answers received, any status
  long expected = 0;       // answers with the expected status
  long socket_errors = 0;  // connect, read, write errors and timeouts
  long timeouts = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  std::map<int, long> statuses;

  double rate() const { return seconds > 0 ? static_cast<double>(expected) / seconds : 0; }
  long unexpected() const { return requests - expected; }
};

// Writes `<script_dir>/<job.name>.lua` and runs `wrk` with it.
WrkResult runWrk(const WrkJob& job, const WrkOptions& options,
                 const std::filesystem::path& script_dir);

}  // namespace vantus::bench

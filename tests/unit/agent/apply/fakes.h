#pragma once
// Fakes of the applier's two seams. Both record every call and, for reloads, where `current`
// pointed at that moment, so a test can tell which release nginx was sent onto. Switches
// inject failures; everything succeeds by default. Single-threaded, like the applier.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "agent/apply/edge_nginx.h"
#include "agent/apply/edge_prober.h"

namespace vantus::agent::testing {

class FakeEdgeNginx final : public EdgeNginx {
 public:
  // Switches.
  bool test_refuses = false;  // nginx -t exits non-zero with `test_output`
  std::string test_output = "nginx: [emerg] unexpected \"}\" in tenants/acme/acme.conf:3";
  bool test_errors = false;    // nginx -t cannot be run at all (an Error, not a refusal)
  int reload_failures = 0;     // the next this many reloads fail
  bool master_running = true;  // what running() answers (reload() starts it)
  std::string busy_listen;     // "nginx.status_listen 127.0.0.1:18081": no cold start possible

  // Records.
  struct Test {
    std::filesystem::path conf;
    bool conf_existed = false;  // the staged nginx.conf was on disk when tested
  };
  std::vector<Test> tests;
  // The release dir name `current` pointed at during each reload ("" when it did not).
  std::vector<std::string> reloads;
  std::vector<std::filesystem::path> reloaded_confs;
  int stops = 0;

  Result<NginxTest> test(const std::filesystem::path& conf) override {
    std::error_code ignored;
    tests.push_back({conf, std::filesystem::is_regular_file(conf, ignored)});
    if (test_errors) {
      return fail(ErrorCode::kUnavailable, "cannot run /usr/sbin/nginx: no such file");
    }
    if (test_refuses) {
      return NginxTest{false, test_output};
    }
    return NginxTest{true, ""};
  }

  bool running() override { return master_running; }

  Result<void> reload(const std::filesystem::path& conf) override {
    std::error_code error;
    std::filesystem::path target = std::filesystem::read_symlink(conf.parent_path(), error);
    reloads.push_back(error ? "" : target.filename().string());
    reloaded_confs.push_back(conf);
    if (reload_failures > 0) {
      --reload_failures;
      return fail(ErrorCode::kUnavailable, "cannot signal the nginx master 4242: gone");
    }
    VANTUS_TRY_VOID(checkCanStart());
    master_running = true;
    return ok();
  }

  Result<void> checkCanStart() override {
    if (master_running || busy_listen.empty()) {
      return ok();
    }
    return fail(ErrorCode::kUnavailable,
                busy_listen + " is already in use by another program, so nginx cannot start");
  }

  Result<void> stop() override {
    ++stops;
    master_running = false;
    return ok();
  }

  std::string version() override { return "nginx/1.22.1"; }

  size_t testCount() const { return tests.size(); }
  size_t reloadCount() const { return reloads.size(); }
};

class FakeEdgeProber final : public EdgeProber {
 public:
  // Switches.
  std::set<std::uint64_t> unconfirmable;  // confirmVersion fails for these versions
  bool probe_fails = false;               // probeNames fails on the first name

  // Records.
  std::vector<std::uint64_t> confirmed;  // every version asked for, in order
  std::vector<std::chrono::milliseconds> confirm_timeouts;
  std::vector<std::vector<std::string>> probed;  // every probeNames call

  Result<void> confirmVersion(std::uint64_t version, std::chrono::milliseconds timeout) override {
    confirmed.push_back(version);
    confirm_timeouts.push_back(timeout);
    if (unconfirmable.contains(version)) {
      return fail(ErrorCode::kUnavailable,
                  "nginx did not answer version " + std::to_string(version) + " (last: HTTP 502)");
    }
    return ok();
  }

  Result<void> probeNames(const std::vector<std::string>& names) override {
    probed.push_back(names);
    if (probe_fails) {
      return fail(ErrorCode::kUnavailable, "probe of " + (names.empty() ? "" : names.front()) +
                                               " answered HTTP 502, outside the expected statuses");
    }
    return ok();
  }
};

}  // namespace vantus::agent::testing

#include "agent/apply/supervised_nginx.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/log/log.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/agent/apply/fakes.h"

// SupervisedNginx on a fake master and simulated time: superviseOnce() is what the supervising
// thread runs every kCheckEvery.
namespace vantus::agent {
namespace {

using Steady = SupervisedNginx::SteadyClock;
using std::chrono::milliseconds;
using std::chrono::seconds;

struct Supervision {
  Supervision() : record(dir.path() / "nginx-restarts.json") {
    log::setSink([this](std::string_view line) { log_lines.emplace_back(line); });
  }
  ~Supervision() { log::setSink(nullptr); }

  std::unique_ptr<SupervisedNginx> make() {
    return std::make_unique<SupervisedNginx>(
        nginx, dir.path() / "current" / "nginx.conf", record, [this] { return now; },
        [this] { return wall; });
  }
  bool logged(std::string_view event) const {
    for (const std::string& line : log_lines) {
      if (line.find(event) != std::string::npos) {
        return true;
      }
    }
    return false;
  }
  // Advances time in kCheckEvery steps, supervising at each, until `limit` has passed.
  void runFor(SupervisedNginx& supervised, milliseconds limit) {
    for (milliseconds passed{0}; passed < limit; passed += SupervisedNginx::kCheckEvery) {
      now += SupervisedNginx::kCheckEvery;
      supervised.superviseOnce();
    }
  }

  vantus::testing::TempDir dir;
  std::filesystem::path record;
  testing::FakeEdgeNginx nginx;
  Steady::time_point now{seconds(1000)};
  std::int64_t wall = 1795370400;
  std::vector<std::string> log_lines;
};

TEST_CASE("a master that died is started again at once on current/, counted, logged and saved") {
  Supervision s;
  auto supervised = s.make();
  REQUIRE(supervised->reload(s.dir.path() / "current" / "nginx.conf"));
  s.nginx.master_running = false;  // kill -9

  supervised->superviseOnce();

  CHECK(s.nginx.master_running);
  CHECK(s.nginx.reloadCount() == 2);
  CHECK(s.nginx.reloaded_confs.back() == s.dir.path() / "current" / "nginx.conf");
  CHECK(supervised->restarts() == 1);
  CHECK(s.logged("nginx.died"));
  CHECK(s.logged("nginx.restarted"));
  auto saved = loadNginxRestarts(s.record);
  REQUIRE(saved);
  CHECK(saved->count == 1);
  CHECK(saved->last_at == s.wall);
  CHECK(saved->last_error.empty());
}

TEST_CASE("a running master is left alone, and one already running at start is adopted") {
  Supervision s;
  auto supervised = s.make();
  supervised->superviseOnce();  // nothing seen yet: nothing is wanted
  CHECK(s.nginx.reloadCount() == 0);

  REQUIRE(supervised->running());  // as reconcile() asks at start
  s.runFor(*supervised, seconds(2));
  CHECK(s.nginx.reloadCount() == 0);

  s.nginx.master_running = false;
  supervised->superviseOnce();
  CHECK(s.nginx.reloadCount() == 1);
  CHECK(supervised->restarts() == 1);
}

TEST_CASE("a master stopped on purpose is not brought back") {
  Supervision s;
  auto supervised = s.make();
  REQUIRE(supervised->reload(s.dir.path() / "current" / "nginx.conf"));

  REQUIRE(supervised->stop());
  s.runFor(*supervised, seconds(5));

  CHECK_FALSE(s.nginx.master_running);
  CHECK(s.nginx.reloadCount() == 1);
  CHECK(supervised->restarts() == 0);
}

TEST_CASE("failing starts back off exponentially up to the cap, then succeed") {
  Supervision s;
  auto supervised = s.make();
  REQUIRE(supervised->reload(s.dir.path() / "current" / "nginx.conf"));
  s.nginx.master_running = false;
  s.nginx.reload_failures = 8;

  // Attempts at 0, +0.5, +1, +2, +4, +8, +16, +30, +30 s: nine within about 92 s.
  supervised->superviseOnce();
  s.runFor(*supervised, seconds(60));
  CHECK(s.nginx.reloadCount() == 1 + 7);
  CHECK_FALSE(s.nginx.master_running);
  auto saved = loadNginxRestarts(s.record);
  REQUIRE(saved);
  CHECK(saved->count == 0);
  CHECK(saved->last_error.find("cannot signal") != std::string::npos);
  CHECK(s.logged("nginx.restart_failed"));

  s.runFor(*supervised, seconds(33));
  CHECK(s.nginx.reloadCount() == 1 + 9);
  CHECK(s.nginx.master_running);
  CHECK(supervised->restarts() == 1);
  saved = loadNginxRestarts(s.record);
  REQUIRE(saved);
  CHECK(saved->last_error.empty());
}

TEST_CASE("a master that keeps dying waits longer each time until one runs a quiet minute") {
  Supervision s;
  auto supervised = s.make();
  REQUIRE(supervised->reload(s.dir.path() / "current" / "nginx.conf"));

  s.nginx.master_running = false;
  supervised->superviseOnce();  // first death: at once
  CHECK(s.nginx.reloadCount() == 2);

  s.nginx.master_running = false;
  supervised->superviseOnce();  // dies again at once: waits kFirstBackoff
  CHECK(s.nginx.reloadCount() == 2);
  s.runFor(*supervised, SupervisedNginx::kFirstBackoff);
  CHECK(s.nginx.reloadCount() == 3);

  s.runFor(*supervised, SupervisedNginx::kStableAfter);  // a quiet minute
  s.nginx.master_running = false;
  supervised->superviseOnce();
  CHECK(s.nginx.reloadCount() == 4);  // at once again
  CHECK(supervised->restarts() == 3);
}

TEST_CASE("the count survives an agent restart") {
  Supervision s;
  {
    auto first = s.make();
    REQUIRE(first->reload(s.dir.path() / "current" / "nginx.conf"));
    s.nginx.master_running = false;
    first->superviseOnce();
    REQUIRE(first->restarts() == 1);
  }
  auto second = s.make();
  CHECK(second->restarts() == 1);
}

}  // namespace
}  // namespace vantus::agent

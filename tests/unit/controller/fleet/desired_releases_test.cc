// DesiredReleases: the in-memory pointer of each cluster and the long-poll waits on it.
// Timing checks are lower bounds only; "returns at once" is shown by ordering against a
// waiter that is known to be still waiting.
#include "controller/fleet/desired_releases.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <string>
#include <thread>

#include "common/log/log.h"
#include "controller/service/model_service.h"
#include "controller/store/store_access.h"
#include "tests/unit/controller/fleet/fleet_fixture.h"

namespace vantus::controller {
namespace {

using namespace std::chrono_literals;
using fleet_test::must;
using Clock = std::chrono::steady_clock;

// The watcher never refreshes on its own during a test: only refresh() does.
constexpr auto kNoAutoRefresh = std::chrono::hours(1);

struct StoreFixture {
  StoreFixture()
      : quiet((log::setLevel(log::Level::kError), true)),
        store(must(Store::open(dir.path() / "vantus.db", std::filesystem::path(VANTUS_SOURCE_DIR) /
                                                             "schema" / "migrations"))),
        edge_a(fleet_test::addCluster(*store, "edge-a")),
        edge_b(fleet_test::addCluster(*store, "edge-b")) {}

  // Release `version` of `cluster` with a bundle digest made of `digest_char` ('\0' = not
  // built yet).
  void release(const EdgeCluster& cluster, std::uint64_t version, char digest_char) {
    Release release;
    release.cluster_id = cluster.id;
    release.version = version;
    release.commit_id = std::string(40, 'c');
    release.digest = digest_char == '\0' ? "" : std::string(64, digest_char);
    release.envelope_json = R"({"payloadType":"x"})";
    release.expires_at = fleet_test::realNow() + 3600 * version;
    release.signed_at = fleet_test::realNow();
    must(writeValue<Release>(*store, [&](Transaction& tx) { return tx.insertRelease(release); }));
  }

  testing::TempDir dir;
  bool quiet;  // "store.migrated" is noise here
  std::unique_ptr<Store> store;
  EdgeCluster edge_a;
  EdgeCluster edge_b;
};

bool waitFor(const std::function<bool()>& done) {
  const auto deadline = Clock::now() + 20s;
  while (Clock::now() < deadline) {
    if (done()) {
      return true;
    }
    std::this_thread::sleep_for(10ms);
  }
  return done();
}

TEST_CASE("current() holds the latest built release of each cluster after start()") {
  StoreFixture f;
  f.release(f.edge_a, 1, 'a');
  f.release(f.edge_a, 2, 'b');
  f.release(f.edge_a, 3, '\0');  // signed, bundle not built yet
  DesiredReleases desired(*f.store, 8, kNoAutoRefresh);
  CHECK_FALSE(desired.current(f.edge_a.id));  // nothing before start()
  must(desired.start());

  std::optional<DesiredPointer> a = desired.current(f.edge_a.id);
  REQUIRE(a);
  CHECK(a->version == 2);
  CHECK(a->digest == std::string(64, 'b'));
  CHECK(a->expires_at > fleet_test::realNow());
  CHECK_FALSE(desired.current(f.edge_b.id));
  CHECK_FALSE(desired.current(f.edge_b.id + 100));
  CHECK(desired.waiters() == 0);
  desired.stop();
  desired.stop();  // idempotent
}

TEST_CASE("waitForChange answers at once when the caller's digest is stale") {
  StoreFixture f;
  f.release(f.edge_a, 1, 'a');
  DesiredReleases desired(*f.store, 8, kNoAutoRefresh);
  must(desired.start());
  for (const std::string& known : {std::string(), std::string(64, 'z')}) {
    std::optional<DesiredPointer> got = desired.waitForChange(f.edge_a.id, known, 1h);
    REQUIRE(got);
    CHECK(got->digest == std::string(64, 'a'));
  }
  // A zero timeout never waits, even when nothing changed.
  std::optional<DesiredPointer> unchanged =
      desired.waitForChange(f.edge_a.id, std::string(64, 'a'), 0ms);
  REQUIRE(unchanged);
  CHECK(unchanged->digest == std::string(64, 'a'));
}

TEST_CASE("waitForChange waits out its timeout when nothing changes") {
  StoreFixture f;
  f.release(f.edge_a, 1, 'a');
  DesiredReleases desired(*f.store, 8, kNoAutoRefresh);
  must(desired.start());
  const std::optional<DesiredPointer> before = desired.current(f.edge_a.id);
  REQUIRE(before);

  const auto start = Clock::now();
  std::optional<DesiredPointer> same = desired.waitForChange(f.edge_a.id, before->digest, 200ms);
  const auto waited = Clock::now() - start;
  CHECK(waited >= 190ms);
  REQUIRE(same);
  CHECK(same->version == before->version);
  CHECK(same->digest == before->digest);
  CHECK(same->expires_at == before->expires_at);
  CHECK(desired.waiters() == 0);

  // A cluster without any release waits too, and answers nothing.
  const auto start_b = Clock::now();
  CHECK_FALSE(desired.waitForChange(f.edge_b.id, "", 200ms));
  CHECK(Clock::now() - start_b >= 190ms);
}

TEST_CASE("a new built release wakes the waiters of its cluster") {
  StoreFixture f;
  f.release(f.edge_a, 1, 'a');
  DesiredReleases desired(*f.store, 8, kNoAutoRefresh);
  must(desired.start());

  std::atomic<bool> woke{false};
  auto waiter = std::async(std::launch::async, [&] {
    auto got = desired.waitForChange(f.edge_a.id, std::string(64, 'a'), 1h);
    woke = true;
    return got;
  });
  REQUIRE(waitFor([&] { return desired.waiters() == 1; }));

  // A release of another cluster, or one without a bundle, wakes nobody.
  f.release(f.edge_b, 1, 'x');
  f.release(f.edge_a, 2, '\0');
  must(desired.refresh());
  std::this_thread::sleep_for(100ms);
  CHECK_FALSE(woke);
  CHECK(desired.waiters() == 1);
  REQUIRE(desired.current(f.edge_b.id));

  f.release(f.edge_a, 3, 'b');
  must(desired.refresh());
  REQUIRE(waiter.wait_for(20s) == std::future_status::ready);
  std::optional<DesiredPointer> got = waiter.get();
  REQUIRE(got);
  CHECK(got->version == 3);
  CHECK(got->digest == std::string(64, 'b'));
  CHECK(desired.waiters() == 0);
}

TEST_CASE("the watcher refreshes on its own") {
  StoreFixture f;
  f.release(f.edge_a, 1, 'a');
  DesiredReleases desired(*f.store, 8, 20ms);
  must(desired.start());
  auto waiter = std::async(std::launch::async, [&] {
    return desired.waitForChange(f.edge_a.id, std::string(64, 'a'), 1h);
  });
  REQUIRE(waitFor([&] { return desired.waiters() == 1; }));
  f.release(f.edge_a, 2, 'b');  // no refresh() call
  REQUIRE(waiter.wait_for(20s) == std::future_status::ready);
  std::optional<DesiredPointer> got = waiter.get();
  REQUIRE(got);
  CHECK(got->version == 2);
}

TEST_CASE("beyond max_waiters a poll is answered at once") {
  StoreFixture f;
  f.release(f.edge_a, 1, 'a');
  DesiredReleases desired(*f.store, /*max_waiters=*/1, kNoAutoRefresh);
  must(desired.start());
  const std::string known(64, 'a');

  std::atomic<bool> first_done{false};
  auto first = std::async(std::launch::async, [&] {
    auto got = desired.waitForChange(f.edge_a.id, known, 1h);
    first_done = true;
    return got;
  });
  REQUIRE(waitFor([&] { return desired.waiters() == 1; }));

  // Had the second poll waited, it could only return after a change, which only comes below.
  std::optional<DesiredPointer> second = desired.waitForChange(f.edge_a.id, known, 1h);
  CHECK_FALSE(first_done);
  REQUIRE(second);
  CHECK(second->digest == known);
  CHECK(desired.waiters() == 1);

  f.release(f.edge_a, 2, 'b');
  must(desired.refresh());
  REQUIRE(first.wait_for(20s) == std::future_status::ready);
  CHECK(first.get()->version == 2);
  CHECK(desired.waiters() == 0);
}

TEST_CASE("stop() releases every waiter") {
  StoreFixture f;
  f.release(f.edge_a, 1, 'a');
  DesiredReleases desired(*f.store, 8, kNoAutoRefresh);
  must(desired.start());
  auto waiter = std::async(std::launch::async, [&] {
    return desired.waitForChange(f.edge_a.id, std::string(64, 'a'), 1h);
  });
  REQUIRE(waitFor([&] { return desired.waiters() == 1; }));
  desired.stop();
  REQUIRE(waiter.wait_for(20s) == std::future_status::ready);
  std::optional<DesiredPointer> got = waiter.get();
  REQUIRE(got);
  CHECK(got->version == 1);
  // After stop() nobody waits any more.
  CHECK(desired.waitForChange(f.edge_a.id, std::string(64, 'a'), 1h));
}

}  // namespace
}  // namespace vantus::controller

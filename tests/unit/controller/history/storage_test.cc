#include <doctest/doctest.h>
#include <fmt/format.h>

#include <atomic>
#include <thread>

#include "tests/unit/controller/history/history_fixture.h"

namespace vantus::controller {
namespace {

using namespace std::string_literals;

std::string tenantPath(int i) {
  return fmt::format("clusters/edge-a/tenants/{:02x}/tenant-{:04d}.conf", (i * 37) % 256, i);
}

std::string tenantConf(int i, int revision) {
  return fmt::format("server {{\n  server_name tenant-{}.example;  # revision {}\n}}\n", i,
                     revision);
}

TEST_CASE("a large deployment lands as one pack, small ones as loose objects") {
  HistoryFixture f;
  // A reader handle that exists before the pack does must still find the packed objects.
  std::string start = f.commitOk(makeRequest({{"clusters/edge-b/nginx.conf", "b\n"}}));
  CHECK(*f.history->readFile(start, "clusters/edge-b/nginx.conf") == std::optional("b\n"s));
  // The blob, edge-b/, clusters/, the root tree and the commit.
  CHECK(f.looseObjectCount() == 5);

  constexpr int kTenants = 300;
  std::vector<FileChange> changes;
  for (int i = 0; i < kTenants; ++i) {
    changes.push_back({tenantPath(i), tenantConf(i, 1)});
  }
  CommitRequest full = makeRequest(changes, "Deploy all");
  full.remove_prefixes = {"clusters/edge-a"};
  std::string first = f.commitOk(full);
  CHECK(f.packCount() == 1);
  CHECK(f.looseObjectCount() == 5);

  std::string second = f.commitOk(makeRequest({{tenantPath(7), tenantConf(7, 2)}}));
  CHECK(f.packCount() == 1);
  // The blob, its shard tree, tenants/, edge-a/, clusters/, the root tree and the commit.
  CHECK(f.looseObjectCount() == 12);

  std::vector<TreeFile> files = *f.history->listTree(second, "clusters/edge-a/tenants");
  REQUIRE(files.size() == kTenants);
  CHECK(*f.history->readFile(first, tenantPath(7)) == std::optional(tenantConf(7, 1)));
  CHECK(*f.history->readFile(second, tenantPath(7)) == std::optional(tenantConf(7, 2)));
  CHECK(*f.history->readFile(second, tenantPath(299)) == std::optional(tenantConf(299, 1)));

  // Redeploying everything with one change stores only what changed.
  changes[10].content = tenantConf(10, 3);
  CommitRequest again = makeRequest(changes, "Deploy all again");
  again.remove_prefixes = {"clusters/edge-a"};
  std::string third = f.commitOk(again);
  CHECK(f.packCount() == 1);
  CHECK(f.looseObjectCount() == 19);
  CHECK(f.history->diff(second, third, "")->find("revision 3") != std::string::npos);
}

TEST_CASE("readers run concurrently with a writer and always see a complete commit") {
  HistoryFixture f;
  std::string first = f.commitOk(makeRequest({{tenantPath(1), tenantConf(1, 0)}}));
  std::atomic<bool> done = false;
  std::atomic<int> failures = 0;
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!done) {
        auto head = f.history->head();
        auto log = f.history->log(tenantPath(1), 3);
        if (!head || !log || log->empty()) {
          ++failures;
          continue;
        }
        auto content = f.history->readFile(*head, tenantPath(1));
        if (!content || !*content) {
          ++failures;
        }
      }
    });
  }
  for (int revision = 1; revision <= 15; ++revision) {
    f.commitOk(makeRequest({{tenantPath(1), tenantConf(1, revision)}}));
  }
  done = true;
  for (std::thread& reader : readers) {
    reader.join();
  }
  CHECK(failures == 0);
  CHECK(f.history->log("", 100)->size() == 16);
  CHECK(*f.history->readFile(first, tenantPath(1)) == std::optional(tenantConf(1, 0)));
}

}  // namespace
}  // namespace vantus::controller

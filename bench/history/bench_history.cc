// Config-history timings at 10,000 tenants (not part of the CMake build). Build and run
// from the repository root, after `cmake --build build -j2 --target vantus_controller`:
//   g++ -O2 -std=c++20 -I. bench/history/bench_history.cc -o /tmp/bench_history
//       build/libvantus_controller.a build/libvantus_common.a
//       $(pkg-config --libs libgit2) -lfmt -lcrypto          (one line)
//   /tmp/bench_history [--no-fsync] [--tenants N] [DIR]
// DIR (default /tmp/vantus-bench-history-<pid>) must not exist and is left behind: on an
// ext4 without journal, creating files within seconds of deleting many is several times
// slower, which would skew the small-commit figures.
#include <fmt/format.h>
#include <git2.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "common/crypto/ed25519.h"
#include "controller/history/git_config_history.h"
#include "controller/history/git_handles.h"

using namespace vantus;
using namespace vantus::controller;
using Clock = std::chrono::steady_clock;

namespace {

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::string tenantPath(int i) {
  return fmt::format("clusters/edge-a/tenants/{:02x}/tenant-{:05d}.conf",
                     (static_cast<unsigned>(i) * 2654435761u) >> 24, i);
}

// ~1 KB, shaped like a rendered tenant server block.
std::string tenantConf(int i, int revision) {
  return fmt::format(
      "# tenant-{0:05d} revision {1}\n"
      "upstream up_tenant_{0:05d} {{\n  server 10.{2}.{3}.10:8080 weight=5;\n"
      "  server 10.{2}.{3}.11:8080 backup;\n  keepalive 16;\n}}\n"
      "server {{\n  listen 443 ssl;\n  http2 on;\n"
      "  server_name tenant-{0:05d}.example.com www.tenant-{0:05d}.example.com;\n"
      "  set $tenant_id \"tenant-{0:05d}\";\n"
      "  access_log /var/log/nginx/tenants.log vantus_json;\n"
      "  ssl_certificate /etc/vantus/certs/tenant-{0:05d}.pem;\n"
      "  ssl_certificate_key /etc/vantus/certs/tenant-{0:05d}.key;\n"
      "  client_max_body_size 10m;\n"
      "  limit_req zone=tenant_rps burst=20 nodelay;\n"
      "  allow 192.0.2.0/24;\n  allow 198.51.100.0/24;\n  allow 203.0.113.0/24;\n  deny all;\n"
      "  add_header X-Frame-Options DENY always;\n"
      "  add_header X-Content-Type-Options nosniff always;\n"
      "  add_header Strict-Transport-Security \"max-age=31536000\" always;\n"
      "  location / {{\n    proxy_pass http://up_tenant_{0:05d};\n"
      "    proxy_set_header Host $host;\n    proxy_set_header X-Forwarded-For "
      "$proxy_add_x_forwarded_for;\n    proxy_http_version 1.1;\n"
      "    proxy_set_header Connection \"\";\n  }}\n}}\n",
      i, revision, i / 256, i % 256);
}

CommitRequest request(std::vector<FileChange> changes, std::string message) {
  CommitRequest r;
  r.changes = std::move(changes);
  r.author_name = "bench";
  r.author_email = "bench@example.com";
  r.message = std::move(message);
  r.time = 1700000000;
  return r;
}

size_t countFiles(const std::filesystem::path& dir) {
  size_t n = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    n += entry.is_regular_file() ? 1 : 0;
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  bool fsync = true;
  int tenants = 10000;
  std::filesystem::path dir = fmt::format("/tmp/vantus-bench-history-{}", ::getpid());
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--no-fsync") == 0) {
      fsync = false;
    } else if (std::strcmp(argv[i], "--tenants") == 0 && i + 1 < argc) {
      tenants = std::atoi(argv[++i]);
    } else {
      dir = argv[i];
    }
  }
  git::ensureInitialized();
  git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, fsync ? 1 : 0);
  std::filesystem::path repo = dir / "config.git";
  if (!initBareRepository(repo)) {
    return 1;
  }
  auto key = crypto::Ed25519PrivateKey::generate();
  auto history = openGitHistory(repo, *key, "Vantus", "controller@vantus.invalid");
  if (!key || !history) {
    return 1;
  }
  ConfigHistory& h = **history;
  fmt::print("tenants {}, fsync {}\n", tenants, fsync ? "on" : "off");

  std::vector<FileChange> all;
  size_t bytes = 0;
  for (int i = 0; i < tenants; ++i) {
    all.push_back({tenantPath(i), tenantConf(i, 1)});
    bytes += all.back().content->size();
  }
  all.push_back({"clusters/edge-a/nginx.conf", "worker_processes auto;\n"});
  CommitRequest full = request(all, "Deploy all");
  full.remove_prefixes = {"clusters/edge-a"};
  auto start = Clock::now();
  auto first = h.commit(full);
  if (!first) {
    fmt::print("commit failed: {}\n", first.error().describe());
    return 1;
  }
  fmt::print("full deployment (first, {} KB): {:.0f} ms; repo {} files\n", bytes / 1024,
             msSince(start), countFiles(repo / "objects"));

  for (int i = 0; i < tenants; i += 100) {
    all[i].content = tenantConf(i, 2);
  }
  full = request(all, "Deploy all again");
  full.remove_prefixes = {"clusters/edge-a"};
  start = Clock::now();
  auto second = h.commit(full);
  fmt::print("full deployment, 1% changed: {:.0f} ms\n", msSince(start));

  std::vector<double> one;
  std::string previous = *second;
  std::string last;
  for (int round = 0; round < 50; ++round) {
    int i = (round * 7919) % tenants;
    start = Clock::now();
    auto id = h.commit(request({{tenantPath(i), tenantConf(i, 100 + round)}}, "Deploy one"));
    one.push_back(msSince(start));
    if (!id) {
      return 1;
    }
    previous = last.empty() ? previous : last;
    last = *id;
  }
  fmt::print("one-tenant commit: median {:.2f} ms, max {:.2f} ms\n", median(one),
             *std::max_element(one.begin(), one.end()));

  start = Clock::now();
  auto files = h.listTree(last, "clusters/edge-a");
  fmt::print("listTree of the cluster ({} files): {:.0f} ms\n", files ? files->size() : 0,
             msSince(start));
  start = Clock::now();
  auto paths = h.listPaths(last, "clusters/edge-a");
  fmt::print("listPaths of the cluster: {:.0f} ms\n", msSince(start));

  std::vector<double> reads;
  for (int i = 0; i < 200; ++i) {
    start = Clock::now();
    auto content = h.readFile(*first, tenantPath((i * 31) % tenants));
    reads.push_back(msSince(start));
  }
  fmt::print("readFile at the first commit: median {:.3f} ms\n", median(reads));
  start = Clock::now();
  auto patch = h.diff(previous, last, "");
  fmt::print("diff of consecutive commits: {:.2f} ms\n", msSince(start));
  start = Clock::now();
  patch = h.diff(*first, *second, "");
  fmt::print("diff of the two full deployments ({} KB): {:.0f} ms\n", patch->size() / 1024,
             msSince(start));
  start = Clock::now();
  auto log = h.log(tenantPath(0), 10);
  fmt::print("log of one tenant over 52 commits: {:.2f} ms ({} entries)\n", msSince(start),
             log->size());
  fmt::print("objects dir: {} files; repository left at {}\n", countFiles(repo / "objects"),
             repo.string());
  return 0;
}

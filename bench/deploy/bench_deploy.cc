// Times the deployment pipeline at 1, 100, 1,000 and 10,000 tenants on one cluster:
//   full   = render every tenant + cluster files, one signed commit of the whole cluster,
//            sign the release manifest and encode its bundle;
//   change = DeploymentService::deploy of one tenant after a policy edit (render, plan,
//            signed commit, incremental manifest, store transaction), pre-check off;
//   bundle = signing that change's release and building its bundle afterwards (off the
//            deployment's path), median over the runs;
//   checked = the same change with the pre-check on and nginx replaced by /bin/true: what the
//            pre-check costs the deployment besides nginx's own parse (tree + sandbox);
//   nginx -t of the whole cluster tree through the pre-check, first and incremental.
// Usage: bench_deploy [--sizes 1,100,1000,10000] [--runs 20]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "common/log/log.h"
#include "common/process/process_runner.h"
#include "common/release/release_builder.h"
#include "controller/app/controller_app.h"
#include "controller/app/init_state_dir.h"
#include "controller/deploy/precheck.h"
#include "controller/model/parse_json.h"
#include "controller/render/rate_zones.h"
#include "controller/render/renderer.h"

namespace fs = std::filesystem;
using namespace vantus;
using namespace vantus::controller;
using Clock = std::chrono::steady_clock;

namespace {

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

template <typename T>
T must(Result<T> result, const char* what) {
  if (!result) {
    std::cerr << what << ": " << result.error().describe() << "\n";
    std::exit(1);
  }
  return std::move(*result);
}

void must(Result<void> result, const char* what) {
  if (!result) {
    std::cerr << what << ": " << result.error().describe() << "\n";
    std::exit(1);
  }
}

struct Row {
  int tenants = 0;
  double render_ms = 0, commit_ms = 0, release_ms = 0;
  double change_median_ms = 0, change_p95_ms = 0, bundle_ms = 0;
  double checked_median_ms = 0, checked_p95_ms = 0;
  double nginx_first_ms = -1, nginx_change_ms = -1;
};

Actor benchActor() {
  Actor actor;
  actor.kind = "user";
  actor.name = "bench";
  actor.email = "bench@example.com";
  return actor;
}

nlohmann::json policyJson(int i, const std::string& marker) {
  static const int kClasses[] = {10, 50, 100};
  return {{"headers", {{"X-Bench", marker}, {"X-Frame-Options", "DENY"}}},
          {"rate_limit", {{"rps", kClasses[i % 3]}, {"burst", 20}}}};
}

std::unique_ptr<ControllerApp> makeApp(const fs::path& state, int tenants, Id& cluster_id,
                                       std::vector<Id>& tenant_ids) {
  must(initStateDir(state, VANTUS_SOURCE_DIR, "bench@example.com"), "init");
  std::ofstream(state / "controller.yaml") << "precheck: false\n";
  auto app = must(ControllerApp::open(state, VANTUS_SOURCE_DIR), "open");
  log::setLevel(log::Level::kError);
  const Caller actor = localOperator(benchActor());
  cluster_id = must(app->model().createCluster(actor, "bench"), "cluster").id;
  for (int i = 0; i < tenants; ++i) {
    const std::string slug = fmt::format("t{}", i);
    Id id = must(app->model().createTenant(actor, slug, "Tenant " + slug), "tenant").id;
    nlohmann::json domain = {{"name", slug + ".bench.example"}};
    if (i % 10 == 0) {
      domain["tls_enabled"] = true;
    }
    must(app->model().addDomain(actor, id, must(parseDomainJson(domain), "domain")), "domain");
    auto pool = parseUpstreamPoolJson({{"name", "web"},
                                       {"targets",
                                        {{{"host", "127.0.0.1"}, {"port", 9000 + i % 50}},
                                         {{"host", "127.0.0.2"}, {"port", 9000}}}}});
    must(app->model().addPool(actor, id, must(std::move(pool), "pool")), "pool");
    must(app->model().putPolicy(actor, id, must(parseEdgePolicyJson(policyJson(i, "a")), "policy")),
         "policy");
    must(app->model().assign(actor, id, cluster_id), "assign");
    tenant_ids.push_back(id);
    if ((i + 1) % 1000 == 0) {
      std::cerr << "  " << (i + 1) << " tenants set up\n";
    }
  }
  return app;
}

Row benchSize(int tenants, int runs, const fs::path& work) {
  Row row;
  row.tenants = tenants;
  const fs::path state = work / fmt::format("state-{}", tenants);
  Id cluster_id = 0;
  std::vector<Id> tenant_ids;
  std::cerr << fmt::format("{} tenants: setting up\n", tenants);
  auto app = makeApp(state, tenants, cluster_id, tenant_ids);
  auto renderer =
      must(Renderer::create(fs::path(VANTUS_SOURCE_DIR) / "templates" / "nginx"), "renderer");

  // Full deployment of everything.
  auto start = Clock::now();
  std::vector<FileChange> files;
  std::set<int> classes;
  EdgeCluster cluster{cluster_id, "bench", ""};
  files.push_back({"clusters/bench/nginx.conf", must(renderer->renderClusterConfig(cluster), "c")});
  for (Id id : tenant_ids) {
    TenantConfig config =
        must(app->model().tenantConfig(localOperator(benchActor()), id), "config");
    if (auto rps = rateClass(config.policy)) {
      classes.insert(*rps);
    }
    files.push_back({"clusters/bench/" + Renderer::tenantConfigPath(config.tenant.slug),
                     must(renderer->renderTenant(config), "render")});
  }
  files.push_back({"clusters/bench/" + std::string(kRateZonesPath), renderRateZones(classes)});
  row.render_ms = msSince(start);

  start = Clock::now();
  CommitRequest request;
  request.remove_prefixes = {"clusters/bench"};
  request.changes = files;
  request.author_name = "bench";
  request.author_email = "bench@example.com";
  request.message = "Full deployment";
  request.time = std::time(nullptr);
  const std::string commit = must(app->history().commit(request), "commit");
  row.commit_ms = msSince(start);

  start = Clock::now();
  std::vector<release::BundleFile> bundle_files;
  for (const FileChange& file : files) {
    bundle_files.push_back({file.path.substr(std::strlen("clusters/bench/")), *file.content});
  }
  const std::int64_t now = std::time(nullptr);
  auto signed_release = must(release::buildRelease({"bench", 1, commit, now, now + 7 * 86400},
                                                   std::move(bundle_files), app->signingKey()),
                             "release");
  row.release_ms = msSince(start);

  // One-tenant changes on top (release 1 of the cluster comes from reconcile()).
  must(app->deployments().reconcile(), "reconcile");
  std::vector<double> samples;
  std::vector<double> bundles;
  for (int run = 0; run < runs; ++run) {
    auto policy = must(parseEdgePolicyJson(policyJson(0, fmt::format("run{}", run))), "policy");
    must(app->model().putPolicy(localOperator(benchActor()), tenant_ids.front(), policy), "policy");
    start = Clock::now();
    must(app->deployments().deploy(localOperator(benchActor()), tenant_ids.front(), "bench"),
         "deploy");
    samples.push_back(msSince(start));
    // Off the deployment's path: the signature and the bundle agents download.
    start = Clock::now();
    must(app->deployments().materializePending(), "bundle");
    bundles.push_back(msSince(start));
  }
  std::sort(samples.begin(), samples.end());
  std::sort(bundles.begin(), bundles.end());
  row.change_median_ms = samples[samples.size() / 2];
  row.change_p95_ms = samples[std::min(samples.size() - 1, samples.size() * 95 / 100)];
  row.bundle_ms = bundles[bundles.size() / 2];

  // The same change through the pre-check, with a "nginx" that accepts everything at once:
  // the deployment's own cost of assembling and writing the tree nginx would test.
  app.reset();
  std::ofstream(state / "controller.yaml", std::ios::trunc) << "nginx_binary: /bin/true\n";
  app = must(ControllerApp::open(state, VANTUS_SOURCE_DIR), "reopen");
  log::setLevel(log::Level::kError);
  samples.clear();
  for (int run = 0; run <= runs; ++run) {
    auto policy = must(parseEdgePolicyJson(policyJson(0, fmt::format("checked{}", run))), "policy");
    must(app->model().putPolicy(localOperator(benchActor()), tenant_ids.front(), policy), "policy");
    start = Clock::now();
    must(app->deployments().deploy(localOperator(benchActor()), tenant_ids.front(), "bench"),
         "deploy");
    if (run > 0) {  // the first check of a process writes the whole sandbox
      samples.push_back(msSince(start));
    }
    must(app->deployments().materializePending(), "bundle");
  }
  std::sort(samples.begin(), samples.end());
  row.checked_median_ms = samples[samples.size() / 2];
  row.checked_p95_ms = samples[std::min(samples.size() - 1, samples.size() * 95 / 100)];

  // nginx -t of the whole cluster tree, through the pre-check's sandbox.
  if (fs::exists("/usr/sbin/nginx")) {
    auto runner = makeSystemProcessRunner();
    auto precheck = makeNginxPrecheck(
        NginxPrecheckOptions{.nginx_binary = "/usr/sbin/nginx", .work_dir = work / "precheck"},
        *runner);
    const std::string head = must(app->history().head(), "head");
    auto tree = must(app->history().listTree(head, "clusters/bench/"), "tree");
    std::vector<ClusterFile> cluster_files;
    for (TreeFile& file : tree) {
      cluster_files.push_back({file.path, std::move(file.content)});
    }
    start = Clock::now();
    must(precheck->check("bench", cluster_files), "nginx -t");
    row.nginx_first_ms = msSince(start);
    cluster_files.front().content += "\n# changed\n";
    start = Clock::now();
    must(precheck->check("bench", cluster_files), "nginx -t");
    row.nginx_change_ms = msSince(start);
    fs::remove_all(work / "precheck");
  }
  fs::remove_all(state);
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> sizes = {1, 100, 1000, 10000};
  int runs = 20;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--sizes") == 0 && i + 1 < argc) {
      sizes.clear();
      for (std::string_view list = argv[++i]; !list.empty();) {
        size_t comma = list.find(',');
        sizes.push_back(std::stoi(std::string(list.substr(0, comma))));
        list = comma == std::string_view::npos ? "" : list.substr(comma + 1);
      }
    } else if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else {
      std::cerr << "usage: bench_deploy [--sizes 1,100,1000,10000] [--runs 20]\n";
      return 2;
    }
  }
  log::setLevel(log::Level::kError);
  char pattern[] = "/tmp/vantus-bench-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) {
    return 1;
  }
  const fs::path work = pattern;
  std::cout << "| tenants | render | commit | sign + bundle | **full total** | one-tenant change "
               "median / p95 | its signature + bundle (apart, median) | change with pre-check, "
               "nginx = /bin/true, median / p95 | nginx -t full tree / after one change |\n"
            << "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (int size : sizes) {
    Row row = benchSize(size, runs, work);
    std::cout << fmt::format(
        "| {} | {:.0f} ms | {:.0f} ms | {:.0f} ms | **{:.0f} ms** | {:.1f} / {:.1f} ms | {:.0f} ms "
        "| {:.1f} / {:.1f} ms | {:.0f} / {:.0f} ms |\n",
        row.tenants, row.render_ms, row.commit_ms, row.release_ms,
        row.render_ms + row.commit_ms + row.release_ms, row.change_median_ms, row.change_p95_ms,
        row.bundle_ms, row.checked_median_ms, row.checked_p95_ms, row.nginx_first_ms,
        row.nginx_change_ms);
    std::cout.flush();
  }
  fs::remove_all(work);
  return 0;
}

#include "tests/unit/agent/apply/applier_fixture.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/log/log.h"
#include "common/release/verifier.h"

namespace vantus::agent::testing {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kCommit = "0123456789abcdef0123456789abcdef01234567";

crypto::Ed25519PrivateKey generatedKey() {
  auto key = crypto::Ed25519PrivateKey::generate();
  if (!key) {
    std::abort();
  }
  return *key;
}

release::Keyring keyringOf(const crypto::Ed25519PrivateKey& key) {
  auto keyring = release::Keyring::fromKeys({key.publicKey()});
  if (!keyring) {
    std::abort();
  }
  return *keyring;
}

std::vector<std::string> entriesOf(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code error;
  for (auto it = fs::directory_iterator(dir, error); !error && it != fs::directory_iterator();
       it.increment(error)) {
    names.push_back(it->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

std::vector<release::BundleFile> acmeFiles() {
  return {{"nginx.conf",
           "include local/main.conf;\n"
           "events {\n    include local/events.conf;\n}\n"
           "http {\n    include local/http.conf;\n    include tenants/*/*.conf;\n}\n"},
          {"tenants/acme/acme.conf",
           "server {\n    include local/listen-http.conf;\n    server_name www.acme.test;\n"
           "    return 200 \"acme\\n\";\n}\n"}};
}

std::vector<release::BundleFile> twoTenantFiles() {
  std::vector<release::BundleFile> files = acmeFiles();
  files.push_back({"tenants/beta/beta.conf",
                   "server {\n    include local/listen-http.conf;\n"
                   "    server_name beta.test *.beta.test;\n    return 200 \"beta\\n\";\n}\n"});
  return files;
}

std::string resultOf(const ApplyOutcome& outcome) {
  return std::string(release::applyResultName(outcome.result));
}

std::string contentOf(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Edge::Edge(std::size_t keep_releases)
    : layout(agentLayout(dir.path() / "state")),
      signer(generatedKey()),
      keyring(keyringOf(signer)),
      node_key(generatedKey()) {
  log::setSink([this](std::string_view line) { log_lines.emplace_back(line); });
  const fs::path runtime = dir.path() / "run";
  for (const fs::path& made : {layout.releases, layout.bundles, runtime}) {
    fs::create_directories(made);
  }
  options.local = {.runtime_dir = runtime.string(),
                   .http_listen = {"127.0.0.1:18080"},
                   .https_listen = {},
                   .status_listen = "127.0.0.1:18081"};
  options.keep_releases = keep_releases;
  options.reload_confirm_timeout = std::chrono::milliseconds(1500);
  auto reconciled = restart().reconcile();
  REQUIRE_MESSAGE(reconciled, (reconciled ? "" : reconciled.error().describe()));
}

Edge::~Edge() { log::setSink(nullptr); }

release::SignedRelease Edge::sign(std::uint64_t version, std::vector<release::BundleFile> files,
                                  std::int64_t lifetime) const {
  auto signed_release = release::buildRelease({.cluster = std::string(kCluster),
                                               .version = version,
                                               .commit = std::string(kCommit),
                                               .created_at = now - 60,
                                               .expires_at = now + lifetime},
                                              std::move(files), signer);
  REQUIRE_MESSAGE(signed_release, (signed_release ? "" : signed_release.error().describe()));
  return *signed_release;
}

release::VerifiedRelease Edge::verify(const release::SignedRelease& signed_release) const {
  const std::optional<release::Manifest>& serving = applier->servingManifest();
  const release::VerifyPolicy policy{.min_version = applier->state().version,
                                     .now = now,
                                     .expected_cluster = std::string(kCluster),
                                     .serving = serving ? &*serving : nullptr};
  auto verified = release::verifyBundle(signed_release.bundle, keyring, policy);
  REQUIRE_MESSAGE(verified, (verified ? "" : verified.error().describe()));
  return *verified;
}

ApplyOutcome Edge::apply(const release::SignedRelease& signed_release) {
  return applier->apply(verify(signed_release), signed_release.bundle);
}

Delivery Edge::deliver(std::string_view bundle_bytes, const AnnouncedBundle& announced) {
  BundleDelivery delivery(*applier, keyring, enrollment, node_key, [this] { return now; });
  return delivery.deliver(bundle_bytes, announced);
}

Applier& Edge::restart() {
  applier.reset();
  applier =
      std::make_unique<Applier>(layout, options, keyring, nginx, prober, [this] { return now; });
  return *applier;
}

std::optional<std::string> Edge::current() const {
  std::error_code error;
  fs::path target = fs::read_symlink(layout.current, error);
  if (error) {
    return std::nullopt;
  }
  return target.filename().string();
}

AgentState Edge::saved() const {
  auto state = loadAgentState(layout.state);
  REQUIRE_MESSAGE(state, (state ? "" : state.error().describe()));
  return *state;
}

std::vector<std::string> Edge::releaseDirs() const { return entriesOf(layout.releases); }

std::vector<std::string> Edge::bundleFiles() const { return entriesOf(layout.bundles); }

bool Edge::logged(std::string_view event) const {
  return std::any_of(log_lines.begin(), log_lines.end(),
                     [event](const std::string& line) { return line.find(event) != line.npos; });
}

}  // namespace vantus::agent::testing

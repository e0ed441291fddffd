#include "common/release/manifest.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "tests/unit/common/release/release_fixture.h"

namespace vantus::release {
namespace {

using testing::kCommit;
using testing::manifestFor;
using testing::sampleFiles;

constexpr std::string_view kSha =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr std::string_view kKeyId = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

Manifest smallManifest() {
  return Manifest{.cluster = "edge-eu",
                  .version = 7,
                  .commit = std::string(kCommit),
                  .created_at = 1795370400,
                  .expires_at = 1795975200,
                  .files = {{"a.conf", std::string(kSha), 3}, {"b/c.conf", std::string(kSha), 0}},
                  .key_id = std::string(kKeyId)};
}

// The canonical bytes of smallManifest().
std::string smallJson() {
  return fmt::format(
      R"({{"cluster":"edge-eu","commit":"{}","created_at":"2026-11-22T18:00:00Z",)"
      R"("expires_at":"2026-11-29T18:00:00Z","files":[{{"path":"a.conf","sha256":"{}","size":3}},)"
      R"({{"path":"b/c.conf","sha256":"{}","size":0}}],"key_id":"{}","version":7}})",
      kCommit, kSha, kSha, kKeyId);
}

std::string whyRefused(const Manifest& manifest) {
  auto valid = validateManifest(manifest);
  REQUIRE_FALSE(valid);
  CHECK(valid.error().code == ErrorCode::kInvalidInput);
  return valid.error().field + " | " + valid.error().message;
}

std::string whyUndecodable(const std::string& json) {
  auto decoded = decodeManifest(json);
  REQUIRE_FALSE(decoded);
  CHECK(decoded.error().code == ErrorCode::kInvalidInput);
  return decoded.error().message;
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

std::string replaced(std::string text, std::string_view from, std::string_view to) {
  const size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

TEST_CASE("the canonical encoding has sorted keys, no whitespace and RFC 3339 times") {
  CHECK(encodeManifest(smallManifest()) == smallJson());
}

TEST_CASE("the hand-written encoder writes exactly what nlohmann::json would") {
  Manifest m = smallManifest();
  m.cluster = "quote\" backslash\\ newline\n caf\xc3\xa9 \x7f";  // invalid, still encodable
  m.files[0].path = "tab\there";
  m.version = UINT64_MAX;
  m.files[1].size = UINT64_MAX;
  nlohmann::json files = nlohmann::json::array();
  for (const ManifestFile& file : m.files) {
    files.push_back({{"path", file.path}, {"sha256", file.sha256}, {"size", file.size}});
  }
  const nlohmann::json tree = {{"cluster", m.cluster},
                               {"version", m.version},
                               {"commit", m.commit},
                               {"created_at", "2026-11-22T18:00:00Z"},
                               {"expires_at", "2026-11-29T18:00:00Z"},
                               {"files", files},
                               {"key_id", m.key_id}};
  CHECK(encodeManifest(m) == tree.dump());
}

TEST_CASE("equal manifests encode to identical bytes, different ones do not") {
  Manifest a = manifestFor(sampleFiles());
  Manifest b = manifestFor(sampleFiles());
  CHECK(encodeManifest(a) == encodeManifest(b));
  b.files[0].size += 1;
  CHECK(encodeManifest(a) != encodeManifest(b));
}

TEST_CASE("a canonical manifest decodes to the manifest that encoded it") {
  auto decoded = decodeManifest(smallJson());
  REQUIRE(decoded);
  CHECK(*decoded == smallManifest());
}

TEST_CASE("decoding refuses unknown, missing and mistyped fields") {
  const std::string json = smallJson();
  CHECK(contains(whyUndecodable(replaced(json, "{\"cluster\"", "{\"admin\":true,\"cluster\"")),
                 "manifest has unknown field \"admin\""));
  CHECK(contains(whyUndecodable(replaced(json, ",\"version\":7", "")),
                 "manifest lacks field \"version\""));
  CHECK(contains(whyUndecodable(replaced(json, "\"version\":7", "\"version\":\"7\"")),
                 "manifest.version must be a non-negative integer"));
  CHECK(contains(whyUndecodable(replaced(json, "\"version\":7", "\"version\":-7")),
                 "non-negative integer"));
  CHECK(contains(whyUndecodable(replaced(json, "\"version\":7", "\"version\":7.0")),
                 "non-negative integer"));
  CHECK(
      contains(whyUndecodable(replaced(json, "\"version\":7", "\"version\":18446744073709551616")),
               "non-negative integer"));
  CHECK(contains(whyUndecodable(replaced(json, "\"size\":3", "\"size\":3,\"mode\":493")),
                 "manifest files[0] has unknown field \"mode\""));
  CHECK(contains(whyUndecodable(replaced(json, "\"size\":3", "\"size\":null")),
                 "files[0].size must be a non-negative integer"));
  CHECK(contains(whyUndecodable(replaced(json, "\"files\":[", "\"files\":[1,")),
                 "files[0] must be a JSON object"));
  CHECK(contains(whyUndecodable(replaced(json, "\"cluster\":\"edge-eu\"", "\"cluster\":[]")),
                 "manifest.cluster must be a string"));
  CHECK(contains(whyUndecodable("[]"), "manifest must be a JSON object"));
  CHECK(contains(whyUndecodable("{\"cluster\""), "not well-formed JSON"));
}

TEST_CASE("decoding parses and checks the timestamps") {
  const std::string json = smallJson();
  CHECK(contains(whyUndecodable(replaced(json, "2026-11-22T18:00:00Z", "2026-11-22T18:00:00")),
                 "manifest created_at: timestamp"));
  CHECK(contains(whyUndecodable(replaced(json, "2026-11-29T18:00:00Z", "2026-11-22T17:00:00Z")),
                 "expires_at: must be after created_at"));
}

TEST_CASE("decoding refuses a payload that is not the canonical encoding") {
  const std::string json = smallJson();
  CHECK(contains(whyUndecodable(" " + json), "not in canonical form"));
  CHECK(contains(whyUndecodable(replaced(json, ",\"commit\"", ", \"commit\"")),
                 "not in canonical form"));
  CHECK(contains(whyUndecodable(replaced(json, "\"edge-eu\"", "\"edge\\u002deu\"")),
                 "not in canonical form"));
  // Duplicate keys: JSON parsers disagree on which one wins, so none may appear.
  CHECK(contains(whyUndecodable(replaced(json, "\"version\":7", "\"version\":1,\"version\":7")),
                 "not in canonical form"));
  const std::string reordered =
      replaced(replaced(json, "{\"cluster\":\"edge-eu\",", "{"), "\"version\":7}",
               "\"version\":7,\"cluster\":\"edge-eu\"}");
  CHECK(contains(whyUndecodable(reordered), "not in canonical form"));
}

TEST_CASE("validation checks cluster, version, commit, times and key id") {
  Manifest m = smallManifest();
  CHECK(validateManifest(m));
  m.cluster = "Edge_EU";
  CHECK(contains(whyRefused(m), "cluster | manifest cluster:"));
  m = smallManifest();
  m.cluster = "-edge";
  CHECK(contains(whyRefused(m), "not a cluster name"));
  m = smallManifest();
  m.version = 0;
  CHECK(contains(whyRefused(m), "version | manifest version: must be at least 1"));
  m = smallManifest();
  m.commit = std::string(kCommit).substr(1);
  CHECK(contains(whyRefused(m), "commit |"));
  m.commit = "0123456789ABCDEF0123456789ABCDEF01234567";
  CHECK(contains(whyRefused(m), "40 lowercase hex"));
  m = smallManifest();
  m.created_at = 0;
  CHECK(contains(whyRefused(m), "created_at |"));
  m = smallManifest();
  m.expires_at = m.created_at;
  CHECK(contains(whyRefused(m), "expires_at |"));
  m.expires_at = 253402300800;
  CHECK(contains(whyRefused(m), "expires_at |"));
  m = smallManifest();
  m.key_id = "SHA256:short";
  CHECK(contains(whyRefused(m), "key_id |"));
  m.key_id = "MD5:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  CHECK(contains(whyRefused(m), "key_id |"));
}

TEST_CASE("validation checks every file: path, hash, order, uniqueness") {
  Manifest m = smallManifest();
  m.files[1].path = "../c.conf";
  CHECK(contains(whyRefused(m), "files[1].path | manifest files[1].path: release path"));
  m = smallManifest();
  m.files[0].sha256 = std::string(63, 'a');
  CHECK(contains(whyRefused(m), "files[0].sha256 |"));
  m.files[0].sha256 = std::string(64, 'A');
  CHECK(contains(whyRefused(m), "64 lowercase hex"));
  m = smallManifest();
  std::swap(m.files[0], m.files[1]);
  CHECK(contains(whyRefused(m), "out of order"));
  m = smallManifest();
  m.files[1].path = m.files[0].path;
  CHECK(contains(whyRefused(m), "\"a.conf\" is listed twice"));
  m = smallManifest();
  m.files = {};
  CHECK(validateManifest(m));
}

TEST_CASE("validation refuses a path that is both a file and a directory") {
  Manifest m = smallManifest();
  m.files = {{"b", std::string(kSha), 1},
             {"b-x", std::string(kSha), 1},
             {"b/c/d.conf", std::string(kSha), 1}};
  CHECK(contains(whyRefused(m), "\"b/c/d.conf\" lies under \"b\", which is a file"));
  m.files[0].path = "b/c";
  std::swap(m.files[0], m.files[1]);
  CHECK(contains(whyRefused(m), "lies under \"b/c\""));
}

TEST_CASE("a 10,000-file manifest encodes and decodes") {
  Manifest m = smallManifest();
  m.files.clear();
  for (int i = 0; i < 10000; ++i) {
    m.files.push_back({fmt::format("tenants/t{:05}.conf", i), std::string(kSha), 1234});
  }
  const std::string json = encodeManifest(m);
  auto decoded = decodeManifest(json);
  REQUIRE(decoded);
  CHECK(decoded->files.size() == 10000);
  CHECK(*decoded == m);
}

}  // namespace
}  // namespace vantus::release

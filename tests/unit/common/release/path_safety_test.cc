#include "common/release/path_safety.h"

#include <doctest/doctest.h>

#include <string>

namespace vantus::release {
namespace {

std::string whyRefused(std::string_view path) {
  auto checked = checkReleasePath(path);
  REQUIRE_FALSE(checked);
  CHECK(checked.error().code == ErrorCode::kInvalidInput);
  return checked.error().message;
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("relative paths of plain names are release paths") {
  for (const char* path :
       {"nginx.conf", "tenants/acme.conf", "snippets/gzip-on_v2.conf", "a/b/c/d.e", ".hidden",
        "tenants/..conf", "localx/a", "x/local/a", "-dash"}) {
    CAPTURE(path);
    CHECK(checkReleasePath(path));
  }
  CHECK(checkReleasePath(std::string(kMaxReleasePathLength, 'a')));
}

TEST_CASE("a release path may not leave the release directory") {
  CHECK(contains(whyRefused("/etc/passwd"), "is absolute"));
  CHECK(contains(whyRefused("../etc/passwd"), "\"..\" component"));
  CHECK(contains(whyRefused("tenants/../../x"), "\"..\" component"));
  CHECK(contains(whyRefused("tenants/.."), "\"..\" component"));
  CHECK(contains(whyRefused("./nginx.conf"), "\".\" component"));
  CHECK(contains(whyRefused("tenants/./a"), "\".\" component"));
}

TEST_CASE("a release path has no empty component") {
  CHECK(whyRefused("") == "release path is empty");
  CHECK(contains(whyRefused("tenants//acme.conf"), "empty component"));
  CHECK(contains(whyRefused("tenants/"), "empty component"));
}

TEST_CASE("a release path has only portable characters") {
  CHECK(contains(whyRefused("tenants\\acme.conf"), "backslash"));
  CHECK(contains(whyRefused(std::string("a\0b", 3)), "NUL or control"));
  CHECK(contains(whyRefused("a\nb"), "NUL or control"));
  CHECK(contains(whyRefused("a\x7f"), "NUL or control"));
  CHECK(contains(whyRefused("my file"), "outside [A-Za-z0-9._/-]"));
  CHECK(contains(whyRefused("caf\xc3\xa9"), "outside [A-Za-z0-9._/-]"));
  CHECK(contains(whyRefused("a*"), "outside [A-Za-z0-9._/-]"));
  CHECK(contains(whyRefused(std::string(kMaxReleasePathLength + 1, 'a')), "longer than 255"));
}

TEST_CASE("local/ belongs to the node, not to the release") {
  CHECK(contains(whyRefused("local/listen-http.conf"), "reserved for node-local files"));
  CHECK(contains(whyRefused("local"), "reserved for node-local files"));
}

}  // namespace
}  // namespace vantus::release

#include "controller/history/text_diff.h"

#include <doctest/doctest.h>

namespace vantus::controller {
namespace {

TEST_CASE("unifiedDiff shows a changed line in git's format") {
  auto patch = unifiedDiff("clusters/a/tenants/ab/acme.conf", std::string("one\ntwo\n"),
                           std::string("one\nthree\n"));
  REQUIRE(patch);
  CHECK(patch->find("--- a/clusters/a/tenants/ab/acme.conf") != std::string::npos);
  CHECK(patch->find("+++ b/clusters/a/tenants/ab/acme.conf") != std::string::npos);
  CHECK(patch->find("\n-two\n") != std::string::npos);
  CHECK(patch->find("\n+three\n") != std::string::npos);
}

TEST_CASE("unifiedDiff marks added and removed files and is empty for equal texts") {
  auto added = unifiedDiff("x.conf", std::nullopt, std::string("new\n"));
  REQUIRE(added);
  CHECK(added->find("--- /dev/null") != std::string::npos);
  CHECK(added->find("+new") != std::string::npos);
  auto removed = unifiedDiff("x.conf", std::string("old\n"), std::nullopt);
  REQUIRE(removed);
  CHECK(removed->find("+++ /dev/null") != std::string::npos);
  CHECK(removed->find("-old") != std::string::npos);
  auto same = unifiedDiff("x.conf", std::string("same\n"), std::string("same\n"));
  REQUIRE(same);
  CHECK(same->empty());
}

}  // namespace
}  // namespace vantus::controller

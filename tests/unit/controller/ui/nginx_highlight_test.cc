#include "controller/ui/nginx_highlight.h"

#include <doctest/doctest.h>

namespace vantus::controller::ui {
namespace {

std::string joined(const std::vector<HighlightRun>& runs) {
  std::string text;
  for (const HighlightRun& run : runs) {
    text += run.text;
  }
  return text;
}

TEST_CASE("a directive, its strings, variables and a trailing comment are told apart") {
  const std::string line = "    add_header \"X-A\" '$host' always; # why";
  const auto runs = highlightNginxLine(line);
  CHECK(joined(runs) == line);
  REQUIRE(runs.size() == 8);
  CHECK(runs[0].kind == "");
  CHECK(runs[1].kind == "directive");
  CHECK(runs[1].text == "add_header");
  CHECK(runs[3].kind == "string");
  CHECK(runs[3].text == "\"X-A\"");
  CHECK(runs[5].kind == "string");  // a variable inside quotes stays part of the string
  CHECK(runs[6].text == " always; ");
  CHECK(runs[7].kind == "comment");
  CHECK(runs[7].text == "# why");
}

TEST_CASE("variables, a comment line, braces and odd input keep every character") {
  for (const std::string line : {"set $tenant_id \"acme\";", "# only a comment", "}", "", "   ",
                                 "a \"unterminated", "x \"a\\\"b\" y", "$ alone", "server {"}) {
    CAPTURE(line);
    CHECK(joined(highlightNginxLine(line)) == line);
  }
  const auto set = highlightNginxLine("set $tenant_id 1;");
  REQUIRE(set.size() == 4);
  CHECK(set[2].kind == "variable");
  CHECK(set[2].text == "$tenant_id");
  CHECK(highlightNginxLine("# only a comment").front().kind == "comment");
}

}  // namespace
}  // namespace vantus::controller::ui

#include "controller/render/nginx_modifiers.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "controller/render/ctemplate.h"
#include "tests/unit/controller/render/fixtures.h"

namespace vantus::controller {
namespace {

TEST_CASE("x-nginx-str escapes quotes and backslashes and drops $ and control bytes") {
  CHECK(escapeNginxString("plain value 1.0; {x}") == "plain value 1.0; {x}");
  CHECK(escapeNginxString(R"(a"b\c)") == R"(a\"b\\c)");
  CHECK(escapeNginxString("$host${x}") == "host{x}");
  CHECK(escapeNginxString("line\nbreak\r\ttab\x7f\x01") == "linebreaktab");
  CHECK(escapeNginxString("caf\xc3\xa9") == "caf");
  CHECK(escapeNginxString("\"; return 200 \"owned") == "\\\"; return 200 \\\"owned");
  CHECK(escapeNginxString("\\") == "\\\\");
  CHECK(escapeNginxString("") == "");
}

TEST_CASE("x-nginx-token keeps only token characters") {
  CHECK(filterNginxToken("*.example.com") == "*.example.com");
  CHECK(filterNginxToken("[2001:db8::1]:8080") == "[2001:db8::1]:8080");
  CHECK(filterNginxToken("10.0.0.0/8") == "10.0.0.0/8");
  CHECK(filterNginxToken("t_shop-eu__primary") == "t_shop-eu__primary");
  CHECK(filterNginxToken("a.com;\n}\nserver {") == "a.comserver");
  CHECK(filterNginxToken("x $host \"'#{}();\\") == "xhost");
  CHECK(filterNginxToken("ex\xc3\xa4mple") == "exmple");
  CHECK(filterNginxToken("") == "");
}

TEST_CASE("the registered modifiers filter values during expansion") {
  registerNginxModifiers();
  registerNginxModifiers();  // idempotent
  ctemplate::TemplateCache cache;
  REQUIRE(cache.StringToTemplateCache("probe", "[{{V:x-nginx-token}}] \"{{V:x-nginx-str}}\"\n",
                                      ctemplate::DO_NOT_STRIP));
  ctemplate::TemplateDictionary dictionary("probe");
  dictionary.SetValue("V", "a\"b; }\n$x");
  std::string out;
  REQUIRE(cache.ExpandWithData("probe", ctemplate::DO_NOT_STRIP, &dictionary, nullptr, &out));
  CHECK(out == "[abx] \"a\\\"b; }x\"\n");
}

// Defence in depth only works if no variable escapes it: every {{VAR}} in every nginx
// template carries exactly one of the two nginx modifiers.
TEST_CASE("every variable in templates/nginx uses an x-nginx modifier") {
  const std::regex marker(R"(\{\{([^}]*)\}\})");
  const std::regex allowed(R"([A-Z][A-Z0-9_]*:x-nginx-(str|token))");
  int templates = 0;
  int variables = 0;
  for (const auto& entry : std::filesystem::directory_iterator(testing::templateDir())) {
    if (entry.path().extension() != ".tpl") {
      continue;
    }
    ++templates;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string content = text.str();
    for (auto it = std::sregex_iterator(content.begin(), content.end(), marker);
         it != std::sregex_iterator(); ++it) {
      std::string body = (*it)[1];
      // Sections, ends, includes, comments, pragmas, and ctemplate's constant newline.
      if (body.empty() || std::string("#/>!%").find(body[0]) != std::string::npos ||
          body == "BI_NEWLINE") {
        continue;
      }
      ++variables;
      CHECK_MESSAGE(std::regex_match(body, allowed), entry.path().filename().string()
                                                         << ": {{" << body << "}}");
    }
  }
  CHECK(templates >= 2);
  CHECK(variables > 10);
}

}  // namespace
}  // namespace vantus::controller

#include "controller/ui/page_renderer.h"

#include <doctest/doctest.h>

#include <fstream>

#include "controller/ui/ui_pages.h"
#include "tests/support/temp_dir.h"

namespace vantus::controller::ui {
namespace {

const std::filesystem::path kTemplates = std::filesystem::path(VANTUS_SOURCE_DIR) / "templates/ui";

TEST_CASE("a diff is one row per line with both sides' line numbers and its kind") {
  auto pages = PageRenderer::load(kTemplates);
  REQUIRE(pages);
  const std::string diff =
      "diff --git a/t.conf b/t.conf\n--- a/t.conf\n+++ b/t.conf\n@@ -17,3 +17,3 @@ server {\n"
      "     keep <this>;\n-    old \"x\";\n+    new {{X}};\n     tail;\n";
  auto rendered =
      (*pages)->render("preview.tpl", PageFrame{}, [&](ctemplate::TemplateDictionary& page) {
        ctemplate::TemplateDictionary* nav = page.AddIncludeDictionary("TENANT_NAV");
        nav->SetFilename("tenant_nav.tpl");
        addDiffLines(page, diff);
      });
  REQUIRE(rendered);
  const std::string& out = *rendered;
  CHECK(out.find("<tr class=\"ctx\"><td class=\"ln\">17</td><td class=\"ln\">17</td><td "
                 "class=\"code\">     <span class=\"tok-directive\">keep</span> "
                 "&lt;this&gt;;</td></tr>") != std::string::npos);
  CHECK(out.find("<tr class=\"del\"><td class=\"ln\">18</td><td class=\"ln\"></td><td "
                 "class=\"code\">-    <span class=\"tok-directive\">old</span> <span "
                 "class=\"tok-string\">&quot;x&quot;</span>;</td></tr>") != std::string::npos);
  CHECK(out.find("<tr class=\"add\"><td class=\"ln\"></td><td class=\"ln\">18</td><td "
                 "class=\"code\">+    <span class=\"tok-directive\">new</span> {{X}};</td></tr>") !=
        std::string::npos);
  CHECK(out.find("<tr class=\"ctx\"><td class=\"ln\">19</td><td class=\"ln\">19</td>") !=
        std::string::npos);
  CHECK(out.find("<tr class=\"hunk\">") != std::string::npos);
  // A file's header lines are not numbered as content, though "--- a" starts with '-'.
  CHECK(out.find("<tr class=\"file\"><td class=\"ln\"></td><td class=\"ln\"></td><td "
                 "class=\"code\">--- a/t.conf</td></tr>") != std::string::npos);
}

TEST_CASE("a template without HTML auto-escaping is refused at load") {
  testing::TempDir dir;
  std::ofstream(dir.path() / "layout.tpl") << "{{%AUTOESCAPE context=\"HTML\"}}{{>CONTENT}}";
  std::ofstream(dir.path() / "page.tpl") << "<p>{{RAW}}</p>";
  auto refused = PageRenderer::load(dir.path());
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("page.tpl") != std::string::npos);
  std::ofstream(dir.path() / "page.tpl") << "{{%AUTOESCAPE context=\"HTML\"}}<p>{{RAW}}</p>";
  auto loaded = PageRenderer::load(dir.path());
  REQUIRE(loaded);
  auto html = (*loaded)->render("page.tpl", PageFrame{}, [](ctemplate::TemplateDictionary& page) {
    page.SetValue("RAW", "<b>\"'&");
  });
  REQUIRE(html);
  CHECK(*html == "<p>&lt;b&gt;&quot;&#39;&amp;</p>");
}

}  // namespace
}  // namespace vantus::controller::ui

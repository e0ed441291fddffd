#include "common/config/yaml_node.h"

#include <doctest/doctest.h>

namespace vantus::config {
namespace {

TEST_CASE("a map keeps its entries in file order, with their lines") {
  auto root = parseYaml("a: 1\nb:\n  - x\n  - y\nc:\n", "test.yaml");
  REQUIRE(root);
  REQUIRE(root->isMap());
  const auto& entries = root->entries();
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].key.scalar() == "a");
  CHECK(entries[0].key.line() == 1);
  CHECK(entries[0].value.scalar() == "1");
  CHECK(entries[1].key.line() == 2);
  REQUIRE(entries[1].value.isSequence());
  REQUIRE(entries[1].value.items().size() == 2);
  CHECK(entries[1].value.items()[1].scalar() == "y");
  CHECK(entries[1].value.items()[1].line() == 4);
  CHECK(entries[2].key.scalar() == "c");
  CHECK(entries[2].value.isNull());
}

TEST_CASE("a repeated key stays visible, so callers can refuse it") {
  auto root = parseYaml("a: 1\na: 2\n", "test.yaml");
  REQUIRE(root);
  REQUIRE(root->entries().size() == 2);
  CHECK(root->entries()[1].key.line() == 2);
}

TEST_CASE("an empty document is a null node") {
  auto root = parseYaml("", "test.yaml");
  REQUIRE(root);
  CHECK(root->isNull());
  auto comments = parseYaml("# nothing here\n", "test.yaml");
  REQUIRE(comments);
  CHECK(comments->isNull());
}

TEST_CASE("broken YAML is an error naming the origin and line, never an exception") {
  auto broken = parseYaml("a: 1\nb: [unclosed\n", "agent.yaml");
  REQUIRE_FALSE(broken);
  CHECK(broken.error().code == ErrorCode::kInvalidInput);
  CHECK(broken.error().message.starts_with("agent.yaml:"));
  CHECK(broken.error().message.find("not valid YAML") != std::string::npos);

  auto tab = parseYaml("a:\n\t- b\n", "agent.yaml");
  REQUIRE_FALSE(tab);
  CHECK(tab.error().message.find("not valid YAML") != std::string::npos);
}

TEST_CASE("aliases are resolved into plain copies") {
  auto root = parseYaml("base: &b\n  k: v\ncopy: *b\n", "test.yaml");
  REQUIRE(root);
  const YamlNode& copy = root->entries()[1].value;
  REQUIRE(copy.isMap());
  CHECK(copy.entries()[0].key.scalar() == "k");
  CHECK(copy.entries()[0].value.scalar() == "v");
}

TEST_CASE("booleans are read as YAML spells them; anything else is not one") {
  for (const char* yes : {"true", "True", "TRUE", "yes", "on"}) {
    auto node = parseYaml(yes, "t");
    REQUIRE(node);
    CAPTURE(yes);
    CHECK(node->boolean() == std::optional<bool>(true));
  }
  for (const char* no : {"false", "no", "off"}) {
    auto node = parseYaml(no, "t");
    REQUIRE(node);
    CAPTURE(no);
    CHECK(node->boolean() == std::optional<bool>(false));
  }
  for (const char* neither : {"1", "maybe", "[true]"}) {
    auto node = parseYaml(neither, "t");
    REQUIRE(node);
    CAPTURE(neither);
    CHECK_FALSE(node->boolean());
  }
}

TEST_CASE("a quoted scalar reads back as the same text") {
  const std::string tricky = "a: \"b\" #c \\ d";
  auto node = parseYaml("k: " + yamlQuoted(tricky) + "\n", "t");
  REQUIRE(node);
  CHECK(node->entries()[0].value.scalar() == tricky);
}

}  // namespace
}  // namespace vantus::config

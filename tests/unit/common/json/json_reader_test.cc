#include "common/json/json_reader.h"

#include <doctest/doctest.h>

namespace vantus::json {
namespace {

nlohmann::json parsed(std::string_view text) {
  auto value = parse(text, "test");
  REQUIRE(value);
  return *value;
}

TEST_CASE("malformed JSON is invalid input naming what was read") {
  auto value = parse("{\"a\":", "manifest");
  REQUIRE_FALSE(value);
  CHECK(value.error().code == ErrorCode::kInvalidInput);
  CHECK(value.error().message.starts_with("manifest is not well-formed JSON: "));
}

TEST_CASE("an unknown key is refused before any field is read, in either wording") {
  const nlohmann::json body = parsed(R"({"name":"a","nmae":"b"})");
  auto request = ObjectReader::open(body, "", {"name"});
  REQUIRE_FALSE(request);
  CHECK(request.error().message == "unknown field \"nmae\"");
  CHECK(request.error().field == "nmae");

  auto document = ObjectReader::open(body, "manifest", {"name"}, Wording::kDocument);
  REQUIRE_FALSE(document);
  CHECK(document.error().message == "manifest has unknown field \"nmae\"");
  CHECK(document.error().field == "nmae");

  // A key full of odd bytes is quoted in the message, never used as a field name.
  const nlohmann::json odd = parsed(R"({"a\nb":1})");
  auto refused = ObjectReader::open(odd, "targets[0]", {"host"});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message == "unknown field \"a\\nb\"");
  CHECK(refused.error().field == "targets[0]");

  CHECK(ObjectReader::openTolerant(body, "heartbeat"));
  CHECK_FALSE(ObjectReader::openTolerant(parsed("[]"), "heartbeat"));
}

TEST_CASE("fields are read with one type rule and named by their path") {
  const nlohmann::json body =
      parsed(R"({"host":"a","port":"80","weight":9223372036854775808,"backup":1,"id":0})");
  auto fields =
      ObjectReader::open(body, "targets[1]", {"host", "port", "weight", "backup", "id", "absent"});
  REQUIRE(fields);
  CHECK(fields->string("host").value() == "a");
  CHECK(fields->string("absent", "fallback").value() == "fallback");
  auto absent = fields->string("absent");
  REQUIRE_FALSE(absent);
  CHECK(absent.error().message == "\"absent\" is required");
  CHECK(absent.error().field == "targets[1].absent");

  auto port = fields->integer("port");
  REQUIRE_FALSE(port);
  CHECK(port.error().message == "\"port\" must be an integer");
  CHECK(port.error().field == "targets[1].port");
  auto weight = fields->integer("weight");
  REQUIRE_FALSE(weight);
  CHECK(weight.error().message == "\"weight\" is out of range");
  auto backup = fields->boolean("backup", false);
  REQUIRE_FALSE(backup);
  CHECK(backup.error().message == "\"backup\" must be true or false");
  CHECK(fields->boolean("absent", true).value());
  CHECK_FALSE(fields->optionalBoolean("absent").value().has_value());
  auto id = fields->positiveId("id");
  REQUIRE_FALSE(id);
  CHECK(id.error().message == "\"id\" must be a positive integer id");
}

TEST_CASE("documents name the object a field is in, and may require every field") {
  const nlohmann::json value = parsed(R"({"version":-1,"files":{}})");
  auto fields =
      ObjectReader::open(value, "manifest", {"version", "files", "cluster"}, Wording::kDocument);
  REQUIRE(fields);
  auto all = fields->requireAll();
  REQUIRE_FALSE(all);
  CHECK(all.error().message == "manifest lacks field \"cluster\"");
  CHECK(all.error().field == "cluster");
  auto version = fields->unsignedInteger("version");
  REQUIRE_FALSE(version);
  CHECK(version.error().message == "manifest.version must be a non-negative integer");
  CHECK(version.error().field == "version");
  auto files = fields->requiredArray("files");
  REQUIRE_FALSE(files);
  CHECK(files.error().message == "manifest.files must be an array");
  auto not_object = ObjectReader::open(parsed("[]"), "bundle", {}, Wording::kDocument);
  REQUIRE_FALSE(not_object);
  CHECK(not_object.error().message == "bundle must be a JSON object");
}

TEST_CASE("arrays are bounded and strings are written in the canonical compact form") {
  const nlohmann::json value = parsed(R"({"list":[1,2,3]})");
  auto fields = ObjectReader::open(value, "", {"list"});
  REQUIRE(fields);
  CHECK(fields->array("list", 3).value()->size() == 3);
  auto over = fields->array("list", 2);
  REQUIRE_FALSE(over);
  CHECK(over.error().message == "at most 2 entries are allowed, got 3");

  std::string out;
  appendJsonString(out, "plain");
  appendJsonString(out, "quote\" and \x01");
  CHECK(out == R"("plain""quote\" and \u0001")");
  CHECK(dumpCompact(parsed(R"({"b":1, "a":[true]})")) == R"({"a":[true],"b":1})");
}

}  // namespace
}  // namespace vantus::json

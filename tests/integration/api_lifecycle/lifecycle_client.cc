#include "tests/integration/api_lifecycle/lifecycle_client.h"

#include <doctest/doctest.h>

namespace vantus::testing {

using nlohmann::json;

Answer send(ApiServer& api, const std::string& method, const std::string& path,
            const std::string& body, const std::string& bearer, httplib::Headers headers) {
  auto result = api.call(method, path, body, bearer, std::move(headers));
  INFO(method, " ", path);
  REQUIRE(result);
  Answer answer;
  answer.status = result->status;
  answer.body = json::parse(result->body, nullptr, /*allow_exceptions=*/false);
  if (answer.body.is_discarded()) {
    answer.body = nullptr;
  }
  answer.etag = result->get_header_value("ETag");
  answer.location = result->get_header_value("Location");
  answer.replayed = result->get_header_value("Idempotent-Replayed");
  return answer;
}

httplib::Headers ifMatch(const std::string& etag) { return {{"If-Match", etag}}; }

httplib::Headers idempotencyKey(const std::string& key) { return {{"Idempotency-Key", key}}; }

std::string idOf(const Answer& answer) {
  REQUIRE(answer.body.is_object());
  REQUIRE(answer.body.contains("id"));
  return std::to_string(answer.body["id"].get<std::int64_t>());
}

json without(const Answer& answer, const std::string& key) {
  json copy = answer.body;
  copy.erase(key);
  return copy;
}

void checkReadEquals(ApiServer& api, const std::string& path, const Answer& expected) {
  Answer read = send(api, "GET", path);
  INFO("GET ", path);
  REQUIRE(read.status == 200);
  CHECK(read.body == expected.body);
  CHECK_FALSE(read.etag.empty());
  CHECK(read.etag == expected.etag);
}

void checkImport(ApiServer& api, const std::string& path, const json& config) {
  Answer imported = send(api, "GET", path);
  INFO("import ", path);
  REQUIRE(imported.status == 200);
  REQUIRE(imported.body.is_object());
  for (const auto& [key, value] : config.items()) {
    INFO("field ", key);
    REQUIRE(imported.body.contains(key));
    CHECK(imported.body[key] == value);
  }
}

void checkDeleteGone(ApiServer& api, const std::string& path, const std::string& etag) {
  INFO("DELETE ", path);
  Answer deleted = send(api, "DELETE", path, "", "", ifMatch(etag));
  CHECK(deleted.status == 204);
  checkProblem(api.call("GET", path), 404, "");
  checkProblem(api.call("DELETE", path), 404, "");
}

void checkCreateRetry(ApiServer& api, const std::string& path, const std::string& body,
                      const std::string& key, const Answer& first, const std::string& other_body,
                      const std::string& list_path, const std::string& secret_field) {
  INFO("retried POST ", path);
  const std::size_t before = itemCount(api, list_path);
  Answer again = send(api, "POST", path, body, "", idempotencyKey(key));
  CHECK(again.status == first.status);
  CHECK(again.replayed == "true");
  CHECK_FALSE(again.etag.empty());
  if (secret_field.empty()) {
    CHECK(again.body == first.body);
    CHECK(again.etag == first.etag);
  } else {
    CHECK_FALSE(again.body.contains(secret_field));
    CHECK(again.body == without(first, secret_field));
  }
  CHECK(again.location == first.location);
  CHECK(itemCount(api, list_path) == before);

  checkProblem(api.call("POST", path, other_body, "", idempotencyKey(key)), 422, "Idempotency-Key");
  CHECK(itemCount(api, list_path) == before);
}

std::size_t itemCount(ApiServer& api, const std::string& list_path) {
  Answer list = send(api, "GET", list_path);
  INFO("GET ", list_path);
  REQUIRE(list.status == 200);
  REQUIRE(list.body["items"].is_array());
  return list.body["items"].size();
}

}  // namespace vantus::testing

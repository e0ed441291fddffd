// Limits keyed by who the client is: behind a trusted proxy, from an untrusted peer, per token
// prefix, and on /agent/v1 (failed node credentials per address, requests per node). Bounded
// request counts on loopback; no timing assumptions beyond "a bucket does not refill fully
// within one loop".
#include <doctest/doctest.h>
#include <httplib.h>

#include "common/crypto/ed25519.h"
#include "common/crypto/hash.h"
#include "tests/support/api/api_server.h"
#include "tests/support/api/side_server.h"

namespace vantus::controller {
namespace {

using nlohmann::json;
using vantus::testing::ApiServer;
using vantus::testing::bodyOf;
using vantus::testing::checkProblem;

const std::string kWrongToken = "vt_000000000000_" + std::string(43, 'a');

httplib::Headers from(const std::string& client) { return {{"X-Forwarded-For", client}}; }

TrustedProxies loopbackProxy() {
  Result<TrustedProxies> proxies = TrustedProxies::parse({"127.0.0.0/8"});
  REQUIRE(proxies);
  return *proxies;
}

TEST_CASE("behind a trusted proxy, one client's bad tokens lock out that client only") {
  ApiServer api;
  api.services().limits.auth_failures = RateRule{6, 3};
  api.services().proxies = loopbackProxy();
  for (int i = 0; i < 3; ++i) {
    checkProblem(api.call("GET", "/api/v1/tenants", "", "-", from("198.51.100.1")), 401, "");
  }
  checkProblem(api.call("GET", "/api/v1/tenants", "", "-", from("198.51.100.1")), 429, "");
  auto neighbour = api.call("GET", "/api/v1/tenants", "", "", from("198.51.100.2"));
  REQUIRE(neighbour);
  CHECK(neighbour->status == 200);
  // The proxy appends the address it saw: hops the client wrote on the left do not count.
  checkProblem(
      api.call("GET", "/api/v1/tenants", "", "-", from("203.0.113.9, 10.0.0.1, 198.51.100.1")), 429,
      "");
}

TEST_CASE("the audit row names the client behind the trusted proxy") {
  ApiServer api;
  api.services().proxies = loopbackProxy();
  REQUIRE(api.call("POST", "/api/v1/tenants", R"({"slug":"acme","name":"Acme"})", "",
                   {{"X-Forwarded-For", "198.51.100.7, 127.0.0.1"}})
              ->status == 201);
  json rows = bodyOf(api.call("GET", "/api/v1/audit?action=tenant.create"));
  REQUIRE(rows["items"].size() == 1);
  CHECK(rows["items"][0]["actor"]["source_address"] == "198.51.100.7");
}

TEST_CASE("forwarding headers from a peer that is not a trusted proxy are ignored") {
  ApiServer api;
  api.services().limits.auth_failures = RateRule{6, 3};
  for (int i = 0; i < 3; ++i) {
    checkProblem(api.call("GET", "/api/v1/tenants", "", "-", from("198.51.100.1")), 401, "");
  }
  // A new X-Forwarded-For every time does not make a new client.
  checkProblem(api.call("GET", "/api/v1/tenants", "", "-", from("198.51.100.99")), 429, "");
}

TEST_CASE("failed authentications are limited per token prefix across addresses") {
  ApiServer api;
  api.services().limits.auth_failures = RateRule{6, 3};
  api.services().proxies = loopbackProxy();
  for (int i = 0; i < 3; ++i) {
    checkProblem(api.call("GET", "/api/v1/tenants", "", kWrongToken,
                          from("198.51.100." + std::to_string(i + 1))),
                 401, "");
  }
  auto blocked = api.call("GET", "/api/v1/tenants", "", kWrongToken, from("198.51.100.50"));
  checkProblem(blocked, 429, "");
  CHECK(blocked->body.find("with this token") != std::string::npos);
  CHECK(std::stoi(blocked->get_header_value("Retry-After")) >= 1);
}

TEST_CASE("random node credentials on /agent/v1 get 429 with Retry-After, not 401 forever") {
  ApiServer api;
  vantus::testing::SideServer agent_api(api.app());
  CHECK(agent_api.agents().auth_failures.per_minute == 60);  // the default controller.yaml's
  agent_api.agents().auth_failures = RateRule{6, 3};         // refills far slower than the loop
  httplib::Client agent("127.0.0.1", agent_api.port());
  int refused = 0;
  std::string retry_after;
  for (int i = 0; i < 300 && refused == 0; ++i) {
    Result<std::string> secret = crypto::randomToken(32);
    REQUIRE(secret);
    auto answer = agent.Get("/agent/v1/desired", {{"Authorization", "Bearer vn_" + *secret}});
    REQUIRE(answer);
    if (answer->status == 429) {
      ++refused;
      retry_after = answer->get_header_value("Retry-After");
    } else {
      CHECK(answer->status == 401);
    }
  }
  CHECK(refused == 1);  // after the burst of 3
  CHECK(std::stoi(retry_after) >= 1);
  // Bad enrolment tokens from the same address are refused the same way.
  auto enrol = agent.Post("/agent/v1/enroll", R"({"token":"ve_x","name":"n1","public_key":"x"})",
                          "application/json");
  REQUIRE(enrol);
  CHECK(enrol->status == 429);
}

TEST_CASE("an enrolled node over its request budget gets 429; other nodes do not") {
  ApiServer api;
  vantus::testing::SideServer agent_api(api.app());
  agent_api.agents().node_requests = RateRule{60, 5};
  Id cluster = bodyOf(api.call("POST", "/api/v1/edge-clusters", R"({"name":"edge-a"})"))["id"];
  auto enrol = [&](const std::string& name) {
    json token = bodyOf(api.call(
        "POST", "/api/v1/edge-clusters/" + std::to_string(cluster) + "/enrollment-tokens", "{}"));
    auto key = crypto::Ed25519PrivateKey::generate();
    REQUIRE(key);
    auto enrolled = api.app().fleet().enroll(token["token"].get<std::string>(), name,
                                             key->publicKey().pem(), Actor{});
    REQUIRE(enrolled);
    return enrolled->credential;
  };
  const std::string busy = enrol("n1");
  const std::string quiet = enrol("n2");
  httplib::Client agent("127.0.0.1", agent_api.port());
  auto poll = [&](const std::string& credential) {
    auto answer = agent.Get("/agent/v1/desired", {{"Authorization", "Bearer " + credential}});
    REQUIRE(answer);
    return *answer;
  };
  int answered = 0;
  httplib::Response last;
  for (int i = 0; i < 100; ++i) {
    last = poll(busy);
    if (last.status == 429) {
      break;
    }
    ++answered;
  }
  CHECK(last.status == 429);
  CHECK(answered >= 5);
  CHECK(std::stoi(last.get_header_value("Retry-After")) >= 1);
  CHECK(poll(quiet).status == 204);
}

}  // namespace
}  // namespace vantus::controller

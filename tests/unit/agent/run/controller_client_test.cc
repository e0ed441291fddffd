#include "agent/run/controller_client.h"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>

#include <string>
#include <thread>

#include "tests/support/processes.h"

// The agent's reading of GET /agent/v1/desired, against a stand-in controller on loopback that
// answers whatever body the test gives it.
namespace vantus::agent {
namespace {

constexpr std::string_view kDigest =
    "2c125143a3e6d25bd0c7266ab6148c230b991c706ba900b6836effc459bfc7bc";

class StandInController {
 public:
  explicit StandInController(std::string desired_body, int status = 200,
                             std::string retry_after = "")
      : body_(std::move(desired_body)), status_(status), retry_after_(std::move(retry_after)) {
    server_.Get("/agent/v1/desired", [this](const httplib::Request&, httplib::Response& response) {
      response.status = status_;
      response.set_header("ETag", fmt::format("\"{}\"", kDigest));
      if (!retry_after_.empty()) {
        response.set_header("Retry-After", retry_after_);
      }
      response.set_content(body_, "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    REQUIRE(vantus::testing::waitUntil([this] { return server_.is_running(); },
                                       std::chrono::seconds(10)));
  }
  ~StandInController() {
    server_.stop();
    thread_.join();
  }

  Result<Desired> desired() { return client().desired("", std::chrono::seconds(0)); }
  ControllerClient& client() {
    if (!client_) {
      auto made = ControllerClient::make({.base_url = fmt::format("http://127.0.0.1:{}", port_)},
                                         "vn_test");
      REQUIRE(made);
      client_ = std::move(*made);
    }
    return *client_;
  }

 private:
  std::string body_;
  int status_;
  std::string retry_after_;
  std::unique_ptr<ControllerClient> client_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

std::string pointer(std::string_view expires_at_json) {
  return fmt::format(R"({{"bundle_url":"/agent/v1/bundles/{0}","cluster":"edge-a","digest":"{0}",)"
                     R"("expires_at":{1},"version":3}})",
                     kDigest, expires_at_json);
}

TEST_CASE("the desired release's expires_at is read as RFC 3339") {
  StandInController controller(pointer(R"("2026-12-03T11:45:07Z")"));

  auto desired = controller.desired();

  REQUIRE_MESSAGE(desired, (desired ? "" : desired.error().describe()));
  CHECK(desired->kind == Desired::Kind::kChanged);
  CHECK(desired->version == 3);
  CHECK(desired->digest == kDigest);
  CHECK(desired->expires_at == 1796298307);
}

TEST_CASE("unix seconds from a controller of the previous release are still understood") {
  StandInController controller(pointer("1796298307"));

  auto desired = controller.desired();

  REQUIRE_MESSAGE(desired, (desired ? "" : desired.error().describe()));
  CHECK(desired->expires_at == 1796298307);
}

TEST_CASE("an expires_at that is neither is a malformed answer naming the field") {
  for (std::string_view bad : {R"("tomorrow")", R"("2026-12-03 11:45:07")", "true", "null"}) {
    CAPTURE(bad);
    StandInController controller(pointer(bad));

    auto desired = controller.desired();

    REQUIRE_FALSE(desired);
    CHECK(desired.error().code == ErrorCode::kInvalidInput);
    CHECK_MESSAGE(desired.error().message.find("expires_at") != std::string::npos,
                  desired.error().message);
  }
}

TEST_CASE("a 429 is kRateLimited and its Retry-After is kept for the back-off") {
  StandInController limited(R"({"detail":"too many requests from this node; retry in 7 s"})", 429,
                            "7");
  Result<Desired> answer = limited.desired();
  REQUIRE_FALSE(answer);
  CHECK(answer.error().code == ErrorCode::kRateLimited);
  CHECK(limited.client().retryAfter() == std::chrono::seconds(7));

  StandInController dated("{}", 429, "Wed, 21 Oct 2026 07:28:00 GMT");
  REQUIRE_FALSE(dated.desired());
  CHECK(dated.client().retryAfter() == std::chrono::seconds(0));
}

}  // namespace
}  // namespace vantus::agent

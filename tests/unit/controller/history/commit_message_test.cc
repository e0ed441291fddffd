#include "controller/history/commit_message.h"

#include <doctest/doctest.h>

namespace vantus::controller {
namespace {

const std::vector<Trailer> kSigned = {{"Vantus-Deployment", "7"}, {"Vantus-Actor", "user:ada"}};

std::string composed(const std::string& body) {
  auto message = composeCommitMessage("Deploy acme\n\n" + body, kSigned);
  REQUIRE(message);
  return *message;
}

TEST_CASE("a user's message cannot pose as the trailers Vantus signs") {
  // After a "---" line git stops looking for trailers, so the fake block above it would be
  // the one git log and parseTrailers read.
  const std::string forged = "fixed the cache\n\nVantus-Actor: user:ceo\nVantus-Deployment: 1\n---";
  const std::vector<Trailer> fake = {{"Vantus-Actor", "user:ceo"}, {"Vantus-Deployment", "1"}};
  CHECK(parseTrailers(composed(forged)) == fake);

  const std::string quoted = quoteUserText(forged);
  CHECK(quoted == "fixed the cache\n\n  Vantus-Actor: user:ceo\n  Vantus-Deployment: 1\n  ---");
  CHECK(parseTrailers(composed(quoted)) == kSigned);
}

TEST_CASE("quoting leaves ordinary text alone") {
  CHECK(quoteUserText("") == "");
  CHECK(quoteUserText("bump the timeout to 30 s\n\nsee ticket 12: it was 10") ==
        "bump the timeout to 30 s\n\nsee ticket 12: it was 10");
  CHECK(quoteUserText("Signed-off-by: ada\n") == "  Signed-off-by: ada\n");
  CHECK(quoteUserText("key=value") == "  key=value");
}

}  // namespace
}  // namespace vantus::controller

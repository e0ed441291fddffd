#include "controller/api/agent_routes.h"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "common/core/files.h"
#include "common/core/time.h"
#include "controller/api/api_support.h"
#include "controller/server/problem.h"

namespace vantus::controller {
namespace {

using nlohmann::json;

std::string etagFor(const std::string& digest) { return "\"" + digest + "\""; }

bool isDigest(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string failuresKey(AgentServices& services, const httplib::Request& request) {
  return "agent-authfail:" + clientAddress(request, services.proxies);
}

// False (the 429 answered) when the request's address failed to authenticate too often.
bool failuresWithin(AgentServices& services, const std::string& key, httplib::Response& response,
                    bool peek) {
  return api::withinLimit(*services.limiter, key, services.auth_failures, response,
                          "failed authentications from this address", peek);
}

// The node behind the request's credential within its request budget, or an answered 401/429.
std::optional<EdgeNode> nodeOf(AgentServices& services, const httplib::Request& request,
                               httplib::Response& response) {
  const std::string failures_key = failuresKey(services, request);
  if (!failuresWithin(services, failures_key, response, /*peek=*/true)) {
    return std::nullopt;
  }
  std::string header = request.get_header_value("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  auto node = services.fleet.authenticate(
      header.starts_with(kBearer) ? std::string_view(header).substr(kBearer.size()) : "");
  if (!node) {
    if (failuresWithin(services, failures_key, response, /*peek=*/false)) {
      response.set_header("WWW-Authenticate", "Bearer");
      sendError(response, node.error());
    }
    return std::nullopt;
  }
  if (!api::withinLimit(*services.limiter, fmt::format("node:{}", node->id), services.node_requests,
                        response, "requests from this node")) {
    return std::nullopt;
  }
  return *node;
}

std::chrono::milliseconds waitOf(const httplib::Request& request, std::chrono::seconds max_wait) {
  if (!request.has_param("wait")) {
    return std::chrono::milliseconds(0);
  }
  const std::string text = request.get_param_value("wait");
  int seconds = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (error != std::errc() || end != text.data() + text.size() || seconds < 0) {
    return std::chrono::milliseconds(0);
  }
  return std::chrono::seconds(std::min<std::int64_t>(seconds, max_wait.count()));
}

void desired(AgentServices& services, const httplib::Request& request,
             httplib::Response& response) {
  std::optional<EdgeNode> node = nodeOf(services, request, response);
  if (!node) {
    return;
  }
  std::string known = request.get_header_value("If-None-Match");
  if (known.size() >= 2 && known.front() == '"' && known.back() == '"') {
    known = known.substr(1, known.size() - 2);
  }
  if (node->drained) {
    // Offered nothing new: the poll waits out its time (or the cluster's next change) and
    // answers "keep what you have".
    if (!known.empty()) {
      std::optional<DesiredPointer> now = services.desired.current(node->cluster_id);
      services.desired.waitForChange(node->cluster_id, now ? now->digest : known,
                                     waitOf(request, services.max_wait));
      response.set_header("ETag", etagFor(known));
    }
    response.set_header("Cache-Control", "no-store");
    response.status = known.empty() ? 204 : 304;
    return;
  }
  std::optional<DesiredPointer> pointer =
      known.empty() ? services.desired.current(node->cluster_id)
                    : services.desired.waitForChange(node->cluster_id, known,
                                                     waitOf(request, services.max_wait));
  if (!pointer) {
    response.status = 204;
    return;
  }
  response.set_header("ETag", etagFor(pointer->digest));
  response.set_header("Cache-Control", "no-store");
  if (pointer->digest == known) {
    response.status = 304;
    return;
  }
  json body = {{"cluster", node->cluster},
               {"version", pointer->version},
               {"digest", pointer->digest},
               {"expires_at", formatRfc3339Utc(pointer->expires_at)},
               {"bundle_url", "/agent/v1/bundles/" + pointer->digest}};
  response.status = 200;
  response.set_content(body.dump(), "application/json");
}

void bundle(AgentServices& services, const httplib::Request& request, httplib::Response& response) {
  std::optional<EdgeNode> node = nodeOf(services, request, response);
  if (!node) {
    return;
  }
  const std::string digest = request.matches[1];
  // A node gets its own cluster's current bundle only: another cluster's config is not its
  // business, even signed.
  std::optional<DesiredPointer> pointer = services.desired.current(node->cluster_id);
  if (!isDigest(digest) || !pointer || pointer->digest != digest) {
    sendProblem(response, 404, "Not Found",
                fmt::format("there is no bundle {} for cluster {}", digest, node->cluster));
    return;
  }
  auto bytes = readFile((services.bundles / (digest + ".bundle")).string(), 512u << 20);
  if (!bytes) {
    sendProblem(response, 404, "Not Found", fmt::format("there is no bundle {}", digest));
    return;
  }
  response.set_header("Cache-Control", "public, max-age=31536000, immutable");
  response.set_header("ETag", etagFor(digest));
  response.set_content(std::move(*bytes), "application/vnd.vantus.bundle+json");
}

void enroll(AgentServices& services, const httplib::Request& request, httplib::Response& response) {
  const std::string failures_key = failuresKey(services, request);
  if (!failuresWithin(services, failures_key, response, /*peek=*/true)) {
    return;
  }
  auto answer = [&]() -> Result<Enrolled> {
    VANTUS_TRY(json body, api::jsonBody(request));
    VANTUS_TRY(api::ObjectReader fields,
               api::ObjectReader::open(body, "", {"token", "name", "public_key"}));
    VANTUS_TRY(std::string token, fields.string("token"));
    VANTUS_TRY(std::string name, fields.string("name"));
    VANTUS_TRY(std::string key, fields.string("public_key"));
    Actor actor{.kind = "node",
                .id = name,
                .name = name,
                .email = "",
                .source_address = clientAddress(request, services.proxies),
                .user_agent = request.get_header_value("User-Agent")};
    return services.fleet.enroll(token, name, key, actor);
  }();
  if (!answer) {
    if (answer.error().code != ErrorCode::kUnauthenticated ||
        failuresWithin(services, failures_key, response, /*peek=*/false)) {
      sendError(response, answer.error());
    }
    return;
  }
  response.set_header("Cache-Control", "no-store");  // the credential is shown once
  api::sendJson(response, 201,
                {{"node", answer->node.name},
                 {"cluster", answer->node.cluster},
                 {"credential", answer->credential},
                 {"signing_keys", answer->signing_keys_pem}});
}

template <typename Accept>
void report(AgentServices& services, const httplib::Request& request, httplib::Response& response,
            Accept accept) {
  std::optional<EdgeNode> node = nodeOf(services, request, response);
  if (!node) {
    return;
  }
  if (auto accepted = accept(*node, request.body); !accepted) {
    sendError(response, accepted.error());
    return;
  }
  response.status = 202;
}

}  // namespace

void addAgentRoutes(httplib::Server& server, AgentServices& services) {
  server.Get("/agent/v1/desired",
             [&services](const httplib::Request& request, httplib::Response& response) {
               desired(services, request, response);
             });
  server.Get(R"(/agent/v1/bundles/([^/]+))",
             [&services](const httplib::Request& request, httplib::Response& response) {
               bundle(services, request, response);
             });
  server.Get("/agent/v1/signing-keys",
             [&services](const httplib::Request&, httplib::Response& response) {
               api::sendJson(response, 200, {{"signing_keys", services.fleet.signingKeys()}});
             });
  server.Post("/agent/v1/enroll",
              [&services](const httplib::Request& request, httplib::Response& response) {
                enroll(services, request, response);
              });
  server.Post("/agent/v1/receipts", [&services](const httplib::Request& request,
                                                httplib::Response& response) {
    report(services, request, response, [&services](const EdgeNode& node, const std::string& body) {
      return services.fleet.acceptReceipt(node, body);
    });
  });
  server.Post("/agent/v1/heartbeat", [&services](const httplib::Request& request,
                                                 httplib::Response& response) {
    report(services, request, response, [&services](const EdgeNode& node, const std::string& body) {
      return services.fleet.acceptHeartbeat(node, body);
    });
  });
}

}  // namespace vantus::controller

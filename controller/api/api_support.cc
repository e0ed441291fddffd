#include "controller/api/api_support.h"

#include <fmt/format.h>

#include <charconv>

#include "common/core/time.h"
#include "common/crypto/hash.h"
#include "controller/server/problem.h"

namespace vantus::controller::api {

using nlohmann::json;

Result<json> jsonBody(const httplib::Request& request) {
  json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    return fail(ErrorCode::kInvalidInput, "the request body is not valid JSON", "body");
  }
  if (!body.is_object()) {
    return fail(ErrorCode::kInvalidInput, "the request body must be a JSON object", "body");
  }
  return body;
}

Result<Id> pathId(const httplib::Request& request, size_t index) {
  const std::string& text = request.matches[index];
  Id id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  // One spelling per resource: "/tokens/02" is not "/tokens/2".
  if (error != std::errc() || end != text.data() + text.size() || id <= 0 || text[0] == '0') {
    return fail(ErrorCode::kNotFound, "no such resource");
  }
  return id;
}

Result<Id> parseCursor(std::string_view text) {
  Id id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id < 0) {
    return fail(ErrorCode::kInvalidInput, "cursor is not one this API returned", "cursor");
  }
  return id;
}

Result<std::size_t> parseLimit(std::string_view text) {
  std::size_t limit = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), limit);
  if (error != std::errc() || end != text.data() + text.size() || limit < 1 || limit > 500) {
    return fail(ErrorCode::kInvalidInput, "limit must be an integer in 1..500", "limit");
  }
  return limit;
}

Result<PageRequest> pageOf(const httplib::Request& request, std::size_t default_limit) {
  PageRequest page{0, default_limit};
  if (request.has_param("cursor")) {
    VANTUS_TRY(page.cursor, parseCursor(request.get_param_value("cursor")));
  }
  if (request.has_param("limit")) {
    VANTUS_TRY(page.limit, parseLimit(request.get_param_value("limit")));
  }
  return page;
}

std::string etagOfBytes(std::string_view bytes) {
  return "\"" + crypto::sha256Hex(bytes).substr(0, 32) + "\"";
}

std::string etagOf(const json& representation) { return etagOfBytes(representation.dump()); }

Result<void> checkIfMatch(const httplib::Request& request, const json& current) {
  if (!request.has_header("If-Match")) {
    return ok();
  }
  const std::string wanted = request.get_header_value("If-Match");
  if (wanted == "*" || wanted == etagOf(current)) {
    return ok();
  }
  return fail(ErrorCode::kStaleRevision,
              "If-Match does not match the current ETag: read the resource again", "If-Match");
}

Result<void> checkIfMatchOnMissing(const httplib::Request& request) {
  if (!request.has_header("If-Match")) {
    return ok();
  }
  return fail(ErrorCode::kStaleRevision,
              "If-Match names a representation, but the resource does not exist (any more)",
              "If-Match");
}

void sendJson(httplib::Response& response, int status, const json& body) {
  std::string bytes = body.dump();
  response.status = status;
  response.set_header("ETag", etagOfBytes(bytes));
  response.set_content(std::move(bytes), "application/json");
}

json cursorJson(const std::optional<Id>& next) {
  return next ? json(std::to_string(*next)) : json(nullptr);
}

Actor actorOf(const Principal& principal, const httplib::Request& request,
              const std::string& client) {
  Actor actor;
  actor.kind = "token";
  actor.id = std::to_string(principal.token.id);
  actor.name = principal.user.email;
  actor.email = principal.user.email;
  actor.source_address = client;
  actor.user_agent = request.get_header_value("User-Agent").substr(0, 200);
  return actor;
}

bool withinLimit(RateLimiter& limiter, const std::string& key, const RateRule& rule,
                 httplib::Response& response, std::string_view what, bool peek) {
  if (rule.per_minute <= 0) {
    return true;
  }
  const std::int64_t retry_after = peek ? limiter.peek(key, rule) : limiter.take(key, rule);
  if (retry_after == 0) {
    return true;
  }
  response.set_header("Retry-After", std::to_string(retry_after));
  sendProblem(response, 429, "Too Many Requests",
              fmt::format("too many {}; retry in {} s", what, retry_after));
  return false;
}

json tenantJson(const Tenant& tenant) {
  return {{"id", tenant.id},
          {"slug", tenant.slug},
          {"name", tenant.name},
          {"status", tenantStatusName(tenant.status)},
          {"created_at", tenant.created_at},
          {"updated_at", tenant.updated_at}};
}

json nodeJson(const NodeStatus& status) {
  const EdgeNode& node = status.node;
  return {{"id", node.id},
          {"cluster", node.cluster},
          {"name", node.name},
          {"liveness", status.liveness},
          {"applied_version", node.applied_version},
          {"applied_digest", node.applied_digest},
          {"last_seen_at",
           node.last_seen_unix > 0 ? json(formatRfc3339Utc(node.last_seen_unix)) : json(nullptr)},
          {"last_result", node.last_result},
          {"last_reason", node.last_reason},
          {"nginx_version", node.nginx_version},
          {"drift", node.drift},
          {"expired", node.expired},
          {"drained", node.drained},
          {"enrolled_at", node.enrolled_at}};
}

json deploymentJson(const Deployment& deployment, const std::vector<Release>& releases) {
  json releases_json = json::array();
  for (const Release& release : releases) {
    releases_json.push_back({{"cluster_id", release.cluster_id},
                             {"cluster", release.cluster},
                             {"version", release.version},
                             {"expires_at", formatRfc3339Utc(release.expires_at)}});
  }
  return {{"id", deployment.id},
          {"tenant_id", deployment.tenant_id},
          {"kind", deploymentKindName(deployment.kind)},
          {"status", deploymentStatusName(deployment.status)},
          {"rollback_of", deployment.rollback_of ? json(*deployment.rollback_of) : json(nullptr)},
          {"commit", deployment.commit_id},
          {"actor", deployment.actor_name},
          {"message", deployment.message},
          {"created_at", deployment.created_at},
          {"releases", releases_json}};
}

}  // namespace vantus::controller::api

#include "agent/state/agent_state.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "common/core/files.h"

namespace vantus::agent {
namespace {

using nlohmann::json;

constexpr size_t kMaxStateBytes = 1 << 20;

Result<json> readJson(const std::filesystem::path& file) {
  VANTUS_TRY(std::string text, readFile(file.string(), kMaxStateBytes));
  json parsed = json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return fail(ErrorCode::kInvalidInput, fmt::format("{} is not a JSON object", file.string()));
  }
  return parsed;
}

}  // namespace

AgentLayout agentLayout(const std::filesystem::path& root) {
  return AgentLayout{.root = root,
                     .node_key = root / "node.key",
                     .credential = root / "credential",
                     .enrollment = root / "enrollment.json",
                     .keyring = root / "keyring",
                     .state = root / "state.json",
                     .releases = root / "releases",
                     .bundles = root / "bundles",
                     .current = root / "current",
                     .nginx_restarts = root / "nginx-restarts.json"};
}

Result<Enrollment> loadEnrollment(const std::filesystem::path& file) {
  auto parsed = readJson(file);
  if (!parsed) {
    if (parsed.error().code == ErrorCode::kNotFound) {
      return fail(ErrorCode::kNotFound,
                  fmt::format("{} does not exist: enrol this node first (vantus-agent enroll)",
                              file.string()));
    }
    return fail(std::move(parsed).error());
  }
  try {
    return Enrollment{.node = parsed->at("node").get<std::string>(),
                      .cluster = parsed->at("cluster").get<std::string>(),
                      .controller_url = parsed->at("controller_url").get<std::string>(),
                      .key_ids = parsed->at("key_ids").get<std::vector<std::string>>()};
  } catch (const json::exception& e) {
    return fail(ErrorCode::kInvalidInput, fmt::format("{}: {}", file.string(), e.what()));
  }
}

Result<void> saveEnrollment(const std::filesystem::path& file, const Enrollment& enrollment) {
  json out = {{"node", enrollment.node},
              {"cluster", enrollment.cluster},
              {"controller_url", enrollment.controller_url},
              {"key_ids", enrollment.key_ids}};
  return writeFileAtomically(file.string(), out.dump(2) + "\n", 0644);
}

Result<NginxRestarts> loadNginxRestarts(const std::filesystem::path& file) {
  std::error_code error;
  if (!std::filesystem::exists(file, error)) {
    return NginxRestarts{};
  }
  VANTUS_TRY(json parsed, readJson(file));
  try {
    return NginxRestarts{.count = parsed.at("count").get<std::uint64_t>(),
                         .last_at = parsed.at("last_at").get<std::int64_t>(),
                         .last_error = parsed.at("last_error").get<std::string>()};
  } catch (const json::exception& e) {
    return fail(ErrorCode::kInvalidInput, fmt::format("{}: {}", file.string(), e.what()));
  }
}

Result<void> saveNginxRestarts(const std::filesystem::path& file, const NginxRestarts& restarts) {
  json out = {{"count", restarts.count},
              {"last_at", restarts.last_at},
              {"last_error", restarts.last_error}};
  return writeFileAtomically(file.string(),
                             out.dump(2, ' ', false, json::error_handler_t::replace) + "\n", 0644);
}

Result<AgentState> loadAgentState(const std::filesystem::path& file) {
  std::error_code error;
  if (!std::filesystem::exists(file, error)) {
    return AgentState{};
  }
  VANTUS_TRY(json parsed, readJson(file));
  try {
    AgentState state;
    state.version = parsed.at("version").get<std::uint64_t>();
    state.digest = parsed.at("digest").get<std::string>();
    state.release = parsed.at("release").get<std::string>();
    state.expires_at = parsed.at("expires_at").get<std::int64_t>();
    state.applied_at = parsed.at("applied_at").get<std::int64_t>();
    state.last_result = parsed.at("last_result").get<std::string>();
    state.last_reason = parsed.at("last_reason").get<std::string>();
    state.last_result_at = parsed.at("last_result_at").get<std::int64_t>();
    state.undelivered_receipt = parsed.at("undelivered_receipt").get<std::string>();
    if (state.release.find('/') != std::string::npos || state.release == "..") {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("{}: release {:?} is not a dir name", file.string(), state.release));
    }
    return state;
  } catch (const json::exception& e) {
    return fail(ErrorCode::kInvalidInput, fmt::format("{}: {}", file.string(), e.what()));
  }
}

Result<void> saveAgentState(const std::filesystem::path& file, const AgentState& state) {
  json out = {{"version", state.version},
              {"digest", state.digest},
              {"release", state.release},
              {"expires_at", state.expires_at},
              {"applied_at", state.applied_at},
              {"last_result", state.last_result},
              {"last_reason", state.last_reason},
              {"last_result_at", state.last_result_at},
              {"undelivered_receipt", state.undelivered_receipt}};
  return writeFileAtomically(file.string(),
                             out.dump(2, ' ', false, json::error_handler_t::replace) + "\n", 0600);
}

}  // namespace vantus::agent

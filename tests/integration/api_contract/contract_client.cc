#include "tests/integration/api_contract/contract_client.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

namespace vantus::testing {

using nlohmann::json;

namespace {

constexpr const char* kChecker = VANTUS_SOURCE_DIR "/tools/api-lint/check-responses.mjs";
constexpr const char* kSpec = VANTUS_SOURCE_DIR "/schema/openapi.yaml";

std::string fill(const std::string& path_template,
                 const std::map<std::string, std::string>& params) {
  std::string path;
  for (size_t i = 0; i < path_template.size();) {
    if (path_template[i] != '{') {
      path += path_template[i++];
      continue;
    }
    const size_t close = path_template.find('}', i);
    REQUIRE(close != std::string::npos);
    const std::string name = path_template.substr(i + 1, close - i - 1);
    auto found = params.find(name);
    REQUIRE_MESSAGE(found != params.end(), "no value for {" << name << "} in " << path_template);
    path += found->second;
    i = close + 1;
  }
  return path;
}

bool isJsonMedia(const std::string& content_type) {
  const std::string media = content_type.substr(0, content_type.find(';'));
  return media == "application/json" || media.ends_with("+json");
}

bool servedBySide(const std::string& path) {
  return !path.starts_with("/api/v1/") || path == "/api/v1/openapi.yaml";
}

}  // namespace

Answer ContractClient::call(const std::string& method, const std::string& path_template,
                            int expected, const Call& call) {
  const std::string path = fill(path_template, call.params) + call.query;
  httplib::Client client("127.0.0.1", servedBySide(path_template) ? side_port_ : api_.port());
  httplib::Headers headers = call.headers;
  if (call.bearer != "-") {
    headers.emplace("Authorization",
                    "Bearer " + (call.bearer.empty() ? api_.adminToken() : call.bearer));
  }
  REQUIRE(std::set<std::string>{"GET", "POST", "PUT", "PATCH", "DELETE"}.contains(method));
  httplib::Result result = [&] {
    if (method == "GET") {
      return client.Get(path.c_str(), headers);
    }
    if (method == "DELETE") {
      return client.Delete(path.c_str(), headers);
    }
    if (method == "PUT") {
      return client.Put(path.c_str(), headers, call.body, "application/json");
    }
    if (method == "PATCH") {
      return client.Patch(path.c_str(), headers, call.body, "application/json");
    }
    return client.Post(path.c_str(), headers, call.body, "application/json");
  }();
  REQUIRE_MESSAGE(result, method << " " << path << " got no answer");
  Answer answer{result->status, result->get_header_value("Content-Type"),
                result->get_header_value("ETag"), result->body, nullptr};
  if (isJsonMedia(answer.content_type)) {
    answer.body = json::parse(answer.text, nullptr, /*allow_exceptions=*/false);
    if (answer.body.is_discarded()) {
      answer.body = nullptr;
    }
  }
  CHECK_MESSAGE(answer.status == expected,
                method << " " << path << " answered " << answer.status << ": " << answer.text);
  exercised_.insert(method + " " + path_template);
  records_.push_back(
      {{"method", method},
       {"path", path},
       {"status", answer.status},
       {"content_type", answer.content_type},
       {"body", isJsonMedia(answer.content_type) || answer.text.empty() ? answer.body
                                                                        : json(answer.text)}});
  return answer;
}

void ContractClient::writeJsonl(const std::string& path) const {
  std::ofstream out(path);
  for (const json& record : records_) {
    out << record.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
  }
  REQUIRE(out.good());
}

CommandResult checkResponses(const std::string& jsonl_path) {
  return runCommand(std::string("node ") + kChecker + " " + kSpec + " '" + jsonl_path + "'");
}

std::set<std::string> specOperations() {
  CommandResult listed =
      runCommand(std::string("node ") + kChecker + " --list-operations " + kSpec);
  REQUIRE_MESSAGE(listed.exit_code == 0, listed.output);
  std::set<std::string> operations;
  std::istringstream lines(listed.output);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) {
      operations.insert(line);
    }
  }
  return operations;
}

}  // namespace vantus::testing

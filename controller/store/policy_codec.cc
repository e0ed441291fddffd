#include "controller/store/policy_codec.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "controller/store/store_support.h"

namespace vantus::controller {

using nlohmann::json;
using store_support::jsonText;
using store_support::parseJsonColumn;

namespace {

Unexpected damaged(std::string_view column) {
  return fail(ErrorCode::kInternal,
              fmt::format("edge_policies.{} in the database has an unexpected shape", column));
}

}  // namespace

std::string headersToJsonText(const std::vector<ResponseHeader>& headers) {
  json list = json::array();
  for (const ResponseHeader& header : headers) {
    list.push_back({{"name", header.name}, {"value", header.value}});
  }
  return jsonText(list);
}

Result<std::vector<ResponseHeader>> headersFromJsonText(std::string_view text) {
  VANTUS_TRY(json list, parseJsonColumn(text, "edge_policies.headers_json"));
  if (!list.is_array()) {
    return damaged("headers_json");
  }
  std::vector<ResponseHeader> headers;
  headers.reserve(list.size());
  for (const json& item : list) {
    if (!item.is_object() || item.size() != 2 || !item.contains("name") ||
        !item.contains("value") || !item["name"].is_string() || !item["value"].is_string()) {
      return damaged("headers_json");
    }
    headers.push_back(
        ResponseHeader{item["name"].get<std::string>(), item["value"].get<std::string>()});
  }
  return headers;
}

std::string stringsToJsonText(const std::vector<std::string>& values) {
  return jsonText(json(values));
}

Result<std::vector<std::string>> stringsFromJsonText(std::string_view text,
                                                     std::string_view column) {
  VANTUS_TRY(json list, parseJsonColumn(text, fmt::format("edge_policies.{}", column)));
  if (!list.is_array()) {
    return damaged(column);
  }
  std::vector<std::string> values;
  values.reserve(list.size());
  for (const json& item : list) {
    if (!item.is_string()) {
      return damaged(column);
    }
    values.push_back(item.get<std::string>());
  }
  return values;
}

}  // namespace vantus::controller

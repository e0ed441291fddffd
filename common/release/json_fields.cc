#include "common/release/json_fields.h"

#include <fmt/format.h>

namespace vantus::release::internal {
namespace {

Unexpected wrongType(std::string_view what, const char* key, std::string_view expected) {
  return fail(ErrorCode::kInvalidInput, fmt::format("{}.{} must be {}", what, key, expected),
              std::string(key));
}

}  // namespace

Result<nlohmann::json> parseJson(std::string_view text, std::string_view what) {
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& error) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{} is not well-formed JSON: {}", what, error.what()));
  }
}

std::string dumpCompact(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void appendJsonString(std::string& out, std::string_view text) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f || c == '"' || c == '\\') {
      // Escapes and UTF-8 validation are the library's business.
      out += dumpCompact(nlohmann::json(std::string(text)));
      return;
    }
  }
  out += '"';
  out += text;
  out += '"';
}

Result<void> checkExactFields(const nlohmann::json& value, std::string_view what,
                              std::initializer_list<std::string_view> fields) {
  if (!value.is_object()) {
    return fail(ErrorCode::kInvalidInput, fmt::format("{} must be a JSON object", what));
  }
  for (const auto& [key, unused] : value.items()) {
    bool known = false;
    for (std::string_view field : fields) {
      known = known || key == field;
    }
    if (!known) {
      return fail(ErrorCode::kInvalidInput, fmt::format("{} has unknown field {:?}", what, key),
                  key);
    }
  }
  for (std::string_view field : fields) {
    if (!value.contains(field)) {
      return fail(ErrorCode::kInvalidInput, fmt::format("{} lacks field {:?}", what, field),
                  std::string(field));
    }
  }
  return ok();
}

Result<const std::string*> stringField(const nlohmann::json& object, const char* key,
                                       std::string_view what) {
  const nlohmann::json& value = object.at(key);
  if (!value.is_string()) {
    return wrongType(what, key, "a string");
  }
  return value.get_ptr<const std::string*>();
}

Result<std::uint64_t> unsignedField(const nlohmann::json& object, const char* key,
                                    std::string_view what) {
  const nlohmann::json& value = object.at(key);
  if (!value.is_number_unsigned()) {
    return wrongType(what, key, "a non-negative integer");
  }
  return value.get<std::uint64_t>();
}

Result<const nlohmann::json*> arrayField(const nlohmann::json& object, const char* key,
                                         std::string_view what) {
  const nlohmann::json& value = object.at(key);
  if (!value.is_array()) {
    return wrongType(what, key, "an array");
  }
  return &value;
}

}  // namespace vantus::release::internal

#pragma once
// Internal to common/release: strict readers over nlohmann::json that return Result
// instead of throwing. `what` names the object in messages ("manifest", "files[3]").
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace vantus::release::internal {

// kInvalidInput naming `what` and the parser's position on malformed JSON.
Result<nlohmann::json> parseJson(std::string_view text, std::string_view what);

// Compact dump with sorted keys; invalid UTF-8 is replaced rather than thrown on.
std::string dumpCompact(const nlohmann::json& value);

// Appends `text` as a JSON string exactly as dumpCompact would write it. Manifests and
// bundles are written with this rather than through a json tree: a 10,000-file manifest
// then encodes in about a millisecond instead of ten.
void appendJsonString(std::string& out, std::string_view text);

// `value` must be an object holding exactly the `fields` keys: none missing, none other.
Result<void> checkExactFields(const nlohmann::json& value, std::string_view what,
                              std::initializer_list<std::string_view> fields);

// Readers for a field known to exist (checkExactFields ran); fail on the wrong type.
Result<const std::string*> stringField(const nlohmann::json& object, const char* key,
                                       std::string_view what);
Result<std::uint64_t> unsignedField(const nlohmann::json& object, const char* key,
                                    std::string_view what);
Result<const nlohmann::json*> arrayField(const nlohmann::json& object, const char* key,
                                         std::string_view what);

}  // namespace vantus::release::internal

#include "common/json/json_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace vantus::json {
namespace {

constexpr std::size_t kQuoteLimit = 64;

Unexpected invalid(std::string field, std::string message) {
  return fail(ErrorCode::kInvalidInput, std::move(message), std::move(field));
}

// A client's key, quoted and cut so an odd or huge key cannot flood a message.
std::string quote(std::string_view raw) {
  if (raw.size() <= kQuoteLimit) {
    return fmt::format("{:?}", raw);
  }
  return fmt::format("{:?}...", raw.substr(0, kQuoteLimit));
}

bool isPlainKey(std::string_view key) {
  if (key.empty() || key.size() > 64) {
    return false;
  }
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

// The last segment of a path, as error messages name it: "port", "targets[1]".
std::string_view leafName(std::string_view path) {
  std::size_t dot = path.rfind('.');
  return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

}  // namespace

Result<nlohmann::json> parse(std::string_view text, std::string_view what) {
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

std::string childPath(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
}

std::string indexPath(std::string_view parent, std::size_t index) {
  return fmt::format("{}[{}]", parent, index);
}

Unexpected wrongType(std::string_view path, std::string_view expected) {
  if (path.empty()) {
    return invalid("", fmt::format("must be {}", expected));
  }
  return invalid(std::string(path), fmt::format("\"{}\" must be {}", leafName(path), expected));
}

Result<ObjectReader> ObjectReader::open(const nlohmann::json& value, std::string path,
                                        std::initializer_list<std::string_view> known,
                                        Wording wording) {
  if (!value.is_object()) {
    if (wording == Wording::kDocument) {
      return invalid("", fmt::format("{} must be a JSON object", path));
    }
    return json::wrongType(path, "an object");
  }
  for (const auto& [key, unused] : value.items()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) {
      continue;
    }
    if (wording == Wording::kDocument) {
      return invalid(key, fmt::format("{} has unknown field {}", path, quote(key)));
    }
    // A key full of odd bytes is quoted in the message but kept out of the field.
    std::string field = isPlainKey(key) ? childPath(path, key) : path;
    return invalid(std::move(field), fmt::format("unknown field {}", quote(key)));
  }
  return ObjectReader(value, std::move(path), known, wording);
}

Result<ObjectReader> ObjectReader::openTolerant(const nlohmann::json& value, std::string path,
                                                Wording wording) {
  if (!value.is_object()) {
    return open(value, std::move(path), {}, wording);
  }
  return ObjectReader(value, std::move(path), {}, wording);
}

Result<void> ObjectReader::requireAll() const {
  for (std::string_view key : known_) {
    if (!has(key)) {
      return missing(key);
    }
  }
  return ok();
}

std::string ObjectReader::path(std::string_view key) const { return childPath(path_, key); }

const nlohmann::json* ObjectReader::find(std::string_view key) const {
  auto it = object_->find(key);
  return it == object_->end() ? nullptr : &*it;
}

Unexpected ObjectReader::wrongType(std::string_view key, std::string_view expected) const {
  if (wording_ == Wording::kDocument) {
    return invalid(std::string(key), fmt::format("{}.{} must be {}", path_, key, expected));
  }
  return json::wrongType(path(key), expected);
}

Unexpected ObjectReader::missing(std::string_view key) const {
  if (wording_ == Wording::kDocument) {
    return invalid(std::string(key), fmt::format("{} lacks field {}", path_, quote(key)));
  }
  return invalid(path(key), fmt::format("\"{}\" is required", key));
}

Result<const nlohmann::json*> ObjectReader::member(std::string_view key, bool optional) const {
  const nlohmann::json* value = find(key);
  if (value == nullptr && !optional) {
    return missing(key);
  }
  return value;
}

Result<std::string> ObjectReader::string(std::string_view key,
                                         std::optional<std::string_view> fallback) const {
  VANTUS_TRY(const nlohmann::json* value, member(key, fallback.has_value()));
  if (value == nullptr) {
    return std::string(*fallback);
  }
  if (!value->is_string()) {
    return wrongType(key, "a string");
  }
  return value->get<std::string>();
}

Result<const std::string*> ObjectReader::stringRef(std::string_view key) const {
  VANTUS_TRY(const nlohmann::json* value, member(key, false));
  if (!value->is_string()) {
    return wrongType(key, "a string");
  }
  return value->get_ptr<const std::string*>();
}

Result<std::int64_t> ObjectReader::integer(std::string_view key,
                                           std::optional<std::int64_t> fallback) const {
  VANTUS_TRY(const nlohmann::json* value, member(key, fallback.has_value()));
  if (value == nullptr) {
    return *fallback;
  }
  if (!value->is_number_integer()) {
    return wrongType(key, "an integer");
  }
  if (value->is_number_unsigned() &&
      value->get<std::uint64_t>() > std::uint64_t{std::numeric_limits<std::int64_t>::max()}) {
    return invalid(path(key), fmt::format("\"{}\" is out of range", key));
  }
  return value->get<std::int64_t>();
}

Result<std::uint64_t> ObjectReader::unsignedInteger(std::string_view key) const {
  VANTUS_TRY(const nlohmann::json* value, member(key, false));
  if (!value->is_number_unsigned()) {
    return wrongType(key, "a non-negative integer");
  }
  return value->get<std::uint64_t>();
}

Result<std::int64_t> ObjectReader::positiveId(std::string_view key) const {
  const nlohmann::json* value = find(key);
  if (value == nullptr || !value->is_number_integer() ||
      (value->is_number_unsigned() &&
       value->get<std::uint64_t>() > std::uint64_t{std::numeric_limits<std::int64_t>::max()}) ||
      value->get<std::int64_t>() <= 0) {
    return wrongType(key, "a positive integer id");
  }
  return value->get<std::int64_t>();
}

Result<bool> ObjectReader::boolean(std::string_view key, bool fallback) const {
  VANTUS_TRY(std::optional<bool> value, optionalBoolean(key));
  return value.value_or(fallback);
}

Result<bool> ObjectReader::boolean(std::string_view key) const {
  VANTUS_TRY(const nlohmann::json* value, member(key, false));
  if (!value->is_boolean()) {
    return wrongType(key, "true or false");
  }
  return value->get<bool>();
}

Result<std::optional<bool>> ObjectReader::optionalBoolean(std::string_view key) const {
  const nlohmann::json* value = find(key);
  if (value == nullptr) {
    return std::optional<bool>();
  }
  if (!value->is_boolean()) {
    return wrongType(key, "true or false");
  }
  return std::optional<bool>(value->get<bool>());
}

Result<const nlohmann::json*> ObjectReader::array(std::string_view key,
                                                  std::size_t max_items) const {
  const nlohmann::json* value = find(key);
  if (value == nullptr) {
    return value;
  }
  if (!value->is_array()) {
    return wrongType(key, "an array");
  }
  if (value->size() > max_items) {
    return invalid(path(key),
                   fmt::format("at most {} entries are allowed, got {}", max_items, value->size()));
  }
  return value;
}

Result<const nlohmann::json*> ObjectReader::requiredArray(std::string_view key) const {
  VANTUS_TRY(const nlohmann::json* value, member(key, false));
  if (!value->is_array()) {
    return wrongType(key, "an array");
  }
  return value;
}

}  // namespace vantus::json

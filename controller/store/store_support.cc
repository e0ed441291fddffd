#include "controller/store/store_support.h"

#include "common/json/json_reader.h"

namespace vantus::controller::store_support {

Unexpected notFound(std::string_view kind, Id id) {
  return fail(ErrorCode::kNotFound, fmt::format("{} {} not found", kind, id));
}

Unexpected conflict(Error error, std::string message, std::string field) {
  if (error.code != ErrorCode::kAlreadyExists) {
    return fail(std::move(error));
  }
  return fail(ErrorCode::kAlreadyExists, std::move(message), std::move(field));
}

std::string jsonText(const nlohmann::json& value) { return ::vantus::json::dumpCompact(value); }

Result<nlohmann::json> parseJsonColumn(std::string_view text, std::string_view what) {
  nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    return fail(ErrorCode::kInternal, fmt::format("{} in the database is not valid JSON", what));
  }
  return value;
}

}  // namespace vantus::controller::store_support

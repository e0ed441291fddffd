#pragma once
#ifdef VANTUS_FRONT_DOOR
#error "a front door (controller/api) reaches the store only through the services"
#endif
// Small helpers shared by the SqliteTransaction files: error wording, JSON columns and the
// text form of enums in rows. Internal to controller/store.
#include <fmt/format.h>

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/core/result.h"
#include "controller/model/types.h"

namespace vantus::controller::store_support {

// kNotFound "tenant 12 not found".
Unexpected notFound(std::string_view kind, Id id);

// A uniqueness conflict reworded for people ("domain \"a.example\" already exists", field
// "name"); any other error is passed on unchanged.
Unexpected conflict(Error error, std::string message, std::string field);

// Compact JSON; invalid UTF-8 is replaced (U+FFFD) rather than thrown on.
std::string jsonText(const nlohmann::json& value);
// Parses a JSON column written by jsonText; a broken value is kInternal naming `what`.
Result<nlohmann::json> parseJsonColumn(std::string_view text, std::string_view what);

// The enum whose name(value) equals `text`; kInternal for a value the schema should have
// refused (the CHECK constraints list the same names).
template <typename Enum>
Result<Enum> enumFromText(std::string_view text, std::initializer_list<Enum> values,
                          std::string_view (*name)(Enum), std::string_view what) {
  for (Enum value : values) {
    if (name(value) == text) {
      return value;
    }
  }
  return fail(ErrorCode::kInternal, fmt::format("unknown {} {:?} in the database", what, text));
}

}  // namespace vantus::controller::store_support

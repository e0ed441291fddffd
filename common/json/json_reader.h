#pragma once
// The one strict reader of JSON input: parsing without exceptions, and objects whose keys
// are checked against the fields their type knows before any field is read. Every
// refusal is kInvalidInput naming the field. Two wordings, one set of rules: signed
// documents (manifests, bundles, envelopes) speak of the object they are in, request
// bodies speak to the client about the field it sent.
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"

namespace vantus::json {

enum class Wording {
  kRequest,   // "\"port\" must be an integer", field "targets[1].port"
  kDocument,  // "manifest.version must be a non-negative integer", field "version"
};

// kInvalidInput naming `what` and the parser's position on malformed JSON.
Result<nlohmann::json> parse(std::string_view text, std::string_view what);

// Compact dump with sorted keys; invalid UTF-8 is replaced rather than thrown on.
std::string dumpCompact(const nlohmann::json& value);

// Appends `text` as a JSON string exactly as dumpCompact would write it. Manifests and
// bundles are written with this rather than through a json tree: a 10,000-file manifest
// then encodes in about a millisecond instead of ten.
void appendJsonString(std::string& out, std::string_view text);

// Paths name a value inside a request body: "targets[1].port"; "" is the body itself.
std::string childPath(std::string_view parent, std::string_view key);
std::string indexPath(std::string_view parent, std::size_t index);
// kInvalidInput: the value at `path` (request wording) is not `expected` ("a string").
Unexpected wrongType(std::string_view path, std::string_view expected);

// A JSON object whose keys were all found among the fields its type knows. It points
// into the value it was opened on, which must outlive it.
class ObjectReader {
 public:
  static Result<ObjectReader> open(const nlohmann::json& value, std::string path,
                                   std::initializer_list<std::string_view> known,
                                   Wording wording = Wording::kRequest);

  // Any keys: reports from newer agents may carry fields this controller does not know.
  static Result<ObjectReader> openTolerant(const nlohmann::json& value, std::string path,
                                           Wording wording = Wording::kRequest);

  // Every known field is present: signed documents have no optional fields.
  Result<void> requireAll() const;

  std::string path(std::string_view key) const;
  // Absent keys: nullptr.
  const nlohmann::json* find(std::string_view key) const;
  bool has(std::string_view key) const { return find(key) != nullptr; }

  // Without a fallback the field is required.
  Result<std::string> string(std::string_view key,
                             std::optional<std::string_view> fallback = std::nullopt) const;
  // A required string, without copying it (bundle contents are megabytes).
  Result<const std::string*> stringRef(std::string_view key) const;
  Result<std::int64_t> integer(std::string_view key,
                               std::optional<std::int64_t> fallback = std::nullopt) const;
  Result<std::uint64_t> unsignedInteger(std::string_view key) const;
  // A required integer id > 0.
  Result<std::int64_t> positiveId(std::string_view key) const;
  Result<bool> boolean(std::string_view key, bool fallback) const;
  Result<bool> boolean(std::string_view key) const;
  // Absent: std::nullopt.
  Result<std::optional<bool>> optionalBoolean(std::string_view key) const;
  // An optional array of at most `max_items` entries; nullptr when absent.
  Result<const nlohmann::json*> array(std::string_view key, std::size_t max_items) const;
  // A required array of any length.
  Result<const nlohmann::json*> requiredArray(std::string_view key) const;

  // kInvalidInput about `key` in this object's wording.
  Unexpected wrongType(std::string_view key, std::string_view expected) const;
  Unexpected missing(std::string_view key) const;

 private:
  ObjectReader(const nlohmann::json& object, std::string path,
               std::initializer_list<std::string_view> known, Wording wording)
      : object_(&object), path_(std::move(path)), known_(known), wording_(wording) {}

  Result<const nlohmann::json*> member(std::string_view key, bool optional) const;

  const nlohmann::json* object_;
  std::string path_;
  std::vector<std::string_view> known_;
  Wording wording_;
};

}  // namespace vantus::json

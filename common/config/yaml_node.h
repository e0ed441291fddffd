#pragma once
// A YAML document read into plain values: the only module that includes yaml-cpp. Parsing
// copies yaml-cpp's tree (aliases resolved) into YamlNode, so callers never see a yaml-cpp
// type or exception. Immutable after parse; safe to read from any thread.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"

namespace vantus::config {

struct YamlEntry;

class YamlNode {
 public:
  enum class Kind { kNull, kScalar, kSequence, kMap };

  YamlNode() = default;

  Kind kind() const { return kind_; }
  bool isNull() const { return kind_ == Kind::kNull; }
  bool isScalar() const { return kind_ == Kind::kScalar; }
  bool isSequence() const { return kind_ == Kind::kSequence; }
  bool isMap() const { return kind_ == Kind::kMap; }
  // The text of a scalar (empty for the other kinds).
  const std::string& scalar() const { return scalar_; }
  // 1-based line where the node starts; 0 when the parser gave none (e.g. an empty value).
  int line() const { return line_; }
  const std::vector<YamlNode>& items() const { return items_; }       // a sequence's
  const std::vector<YamlEntry>& entries() const { return entries_; }  // a map's, in file order

  // A scalar spelled as a YAML boolean (true/false, yes/no, on/off in their usual cases);
  // nullopt for anything else.
  std::optional<bool> boolean() const;

 private:
  friend class YamlBuilder;
  Kind kind_ = Kind::kNull;
  std::string scalar_;
  int line_ = 0;
  std::vector<YamlNode> items_;
  std::vector<YamlEntry> entries_;
};

struct YamlEntry {
  YamlNode key;
  YamlNode value;
};

// kInvalidInput "<origin>:<line>: not valid YAML: <reason>" (or "<origin>: …" without a line).
// An empty document is a null node.
Result<YamlNode> parseYaml(std::string_view text, std::string_view origin);

// `text` as a double-quoted YAML scalar, for files the programs write.
std::string yamlQuoted(std::string_view text);

}  // namespace vantus::config

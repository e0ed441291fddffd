#include "common/config/yaml_node.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace vantus::config {

class YamlBuilder {
 public:
  static YamlNode copy(const YAML::Node& source) {
    YamlNode node;
    const YAML::Mark mark = source.Mark();
    node.line_ = mark.is_null() ? 0 : mark.line + 1;
    switch (source.Type()) {
      case YAML::NodeType::Scalar:
        node.kind_ = YamlNode::Kind::kScalar;
        node.scalar_ = source.Scalar();
        break;
      case YAML::NodeType::Sequence:
        node.kind_ = YamlNode::Kind::kSequence;
        for (const auto& item : source) {
          node.items_.push_back(copy(item));
        }
        break;
      case YAML::NodeType::Map:
        node.kind_ = YamlNode::Kind::kMap;
        for (const auto& entry : source) {
          node.entries_.push_back(YamlEntry{copy(entry.first), copy(entry.second)});
        }
        break;
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        node.kind_ = YamlNode::Kind::kNull;
        break;
    }
    return node;
  }
};

std::optional<bool> YamlNode::boolean() const {
  if (!isScalar()) {
    return std::nullopt;
  }
  bool value = false;
  if (!YAML::convert<bool>::decode(YAML::Node(scalar_), value)) {
    return std::nullopt;
  }
  return value;
}

Result<YamlNode> parseYaml(std::string_view text, std::string_view origin) {
  // yaml-cpp reports every problem by throwing; nothing of it leaves this function.
  try {
    return YamlBuilder::copy(YAML::Load(std::string(text)));
  } catch (const YAML::Exception& e) {
    std::string where =
        e.mark.is_null() ? std::string(origin) : fmt::format("{}:{}", origin, e.mark.line + 1);
    return fail(ErrorCode::kInvalidInput, fmt::format("{}: not valid YAML: {}", where, e.msg));
  }
}

std::string yamlQuoted(std::string_view text) {
  YAML::Emitter out;
  out << YAML::DoubleQuoted << std::string(text);
  return out.c_str();
}

}  // namespace vantus::config

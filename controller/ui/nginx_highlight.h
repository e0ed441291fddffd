#pragma once
// Splits one line of an nginx configuration into runs for syntax highlighting: the directive
// (a line's first word), quoted strings, variables ($name) and comments; the rest is plain.
// The runs concatenate back to the line exactly. Pure; thread-safe.
#include <string>
#include <string_view>
#include <vector>

namespace vantus::controller::ui {

struct HighlightRun {
  std::string kind;  // "", "directive", "string", "variable", "comment"
  std::string text;
};

std::vector<HighlightRun> highlightNginxLine(std::string_view line);

}  // namespace vantus::controller::ui

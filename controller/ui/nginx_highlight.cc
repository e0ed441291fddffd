#include "controller/ui/nginx_highlight.h"

namespace vantus::controller::ui {

namespace {

bool isWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

class Runs {
 public:
  void add(std::string_view kind, std::string_view text) {
    if (text.empty()) {
      return;
    }
    if (!runs_.empty() && runs_.back().kind == kind) {
      runs_.back().text += text;
      return;
    }
    runs_.push_back({std::string(kind), std::string(text)});
  }
  std::vector<HighlightRun> take() { return std::move(runs_); }

 private:
  std::vector<HighlightRun> runs_;
};

}  // namespace

std::vector<HighlightRun> highlightNginxLine(std::string_view line) {
  Runs runs;
  std::size_t at = 0;
  while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) {
    ++at;
  }
  runs.add("", line.substr(0, at));
  // The first word of a statement is its directive.
  std::size_t word = at;
  while (word < line.size() && isWordChar(line[word])) {
    ++word;
  }
  runs.add("directive", line.substr(at, word - at));
  at = word;
  while (at < line.size()) {
    const char c = line[at];
    if (c == '#') {
      runs.add("comment", line.substr(at));
      break;
    }
    if (c == '"' || c == '\'') {
      std::size_t end = at + 1;
      while (end < line.size() && line[end] != c) {
        end += line[end] == '\\' ? 2 : 1;
      }
      end = std::min(end + 1, line.size());
      runs.add("string", line.substr(at, end - at));
      at = end;
      continue;
    }
    if (c == '$') {
      std::size_t end = at + 1;
      while (end < line.size() && isWordChar(line[end])) {
        ++end;
      }
      runs.add(end > at + 1 ? "variable" : "", line.substr(at, end - at));
      at = end;
      continue;
    }
    runs.add("", line.substr(at, 1));
    ++at;
  }
  return runs.take();
}

}  // namespace vantus::controller::ui

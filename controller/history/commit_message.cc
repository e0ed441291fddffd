#include "controller/history/commit_message.h"

#include <fmt/format.h>
#include <git2.h>

namespace vantus::controller {

namespace {

bool isTrailerKey(std::string_view key) {
  if (key.empty() || key.front() == '-') {
    return false;
  }
  for (char c : key) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && c != '-') {
      return false;
    }
  }
  return true;
}

bool looksParsedByGit(std::string_view line) {
  if (line.starts_with("---")) {
    return true;
  }
  std::size_t colon = line.find_first_of(":=");
  return colon != std::string_view::npos && isTrailerKey(line.substr(0, colon));
}

}  // namespace

std::string quoteUserText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    std::string_view line =
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (looksParsedByGit(line)) {
      out += "  ";
    }
    out += line;
    if (end == std::string_view::npos) {
      break;
    }
    out += '\n';
    start = end + 1;
  }
  return out;
}

Result<std::string> composeCommitMessage(std::string_view message,
                                         const std::vector<Trailer>& trailers) {
  size_t end = message.find_last_not_of(" \t\r\n");
  std::string text(message.substr(0, end == std::string_view::npos ? 0 : end + 1));
  size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) {
    return fail(ErrorCode::kInvalidInput, "the commit message has no subject", "message");
  }
  text.erase(0, start);
  if (text.find('\0') != std::string::npos) {
    return fail(ErrorCode::kInvalidInput, "the commit message contains NUL", "message");
  }
  text += '\n';
  for (size_t i = 0; i < trailers.size(); ++i) {
    const Trailer& trailer = trailers[i];
    if (!isTrailerKey(trailer.key)) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("trailer key {:?} is not letters, digits and '-'", trailer.key),
                  "trailers");
    }
    if (trailer.value.empty() || trailer.value.find_first_of("\r\n") != std::string::npos ||
        trailer.value.find('\0') != std::string::npos) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("trailer {:?} needs a value on one line", trailer.key), "trailers");
    }
    text += i == 0 ? "\n" : "";
    text += fmt::format("{}: {}\n", trailer.key, trailer.value);
  }
  return text;
}

std::vector<Trailer> parseTrailers(const std::string& message) {
  // Pure text work, but libgit2 allocates through its global state: keep it initialised for
  // callers that never opened a repository (init and shutdown are reference-counted).
  git_libgit2_init();
  git_message_trailer_array parsed{};
  std::vector<Trailer> trailers;
  if (git_message_trailers(&parsed, message.c_str()) == 0) {
    for (size_t i = 0; i < parsed.count; ++i) {
      trailers.push_back({parsed.trailers[i].key, parsed.trailers[i].value});
    }
  }
  git_message_trailer_array_free(&parsed);
  git_libgit2_shutdown();
  return trailers;
}

}  // namespace vantus::controller

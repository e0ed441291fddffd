#pragma once
// Commit messages: subject, optional body, then a git trailer block ("Key: value" lines
// after a blank line, as `git interpret-trailers` writes and parses them).
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "controller/history/config_history.h"

namespace vantus::controller {

// The message text ending in '\n'. kInvalidInput for an empty subject, a NUL, a trailer
// key outside [A-Za-z0-9-] or a trailer value that is empty or spans lines.
Result<std::string> composeCommitMessage(std::string_view message,
                                         const std::vector<Trailer>& trailers);

// `text` a person wrote, made safe to embed in a commit message: every line git could read
// as a trailer ("Key: value") or as the start of a patch ("---", after which git stops
// looking for trailers) is indented by two spaces, so it can never pose as the trailers
// Vantus signs.
std::string quoteUserText(std::string_view text);

// The trailers of the message's last paragraph.
std::vector<Trailer> parseTrailers(const std::string& message);

}  // namespace vantus::controller

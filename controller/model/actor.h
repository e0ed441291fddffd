#pragma once
// Who did something: named by audit rows, commit authors and trailers.
#include <string>

namespace vantus::controller {

// Who did something. kind: "user", "token", "node", "system".
struct Actor {
  std::string kind = "system";
  std::string id;     // users.id / api_tokens.id as text, or a name for "system"
  std::string name;   // display name, e.g. the user's email
  std::string email;  // becomes the git author email; may be empty for system
  std::string source_address;
  std::string user_agent;
};

}  // namespace vantus::controller

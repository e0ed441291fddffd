#pragma once
// Who acts: a user through one of their API tokens (or the local operator at the terminal,
// localOperator()), with the user's tenant roles as they were when the request began.
// Effective rights = the token's scopes ∩ what the user's roles allow (access.h).
#include <vector>

#include "controller/model/people.h"

namespace vantus::controller {

struct Principal {
  User user;
  ApiToken token;                       // scopes and tenant binding
  std::vector<Membership> memberships;  // the user's roles as of this request
};

}  // namespace vantus::controller

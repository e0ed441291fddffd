#pragma once
// Whether another program holds an address nginx is configured to listen on. `nginx -t` does
// not bind, so an occupied port shows only when a cold start fails — after the swap, and as
// nginx's bind error repeated once per retry. Checking first lets the agent refuse the start
// with the agent.yaml setting and address named, before anything changed. Thread-safe.
#include <string>
#include <vector>

#include "common/core/result.h"

namespace vantus::agent {

struct ListenAddress {
  std::string setting;  // the agent.yaml key, e.g. "nginx.status_listen"
  std::string address;  // as configured: "127.0.0.1:8081", "[::]:443", "*:80"
};

// Binds each address the way nginx does (SO_REUSEADDR, IPv6 only) and lets go at once.
// kUnavailable for the first one in use, naming its setting and address. Other bind errors
// (a missing address, a privileged port) are left for nginx to report in its own words.
Result<void> checkListenAddressesFree(const std::vector<ListenAddress>& addresses);

}  // namespace vantus::agent

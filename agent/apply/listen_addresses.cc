#include "agent/apply/listen_addresses.h"

#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <memory>

#include "common/core/unique_fd.h"

namespace vantus::agent {
namespace {

struct AddrinfoDeleter {
  void operator()(addrinfo* info) const { ::freeaddrinfo(info); }
};

// True only when the address is certainly held by someone else.
bool inUse(const std::string& address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) {
    return false;
  }
  std::string host = address.substr(0, colon);
  const std::string port = address.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "*") {
    host = "0.0.0.0";
  }
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0) {
    return false;
  }
  std::unique_ptr<addrinfo, AddrinfoDeleter> info(found);
  UniqueFd socket(::socket(info->ai_family, info->ai_socktype | SOCK_CLOEXEC, 0));
  if (!socket) {
    return false;
  }
  const int on = 1;
  ::setsockopt(socket.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (info->ai_family == AF_INET6) {
    ::setsockopt(socket.get(), IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
  }
  return ::bind(socket.get(), info->ai_addr, info->ai_addrlen) != 0 && errno == EADDRINUSE;
}

}  // namespace

Result<void> checkListenAddressesFree(const std::vector<ListenAddress>& addresses) {
  for (const ListenAddress& listen : addresses) {
    if (inUse(listen.address)) {
      return fail(ErrorCode::kUnavailable,
                  fmt::format("{} {} is already in use by another program, so nginx cannot "
                              "start: free it or choose another address in agent.yaml",
                              listen.setting, listen.address));
    }
  }
  return ok();
}

}  // namespace vantus::agent

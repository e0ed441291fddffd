#include "agent/apply/listen_addresses.h"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "common/core/unique_fd.h"

// The check before a cold start, on real loopback sockets.
namespace vantus::agent {
namespace {

// A loopback port some other program listens on, for the test's lifetime.
class HeldPort {
 public:
  HeldPort() : socket_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    REQUIRE(socket_);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(socket_.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(socket_.get(), 1) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(socket_.get(), reinterpret_cast<sockaddr*>(&address), &length) == 0);
    port_ = ntohs(address.sin_port);
  }
  int port() const { return port_; }
  void release() { socket_.reset(); }

 private:
  UniqueFd socket_;
  int port_ = 0;
};

TEST_CASE("a held port is named with its setting; free ones pass") {
  HeldPort held;
  const std::string address = fmt::format("127.0.0.1:{}", held.port());

  auto checked = checkListenAddressesFree(
      {{"nginx.http_listen", "127.0.0.1:1"}, {"nginx.status_listen", address}});

  REQUIRE_FALSE(checked);
  CHECK(checked.error().code == ErrorCode::kUnavailable);
  CHECK(
      checked.error().message.starts_with("nginx.status_listen " + address + " is already in use"));
  CHECK(checked.error().describe().find(address) == checked.error().describe().rfind(address));

  held.release();
  CHECK(checkListenAddressesFree({{"nginx.status_listen", address}}));
}

TEST_CASE("a wildcard address is held by a program on one of its addresses") {
  HeldPort held;
  auto checked =
      checkListenAddressesFree({{"nginx.http_listen", fmt::format("*:{}", held.port())}});
  REQUIRE_FALSE(checked);
  CHECK(checked.error().message.find("nginx.http_listen") != std::string::npos);
}

TEST_CASE("addresses the check cannot bind for other reasons are left to nginx") {
  CHECK(checkListenAddressesFree(
      {{"nginx.http_listen", "192.0.2.1:80"}, {"nginx.http_listen", "not-an-address"}}));
}

}  // namespace
}  // namespace vantus::agent

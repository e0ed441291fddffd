#pragma once
// Who is on the other end of a request, behind the reverse proxies the operator trusts
// (`trusted_proxies:` in controller.yaml). Every limit keyed by address (API lockout, agent
// limits, the UI's sign-in back-off) and every audit row's source address reads it here.
// Immutable after parse(); safe on many threads.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"

namespace httplib {
struct Request;
}

namespace vantus::controller {

// Which header a trusted proxy writes the chain of addresses it forwarded for into.
enum class ForwardedHeader { kXForwardedFor, kForwarded };

class TrustedProxies {
 public:
  TrustedProxies() = default;  // trusts no one: the peer is the client
  // `cidrs` as "10.0.0.0/8", "2001:db8::/32" (a plain address is one host); kInvalidInput
  // naming the entry otherwise.
  static Result<TrustedProxies> parse(const std::vector<std::string>& cidrs,
                                      ForwardedHeader header = ForwardedHeader::kXForwardedFor);

  bool contains(std::string_view address) const;
  ForwardedHeader header() const { return header_; }

 private:
  struct Network {
    int family = 0;
    std::array<unsigned char, 16> bytes{};
    int prefix = 0;
  };
  std::vector<Network> networks_;
  ForwardedHeader header_ = ForwardedHeader::kXForwardedFor;
};

// The peer's address, unless the peer is a trusted proxy: then the right-most address of the
// configured forwarding header that is not a trusted proxy (the left-most when all are),
// because every hop left of the first untrusted one could have been written by the client.
// A header that does not parse, or is absent, leaves the peer as the client.
std::string clientAddress(const httplib::Request& request, const TrustedProxies& proxies);

}  // namespace vantus::controller

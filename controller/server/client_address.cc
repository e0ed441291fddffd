#include "controller/server/client_address.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <optional>

namespace vantus::controller {

namespace {

constexpr std::size_t kMaxHops = 32;  // a longer chain is not a proxy's doing

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

// The bytes and family of an IPv4 or IPv6 literal; an IPv4-mapped IPv6 address (what a
// dual-stack socket reports for an IPv4 peer) is its IPv4 address.
std::optional<std::pair<int, std::array<unsigned char, 16>>> ipOf(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) {
    return std::nullopt;
  }
  const std::string terminated(text);
  std::array<unsigned char, 16> bytes{};
  if (inet_pton(AF_INET, terminated.c_str(), bytes.data()) == 1) {
    return std::pair{AF_INET, bytes};
  }
  if (inet_pton(AF_INET6, terminated.c_str(), bytes.data()) != 1) {
    return std::nullopt;
  }
  constexpr std::array<unsigned char, 12> kMappedPrefix = {0, 0, 0, 0, 0,    0,
                                                           0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), bytes.begin())) {
    std::array<unsigned char, 16> v4{};
    std::copy(bytes.begin() + 12, bytes.end(), v4.begin());
    return std::pair{AF_INET, v4};
  }
  return std::pair{AF_INET6, bytes};
}

// An X-Forwarded-For entry is an address; a Forwarded element's `for=` may also be quoted,
// carry a port ("192.0.2.1:80", "[2001:db8::1]:80") or be "unknown".
std::optional<std::string> hopAddress(std::string_view hop, ForwardedHeader header) {
  hop = trim(hop);
  if (header == ForwardedHeader::kForwarded) {
    std::optional<std::string_view> for_value;
    for (std::size_t start = 0; start <= hop.size();) {
      const std::size_t end = std::min(hop.find(';', start), hop.size());
      std::string_view pair = trim(hop.substr(start, end - start));
      if (pair.size() > 4 &&
          (pair.starts_with("for=") || pair.starts_with("For=") || pair.starts_with("FOR="))) {
        for_value = pair.substr(4);
      }
      start = end + 1;
    }
    if (!for_value) {
      return std::nullopt;
    }
    hop = *for_value;
    if (hop.size() >= 2 && hop.front() == '"' && hop.back() == '"') {
      hop = hop.substr(1, hop.size() - 2);
    }
    if (hop.starts_with('[')) {
      const std::size_t close = hop.find(']');
      if (close == std::string_view::npos) {
        return std::nullopt;
      }
      hop = hop.substr(1, close - 1);
    } else if (std::count(hop.begin(), hop.end(), ':') == 1) {
      hop = hop.substr(0, hop.find(':'));
    }
  }
  if (!ipOf(hop)) {
    return std::nullopt;
  }
  return std::string(hop);
}

// Every hop of every copy of the header, left to right; nullopt when one does not parse.
std::optional<std::vector<std::string>> forwardedChain(const httplib::Request& request,
                                                       ForwardedHeader header) {
  const char* name = header == ForwardedHeader::kForwarded ? "Forwarded" : "X-Forwarded-For";
  std::vector<std::string> chain;
  for (std::size_t copy = 0; copy < request.get_header_value_count(name); ++copy) {
    const std::string value = request.get_header_value(name, copy);
    for (std::size_t start = 0; start <= value.size();) {
      const std::size_t end = std::min(value.find(',', start), value.size());
      std::optional<std::string> address =
          hopAddress(std::string_view(value).substr(start, end - start), header);
      if (!address || chain.size() == kMaxHops) {
        return std::nullopt;
      }
      chain.push_back(std::move(*address));
      start = end + 1;
    }
  }
  return chain;
}

}  // namespace

Result<TrustedProxies> TrustedProxies::parse(const std::vector<std::string>& cidrs,
                                             ForwardedHeader header) {
  TrustedProxies proxies;
  proxies.header_ = header;
  for (const std::string& cidr : cidrs) {
    const std::size_t slash = cidr.find('/');
    auto ip = ipOf(std::string_view(cidr).substr(0, slash));
    Network network;
    if (ip) {
      network.family = ip->first;
      network.bytes = ip->second;
      network.prefix = network.family == AF_INET ? 32 : 128;
    }
    if (ip && slash != std::string::npos) {
      const char* first = cidr.data() + slash + 1;
      const char* last = cidr.data() + cidr.size();
      auto [end, error] = std::from_chars(first, last, network.prefix);
      const int max_prefix = network.family == AF_INET ? 32 : 128;
      if (error != std::errc() || end != last || network.prefix < 0 ||
          network.prefix > max_prefix) {
        ip.reset();
      }
    }
    if (!ip) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("trusted proxy {:?} is not an address or a CIDR such as "
                              "\"10.0.0.0/8\" or \"2001:db8::/32\"",
                              cidr),
                  "trusted_proxies");
    }
    proxies.networks_.push_back(network);
  }
  return proxies;
}

bool TrustedProxies::contains(std::string_view address) const {
  auto ip = ipOf(address);
  if (!ip) {
    return false;
  }
  return std::any_of(networks_.begin(), networks_.end(), [&](const Network& network) {
    if (network.family != ip->first) {
      return false;
    }
    const int whole_bytes = network.prefix / 8;
    if (!std::equal(network.bytes.begin(), network.bytes.begin() + whole_bytes,
                    ip->second.begin())) {
      return false;
    }
    const int rest = network.prefix % 8;
    const auto mask = static_cast<unsigned char>(0xff << (8 - rest));
    return rest == 0 || (network.bytes[whole_bytes] & mask) == (ip->second[whole_bytes] & mask);
  });
}

std::string clientAddress(const httplib::Request& request, const TrustedProxies& proxies) {
  if (!proxies.contains(request.remote_addr)) {
    return request.remote_addr;
  }
  std::optional<std::vector<std::string>> chain = forwardedChain(request, proxies.header());
  if (!chain || chain->empty()) {
    return request.remote_addr;
  }
  for (auto hop = chain->rbegin(); hop != chain->rend(); ++hop) {
    if (!proxies.contains(*hop)) {
      return *hop;
    }
  }
  return chain->front();
}

}  // namespace vantus::controller

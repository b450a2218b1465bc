#include "crawler/address_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstdint>
#include <cstring>

namespace jobtrawl::crawler {
namespace {

// The kind of non-public block `a` (host byte order) is in, or nullptr.
const char* NonPublicV4(std::uint32_t a) {
  auto in = [a](std::uint32_t net, int bits) {
    std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
    return (a & mask) == net;
  };
  if (in(0x00000000, 8)) return "reserved (this network)";  // 0.0.0.0/8
  if (in(0x0A000000, 8)) return "private";                   // 10/8
  if (in(0x64400000, 10)) return "shared (carrier-grade NAT)";  // 100.64/10
  if (in(0x7F000000, 8)) return "loopback";                  // 127/8
  if (in(0xA9FE0000, 16)) return "link-local";  // 169.254/16 (cloud metadata lives here)
  if (in(0xAC100000, 12)) return "private";     // 172.16/12
  if (in(0xC0000000, 24)) return "reserved (protocol assignments)";  // 192.0.0/24
  if (in(0xC0000200, 24)) return "reserved (documentation)";         // 192.0.2/24
  if (in(0xC0A80000, 16)) return "private";                          // 192.168/16
  if (in(0xC6120000, 15)) return "reserved (benchmarking)";          // 198.18/15
  if (in(0xC6336400, 24)) return "reserved (documentation)";         // 198.51.100/24
  if (in(0xCB007100, 24)) return "reserved (documentation)";         // 203.0.113/24
  if (in(0xE0000000, 4)) return "multicast";                         // 224/4
  if (in(0xF0000000, 4)) return "reserved";  // 240/4, and 255.255.255.255
  return nullptr;
}

const char* NonPublicV6(const in6_addr& a) {
  const std::uint8_t* b = a.s6_addr;
  static constexpr std::uint8_t kZero[16] = {};
  if (std::memcmp(b, kZero, 15) == 0 && b[15] == 0) return "reserved (unspecified)";  // ::
  if (std::memcmp(b, kZero, 15) == 0 && b[15] == 1) return "loopback";                // ::1
  auto embedded_v4 = [b] {
    return (std::uint32_t{b[12]} << 24) | (std::uint32_t{b[13]} << 16) | (std::uint32_t{b[14]} << 8) |
           b[15];
  };
  if (IN6_IS_ADDR_V4MAPPED(&a) || IN6_IS_ADDR_V4COMPAT(&a)) return NonPublicV4(embedded_v4());
  if ((b[0] & 0xFE) == 0xFC) return "private (unique local)";            // fc00::/7
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return "link-local";        // fe80::/10
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) return "private (site-local)";  // fec0::/10, deprecated
  if (b[0] == 0xFF) return "multicast";                                  // ff00::/8
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) return "reserved (documentation)";
  // NAT64 64:ff9b::/96 embeds an IPv4 address: judge that one.
  static constexpr std::uint8_t kNat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(b, kNat64, 12) == 0) return NonPublicV4(embedded_v4());
  return nullptr;
}

}  // namespace

std::string_view NonPublicKind(const sockaddr* address) {
  if (address == nullptr) return "unknown";
  const char* kind = "unknown";
  if (address->sa_family == AF_INET) {
    kind = NonPublicV4(ntohl(reinterpret_cast<const sockaddr_in*>(address)->sin_addr.s_addr));
  } else if (address->sa_family == AF_INET6) {
    kind = NonPublicV6(reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr);
  }
  return kind != nullptr ? kind : std::string_view();
}

std::string_view NonPublicKind(std::string_view ip) {
  std::string text(ip);
  const char* kind = nullptr;
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    kind = NonPublicV4(ntohl(v4.s_addr));
  } else if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    kind = NonPublicV6(v6);
  }
  return kind != nullptr ? kind : std::string_view();
}

bool IsNonPublicAddress(const sockaddr* address) { return !NonPublicKind(address).empty(); }

bool IsNonPublicAddress(std::string_view ip) { return !NonPublicKind(ip).empty(); }

std::string AddressToString(const sockaddr* address) {
  char buf[INET6_ADDRSTRLEN] = "?";
  if (address != nullptr && address->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, buf, sizeof buf);
  } else if (address != nullptr && address->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, buf, sizeof buf);
  }
  return buf;
}

namespace {

// The address as 4 or 16 bytes; mapped IPv6 addresses give their IPv4 part.
int AddressBytes(const sockaddr* address, unsigned char out[16]) {
  if (address == nullptr) return 0;
  if (address->sa_family == AF_INET) {
    std::memcpy(out, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, 4);
    return AF_INET;
  }
  if (address->sa_family == AF_INET6) {
    const in6_addr& a = reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&a)) {
      std::memcpy(out, a.s6_addr + 12, 4);
      return AF_INET;
    }
    std::memcpy(out, a.s6_addr, 16);
    return AF_INET6;
  }
  return 0;
}

bool ParseAddress(const std::string& text, sockaddr_storage& out) {
  std::memset(&out, 0, sizeof out);
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out);
  if (inet_pton(AF_INET, text.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out);
  if (inet_pton(AF_INET6, text.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    return true;
  }
  return false;
}

}  // namespace

std::optional<Network> Network::Parse(std::string_view cidr) {
  std::string address(cidr.substr(0, cidr.find('/')));
  sockaddr_storage storage;
  if (!ParseAddress(address, storage)) return std::nullopt;
  Network n;
  n.family_ = AddressBytes(reinterpret_cast<const sockaddr*>(&storage), n.bytes_);
  const int bits = n.family_ == AF_INET ? 32 : 128;
  n.prefix_ = bits;
  if (std::size_t slash = cidr.find('/'); slash != std::string_view::npos) {
    std::string_view len = cidr.substr(slash + 1);
    if (len.empty() || len.size() > 3) return std::nullopt;
    int v = 0;
    for (char c : len) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
    }
    // A mapped IPv6 block ("::ffff:10.0.0.0/104") is the IPv4 block it carries.
    if (n.family_ == AF_INET && address.find(':') != std::string::npos) v -= 96;
    if (v < 0 || v > bits) return std::nullopt;
    n.prefix_ = v;
  }
  return n;
}

bool Network::Contains(const sockaddr* address) const {
  unsigned char b[16];
  if (AddressBytes(address, b) != family_ || family_ == 0) return false;
  const int full = prefix_ / 8;
  if (std::memcmp(b, bytes_, static_cast<std::size_t>(full)) != 0) return false;
  const int rest = prefix_ % 8;
  if (rest == 0) return true;
  const unsigned char mask = static_cast<unsigned char>(0xFF << (8 - rest));
  return (b[full] & mask) == (bytes_[full] & mask);
}

bool Network::Contains(std::string_view ip) const {
  sockaddr_storage storage;
  if (!ParseAddress(std::string(ip), storage)) return false;
  return Contains(reinterpret_cast<const sockaddr*>(&storage));
}

}  // namespace jobtrawl::crawler

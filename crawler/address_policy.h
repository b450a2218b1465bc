// Which network addresses a crawler may connect to. Checked on the address
// actually being connected to (after DNS), so a name that resolves to an
// internal address, or is rebound to one, is still refused.
#ifndef JOBTRAWL_CRAWLER_ADDRESS_POLICY_H_
#define JOBTRAWL_CRAWLER_ADDRESS_POLICY_H_

#include <sys/socket.h>

#include <optional>
#include <string>
#include <string_view>

namespace jobtrawl::crawler {

// True for loopback, private (RFC 1918, fc00::/7), shared (100.64/10),
// link-local, multicast, unspecified, broadcast and reserved addresses, and
// IPv4-mapped forms of them. Unknown families count as non-public.
bool IsNonPublicAddress(const sockaddr* address);

// The same for a textual IPv4 or IPv6 address; false when unparsable.
bool IsNonPublicAddress(std::string_view ip);

// Which kind of non-public block the address is in, for messages:
// "loopback", "private", "link-local", "multicast", "reserved (documentation)"...
// (IANA special-purpose registries, RFC 6890); empty for a public address
// (and for an unparsable text), "unknown" for an unknown family.
std::string_view NonPublicKind(const sockaddr* address);
std::string_view NonPublicKind(std::string_view ip);

// "10.0.0.1" or "::1" for messages.
std::string AddressToString(const sockaddr* address);

// An address block in CIDR notation: "10.1.0.0/16", "fd00::/8", or one
// address ("127.0.0.1" is 127.0.0.1/32). IPv4-mapped IPv6 addresses are
// judged as the IPv4 address they carry.
class Network {
 public:
  // nullopt when `cidr` is not an address with an optional prefix length.
  static std::optional<Network> Parse(std::string_view cidr);
  bool Contains(const sockaddr* address) const;
  bool Contains(std::string_view ip) const;  // false when unparsable

 private:
  int family_ = 0;              // AF_INET or AF_INET6
  unsigned char bytes_[16]{};   // network byte order
  int prefix_ = 0;
};

}  // namespace jobtrawl::crawler

#endif  // JOBTRAWL_CRAWLER_ADDRESS_POLICY_H_

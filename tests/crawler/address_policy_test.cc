#include "crawler/address_policy.h"

#include <gtest/gtest.h>

namespace jobtrawl::crawler {
namespace {

TEST(AddressPolicyTest, ClassifiesAddresses) {
  // Internal ranges a public crawler must never be steered into (SSRF).
  for (const char* ip : {"127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.255",
                         "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1",
                         "255.255.255.255", "240.0.0.1", "192.0.2.10", "::1", "::", "fc00::1",
                         "fd12:3456::1", "fe80::1", "ff02::1", "::ffff:127.0.0.1",
                         "::ffff:10.0.0.1", "64:ff9b::a00:1", "2001:db8::1"}) {
    EXPECT_TRUE(IsNonPublicAddress(ip)) << ip;
  }
  for (const char* ip : {"8.8.8.8", "93.184.216.34", "172.32.0.1", "172.15.255.255", "100.128.0.1",
                         "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"}) {
    EXPECT_FALSE(IsNonPublicAddress(ip)) << ip;
  }
  EXPECT_FALSE(IsNonPublicAddress("not an address"));
}

}  // namespace
}  // namespace jobtrawl::crawler

namespace jobtrawl::crawler {
namespace {

TEST(AddressPolicyTest, NamesTheKindOfANonPublicAddressForMessages) {
  // Issue 13: a refused address is reported with what it is.
  EXPECT_EQ(NonPublicKind("10.0.0.5"), "private");
  EXPECT_EQ(NonPublicKind("192.168.1.1"), "private");
  EXPECT_EQ(NonPublicKind("127.0.0.1"), "loopback");
  EXPECT_EQ(NonPublicKind("::1"), "loopback");
  EXPECT_EQ(NonPublicKind("169.254.169.254"), "link-local");
  EXPECT_EQ(NonPublicKind("::ffff:10.1.2.3"), "private");
  EXPECT_EQ(NonPublicKind("fd00::1"), "private (unique local)");
  EXPECT_EQ(NonPublicKind("100.64.0.1"), "shared (carrier-grade NAT)");
  EXPECT_EQ(NonPublicKind("224.0.0.1"), "multicast");
  EXPECT_EQ(NonPublicKind("192.0.2.7"), "reserved (documentation)");
  EXPECT_EQ(NonPublicKind("93.184.216.34"), "");
  EXPECT_EQ(NonPublicKind("2606:4700::1"), "");
  EXPECT_EQ(NonPublicKind("not an address"), "");
}

}  // namespace
}  // namespace jobtrawl::crawler

// Replication::encode_members()/decode_members(): the member address table as one line of text,
// the form a snapshot carries (replication.h).
#include <gtest/gtest.h>

#include "server/config/config.h"
#include "server/replication/replication.h"
#include "server/server.h"

namespace zakros::server {
namespace {

TEST(MembersTable, RoundTripsIncludingIpv6) {
  Server server{Config{}};
  Replication r(server);
  ASSERT_TRUE(r.decode_members("0=127.0.0.1:7001 3=[::1]:7004 12=db.example:6379"));
  EXPECT_EQ(r.encode_members(), "0=127.0.0.1:7001 3=[::1]:7004 12=db.example:6379");
  auto a = r.address_of(3);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(a->port, 7004);
  EXPECT_FALSE(r.address_of(1).has_value());
  Replication copy(server);
  ASSERT_TRUE(copy.decode_members(r.encode_members()));
  EXPECT_EQ(copy.encode_members(), r.encode_members());
}

TEST(MembersTable, EmptyIsAnEmptyTable) {
  Server server{Config{}};
  Replication r(server);
  ASSERT_TRUE(r.decode_members(""));
  EXPECT_EQ(r.encode_members(), "");
}

TEST(MembersTable, MalformedTextLeavesTheTableUnchanged) {
  Server server{Config{}};
  Replication r(server);
  ASSERT_TRUE(r.decode_members("0=127.0.0.1:7001"));
  for (const char* bad : {"x=127.0.0.1:7001", "1=127.0.0.1", "1=127.0.0.1:0", "1=::1:7000", "=h:1",
                          "1", "-1=h:1", "18446744073709551615=h:1", "1=h:1 2=h"}) {
    EXPECT_FALSE(r.decode_members(bad)) << bad;
    EXPECT_EQ(r.encode_members(), "0=127.0.0.1:7001") << bad;
  }
}

}  // namespace
}  // namespace zakros::server

// Geo commands against Redis 7.0's replies (expectations recorded from redis-server 7.0.15).
#include <string>
#include <string_view>

#include "command_fixture.h"
#include "commands/command_util.h"
#include "commands/errors.h"

namespace zakros::commands {
namespace {

using namespace std::string_view_literals;

class GeoTest : public CommandTest {};

TEST_F(GeoTest, AddPosDistHash) {
  EXPECT_EQ(Run({"geoadd", "g", "200", "100", "x"}),
            "-ERR invalid longitude,latitude pair 200.000000,100.000000\r\n"sv);
  EXPECT_EQ(Run({"geoadd", "g", "abc", "10", "x"}), "-ERR value is not a valid float\r\n"sv);
  EXPECT_EQ(Run({"geoadd", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669",
                 "Catania"}),
            ":2\r\n"sv);
  EXPECT_EQ(Run({"geoadd", "g", "nx", "xx", "1", "1", "a"}), "-ERR syntax error\r\n"sv);
  EXPECT_EQ(Run({"geoadd", "g", "ch", "ch", "ch"}), "-ERR syntax error\r\n"sv);
  EXPECT_EQ(Run({"geoadd", "g", "1", "1", "a", "b"}), "-ERR syntax error\r\n"sv);
  EXPECT_EQ(Run({"geoadd", "g", "ch", "13.361389", "38.115556", "Palermo", "15", "37", "Catania"}),
            ":1\r\n"sv);
  EXPECT_EQ(Run({"geoadd", "g", "nx", "1", "1", "Palermo", "2", "2", "new"}), ":1\r\n"sv);
  EXPECT_EQ(Run({"geoadd", "g", "xx", "ch", "3", "3", "new", "4", "4", "absent"}), ":1\r\n"sv);
  EXPECT_EQ(Run({"geoadd", "nokey", "xx", "1", "1", "a"}), ":0\r\n"sv);
  EXPECT_EQ(Run({"exists", "nokey"}), ":0\r\n"sv);
  EXPECT_EQ(Run({"geodist", "g", "Palermo", "Catania"}), "$11\r\n190442.3506\r\n"sv);
  EXPECT_EQ(Run({"geodist", "g", "Palermo", "Catania", "km"}), "$8\r\n190.4424\r\n"sv);
  EXPECT_EQ(Run({"geodist", "g", "Palermo", "Catania", "MI"}), "$8\r\n118.3357\r\n"sv);
  EXPECT_EQ(Run({"geodist", "g", "Palermo", "Catania", "ft"}), "$11\r\n624810.8615\r\n"sv);
  EXPECT_EQ(Run({"geodist", "g", "Palermo", "Catania", "foo"}),
            "-ERR unsupported unit provided. please use M, KM, FT, MI\r\n"sv);
  EXPECT_EQ(Run({"geodist", "g", "Palermo", "nope"}), "$-1\r\n"sv);
  EXPECT_EQ(Run({"geodist", "nokey", "a", "b"}), "$-1\r\n"sv);
  EXPECT_EQ(Run({"geodist", "g", "a", "b", "c", "d"}), "-ERR syntax error\r\n"sv);
  EXPECT_EQ(Run({"geodist", "g", "Palermo", "Palermo"}), "$6\r\n0.0000\r\n"sv);
  EXPECT_EQ(Run({"geohash", "g", "Palermo", "Catania", "nope"}),
            "*3\r\n$11\r\nsqc8b49rny0\r\n$11\r\nsqddmrdst70\r\n$-1\r\n"sv);
  EXPECT_EQ(Run({"geohash", "nokey", "a"}), "*1\r\n$-1\r\n"sv);
  EXPECT_EQ(
      Run({"geopos", "g", "Palermo", "nope", "new"}),
      "*3\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n*-1\r\n*2\r\n$19\r\n2.99999982118606567\r\n$19\r\n3.00000091215010656\r\n"sv);
  EXPECT_EQ(Run({"geopos", "nokey", "a"}), "*1\r\n*-1\r\n"sv);
  EXPECT_EQ(Run({"object", "encoding", "g"}), "$8\r\nlistpack\r\n"sv);
  EXPECT_EQ(Run({"type", "g"}), "+zset\r\n"sv);
  events.clear();
  Run({"geoadd", "e", "1", "1", "a"});
  Run({"geoadd", "e", "1", "1", "a"});
  Run({"geoadd", "e", "2", "2", "a"});
  EXPECT_EQ(events.events, (std::vector<std::string>{"n new e 0", "z zadd e 0", "z zadd e 0"}));
  Run({"set", "str", "x"});
  EXPECT_EQ(Run({"geoadd", "str", "1", "1", "a"}), Err(kWrongType));
  EXPECT_EQ(Run({"geopos", "str", "a"}), Err(kWrongType));
  EXPECT_EQ(Run({"geodist", "str", "a", "b"}), Err(kWrongType));
  EXPECT_EQ(Run({"geohash", "str", "a"}), Err(kWrongType));
}

TEST_F(GeoTest, Radius) {
  EXPECT_EQ(Run({"geoadd", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669",
                 "Catania", "15", "37", "near", "2.35", "48.85", "paris"}),
            ":4\r\n"sv);
  EXPECT_EQ(Run({"georadius", "g", "15", "37", "200", "km"}),
            "*3\r\n$4\r\nnear\r\n$7\r\nPalermo\r\n$7\r\nCatania\r\n"sv);
  EXPECT_EQ(
      Run({"georadius", "g", "15", "37", "200", "km", "withdist", "withcoord", "withhash", "asc"}),
      "*3\r\n*4\r\n$4\r\nnear\r\n$6\r\n0.0001\r\n:3476504601741708\r\n*2\r\n$20\r\n14.99999910593032837\r\n$20\r\n37.00000026605963654\r\n*4\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n:3479447370796909\r\n*2\r\n$20\r\n15.08726745843887329\r\n$20\r\n37.50266842333162032\r\n*4\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n:3479099956230698\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n"sv);
  EXPECT_EQ(
      Run({"georadius", "g", "15", "37", "200", "km", "WITHDIST", "DESC"}),
      "*3\r\n*2\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n*2\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n*2\r\n$4\r\nnear\r\n$6\r\n0.0001\r\n"sv);
  EXPECT_EQ(Run({"georadius", "g", "15", "37", "200", "km", "count", "1"}),
            "*1\r\n$4\r\nnear\r\n"sv);
  EXPECT_EQ(Run({"georadius", "g", "15", "37", "200", "km", "count", "2", "desc"}),
            "*2\r\n$7\r\nPalermo\r\n$7\r\nCatania\r\n"sv);
  EXPECT_EQ(Run({"georadius", "g", "15", "37", "200", "km", "count", "0"}),
            "-ERR COUNT must be > 0\r\n"sv);
  EXPECT_EQ(Run({"georadius", "g", "15", "37", "200", "km", "count", "x"}),
            "-ERR value is not an integer or out of range\r\n"sv);
  EXPECT_EQ(Run({"georadius", "g", "15", "37", "200", "km", "count", "1", "any"}),
            "*1\r\n$4\r\nnear\r\n"sv);
  EXPECT_EQ(Run({"georadius", "g", "15", "37", "200", "km", "any"}),
            "-ERR the ANY argument requires COUNT argument\r\n"sv);
  EXPECT_EQ(Run({"georadius", "g", "15", "37", "-1", "km"}),
            "-ERR radius cannot be negative\r\n"sv);
  EXPECT_EQ(Run({"georadius", "g", "15", "37", "abc", "km"}), "-ERR need numeric radius\r\n"sv);
  EXPECT_EQ(Run({"georadius", "g", "15", "37", "200", "foo"}),
            "-ERR unsupported unit provided. please use M, KM, FT, MI\r\n"sv);
  EXPECT_EQ(Run({"georadius", "g", "15", "37", "200", "km", "foo"}), "-ERR syntax error\r\n"sv);
  EXPECT_EQ(
      Run({"georadius", "g", "15", "37", "200", "km", "store", "dst", "withdist"}),
      "-ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options\r\n"sv);
  EXPECT_EQ(
      Run({"georadius", "g", "15", "37", "5000", "km", "withdist"}),
      "*4\r\n*2\r\n$4\r\nnear\r\n$6\r\n0.0001\r\n*2\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n*2\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n*2\r\n$5\r\nparis\r\n$9\r\n1668.2449\r\n"sv);
  EXPECT_EQ(Run({"georadius", "g", "15", "37", "0", "km", "withdist"}), "*0\r\n"sv);
  EXPECT_EQ(Run({"georadius", "g", "2.35", "48.85", "1", "m", "withdist"}),
            "*1\r\n*2\r\n$5\r\nparis\r\n$6\r\n0.1392\r\n"sv);
  EXPECT_EQ(Run({"georadius", "nokey", "15", "37", "200", "km"}), "*0\r\n"sv);
  EXPECT_EQ(Run({"georadius_ro", "g", "15", "37", "200", "km", "store", "dst"}),
            "-ERR syntax error\r\n"sv);
  EXPECT_EQ(Run({"georadiusbymember", "g", "Palermo", "100", "km"}), "*1\r\n$7\r\nPalermo\r\n"sv);
  EXPECT_EQ(
      Run({"georadiusbymember", "g", "Palermo", "300", "km", "withdist"}),
      "*3\r\n*2\r\n$7\r\nPalermo\r\n$6\r\n0.0000\r\n*2\r\n$7\r\nCatania\r\n$8\r\n166.2742\r\n*2\r\n$4\r\nnear\r\n$8\r\n190.4424\r\n"sv);
  EXPECT_EQ(Run({"georadiusbymember", "g", "nope", "100", "km"}),
            "-ERR could not decode requested zset member\r\n"sv);
  EXPECT_EQ(Run({"georadiusbymember", "nokey", "nope", "100", "km"}), "*0\r\n"sv);
  EXPECT_EQ(Run({"georadiusbymember", "nokey", "nope", "x", "km"}), "*0\r\n"sv);
  EXPECT_EQ(
      Run({"georadiusbymember_ro", "g", "Catania", "1", "km", "withcoord"}),
      "*1\r\n*2\r\n$7\r\nCatania\r\n*2\r\n$20\r\n15.08726745843887329\r\n$20\r\n37.50266842333162032\r\n"sv);
}

TEST_F(GeoTest, Search) {
  EXPECT_EQ(Run({"geoadd", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669",
                 "Catania", "15", "37", "near", "2.35", "48.85", "paris"}),
            ":4\r\n"sv);
  EXPECT_EQ(Run({"geosearch", "g", "frommember", "Palermo", "byradius", "200", "km"}),
            "*3\r\n$7\r\nPalermo\r\n$7\r\nCatania\r\n$4\r\nnear\r\n"sv);
  EXPECT_EQ(
      Run({"geosearch", "g", "frommember", "Palermo", "byradius", "200", "km", "asc", "withdist"}),
      "*3\r\n*2\r\n$7\r\nPalermo\r\n$6\r\n0.0000\r\n*2\r\n$7\r\nCatania\r\n$8\r\n166.2742\r\n*2\r\n$4\r\nnear\r\n$8\r\n190.4424\r\n"sv);
  EXPECT_EQ(
      Run({"geosearch", "g", "fromlonlat", "15", "37", "bybox", "400", "400", "km", "desc",
           "withdist"}),
      "*3\r\n*2\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n*2\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n*2\r\n$4\r\nnear\r\n$6\r\n0.0001\r\n"sv);
  EXPECT_EQ(
      Run({"geosearch", "g", "fromlonlat", "15", "37", "bybox", "400", "100", "km", "withcoord"}),
      "*1\r\n*2\r\n$4\r\nnear\r\n*2\r\n$20\r\n14.99999910593032837\r\n$20\r\n37.00000026605963654\r\n"sv);
  EXPECT_EQ(
      Run({"geosearch", "g", "fromlonlat", "15", "37", "bybox", "4000", "4000", "km", "count", "2",
           "withhash"}),
      "*2\r\n*2\r\n$4\r\nnear\r\n:3476504601741708\r\n*2\r\n$7\r\nCatania\r\n:3479447370796909\r\n"sv);
  EXPECT_EQ(Run({"geosearch", "g", "fromlonlat", "15", "37", "byradius", "200", "km", "count", "1",
                 "any"}),
            "*1\r\n$4\r\nnear\r\n"sv);
  EXPECT_EQ(Run({"geosearch", "g", "frommember", "Palermo", "fromlonlat", "15", "37", "byradius",
                 "10", "km"}),
            "-ERR syntax error\r\n"sv);
  EXPECT_EQ(Run({"geosearch", "g", "fromlonlat", "15", "37", "byradius", "10", "km", "bybox", "1",
                 "1", "km"}),
            "-ERR syntax error\r\n"sv);
  EXPECT_EQ(Run({"geosearch", "g", "fromlonlat", "15", "37", "bybox", "-1", "1", "km"}),
            "-ERR height or width cannot be negative\r\n"sv);
  EXPECT_EQ(Run({"geosearch", "g", "fromlonlat", "15", "37", "bybox", "a", "1", "km"}),
            "-ERR need numeric width\r\n"sv);
  EXPECT_EQ(Run({"geosearch", "g", "fromlonlat", "15", "37", "bybox", "1", "a", "km"}),
            "-ERR need numeric height\r\n"sv);
  EXPECT_EQ(Run({"geosearch", "g", "fromlonlat", "15", "37", "bybox", "1", "1", "yd"}),
            "-ERR unsupported unit provided. please use M, KM, FT, MI\r\n"sv);
  EXPECT_EQ(
      Run({"geosearch", "g", "fromlonlat", "15", "37", "byradius", "200", "km", "store", "x"}),
      "-ERR syntax error\r\n"sv);
  EXPECT_EQ(Run({"geosearch", "g", "fromlonlat", "15", "37", "byradius", "200", "km", "storedist"}),
            "-ERR syntax error\r\n"sv);
  EXPECT_EQ(Run({"geosearch", "g", "fromlonlat", "15", "37", "withdist", "byradius", "200", "km",
                 "count"}),
            "-ERR syntax error\r\n"sv);
  EXPECT_EQ(Run({"geosearch", "g", "byradius", "200", "km", "withdist", "asc", "count", "1"}),
            "-ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for geosearch\r\n"sv);
  EXPECT_EQ(Run({"geosearch", "g", "fromlonlat", "15", "37", "withdist", "asc", "count", "1"}),
            "-ERR exactly one of BYRADIUS and BYBOX can be specified for geosearch\r\n"sv);
  EXPECT_EQ(Run({"geosearch", "g", "fromlonlat", "200", "37", "byradius", "1", "km"}),
            "-ERR invalid longitude,latitude pair 200.000000,37.000000\r\n"sv);
  EXPECT_EQ(Run({"geosearch", "nokey", "fromlonlat", "15", "37", "byradius", "200", "km"}),
            "*0\r\n"sv);
  EXPECT_EQ(Run({"geosearch", "nokey", "frommember", "x", "byradius", "200", "km"}), "*0\r\n"sv);
  EXPECT_EQ(Run({"geosearch", "g", "frommember", "nope", "byradius", "200", "km"}),
            "-ERR could not decode requested zset member\r\n"sv);
}

TEST_F(GeoTest, Store) {
  EXPECT_EQ(Run({"geoadd", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669",
                 "Catania", "15", "37", "near", "2.35", "48.85", "paris"}),
            ":4\r\n"sv);
  EXPECT_EQ(Run({"georadius", "g", "15", "37", "200", "km", "store", "dst"}), ":3\r\n"sv);
  EXPECT_EQ(Run({"type", "dst"}), "+zset\r\n"sv);
  EXPECT_EQ(Run({"object", "encoding", "dst"}), "$8\r\nlistpack\r\n"sv);
  EXPECT_EQ(Run({"georadius", "g", "15", "37", "200", "km", "count", "1", "storedist", "dst2"}),
            ":1\r\n"sv);
  EXPECT_EQ(Run({"geodist", "dst", "Palermo", "near"}), "$11\r\n190442.3506\r\n"sv);
  EXPECT_EQ(Run({"georadius", "g", "15", "37", "200", "km", "store", "dst", "storedist", "dst3"}),
            ":3\r\n"sv);
  EXPECT_EQ(Run({"exists", "dst3"}), ":1\r\n"sv);
  EXPECT_EQ(
      Run({"geosearchstore", "dst", "g", "fromlonlat", "15", "37", "byradius", "200", "km",
           "withdist"}),
      "-ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options\r\n"sv);
  EXPECT_EQ(Run({"geosearchstore", "dst", "g", "fromlonlat", "15", "37", "byradius", "200", "km",
                 "storedist"}),
            ":3\r\n"sv);
  EXPECT_EQ(Run({"geosearchstore", "dst", "g", "fromlonlat", "15", "37", "byradius", "1", "km"}),
            ":1\r\n"sv);
  EXPECT_EQ(Run({"geosearchstore", "dst", "g", "fromlonlat", "0", "0", "byradius", "1", "km"}),
            ":0\r\n"sv);
  EXPECT_EQ(Run({"exists", "dst"}), ":0\r\n"sv);
  EXPECT_EQ(Run({"geosearchstore", "dst2", "nokey", "fromlonlat", "0", "0", "byradius", "1", "km"}),
            ":0\r\n"sv);
  EXPECT_EQ(Run({"exists", "dst2"}), ":0\r\n"sv);
  EXPECT_EQ(Run({"geosearchstore", "dst2", "g", "fromlonlat", "0", "0", "byradius", "1", "km",
                 "store", "x"}),
            "-ERR syntax error\r\n"sv);
  events.clear();
  Run({"georadius", "g", "15", "37", "200", "km", "store", "s1"});
  Run({"geosearchstore", "s2", "g", "fromlonlat", "15", "37", "byradius", "200", "km"});
  Run({"georadius", "g", "0", "0", "1", "km", "store", "s1"});
  EXPECT_EQ(events.events,
            (std::vector<std::string>{"n new s1 0", "z georadiusstore s1 0", "n new s2 0",
                                      "z geosearchstore s2 0", "g del s1 0"}));
}

TEST_F(GeoTest, RadiusKeys) {
  const CommandSpec* spec = table.find("georadius");
  ASSERT_NE(spec, nullptr);
  std::vector<std::string_view> argv{"georadius", "g",     "1", "2",         "3",
                                     "km",        "store", "a", "storedist", "b"};
  EXPECT_EQ(CommandTable::key_indexes(*spec, argv), (std::vector<int>{1, 7, 9}));
  spec = table.find("georadiusbymember");
  ASSERT_NE(spec, nullptr);
  std::vector<std::string_view> argv2{"georadiusbymember", "g", "m", "3", "km", "storedist", "a"};
  EXPECT_EQ(CommandTable::key_indexes(*spec, argv2), (std::vector<int>{1, 6}));
}

}  // namespace
}  // namespace zakros::commands

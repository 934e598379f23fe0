// SORT / SORT_RO against Redis 7.0's replies (checked with redis-server 7.0.15).
#include <string>
#include <vector>

#include "command_fixture.h"
#include "commands/errors.h"

namespace zakros::commands {
namespace {

class SortTest : public CommandTest {
 protected:
  void SetUp() override { Run({"sadd", "s", "3", "1", "2", "10"}); }
  static std::string Array(std::initializer_list<std::string_view> items) {
    std::string out = "*" + std::to_string(items.size()) + "\r\n";
    for (std::string_view i : items) out += i == "(nil)" ? std::string("$-1\r\n") : Bulk(i);
    return out;
  }
};

TEST_F(SortTest, NumericAlphaLimit) {
  EXPECT_EQ(Run({"sort", "s"}), Array({"1", "2", "3", "10"}));
  EXPECT_EQ(Run({"sort", "s", "desc"}), Array({"10", "3", "2", "1"}));
  EXPECT_EQ(Run({"sort", "s", "alpha"}), Array({"1", "10", "2", "3"}));
  EXPECT_EQ(Run({"sort", "s", "limit", "1", "2"}), Array({"2", "3"}));
  EXPECT_EQ(Run({"sort", "s", "limit", "0", "-1"}), Array({"1", "2", "3", "10"}));
  EXPECT_EQ(Run({"sort", "s", "limit", "-5", "2"}), Array({"1", "2"}));
  EXPECT_EQ(Run({"sort", "s", "limit", "10", "2"}), "*0\r\n");
  EXPECT_EQ(Run({"sort", "s", "limit", "a", "2"}), Err(kNotInteger));
  EXPECT_EQ(Run({"sort", "nokey"}), "*0\r\n");
  Run({"sadd", "t", "a", "b", "1"});
  EXPECT_EQ(Run({"sort", "t"}), Err("ERR One or more scores can't be converted into double"));
  EXPECT_EQ(Run({"sort", "t", "alpha", "desc"}), Array({"b", "a", "1"}));
  EXPECT_EQ(Run({"sort", "s", "foo"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"sort_ro", "s", "store", "x"}), Err(kSyntaxError));
  Run({"set", "str", "x"});
  EXPECT_EQ(Run({"sort", "str"}), Err(kWrongType));
}

TEST_F(SortTest, ByAndGet) {
  Run({"mset", "w_1", "30", "w_2", "20", "w_3", "10", "w_10", "x"});
  EXPECT_EQ(Run({"sort", "s", "by", "w_*"}),
            Err("ERR One or more scores can't be converted into double"));
  Run({"set", "w_10", "5"});
  EXPECT_EQ(Run({"sort", "s", "by", "w_*", "get", "#", "get", "w_*"}),
            Array({"10", "5", "3", "10", "2", "20", "1", "30"}));
  Run({"hset", "h_1", "f", "a"});
  EXPECT_EQ(Run({"sort", "s", "by", "nosort", "get", "h_*->f", "get", "#"}),
            Array({"a", "1", "(nil)", "2", "(nil)", "3", "(nil)", "10"}));
  EXPECT_EQ(Run({"sort", "s", "by", "h_*->f", "alpha"}), Array({"2", "3", "10", "1"}));
  EXPECT_EQ(Run({"sort", "s", "by", "w_*", "get", "nostar"}),
            Array({"(nil)", "(nil)", "(nil)", "(nil)"}));
  EXPECT_EQ(Run({"sort", "s", "by", "w_*", "get", "h_*->"}),
            Array({"(nil)", "(nil)", "(nil)", "(nil)"}));
  EXPECT_EQ(Run({"sort_ro", "s", "by", "w_*", "limit", "0", "1"}), Array({"10"}));
}

TEST_F(SortTest, KeysOfStore) {
  const CommandSpec* sort = table.find("sort");
  ASSERT_NE(sort, nullptr);
  std::vector<std::string_view> argv{"sort", "s", "limit", "0", "1", "store", "a", "store", "b"};
  EXPECT_EQ(CommandTable::key_indexes(*sort, argv), (std::vector<int>{1, 8}));
}

TEST_F(SortTest, StoreEmptyDeletesDestination) {
  Run({"set", "dst", "x"});
  events.clear();
  EXPECT_EQ(Run({"sort", "nokey", "store", "dst"}), Int(0));
  EXPECT_EQ(Run({"exists", "dst"}), Int(0));
  EXPECT_EQ(events.events, (std::vector<std::string>{"g del dst 0"}));
}

}  // namespace
}  // namespace zakros::commands

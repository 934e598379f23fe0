#include "resp/reply_writer.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace zakros::resp {
namespace {

// Runs `fill` against a writer of the given protocol and returns the bytes it produced.
template <typename F>
std::string write(int protocol, F fill) {
  std::string out;
  ReplyWriter w(&out, protocol);
  fill(w);
  return out;
}

TEST(ReplyWriter, SameInBothProtocols) {
  for (int proto : {2, 3}) {
    EXPECT_EQ(write(proto, [](ReplyWriter& w) { w.ok(); }), "+OK\r\n");
    EXPECT_EQ(write(proto, [](ReplyWriter& w) { w.simple("PONG"); }), "+PONG\r\n");
    EXPECT_EQ(write(proto, [](ReplyWriter& w) { w.integer(-42); }), ":-42\r\n");
    EXPECT_EQ(
        write(proto, [](ReplyWriter& w) { w.integer(std::numeric_limits<long long>::min()); }),
        ":-9223372036854775808\r\n");
    EXPECT_EQ(write(proto, [](ReplyWriter& w) { w.bulk("hello"); }), "$5\r\nhello\r\n");
    EXPECT_EQ(write(proto, [](ReplyWriter& w) { w.bulk(""); }), "$0\r\n\r\n");
    EXPECT_EQ(write(proto, [](ReplyWriter& w) { w.bulk(std::string_view("a\0\r\n", 4)); }),
              std::string("$4\r\na\0\r\n\r\n", 10));
    EXPECT_EQ(write(proto, [](ReplyWriter& w) { w.bulk_integer(1234); }), "$4\r\n1234\r\n");
    EXPECT_EQ(write(proto, [](ReplyWriter& w) { w.array(3); }), "*3\r\n");
    EXPECT_EQ(write(proto, [](ReplyWriter& w) { w.empty_array(); }), "*0\r\n");
    EXPECT_EQ(write(proto, [](ReplyWriter& w) { w.raw("+X\r\n"); }), "+X\r\n");
  }
}

TEST(ReplyWriter, Resp2Degradations) {
  EXPECT_EQ(write(2, [](ReplyWriter& w) { w.null(); }), "$-1\r\n");
  EXPECT_EQ(write(2, [](ReplyWriter& w) { w.null_array(); }), "*-1\r\n");
  EXPECT_EQ(write(2, [](ReplyWriter& w) { w.map(2); }), "*4\r\n");
  EXPECT_EQ(write(2, [](ReplyWriter& w) { w.set(3); }), "*3\r\n");
  EXPECT_EQ(write(2, [](ReplyWriter& w) { w.push(3); }), "*3\r\n");
  EXPECT_EQ(write(2, [](ReplyWriter& w) { w.boolean(true); }), ":1\r\n");
  EXPECT_EQ(write(2, [](ReplyWriter& w) { w.boolean(false); }), ":0\r\n");
  EXPECT_EQ(write(2, [](ReplyWriter& w) { w.double_value(1.5); }), "$3\r\n1.5\r\n");
  EXPECT_EQ(write(2, [](ReplyWriter& w) { w.double_text("10.6"); }), "$4\r\n10.6\r\n");
  EXPECT_EQ(write(2, [](ReplyWriter& w) { w.verbatim("abc"); }), "$3\r\nabc\r\n");
  EXPECT_EQ(write(2, [](ReplyWriter& w) { w.big_number("123456789012345678901234567890"); }),
            "$30\r\n123456789012345678901234567890\r\n");
}

TEST(ReplyWriter, Resp3Types) {
  EXPECT_EQ(write(3, [](ReplyWriter& w) { w.null(); }), "_\r\n");
  EXPECT_EQ(write(3, [](ReplyWriter& w) { w.null_array(); }), "_\r\n");
  EXPECT_EQ(write(3, [](ReplyWriter& w) { w.map(2); }), "%2\r\n");
  EXPECT_EQ(write(3, [](ReplyWriter& w) { w.set(3); }), "~3\r\n");
  EXPECT_EQ(write(3, [](ReplyWriter& w) { w.push(3); }), ">3\r\n");
  EXPECT_EQ(write(3, [](ReplyWriter& w) { w.boolean(true); }), "#t\r\n");
  EXPECT_EQ(write(3, [](ReplyWriter& w) { w.boolean(false); }), "#f\r\n");
  EXPECT_EQ(write(3, [](ReplyWriter& w) { w.double_value(1.5); }), ",1.5\r\n");
  EXPECT_EQ(write(3, [](ReplyWriter& w) { w.double_text("10.6"); }), ",10.6\r\n");
  EXPECT_EQ(write(3, [](ReplyWriter& w) { w.verbatim("abc"); }), "=7\r\ntxt:abc\r\n");
  EXPECT_EQ(write(3, [](ReplyWriter& w) { w.verbatim("# x", "mkd"); }), "=7\r\nmkd:# x\r\n");
  EXPECT_EQ(write(3, [](ReplyWriter& w) { w.big_number("-12345678901234567890"); }),
            "(-12345678901234567890\r\n");
}

TEST(ReplyWriter, Doubles) {
  // Redis 7.0's addReplyDouble: "%.17g", inf/-inf spelled out.
  EXPECT_EQ(format_double(1.0), "1");
  EXPECT_EQ(format_double(0.1), "0.10000000000000001");
  EXPECT_EQ(format_double(1e17), "1e+17");
  EXPECT_EQ(format_double(-2.5), "-2.5");
  EXPECT_EQ(format_double(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(format_double(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(
      write(2, [](ReplyWriter& w) { w.double_value(-std::numeric_limits<double>::infinity()); }),
      "$4\r\n-inf\r\n");
  EXPECT_EQ(
      write(3, [](ReplyWriter& w) { w.double_value(std::numeric_limits<double>::infinity()); }),
      ",inf\r\n");
}

struct RecordingObserver : ErrorObserver {
  void on_error_reply(std::string_view message) override { seen.emplace_back(message); }
  std::vector<std::string> seen;
};

TEST(ReplyWriter, ErrorsAreOneLineAndObserved) {
  std::string out;
  ReplyWriter w(&out);
  RecordingObserver obs;
  w.set_error_observer(&obs);
  w.error("ERR syntax error");
  w.error("WRONGTYPE Operation against a key holding the wrong kind of value");
  w.error("ERR bad\r\nthing\n");
  EXPECT_EQ(out,
            "-ERR syntax error\r\n"
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
            "-ERR bad  thing \r\n");
  ASSERT_EQ(obs.seen.size(), 3u);
  EXPECT_EQ(obs.seen[0], "ERR syntax error");
}

TEST(ReplyWriter, DeferredHeaders) {
  for (int proto : {2, 3}) {
    std::string out = "+before\r\n";
    ReplyWriter w(&out, proto);
    const size_t outer = w.begin_deferred();
    w.bulk("k1");
    const size_t inner = w.begin_deferred();
    for (int i = 0; i < 12; ++i) w.integer(i);
    w.end_deferred_array(inner, 12);
    w.bulk("k2");
    const size_t inner_set = w.begin_deferred();
    w.bulk("m");
    w.end_deferred_set(inner_set, 1);
    w.end_deferred_map(outer, 2);
    std::string expected = "+before\r\n";
    expected += proto == 3 ? "%2\r\n" : "*4\r\n";
    expected += "$2\r\nk1\r\n*12\r\n";
    for (int i = 0; i < 12; ++i) expected += ":" + std::to_string(i) + "\r\n";
    expected += "$2\r\nk2\r\n";
    expected += proto == 3 ? "~1\r\n" : "*1\r\n";
    expected += "$1\r\nm\r\n";
    EXPECT_EQ(out, expected) << "RESP" << proto;
    EXPECT_EQ(w.size(), out.size());
  }
  // An empty deferred array, and one whose count needs many digits.
  std::string out;
  ReplyWriter w(&out);
  w.end_deferred_array(w.begin_deferred(), 0);
  w.end_deferred_array(w.begin_deferred(), 1234567);
  EXPECT_EQ(out, "*0\r\n*1234567\r\n");
}

TEST(ReplyWriter, ProtocolSwitchAndBufferRedirect) {
  std::string a, b;
  ReplyWriter w(&a);
  EXPECT_EQ(w.protocol(), 2);
  EXPECT_FALSE(w.resp3());
  w.null();
  w.set_protocol(3);
  EXPECT_TRUE(w.resp3());
  w.null();
  w.set_buffer(&b);
  EXPECT_EQ(w.buffer(), &b);
  w.ok();
  EXPECT_EQ(a, "$-1\r\n_\r\n");
  EXPECT_EQ(b, "+OK\r\n");
}

}  // namespace
}  // namespace zakros::resp

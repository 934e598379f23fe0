#include "resp/request_parser.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace zakros::resp {
namespace {

using Argv = std::vector<std::string>;
using Status = RequestParser::Status;

// What a connection does: append what arrives, parse while complete, drop consumed bytes.
struct Connection {
  explicit Connection(RequestParser::Limits limits = {}) : parser(limits) {}

  // Returns false once the parser reported an error.
  bool feed(std::string_view bytes) {
    pending.append(bytes);
    for (;;) {
      size_t consumed = 0;
      const Status st = parser.parse(pending, &consumed, &argv);
      EXPECT_LE(consumed, pending.size());
      if (st == Status::kIncomplete) {
        EXPECT_EQ(consumed, 0u);
      }
      if (st == Status::kError) {
        error = std::string(parser.error());
        return false;
      }
      if (st == Status::kComplete && argv.empty()) ++ignored;
      if (st == Status::kComplete && !argv.empty()) {
        requests.emplace_back(argv.begin(), argv.end());
        inline_flags.push_back(parser.last_was_inline());
      }
      pending.erase(0, consumed);
      if (st == Status::kIncomplete) return true;
    }
  }

  RequestParser parser;
  std::string pending;
  std::vector<std::string_view> argv;
  std::vector<Argv> requests;
  std::vector<bool> inline_flags;
  int ignored = 0;  // requests Redis ignores (complete, no arguments)
  std::string error;
};

std::vector<Argv> parse_all(std::string_view input) {
  Connection c;
  EXPECT_TRUE(c.feed(input)) << c.error;
  return c.requests;
}

std::string parse_error(std::string_view input, RequestParser::Limits limits = {}) {
  Connection c(limits);
  EXPECT_FALSE(c.feed(input)) << "no error for " << input;
  return c.error;
}

std::string multibulk(const Argv& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const auto& a : args) out += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
  return out;
}

TEST(RequestParser, SimpleMultibulk) {
  auto reqs = parse_all("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n");
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0], (Argv{"SET", "k", "value"}));
}

TEST(RequestParser, ArgvViewsPointIntoBuffer) {
  RequestParser p;
  const std::string buf = "*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n*1\r\n$4\r\nPING\r\n";
  std::vector<std::string_view> argv;
  size_t consumed;
  ASSERT_EQ(p.parse(buf, &consumed, &argv), Status::kComplete);
  EXPECT_EQ(consumed, 22u);
  ASSERT_EQ(argv.size(), 2u);
  EXPECT_EQ(argv[0].data(), buf.data() + 8);
  EXPECT_EQ(argv[1].data(), buf.data() + 18);
  EXPECT_FALSE(p.last_was_inline());
  ASSERT_EQ(p.parse(std::string_view(buf).substr(consumed), &consumed, &argv), Status::kComplete);
  EXPECT_EQ(argv, (std::vector<std::string_view>{"PING"}));
  EXPECT_EQ(consumed, 14u);
}

TEST(RequestParser, Pipelined) {
  std::string in;
  for (int i = 0; i < 100; ++i) {
    in += multibulk({"SET", "key:" + std::to_string(i), std::string(i, 'x')});
    in += "PING\r\n";
  }
  auto reqs = parse_all(in);
  ASSERT_EQ(reqs.size(), 200u);
  EXPECT_EQ(reqs[10], (Argv{"SET", "key:5", "xxxxx"}));
  EXPECT_EQ(reqs[11], (Argv{"PING"}));
}

TEST(RequestParser, BinarySafeBulks) {
  const std::string v1("a\r\nb\0c", 6);
  const std::string v2("\r\n\r\n", 4);
  const std::string v3("\0", 1);
  auto reqs = parse_all(multibulk({"SET", v1, v2}) + multibulk({v3, ""}));
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0], (Argv{"SET", v1, v2}));
  EXPECT_EQ(reqs[1], (Argv{v3, ""}));
}

TEST(RequestParser, IgnoredRequests) {
  // "*0", any negative count, empty lines and blank lines are no command at all.
  auto reqs = parse_all("*0\r\n*-1\r\n*-10\r\n\r\n\n   \t \r\nPING\r\n*1\r\n$4\r\nPING\r\n");
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0], (Argv{"PING"}));
  EXPECT_EQ(reqs[1], (Argv{"PING"}));

  Connection c;
  c.feed("*0\r\n*-1\r\n*-10\r\n\r\n\n   \t \r\nPING\r\n");
  EXPECT_EQ(c.ignored, 6);

  RequestParser p;
  std::vector<std::string_view> argv;
  size_t consumed;
  EXPECT_EQ(p.parse("*0\r\n\r\n*1\r\n", &consumed, &argv), Status::kComplete);
  EXPECT_EQ(consumed, 4u);
  EXPECT_TRUE(argv.empty());
  EXPECT_FALSE(p.last_was_inline());
  EXPECT_EQ(p.parse("\r\n*1\r\n", &consumed, &argv), Status::kComplete);
  EXPECT_EQ(consumed, 2u);
  EXPECT_TRUE(argv.empty());
  EXPECT_TRUE(p.last_was_inline());
  EXPECT_EQ(p.parse("*1\r\n", &consumed, &argv), Status::kIncomplete);
  EXPECT_EQ(consumed, 0u);
}

TEST(RequestParser, ByteAfterCrIsNotChecked) {
  // Redis skips the byte after '\r' (and the two bytes after a bulk) without looking at them.
  EXPECT_EQ(parse_error("*2X$4Y\r\n"), "Protocol error: invalid multibulk length");
  auto reqs = parse_all("*2\rX$4\rYPINGxx$1\r\nazz");
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0], (Argv{"PING", "a"}));
}

TEST(RequestParser, InlineBasics) {
  auto reqs = parse_all("set  key   value\r\nget key\nping\r\r\n");
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0], (Argv{"set", "key", "value"}));
  EXPECT_EQ(reqs[1], (Argv{"get", "key"}));
  EXPECT_EQ(reqs[2], (Argv{"ping"}));
  Connection c;
  c.feed("PING\r\n*1\r\n$4\r\nPING\r\n");
  EXPECT_EQ(c.inline_flags, (std::vector<bool>{true, false}));
}

TEST(RequestParser, InlineQuotes) {
  auto one = [](std::string_view line) {
    auto reqs = parse_all(std::string(line) + "\r\n");
    EXPECT_EQ(reqs.size(), 1u) << line;
    return reqs.empty() ? Argv{} : reqs[0];
  };
  EXPECT_EQ(one(R"(set "a b" 'c d')"), (Argv{"set", "a b", "c d"}));
  EXPECT_EQ(one(R"("\n\r\t\b\a\\\"\q")"), (Argv{"\n\r\t\b\a\\\"q"}));
  EXPECT_EQ(one(R"("\x41\x4a\x6b\x00z")"), (Argv{std::string("AJk\0z", 5)}));
  EXPECT_EQ(one(R"("\xZZ")"), (Argv{"xZZ"}));
  EXPECT_EQ(one(R"('it\'s' 'a\nb' 'x"y')"), (Argv{"it's", "a\\nb", "x\"y"}));
  EXPECT_EQ(one(R"(foo"bar baz" x)"), (Argv{"foobar baz", "x"}));
  EXPECT_EQ(one(R"("" '')"), (Argv{"", ""}));
  EXPECT_EQ(one("a\vb \fc"), (Argv{"a\vb", "c"}));  // \v ends no word, but blanks are skipped
  EXPECT_EQ(one("a\rb"), (Argv{"a", "b"}));         // '\r' inside the line separates
  EXPECT_EQ(one("\"a\"\t\"b\""), (Argv{"a", "b"}));
}

TEST(RequestParser, ProtocolErrors) {
  const std::string unbalanced = "Protocol error: unbalanced quotes in request";
  EXPECT_EQ(parse_error("set \"\"\"test-key\"\"\" test-value\r\nping\r\n"), unbalanced);
  EXPECT_EQ(parse_error("\"abc\r\n"), unbalanced);
  EXPECT_EQ(parse_error("'abc\r\n"), unbalanced);
  EXPECT_EQ(parse_error("\"abc\"def\r\n"), unbalanced);
  EXPECT_EQ(parse_error("'abc'def\r\n"), unbalanced);
  EXPECT_EQ(parse_error("\"abc\\\"\r\n"), unbalanced);

  const std::string bad_mbulk = "Protocol error: invalid multibulk length";
  EXPECT_EQ(parse_error("*3000000000\r\n"), bad_mbulk);
  EXPECT_EQ(parse_error("*2147483648\r\n"), bad_mbulk);
  EXPECT_EQ(parse_error("*\r\n"), bad_mbulk);
  EXPECT_EQ(parse_error("*-0\r\n"), bad_mbulk);
  EXPECT_EQ(parse_error("*01\r\n"), bad_mbulk);
  EXPECT_EQ(parse_error("*+1\r\n"), bad_mbulk);
  EXPECT_EQ(parse_error("*1 \r\n"), bad_mbulk);
  EXPECT_EQ(parse_error("*abc\r\n"), bad_mbulk);
  EXPECT_EQ(parse_error("*5\r\n", {.max_multibulk_len = 4}), bad_mbulk);

  EXPECT_EQ(parse_error("*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n"),
            "Protocol error: expected '$', got 'f'");
  EXPECT_EQ(parse_error("*1\r\nfoo\r\n"), "Protocol error: expected '$', got 'f'");
  EXPECT_EQ(parse_error("*1\r\n\r\n"), "Protocol error: expected '$', got '\r'");

  const std::string bad_bulk = "Protocol error: invalid bulk length";
  EXPECT_EQ(parse_error("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n"), bad_bulk);
  EXPECT_EQ(parse_error("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n"), bad_bulk);
  EXPECT_EQ(parse_error("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n"), bad_bulk);
  EXPECT_EQ(parse_error("*1\r\n$\r\n"), bad_bulk);
  EXPECT_EQ(parse_error("*1\r\n$-1\r\n"), bad_bulk);
  EXPECT_EQ(parse_error("*1\r\n$11\r\n", {.max_bulk_len = 10}), bad_bulk);

  // Limits on lines without a terminator: > 64KB buffered.
  EXPECT_EQ(parse_error(std::string(64 * 1024 + 1, 'a')), "Protocol error: too big inline request");
  EXPECT_EQ(parse_error("*" + std::string(64 * 1024, '1')),
            "Protocol error: too big mbulk count string");
  EXPECT_EQ(parse_error("*1\r\n$" + std::string(64 * 1024, '1')),
            "Protocol error: too big bulk count string");
}

TEST(RequestParser, SizeLimitsAreExactAtTheBoundary) {
  Connection c;
  EXPECT_TRUE(c.feed(std::string(64 * 1024, 'a')));  // exactly 64KB: still waiting
  EXPECT_TRUE(c.feed("\r\n"));                       // and a newline completes it
  ASSERT_EQ(c.requests.size(), 1u);
  EXPECT_EQ(c.requests[0][0].size(), 64u * 1024);
  Connection d;
  EXPECT_TRUE(d.feed("*1\r\n$" + std::string(64 * 1024 - 1, '1')));  // 64KB from the '$'
  EXPECT_FALSE(d.feed("1"));
}

TEST(RequestParser, NulHidesTheLineEndAsInRedis) {
  // Redis searches with strchr(): a NUL before the terminator stalls the request until the
  // size limit is passed (Redis's "Protocol desync regression" tests).
  for (std::string start : {std::string("\0", 1), std::string("*\0", 2), std::string("$\0", 2),
                            std::string("GET a\0b\r\n", 9)}) {
    Connection c;
    EXPECT_TRUE(c.feed(start));
    std::string payload(1024, 'A');
    payload += "\n";
    bool ok = true;
    for (int i = 0; i < 70 && ok; ++i) ok = c.feed(payload);
    EXPECT_FALSE(ok);
    EXPECT_TRUE(c.requests.empty());
    EXPECT_NE(c.error.find("Protocol error: too big"), std::string::npos) << c.error;
  }
  Connection c;
  EXPECT_TRUE(c.feed(std::string("*1\r\n$1\0\r\n", 9)));
  EXPECT_TRUE(c.requests.empty());
}

TEST(RequestParser, UnauthenticatedLimits) {
  Connection c;
  c.parser.set_auth_required(true);
  EXPECT_TRUE(c.feed(multibulk(Argv(10, "x"))));
  EXPECT_FALSE(c.feed("*11\r\n"));
  EXPECT_EQ(c.error, "Protocol error: unauthenticated multibulk length");
  Connection d;
  d.parser.set_auth_required(true);
  EXPECT_TRUE(d.feed(multibulk({"AUTH", std::string(16384, 'p')})));
  EXPECT_FALSE(d.feed("*2\r\n$4\r\nAUTH\r\n$16385\r\n"));
  EXPECT_EQ(d.error, "Protocol error: unauthenticated bulk length");
}

TEST(RequestParser, ErrorIsStickyUntilReset) {
  RequestParser p;
  std::vector<std::string_view> argv;
  size_t consumed;
  EXPECT_EQ(p.parse("*x\r\n", &consumed, &argv), Status::kError);
  EXPECT_EQ(p.parse("PING\r\n", &consumed, &argv), Status::kError);
  p.reset();
  EXPECT_TRUE(p.error().empty());
  EXPECT_EQ(p.parse("PING\r\n", &consumed, &argv), Status::kComplete);
}

// Every split of every request gives the same result as one read.
TEST(RequestParser, EverySplitPointAndByteByByte) {
  const std::vector<std::string> inputs = {
      multibulk({"SET", "key", "value"}),
      multibulk({std::string("a\r\n\0b", 5), "", std::string(300, 'z')}),
      "*0\r\n" + multibulk({"PING"}) + "\r\n",
      "set \"a b\" 'c\\'d' \"\\x41\\n\"\r\nPING\n  \r\nGET k\r\n",
      multibulk({"MSET", "a", "1", "b", "2"}) + "INCR a\r\n" + multibulk({"GET", "b"}),
  };
  for (const auto& in : inputs) {
    Connection whole;
    ASSERT_TRUE(whole.feed(in));
    ASSERT_FALSE(whole.requests.empty());
    EXPECT_TRUE(whole.pending.empty());
    for (size_t split = 0; split <= in.size(); ++split) {
      Connection c;
      ASSERT_TRUE(c.feed(in.substr(0, split)));
      ASSERT_TRUE(c.feed(in.substr(split)));
      EXPECT_EQ(c.requests, whole.requests) << "split at " << split;
      EXPECT_TRUE(c.pending.empty());
    }
    for (size_t a = 0; a <= in.size(); a += 3) {
      for (size_t b = a; b <= in.size(); b += 5) {
        Connection c;
        ASSERT_TRUE(c.feed(in.substr(0, a)));
        ASSERT_TRUE(c.feed(in.substr(a, b - a)));
        ASSERT_TRUE(c.feed(in.substr(b)));
        EXPECT_EQ(c.requests, whole.requests) << "splits at " << a << "," << b;
      }
    }
    Connection bytes;
    for (char ch : in) ASSERT_TRUE(bytes.feed(std::string_view(&ch, 1)));
    EXPECT_EQ(bytes.requests, whole.requests);
    EXPECT_EQ(bytes.inline_flags, whole.inline_flags);
  }
}

TEST(RequestParser, HugeArgc) {
  Argv args(200000);
  for (size_t i = 0; i < args.size(); ++i) args[i] = std::to_string(i);
  auto reqs = parse_all(multibulk(args));
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0], args);
}

// A request arriving in tiny pieces is parsed in time proportional to its size: progress is
// remembered, nothing is rescanned. Quadratic behaviour would take minutes here.
TEST(RequestParser, ResumableIsLinear) {
  const auto start = std::chrono::steady_clock::now();
  Argv args(60000, "abcdefgh");
  const std::string many = multibulk(args);  // ~900KB of small arguments, fed byte by byte
  Connection c;
  for (char ch : many) ASSERT_TRUE(c.feed(std::string_view(&ch, 1)));
  ASSERT_EQ(c.requests.size(), 1u);
  EXPECT_EQ(c.requests[0].size(), args.size());

  // A 64KB inline line fed byte by byte, and a 32MB bulk fed in 1KB reads.
  Connection d;
  const std::string line = std::string(64 * 1024 - 10, 'x') + "\r\n";
  for (char ch : line) ASSERT_TRUE(d.feed(std::string_view(&ch, 1)));
  ASSERT_EQ(d.requests.size(), 1u);

  RequestParser p;
  const std::string big = multibulk({"SET", "k", std::string(32 << 20, 'v')});
  std::vector<std::string_view> argv;
  size_t consumed = 0;
  size_t have = 0;
  Status st = Status::kIncomplete;
  while (st == Status::kIncomplete) {
    have = std::min(big.size(), have + 1024);
    st = p.parse(std::string_view(big).substr(0, have), &consumed, &argv);
    if (st == Status::kIncomplete && have > 100) {
      EXPECT_EQ(p.bytes_needed_hint(), big.size());
    }
  }
  ASSERT_EQ(st, Status::kComplete);
  EXPECT_EQ(consumed, big.size());
  EXPECT_EQ(argv[2].size(), 32u << 20);

  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(20));
}

TEST(RequestParser, BufferMayMoveBetweenCalls) {
  RequestParser p;
  const std::string in = multibulk({"SET", "key", "value"});
  std::vector<std::string_view> argv;
  size_t consumed;
  std::string first = in.substr(0, 15);
  ASSERT_EQ(p.parse(first, &consumed, &argv), Status::kIncomplete);
  std::string moved = "junk" + in;  // a different allocation, pending bytes at offset 4
  ASSERT_EQ(p.parse(std::string_view(moved).substr(4), &consumed, &argv), Status::kComplete);
  EXPECT_EQ(argv, (std::vector<std::string_view>{"SET", "key", "value"}));
  EXPECT_EQ(argv[0].data(), moved.data() + 4 + 8);
}

}  // namespace
}  // namespace zakros::resp

// Bitmap commands (Redis's bitops.c): SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and
// BITFIELD_RO. Bitmaps are plain strings: bit 0 is the most significant bit of byte 0, writes
// grow the string with zero bytes and make it "raw" (as Redis's dbUnshareStringValue does).
//
// Validation order, replies, error texts and notifications ('setbit', 'set', 'del') follow
// Redis 7.0 byte for byte; offsets are limited by proto-max-bulk-len (g_proto_max_bulk_len).
#include <bit>
#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include "commands/command_table.h"
#include "commands/command_util.h"
#include "commands/errors.h"
#include "util/numbers.h"

namespace zakros::commands {

namespace {

using store::Entry;

constexpr std::string_view kBitOffsetError = "ERR bit offset is not an integer or out of range";
constexpr std::string_view kBitValueError = "ERR bit is not an integer or out of range";
constexpr std::string_view kBitArgError = "ERR The bit argument must be 1 or 0.";
constexpr std::string_view kBitopNotError =
    "ERR BITOP NOT must be called with a single source key.";
constexpr std::string_view kBitfieldTypeError =
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 "
    "is.";
constexpr std::string_view kOverflowTypeError = "ERR Invalid OVERFLOW type specified";
constexpr std::string_view kBitfieldRoError = "ERR BITFIELD_RO only supports the GET subcommand";

// getBitOffsetFromArgument: a bit offset, or with `hash` and "#N" N times `bits`. The limit is
// proto-max-bulk-len bytes. The multiplication wraps as Redis's does.
bool parse_bit_offset(CommandContext& ctx, std::string_view text, bool hash, int bits,
                      uint64_t* offset) {
  bool use_hash = hash && bits > 0 && !text.empty() && text[0] == '#';
  int64_t value;
  if (!util::parse_int64(use_hash ? text.substr(1) : text, &value)) {
    ctx.out.error(kBitOffsetError);
    return false;
  }
  if (use_hash) {
    value = static_cast<int64_t>(static_cast<uint64_t>(value) * static_cast<uint64_t>(bits));
  }
  if (value < 0 || (value >> 3) >= g_proto_max_bulk_len) {
    ctx.out.error(kBitOffsetError);
    return false;
  }
  *offset = static_cast<uint64_t>(value);
  return true;
}

// lookupStringForBitCommand: the key's string, created or zero-padded so that bit `max_bit`
// exists. Null after a WRONGTYPE reply. *dirty: the key was created or grew.
std::string* string_for_bit_write(CommandContext& ctx, std::string_view key, uint64_t max_bit,
                                  bool* dirty) {
  size_t need = static_cast<size_t>(max_bit >> 3) + 1;
  Entry* e = lookup_write(ctx, key);
  if (!check_string(ctx, e)) return nullptr;
  store::Database& db = ctx.db();
  if (e == nullptr) {
    e = db.set_raw(key, std::string(need, '\0'), store::kPersist, time_context(ctx));
    *dirty = true;
    return e->raw_string();
  }
  std::string* s = db.make_raw(e);
  *dirty = false;
  if (s->size() < need) {
    s->resize(need, '\0');
    *dirty = true;
  }
  return s;
}

void notify_setbit(CommandContext& ctx, std::string_view key) {
  ctx.events.key_modified(ctx.db_index, key);
  ctx.events.notify('$', "setbit", key, ctx.db_index);
}

void setbit_command(CommandContext& ctx) {
  uint64_t offset;
  if (!parse_bit_offset(ctx, ctx.arg(2), false, 0, &offset)) return;
  int64_t on;
  if (!parse_int_arg(ctx, ctx.arg(3), &on, kBitValueError)) return;
  if (on & ~int64_t{1}) {
    ctx.out.error(kBitValueError);
    return;
  }
  bool dirty;
  std::string* s = string_for_bit_write(ctx, ctx.arg(1), offset, &dirty);
  if (s == nullptr) return;
  auto& byte = reinterpret_cast<unsigned char&>((*s)[offset >> 3]);
  unsigned mask = 1u << (7 - (offset & 7));
  bool old = (byte & mask) != 0;
  if (dirty || old != (on == 1)) {
    byte = static_cast<unsigned char>(on ? (byte | mask) : (byte & ~mask));
    notify_setbit(ctx, ctx.arg(1));
  }
  ctx.out.integer(old ? 1 : 0);
}

void getbit_command(CommandContext& ctx) {
  uint64_t offset;
  if (!parse_bit_offset(ctx, ctx.arg(2), false, 0, &offset)) return;
  Entry* e = lookup_read(ctx, ctx.arg(1));
  if (e == nullptr) {
    ctx.out.integer(0);
    return;
  }
  if (!check_string(ctx, e)) return;
  char buf[Entry::kIntMaxChars];
  std::string_view s = e->string_value(buf);
  uint64_t byte = offset >> 3;
  int bit = 0;
  if (byte < s.size()) bit = (static_cast<unsigned char>(s[byte]) >> (7 - (offset & 7))) & 1;
  ctx.out.integer(bit);
}

// Number of set bits in p[0..n).
int64_t popcount(const unsigned char* p, size_t n) {
  int64_t count = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    count += std::popcount(w);
  }
  for (; i < n; ++i) count += std::popcount(static_cast<unsigned>(p[i]));
  return count;
}

// redisBitpos: position of the first bit equal to `bit` in p[0..n); when looking for 0 and all
// bits are 1 it is n*8 (the bit just past the end), when looking for 1 and none is set, -1.
int64_t first_bit(const unsigned char* p, size_t n, int bit) {
  unsigned char skip = bit ? 0x00 : 0xff;
  size_t i = 0;
  uint64_t skip_word = bit ? 0 : ~uint64_t{0};
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w != skip_word) break;
  }
  for (; i < n; ++i) {
    if (p[i] != skip) {
      unsigned b = bit ? p[i] : static_cast<unsigned char>(~p[i]);
      return static_cast<int64_t>(i) * 8 + (std::countl_zero(static_cast<unsigned char>(b)));
    }
  }
  return bit ? -1 : static_cast<int64_t>(n) * 8;
}

// Range of BITCOUNT/BITPOS after Redis's conversion of negative indexes and BIT ranges into
// bytes plus edge masks (bits of the first/last byte outside the range).
struct ByteRange {
  int64_t start = 0, end = 0;
  unsigned char first_mask = 0, last_mask = 0;
};

void normalize_range(ByteRange* r, int64_t totlen, bool isbit) {
  if (isbit) totlen <<= 3;
  if (r->start < 0) r->start = totlen + r->start;
  if (r->end < 0) r->end = totlen + r->end;
  if (r->start < 0) r->start = 0;
  if (r->end < 0) r->end = 0;
  if (r->end >= totlen) r->end = totlen - 1;
  if (isbit && r->start <= r->end) {
    r->first_mask = static_cast<unsigned char>(~((1u << (8 - (r->start & 7))) - 1) & 0xff);
    r->last_mask = static_cast<unsigned char>((1u << (7 - (r->end & 7))) - 1);
    r->start >>= 3;
    r->end >>= 3;
  }
}

bool parse_bit_unit(CommandContext& ctx, std::string_view text, bool* isbit) {
  if (iequals(text, "bit")) {
    *isbit = true;
  } else if (iequals(text, "byte")) {
    *isbit = false;
  } else {
    ctx.out.error(kSyntaxError);
    return false;
  }
  return true;
}

void bitcount_command(CommandContext& ctx) {
  Entry* e = lookup_read(ctx, ctx.arg(1));
  if (e == nullptr) {
    ctx.out.integer(0);
    return;
  }
  if (!check_string(ctx, e)) return;
  char buf[Entry::kIntMaxChars];
  std::string_view s = e->string_value(buf);
  auto p = reinterpret_cast<const unsigned char*>(s.data());
  ByteRange r;
  if (ctx.argc() == 4 || ctx.argc() == 5) {
    if (!parse_int_arg(ctx, ctx.arg(2), &r.start)) return;
    if (!parse_int_arg(ctx, ctx.arg(3), &r.end)) return;
    if (r.start < 0 && r.end < 0 && r.start > r.end) {
      ctx.out.integer(0);
      return;
    }
    bool isbit = false;
    if (ctx.argc() == 5 && !parse_bit_unit(ctx, ctx.arg(4), &isbit)) return;
    normalize_range(&r, static_cast<int64_t>(s.size()), isbit);
  } else if (ctx.argc() == 2) {
    r.start = 0;
    r.end = static_cast<int64_t>(s.size()) - 1;
  } else {
    ctx.out.error(kSyntaxError);
    return;
  }
  if (r.start > r.end) {
    ctx.out.integer(0);
    return;
  }
  int64_t count = popcount(p + r.start, static_cast<size_t>(r.end - r.start + 1));
  // The edge bytes were counted whole: take out their bits outside the range.
  if (r.first_mask != 0) count -= std::popcount(static_cast<unsigned>(p[r.start] & r.first_mask));
  if (r.last_mask != 0) count -= std::popcount(static_cast<unsigned>(p[r.end] & r.last_mask));
  ctx.out.integer(count);
}

void bitpos_command(CommandContext& ctx) {
  int64_t bit;
  if (!parse_int_arg(ctx, ctx.arg(2), &bit)) return;
  if (bit != 0 && bit != 1) {
    ctx.out.error(kBitArgError);
    return;
  }
  Entry* e = lookup_read(ctx, ctx.arg(1));
  if (e == nullptr) {
    // A missing key is an infinite run of zeros.
    ctx.out.integer(bit ? -1 : 0);
    return;
  }
  if (!check_string(ctx, e)) return;
  char buf[Entry::kIntMaxChars];
  std::string_view s = e->string_value(buf);
  auto p = reinterpret_cast<const unsigned char*>(s.data());
  int64_t totlen = static_cast<int64_t>(s.size());
  ByteRange r;
  bool end_given = false;
  size_t argc = ctx.argc();
  if (argc >= 4 && argc <= 6) {
    if (!parse_int_arg(ctx, ctx.arg(3), &r.start)) return;
    bool isbit = false;
    if (argc == 6 && !parse_bit_unit(ctx, ctx.arg(5), &isbit)) return;
    if (argc >= 5) {
      if (!parse_int_arg(ctx, ctx.arg(4), &r.end)) return;
      end_given = true;
    } else {
      r.end = isbit ? (totlen << 3) + 7 : totlen - 1;
    }
    normalize_range(&r, totlen, isbit);
  } else if (argc == 3) {
    r.start = 0;
    r.end = totlen - 1;
  } else {
    ctx.out.error(kSyntaxError);
    return;
  }
  if (r.start > r.end) {
    ctx.out.integer(-1);
    return;
  }
  int64_t bytes = r.end - r.start + 1;
  int64_t pos = -1;
  int b = static_cast<int>(bit);
  // Bits outside the range in the edge bytes are forced to the opposite of what is searched.
  auto masked = [&](unsigned char v, unsigned char mask) -> unsigned char {
    return static_cast<unsigned char>(b ? (v & ~mask) : (v | mask));
  };
  int64_t start = r.start;
  bool done = false;
  if (r.first_mask) {
    unsigned char c = masked(p[start], r.first_mask);
    if (r.last_mask && bytes == 1) c = masked(c, r.last_mask);
    pos = first_bit(&c, 1, b);
    if (bytes == 1 || (pos != -1 && pos != 8)) done = true;
    if (!done) {
      ++start;
      --bytes;
    }
  }
  if (!done) {
    int64_t middle = bytes - (r.last_mask ? 1 : 0);
    if (middle > 0) {
      pos = first_bit(p + start, static_cast<size_t>(middle), b);
      if (bytes == middle || (pos != -1 && pos != middle << 3)) done = true;
      if (!done) {
        start += middle;
        bytes -= middle;
      }
    }
  }
  if (!done) {
    unsigned char c = masked(p[r.end], r.last_mask);
    pos = first_bit(&c, 1, b);
  }
  // With an explicit end, "past the range" does not count as a clear bit.
  if (end_given && b == 0 && pos == bytes << 3) {
    ctx.out.integer(-1);
    return;
  }
  if (pos != -1) pos += start << 3;
  ctx.out.integer(pos);
}

void bitop_command(CommandContext& ctx) {
  std::string_view op = ctx.arg(1);
  enum { kAnd, kOr, kXor, kNot } kind;
  if (iequals(op, "and")) {
    kind = kAnd;
  } else if (iequals(op, "or")) {
    kind = kOr;
  } else if (iequals(op, "xor")) {
    kind = kXor;
  } else if (iequals(op, "not")) {
    kind = kNot;
  } else {
    ctx.out.error(kSyntaxError);
    return;
  }
  if (kind == kNot && ctx.argc() != 4) {
    ctx.out.error(kBitopNotError);
    return;
  }
  size_t nkeys = ctx.argc() - 3;
  // Copies: the target may be one of the sources, and "int" values are formatted anyway.
  std::vector<std::string> src(nkeys);
  size_t maxlen = 0;
  for (size_t j = 0; j < nkeys; ++j) {
    Entry* e = lookup_read(ctx, ctx.arg(j + 3));
    if (e == nullptr) continue;
    if (!check_string(ctx, e)) return;
    char buf[Entry::kIntMaxChars];
    src[j] = std::string(e->string_value(buf));
    maxlen = std::max(maxlen, src[j].size());
  }
  std::string_view target = ctx.arg(2);
  if (maxlen == 0) {
    if (ctx.db().erase(target)) {
      ctx.events.key_modified(ctx.db_index, target);
      ctx.events.notify('g', "del", target, ctx.db_index);
    }
    ctx.out.integer(0);
    return;
  }
  std::string res(maxlen, '\0');
  for (size_t i = 0; i < maxlen; ++i) {
    auto at = [&](size_t j) -> unsigned char {
      return i < src[j].size() ? static_cast<unsigned char>(src[j][i]) : 0;
    };
    unsigned char out = at(0);
    if (kind == kNot) out = static_cast<unsigned char>(~out);
    for (size_t j = 1; j < nkeys; ++j) {
      if (kind == kAnd) {
        out &= at(j);
      } else if (kind == kOr) {
        out |= at(j);
      } else {
        out ^= at(j);
      }
    }
    res[i] = static_cast<char>(out);
  }
  // setKey: replaces any value and TTL; signalModifiedKey happens inside it.
  ctx.db().set_raw(target, std::move(res), store::kPersist, time_context(ctx));
  ctx.events.key_modified(ctx.db_index, target);
  ctx.events.notify('$', "set", target, ctx.db_index);
  ctx.out.integer(static_cast<long long>(maxlen));
}

// ---- BITFIELD -------------------------------------------------------------------------------

enum class Overflow { kWrap, kSat, kFail };

// Reads `bits` bits at bit `offset` (most significant first) as an unsigned number.
uint64_t get_unsigned_field(const unsigned char* p, uint64_t offset, int bits) {
  uint64_t value = 0;
  for (int i = 0; i < bits; ++i, ++offset) {
    uint64_t bit = (p[offset >> 3] >> (7 - (offset & 7))) & 1;
    value = (value << 1) | bit;
  }
  return value;
}

int64_t get_signed_field(const unsigned char* p, uint64_t offset, int bits) {
  uint64_t value = get_unsigned_field(p, offset, bits);
  if (bits < 64 && (value & (uint64_t{1} << (bits - 1)))) value |= ~uint64_t{0} << bits;
  return static_cast<int64_t>(value);
}

void set_field(unsigned char* p, uint64_t offset, int bits, uint64_t value) {
  for (int i = bits - 1; i >= 0; --i, ++offset) {
    unsigned mask = 1u << (7 - (offset & 7));
    if ((value >> i) & 1) {
      p[offset >> 3] = static_cast<unsigned char>(p[offset >> 3] | mask);
    } else {
      p[offset >> 3] = static_cast<unsigned char>(p[offset >> 3] & ~mask);
    }
  }
}

// checkUnsignedBitfieldOverflow: true when value+incr leaves [0, 2^bits-1]; *limit is then the
// wrapped or saturated result.
bool unsigned_overflow(uint64_t value, int64_t incr, int bits, Overflow ow, uint64_t* limit) {
  uint64_t max = bits == 64 ? UINT64_MAX : (uint64_t{1} << bits) - 1;
  int64_t maxincr = static_cast<int64_t>(max - value);
  int64_t minincr = static_cast<int64_t>(0 - value);
  bool up = value > max || (incr > 0 && incr > maxincr);
  bool down = !up && incr < 0 && incr < minincr;
  if (!up && !down) return false;
  if (ow == Overflow::kWrap) {
    uint64_t res = value + static_cast<uint64_t>(incr);
    if (bits < 64) res &= (uint64_t{1} << bits) - 1;
    *limit = res;
  } else if (ow == Overflow::kSat) {
    *limit = up ? max : 0;
  }
  return true;
}

// checkSignedBitfieldOverflow: the same within [-2^(bits-1), 2^(bits-1)-1].
bool signed_overflow(int64_t value, int64_t incr, int bits, Overflow ow, int64_t* limit) {
  int64_t max = bits == 64 ? INT64_MAX : (int64_t{1} << (bits - 1)) - 1;
  int64_t min = -max - 1;
  // Redis computes these with wrapping arithmetic and uses them only where they cannot have.
  int64_t maxincr = static_cast<int64_t>(static_cast<uint64_t>(max) - static_cast<uint64_t>(value));
  int64_t minincr = static_cast<int64_t>(static_cast<uint64_t>(min) - static_cast<uint64_t>(value));
  bool up =
      value > max || (bits != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr);
  bool down = !up && (value < min || (bits != 64 && incr < minincr) ||
                      (value < 0 && incr < 0 && incr < minincr));
  if (!up && !down) return false;
  if (ow == Overflow::kWrap) {
    uint64_t c = static_cast<uint64_t>(value) + static_cast<uint64_t>(incr);
    if (bits < 64) {
      uint64_t mask = ~uint64_t{0} << bits;
      if (c & (uint64_t{1} << (bits - 1))) {
        c |= mask;
      } else {
        c &= ~mask;
      }
    }
    *limit = static_cast<int64_t>(c);
  } else if (ow == Overflow::kSat) {
    *limit = up ? max : min;
  }
  return true;
}

struct FieldOp {
  enum Kind { kGet, kSet, kIncrby } kind;
  uint64_t offset;
  int64_t value;
  Overflow overflow;
  int bits;
  bool is_signed;
};

// getBitfieldTypeFromArgument: i1..i64 or u1..u63.
bool parse_field_type(CommandContext& ctx, std::string_view text, bool* is_signed, int* bits) {
  int64_t n;
  if (text.empty() || (text[0] != 'i' && text[0] != 'u') ||
      !util::parse_int64(text.substr(1), &n) || n < 1 || n > (text[0] == 'i' ? 64 : 63)) {
    ctx.out.error(kBitfieldTypeError);
    return false;
  }
  *is_signed = text[0] == 'i';
  *bits = static_cast<int>(n);
  return true;
}

void bitfield_generic(CommandContext& ctx, bool readonly_command) {
  std::vector<FieldOp> ops;
  Overflow overflow = Overflow::kWrap;
  bool readonly = true;
  uint64_t highest_write = 0;
  for (size_t j = 2; j < ctx.argc(); ++j) {
    size_t remaining = ctx.argc() - j - 1;
    std::string_view sub = ctx.arg(j);
    FieldOp op{};
    if (iequals(sub, "get") && remaining >= 2) {
      op.kind = FieldOp::kGet;
    } else if (iequals(sub, "set") && remaining >= 3) {
      op.kind = FieldOp::kSet;
    } else if (iequals(sub, "incrby") && remaining >= 3) {
      op.kind = FieldOp::kIncrby;
    } else if (iequals(sub, "overflow") && remaining >= 1) {
      std::string_view type = ctx.arg(++j);
      if (iequals(type, "wrap")) {
        overflow = Overflow::kWrap;
      } else if (iequals(type, "sat")) {
        overflow = Overflow::kSat;
      } else if (iequals(type, "fail")) {
        overflow = Overflow::kFail;
      } else {
        ctx.out.error(kOverflowTypeError);
        return;
      }
      continue;
    } else {
      ctx.out.error(kSyntaxError);
      return;
    }
    if (!parse_field_type(ctx, ctx.arg(j + 1), &op.is_signed, &op.bits)) return;
    if (!parse_bit_offset(ctx, ctx.arg(j + 2), true, op.bits, &op.offset)) return;
    if (op.kind != FieldOp::kGet) {
      readonly = false;
      highest_write = std::max(highest_write, op.offset + static_cast<uint64_t>(op.bits) - 1);
      if (!parse_int_arg(ctx, ctx.arg(j + 3), &op.value)) return;
    }
    op.overflow = overflow;
    ops.push_back(op);
    j += op.kind == FieldOp::kGet ? 2 : 3;
  }

  std::string_view key = ctx.arg(1);
  std::string* target = nullptr;  // the string written to (write mode)
  std::string_view snapshot;      // the value read (read-only mode); the entry stays put
  char int_buf[Entry::kIntMaxChars];
  bool dirty = false;
  if (readonly) {
    Entry* e = lookup_read(ctx, key);
    if (e != nullptr && !check_string(ctx, e)) return;
    if (e != nullptr) snapshot = e->string_value(int_buf);
  } else {
    if (readonly_command) {
      ctx.out.error(kBitfieldRoError);
      return;
    }
    target = string_for_bit_write(ctx, key, highest_write, &dirty);
    if (target == nullptr) return;
  }

  ctx.out.array(ops.size());
  int changes = 0;
  for (const FieldOp& op : ops) {
    if (op.kind == FieldOp::kGet) {
      // Copy up to 9 bytes into a zero-padded buffer so reads past the end see zeros.
      std::string_view src = target ? std::string_view(*target) : snapshot;
      unsigned char buf[9] = {0};
      uint64_t byte = op.offset >> 3;
      for (uint64_t i = 0; i < 9 && byte + i < src.size(); ++i) {
        buf[i] = static_cast<unsigned char>(src[byte + i]);
      }
      uint64_t rel = op.offset - byte * 8;
      if (op.is_signed) {
        ctx.out.integer(get_signed_field(buf, rel, op.bits));
      } else {
        ctx.out.integer(static_cast<long long>(get_unsigned_field(buf, rel, op.bits)));
      }
      continue;
    }
    auto* p = reinterpret_cast<unsigned char*>(target->data());
    if (op.is_signed) {
      int64_t oldval = get_signed_field(p, op.offset, op.bits);
      int64_t newval, retval, wrapped = 0;
      bool over;
      if (op.kind == FieldOp::kIncrby) {
        over = signed_overflow(oldval, op.value, op.bits, op.overflow, &wrapped);
        newval = over ? wrapped
                      : static_cast<int64_t>(static_cast<uint64_t>(oldval) +
                                             static_cast<uint64_t>(op.value));
        retval = newval;
      } else {
        newval = op.value;
        over = signed_overflow(newval, 0, op.bits, op.overflow, &wrapped);
        if (over) newval = wrapped;
        retval = oldval;
      }
      if (over && op.overflow == Overflow::kFail) {
        ctx.out.null();
      } else {
        ctx.out.integer(retval);
        set_field(p, op.offset, op.bits, static_cast<uint64_t>(newval));
        if (dirty || oldval != newval) ++changes;
      }
    } else {
      uint64_t oldval = get_unsigned_field(p, op.offset, op.bits);
      uint64_t newval, retval, wrapped = 0;
      bool over;
      if (op.kind == FieldOp::kIncrby) {
        newval = oldval + static_cast<uint64_t>(op.value);
        over = unsigned_overflow(oldval, op.value, op.bits, op.overflow, &wrapped);
        if (over) newval = wrapped;
        retval = newval;
      } else {
        newval = static_cast<uint64_t>(op.value);
        over = unsigned_overflow(newval, 0, op.bits, op.overflow, &wrapped);
        if (over) newval = wrapped;
        retval = oldval;
      }
      if (over && op.overflow == Overflow::kFail) {
        ctx.out.null();
      } else {
        ctx.out.integer(static_cast<long long>(retval));
        set_field(p, op.offset, op.bits, newval);
        if (dirty || oldval != newval) ++changes;
      }
    }
  }
  if (changes) notify_setbit(ctx, key);
}

void bitfield_command(CommandContext& ctx) {
  bitfield_generic(ctx, false);
}
void bitfield_ro_command(CommandContext& ctx) {
  bitfield_generic(ctx, true);
}

constexpr uint64_t kBitRead = kAclRead | kAclBitmap;
constexpr uint64_t kBitWrite = kAclWrite | kAclBitmap;

}  // namespace

void register_bitmap_commands(CommandTable& table) {
  auto add = [&](std::string_view name, int arity, uint64_t flags, uint64_t acl, int first,
                 int last, int step, Handler handler, std::string_view summary,
                 std::string_view since) {
    table.add(make_spec(name, arity, flags, acl, first, last, step, CommandGroup::kBitmap, handler,
                        summary, since));
  };
  add("setbit", 4, kWrite | kDenyOom, kBitWrite | kAclSlow, 1, 1, 1, setbit_command,
      "Sets or clears the bit at offset in the string value stored at key", "2.2.0");
  add("getbit", 3, kReadonly | kFast, kBitRead | kAclFast, 1, 1, 1, getbit_command,
      "Returns the bit value at offset in the string value stored at key", "2.2.0");
  add("bitcount", -2, kReadonly, kBitRead | kAclSlow, 1, 1, 1, bitcount_command,
      "Count set bits in a string", "2.6.0");
  add("bitpos", -3, kReadonly, kBitRead | kAclSlow, 1, 1, 1, bitpos_command,
      "Find first bit set or clear in a string", "2.8.7");
  add("bitop", -4, kWrite | kDenyOom, kBitWrite | kAclSlow, 2, -1, 1, bitop_command,
      "Perform bitwise operations between strings", "2.6.0");
  add("bitfield", -2, kWrite | kDenyOom, kBitWrite | kAclSlow, 1, 1, 1, bitfield_command,
      "Perform arbitrary bitfield integer operations on strings", "3.2.0");
  add("bitfield_ro", -2, kReadonly | kFast, kBitRead | kAclFast, 1, 1, 1, bitfield_ro_command,
      "Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD",
      "6.0.0");
}

}  // namespace zakros::commands

// RDB primitives: sinks, sources, RdbWriter and RdbReader (formats documented in rdb.h).
#include "store/rdb.h"

#include <liblzf/lzf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "util/crc64.h"
#include "util/numbers.h"

namespace zakros::store::rdb {

namespace {

constexpr size_t kBufferSize = 64 * 1024;
// Special string encodings (the xxxxxx of 11xxxxxx).
constexpr uint64_t kEncInt8 = 0;
constexpr uint64_t kEncInt16 = 1;
constexpr uint64_t kEncInt32 = 2;
constexpr uint64_t kEncLzf = 3;
// LZF expands at most ~88x (a 3-byte back-reference copies up to 264 bytes); a claimed
// original length beyond this bound is corrupt and must not drive an allocation.
constexpr uint64_t kLzfMaxRatio = 100;

void put_le(char* p, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

uint64_t get_le(const char* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i)
    v |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

}  // namespace

bool is_value_type(uint8_t type) {
  return type <= kTypeModule2 || (type >= kTypeHashZipmap && type <= kTypeStreamListpacks2);
}

// ---- sinks and sources -------------------------------------------------------------------------

bool FdSink::write(const char* data, size_t len) {
  while (len > 0) {
    ssize_t n = ::write(fd_, data, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      errno_ = errno;
      return false;
    }
    data += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

size_t FdSource::read(char* buf, size_t len) {
  if (left_ != UINT64_MAX) len = static_cast<size_t>(std::min<uint64_t>(len, left_));
  while (len > 0) {
    ssize_t n = ::read(fd_, buf, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return 0;
    if (left_ != UINT64_MAX) left_ -= static_cast<uint64_t>(n);
    return static_cast<size_t>(n);
  }
  return 0;
}

// ---- RdbWriter ---------------------------------------------------------------------------------

RdbWriter::RdbWriter(RdbSink& sink, bool compress) : sink_(sink), compress_(compress) {
  buf_.reserve(kBufferSize);
}

RdbWriter::~RdbWriter() = default;

void RdbWriter::write_raw(const void* data, size_t len) {
  if (!ok_) return;
  const char* p = static_cast<const char*>(data);
  if (buf_.size() + len > kBufferSize) {
    flush();
    if (!ok_) return;
    if (len >= kBufferSize) {
      // Large blobs go straight to the sink.
      crc_flushed_ = util::crc64(crc_flushed_, p, len);
      flushed_ += len;
      if (!sink_.write(p, len)) ok_ = false;
      return;
    }
  }
  buf_.append(p, len);
}

bool RdbWriter::flush() {
  if (!ok_ || buf_.empty()) return ok_;
  crc_flushed_ = util::crc64(crc_flushed_, buf_.data(), buf_.size());
  flushed_ += buf_.size();
  if (!sink_.write(buf_.data(), buf_.size())) ok_ = false;
  buf_.clear();
  return ok_;
}

uint64_t RdbWriter::crc() const {
  return util::crc64(crc_flushed_, buf_.data(), buf_.size());
}

void RdbWriter::write_len(uint64_t len) {
  unsigned char b[9];
  if (len < (1u << 6)) {
    b[0] = static_cast<unsigned char>(len);
    write_raw(b, 1);
  } else if (len < (1u << 14)) {
    b[0] = static_cast<unsigned char>(0x40 | (len >> 8));
    b[1] = static_cast<unsigned char>(len & 0xff);
    write_raw(b, 2);
  } else if (len <= UINT32_MAX) {
    b[0] = 0x80;
    for (int i = 0; i < 4; ++i) b[1 + i] = static_cast<unsigned char>(len >> (8 * (3 - i)));
    write_raw(b, 5);
  } else {
    b[0] = 0x81;
    for (int i = 0; i < 8; ++i) b[1 + i] = static_cast<unsigned char>(len >> (8 * (7 - i)));
    write_raw(b, 9);
  }
}

void RdbWriter::write_int_string(int64_t v) {
  char b[5];
  if (v >= INT8_MIN && v <= INT8_MAX) {
    b[0] = static_cast<char>(0xC0 | kEncInt8);
    put_le(b + 1, static_cast<uint64_t>(v), 1);
    write_raw(b, 2);
  } else if (v >= INT16_MIN && v <= INT16_MAX) {
    b[0] = static_cast<char>(0xC0 | kEncInt16);
    put_le(b + 1, static_cast<uint64_t>(v), 2);
    write_raw(b, 3);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    b[0] = static_cast<char>(0xC0 | kEncInt32);
    put_le(b + 1, static_cast<uint64_t>(v), 4);
    write_raw(b, 5);
  } else {
    char text[24];
    size_t n = util::format_int64(v, text);
    write_len(n);
    write_raw(text, n);
  }
}

void RdbWriter::write_string(std::string_view s) {
  // rdbTryIntegerEncoding: canonical integers of at most 11 characters that fit in 32 bits.
  int64_t v;
  if (s.size() <= 11 && util::is_canonical_int64(s, &v) && v >= INT32_MIN && v <= INT32_MAX) {
    write_int_string(v);
    return;
  }
  write_blob(s);
}

void RdbWriter::write_blob(std::string_view s) {
  // rdbSaveLzfStringObject: only for strings over 20 bytes, and only when it saves > 4 bytes.
  if (compress_ && s.size() > 20) {
    size_t out_cap = s.size() - 4;
    std::unique_ptr<char[]> out(new char[out_cap + 1]);
    unsigned int clen = lzf_compress(s.data(), static_cast<unsigned int>(s.size()), out.get(),
                                     static_cast<unsigned int>(out_cap));
    if (clen > 0 && s.size() <= UINT32_MAX) {
      write_lzf(s, out.get(), clen);
      return;
    }
  }
  write_len(s.size());
  write_raw(s.data(), s.size());
}

void RdbWriter::write_lzf(std::string_view s, const char* compressed, size_t clen) {
  write_u8(static_cast<uint8_t>(0xC0 | kEncLzf));
  write_len(clen);
  write_len(s.size());
  write_raw(compressed, clen);
}

void RdbWriter::write_binary_double(double v) {
  char b[8];
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof(bits));
  put_le(b, bits, 8);
  write_raw(b, 8);
}

void RdbWriter::write_millis(int64_t ms) {
  char b[8];
  put_le(b, static_cast<uint64_t>(ms), 8);
  write_raw(b, 8);
}

void RdbWriter::write_text_double(double v) {
  if (std::isnan(v)) {
    write_u8(253);
  } else if (std::isinf(v)) {
    write_u8(v > 0 ? 254 : 255);
  } else {
    char text[64];
    int n = std::snprintf(text, sizeof(text), "%.17g", v);
    write_u8(static_cast<uint8_t>(n));
    write_raw(text, static_cast<size_t>(n));
  }
}

// ---- RdbReader ---------------------------------------------------------------------------------

RdbReader::RdbReader(std::string_view data) : data_(data.data()), size_(data.size()) {}

RdbReader::RdbReader(RdbSource& source) : source_(&source) {
  storage_.resize(kBufferSize);
  data_ = storage_.data();
}

bool RdbReader::fail(std::string_view why) {
  if (ok_) {
    ok_ = false;
    error_ = std::string(why);
  }
  return false;
}

uint64_t RdbReader::remaining() const {
  uint64_t buffered = size_ - pos_;
  if (source_ == nullptr) return buffered;
  uint64_t more = source_->remaining();
  return more == UINT64_MAX ? UINT64_MAX : buffered + more;
}

bool RdbReader::at_end() const {
  if (pos_ < size_) return false;
  return source_ == nullptr || source_->remaining() == 0;
}

uint64_t RdbReader::crc() const {
  return util::crc64(crc_, data_ + crc_pos_, pos_ - crc_pos_);
}

bool RdbReader::fill(size_t want) {
  if (!ok_) return false;
  if (size_ - pos_ >= want) return true;
  if (source_ == nullptr) return fail("unexpected end of data");
  // Keep the unread tail, then read until `want` bytes are buffered.
  size_t tail = size_ - pos_;
  crc_ = crc();  // fold in the consumed part of the window before it is overwritten
  crc_pos_ = 0;
  if (want > storage_.size()) storage_.resize(want);
  std::memmove(storage_.data(), data_ + pos_, tail);
  data_ = storage_.data();
  pos_ = 0;
  size_ = tail;
  while (size_ < want) {
    size_t n = source_->read(storage_.data() + size_, storage_.size() - size_);
    if (n == 0) return fail("unexpected end of file");
    size_ += n;
  }
  return true;
}

const char* RdbReader::take(size_t len) {
  const char* p = data_ + pos_;
  pos_ += len;
  consumed_ += len;
  return p;
}

uint8_t RdbReader::read_u8() {
  if (!fill(1)) return 0;
  return static_cast<uint8_t>(*take(1));
}

bool RdbReader::read_raw(void* out, size_t len) {
  if (!fill(len)) return false;
  std::memcpy(out, take(len), len);
  return true;
}

bool RdbReader::read_raw(size_t len, std::string* out) {
  out->clear();
  if (!ok_) return false;
  if (len > remaining()) return fail("length beyond the end of the data");
  // Read in bounded chunks so that a corrupt length on an unsized source cannot allocate more
  // than the data that actually arrives.
  while (len > 0) {
    size_t chunk = std::min(len, kBufferSize);
    if (!fill(chunk)) return false;
    out->append(take(chunk), chunk);
    len -= chunk;
  }
  return true;
}

uint64_t RdbReader::read_len(bool* encoded) {
  if (encoded != nullptr) *encoded = false;
  if (!fill(1)) return 0;
  unsigned char b = static_cast<unsigned char>(*take(1));
  switch (b >> 6) {
    case 0:
      return b & 0x3f;
    case 1: {
      if (!fill(1)) return 0;
      unsigned char b2 = static_cast<unsigned char>(*take(1));
      return (static_cast<uint64_t>(b & 0x3f) << 8) | b2;
    }
    case 2: {
      int bytes;
      if (b == 0x80) {
        bytes = 4;
      } else if (b == 0x81) {
        bytes = 8;
      } else {
        fail("unknown length encoding");
        return 0;
      }
      if (!fill(static_cast<size_t>(bytes))) return 0;
      const char* p = take(static_cast<size_t>(bytes));
      uint64_t v = 0;
      for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
      return v;
    }
    default:
      if (encoded == nullptr) {
        fail("unexpected string encoding where a length was expected");
        return 0;
      }
      *encoded = true;
      return b & 0x3f;
  }
}

bool RdbReader::read_len_checked(uint64_t* len, uint64_t max) {
  *len = read_len();
  if (!ok_) return false;
  if (*len > max) return fail("length out of range");
  return true;
}

bool RdbReader::read_string(std::string* out) {
  out->clear();
  bool encoded;
  uint64_t len = read_len(&encoded);
  if (!ok_) return false;
  if (!encoded) return read_raw(static_cast<size_t>(len), out);
  switch (len) {
    case kEncInt8:
    case kEncInt16:
    case kEncInt32: {
      int bytes = len == kEncInt8 ? 1 : len == kEncInt16 ? 2 : 4;
      if (!fill(static_cast<size_t>(bytes))) return false;
      uint64_t u = get_le(take(static_cast<size_t>(bytes)), bytes);
      int64_t v = bytes == 1   ? static_cast<int8_t>(u)
                  : bytes == 2 ? static_cast<int16_t>(u)
                               : static_cast<int32_t>(u);
      *out = util::int64_to_string(v);
      return true;
    }
    case kEncLzf: {
      uint64_t clen = read_len();
      uint64_t olen = read_len();
      if (!ok_) return false;
      if (clen == 0 || clen > remaining()) return fail("bad LZF length");
      if (olen == 0 || olen > clen * kLzfMaxRatio + 64 || olen > UINT32_MAX) {
        return fail("bad LZF length");
      }
      std::string compressed;
      if (!read_raw(static_cast<size_t>(clen), &compressed)) return false;
      out->resize(static_cast<size_t>(olen));
      unsigned int n = lzf_decompress(compressed.data(), static_cast<unsigned int>(clen),
                                      out->data(), static_cast<unsigned int>(olen));
      if (n != olen) {
        out->clear();
        return fail("invalid LZF compressed string");
      }
      return true;
    }
    default:
      return fail("unknown string encoding");
  }
}

bool RdbReader::read_binary_double(double* out) {
  char b[8];
  if (!read_raw(b, 8)) return false;
  uint64_t bits = get_le(b, 8);
  std::memcpy(out, &bits, sizeof(*out));
  return true;
}

bool RdbReader::read_text_double(double* out) {
  uint8_t len = read_u8();
  if (!ok_) return false;
  switch (len) {
    case 253:
      *out = NAN;
      return true;
    case 254:
      *out = INFINITY;
      return true;
    case 255:
      *out = -INFINITY;
      return true;
    default: {
      char buf[256];
      if (!read_raw(buf, len)) return false;
      buf[len] = '\0';
      char* end = nullptr;
      *out = std::strtod(buf, &end);
      if (end != buf + len) return fail("bad text double");
      return true;
    }
  }
}

int64_t RdbReader::read_millis() {
  char b[8];
  if (!read_raw(b, 8)) return 0;
  return static_cast<int64_t>(get_le(b, 8));
}

}  // namespace zakros::store::rdb

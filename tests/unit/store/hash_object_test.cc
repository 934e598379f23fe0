// HashObject: listpack and hashtable encodings, conversion thresholds, positions, blobs.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "store/hash_object.h"

namespace zakros::store {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs pairs(const HashObject& h) {
  Pairs out;
  h.for_each([&](std::string_view f, std::string_view v) { out.emplace_back(f, v); });
  return out;
}

std::string get(const HashObject& h, std::string_view field) {
  char buf[HashObject::kValueBufSize];
  std::string_view v;
  return h.get(field, buf, &v) ? std::string(v) : std::string("(nil)");
}

TEST(HashObjectTest, ListpackKeepsInsertionOrder) {
  EncodingLimits limits;
  auto h = HashObject::create();
  EXPECT_EQ(h->encoding(), Encoding::kListpack);
  EXPECT_TRUE(h->set("b", "1", limits));
  EXPECT_TRUE(h->set("a", "two", limits));
  EXPECT_FALSE(h->set("b", "100", limits));
  EXPECT_EQ(pairs(*h), (Pairs{{"b", "100"}, {"a", "two"}}));
  EXPECT_EQ(get(*h, "b"), "100");
  EXPECT_EQ(get(*h, "zz"), "(nil)");
  EXPECT_TRUE(h->contains("a"));
  EXPECT_EQ(h->size(), 2u);
  EXPECT_TRUE(h->remove("b"));
  EXPECT_FALSE(h->remove("b"));
  EXPECT_EQ(pairs(*h), (Pairs{{"a", "two"}}));
  EXPECT_EQ(h->encoding(), Encoding::kListpack);
}

TEST(HashObjectTest, ConvertsOnEntriesAndValueLength) {
  EncodingLimits limits;
  limits.hash_max_listpack_entries = 3;
  limits.hash_max_listpack_value = 8;
  auto h = HashObject::create();
  for (int i = 0; i < 3; ++i) h->set("f" + std::to_string(i), std::to_string(i), limits);
  EXPECT_EQ(h->encoding(), Encoding::kListpack);
  h->set("f3", "3", limits);
  EXPECT_EQ(h->encoding(), Encoding::kHashtable);
  EXPECT_EQ(pairs(*h), (Pairs{{"f0", "0"}, {"f1", "1"}, {"f2", "2"}, {"f3", "3"}}));

  auto g = HashObject::create();
  g->set("f", "12345678", limits);
  EXPECT_EQ(g->encoding(), Encoding::kListpack);
  g->set("f", "123456789", limits);
  EXPECT_EQ(g->encoding(), Encoding::kHashtable);
  EXPECT_EQ(get(*g, "f"), "123456789");

  auto p = HashObject::create();
  p->prepare_write(9, 9, limits);
  EXPECT_EQ(p->encoding(), Encoding::kHashtable);
}

TEST(HashObjectTest, PositionsCloneAndBlob) {
  EncodingLimits limits;
  auto h = HashObject::create();
  h->set("x", "10", limits);
  h->set("y", "hello", limits);
  char fb[HashObject::kValueBufSize], vb[HashObject::kValueBufSize];
  std::string_view f, v;
  h->at(1, fb, vb, &f, &v);
  EXPECT_EQ(f, "y");
  EXPECT_EQ(v, "hello");
  h->at(0, fb, vb, &f, &v);
  EXPECT_EQ(v, "10");

  ASSERT_NE(h->listpack(), nullptr);
  auto r = HashObject::from_listpack(Listpack::from_bytes(h->listpack()->data()));
  EXPECT_EQ(pairs(*r), pairs(*h));
  EXPECT_FALSE(r->has_duplicate_fields());

  auto c = h->clone();
  h->set("x", "11", limits);
  EXPECT_EQ(get(*static_cast<HashObject*>(c.get()), "x"), "10");
  h->to_hashtable();
  EXPECT_EQ(get(*h, "x"), "11");
  EXPECT_EQ(h->listpack(), nullptr);
  std::vector<std::string> scanned;
  h->scan(0, 100, [&](std::string_view sf, std::string_view) { scanned.emplace_back(sf); });
  EXPECT_EQ(scanned.size(), 2u);
}

}  // namespace
}  // namespace zakros::store

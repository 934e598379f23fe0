// Redis's geohash: scores, decoded positions, geohash strings and distances compared with
// redis-server 7.0.15 (GEOADD + ZSCORE / GEOPOS / GEOHASH / GEODIST), and the search cover.
#include "util/geohash.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "util/numbers.h"

namespace zakros::util::geo {
namespace {

struct Point {
  double lon, lat;
  uint64_t score;
  const char* lon_text;  // GEOPOS, as Redis prints it
  const char* lat_text;
};

const Point kPoints[] = {
    {13.361389, 38.115556, 3479099956230698ull, "13.36138933897018433", "38.11555639549629859"},
    {15.087269, 37.502669, 3479447370796909ull, "15.08726745843887329", "37.50266842333162032"},
    {-180, -85.05112878, 0ull, "-179.99999731779098511", "-85.05112751263942528"},
    {180, 85.05112878, 13510798882111488ull, "180", "85.0511287799999991"},
    {0, 0, 3377699720527872ull, "0.00000268220901489", "0.00000126736058093"},
    {-122.27652, 37.805186, 1367952638197536ull, "-122.27652043104171753", "37.80518485897756165"},
    {139.6917, 35.6895, 4171231230197045ull, "139.69170123338699341", "35.68950126697937009"},
};

TEST(GeohashTest, ScoresAndPositionsMatchRedis) {
  for (const Point& p : kPoints) {
    EXPECT_EQ(score_of(p.lon, p.lat), p.score) << p.lon_text;
    double xy[2];
    ASSERT_TRUE(decode_score(static_cast<double>(p.score), xy));
    EXPECT_EQ(format_long_double(xy[0], true), p.lon_text);
    EXPECT_EQ(format_long_double(xy[1], true), p.lat_text);
  }
}

TEST(GeohashTest, EncodeRejectsOutOfRange) {
  HashBits h;
  EXPECT_FALSE(encode_wgs84(180.0001, 0, kStepMax, &h));
  EXPECT_FALSE(encode_wgs84(0, 85.06, kStepMax, &h));
  EXPECT_FALSE(encode_wgs84(0, 0, 0, &h));
  EXPECT_FALSE(encode_wgs84(0, 0, 33, &h));
  EXPECT_TRUE(encode_wgs84(0, 0, 1, &h));
  EXPECT_EQ(h.step, 1);
}

TEST(GeohashTest, DistanceMatchesRedis) {
  auto at = [](int i, double* xy) { decode_score(static_cast<double>(kPoints[i].score), xy); };
  double a[2], b[2];
  at(0, a);
  at(1, b);
  EXPECT_EQ(std::llrint(distance(a[0], a[1], b[0], b[1]) * 10000), 1662741516);  // 166274.1516 m
  at(5, a);
  at(6, b);
  EXPECT_EQ(std::llrint(distance(a[0], a[1], b[0], b[1]) / 1000 * 10000), 82816815);  // km
  at(2, a);
  at(3, b);
  EXPECT_EQ(std::llrint(distance(a[0], a[1], b[0], b[1]) * 10000), 189198445891);
  EXPECT_DOUBLE_EQ(distance(10, 20, 10, 21), lat_distance(20, 21));
}

TEST(GeohashTest, Neighbors) {
  HashBits h;
  ASSERT_TRUE(encode_wgs84(13.361389, 38.115556, 10, &h));
  Neighbors n = neighbors(h);
  Area centre, east, north, west, south;
  ASSERT_TRUE(decode_wgs84(h, &centre));
  ASSERT_TRUE(decode_wgs84(n.east, &east));
  ASSERT_TRUE(decode_wgs84(n.north, &north));
  ASSERT_TRUE(decode_wgs84(n.west, &west));
  ASSERT_TRUE(decode_wgs84(n.south, &south));
  EXPECT_DOUBLE_EQ(east.longitude.min, centre.longitude.max);
  EXPECT_DOUBLE_EQ(west.longitude.max, centre.longitude.min);
  EXPECT_DOUBLE_EQ(north.latitude.min, centre.latitude.max);
  EXPECT_DOUBLE_EQ(south.latitude.max, centre.latitude.min);
  EXPECT_DOUBLE_EQ(east.latitude.min, centre.latitude.min);
  // Wrapping at the antimeridian.
  ASSERT_TRUE(encode_wgs84(179.99, 0, 10, &h));
  Area wrapped;
  ASSERT_TRUE(decode_wgs84(neighbors(h).east, &wrapped));
  EXPECT_DOUBLE_EQ(wrapped.longitude.min, -180);
}

TEST(GeohashTest, StepsAndCover) {
  EXPECT_EQ(estimate_steps_by_radius(0, 0), 26);
  EXPECT_EQ(estimate_steps_by_radius(1000, 0), 14);
  EXPECT_EQ(estimate_steps_by_radius(1000, 70), 13);
  EXPECT_EQ(estimate_steps_by_radius(1000, 85), 12);
  EXPECT_EQ(estimate_steps_by_radius(1e9, 0), 1);
  Shape s;
  s.xy[0] = 15;
  s.xy[1] = 37;
  s.radius = 200;
  s.conversion = 1000;
  Cover c = cover(&s);
  EXPECT_LT(s.bounds[0], 15);
  EXPECT_GT(s.bounds[2], 15);
  EXPECT_NEAR(s.bounds[3] - 37, 200000 / kEarthRadiusMeters * 180 / M_PI, 1e-9);
  // Every point within the radius lies in one of the non-zero cells.
  const HashBits cells[9] = {c.hash,
                             c.neighbors.north,
                             c.neighbors.south,
                             c.neighbors.east,
                             c.neighbors.west,
                             c.neighbors.north_east,
                             c.neighbors.north_west,
                             c.neighbors.south_east,
                             c.neighbors.south_west};
  for (double dlon = -3; dlon <= 3; dlon += 0.25) {
    for (double dlat = -2; dlat <= 2; dlat += 0.25) {
      double d;
      if (!within(s, 15 + dlon, 37 + dlat, &d)) continue;
      uint64_t score = score_of(15 + dlon, 37 + dlat);
      bool found = false;
      for (const HashBits& cell : cells) {
        if (cell.is_zero()) continue;
        HashBits next = cell;
        next.bits++;
        if (score >= align52(cell) && score < align52(next)) found = true;
      }
      EXPECT_TRUE(found) << dlon << " " << dlat;
    }
  }
}

TEST(GeohashTest, WithinBox) {
  Shape s;
  s.type = Shape::Type::kBox;
  s.xy[0] = 0;
  s.xy[1] = 0;
  s.width = 200;
  s.height = 100;
  s.conversion = 1000;
  double d;
  EXPECT_TRUE(within(s, 0.8, 0.4, &d));
  EXPECT_FALSE(within(s, 0.95, 0, &d));
  EXPECT_FALSE(within(s, 0, 0.5, &d));
}

}  // namespace
}  // namespace zakros::util::geo

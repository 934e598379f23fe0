// Redis's geohash (geohash.c, geohash_helper.c): the 52-bit interleaved geohash that GEOADD
// stores as a sorted-set score, the 3x3 box cover of a search shape, and the haversine
// distance. Every constant and floating-point operation follows Redis 7.0 so that positions,
// distances and search results match redis-server to the printed digit.
//
// Encoding: longitude in [-180, 180] and latitude in [-85.05112878, 85.05112878] (the
// EPSG:900913 limits; the poles cannot be indexed) are scaled to [0, 2^step) and truncated to
// integers; the hash interleaves them, latitude in the even bits and longitude in the odd bits.
// With step 26 (GEO_STEP_MAX) that is 52 bits, which a double holds exactly. Decoding returns
// the centre of the cell, so a position read back differs from the one stored by up to ~0.6 m.
//
// Who calls it: commands/geo.cc.
#pragma once

#include <cstdint>

namespace zakros::util::geo {

inline constexpr int kStepMax = 26;  // 26 * 2 = 52 bits
inline constexpr double kLatMin = -85.05112878;
inline constexpr double kLatMax = 85.05112878;
inline constexpr double kLonMin = -180;
inline constexpr double kLonMax = 180;
// Earth's quadratic mean radius for WGS-84 (Redis's EARTH_RADIUS_IN_METERS).
inline constexpr double kEarthRadiusMeters = 6372797.560856;

struct HashBits {
  uint64_t bits = 0;
  uint8_t step = 0;
  // HASHISZERO: an excluded neighbour.
  bool is_zero() const { return bits == 0 && step == 0; }
};

struct Range {
  double min = 0;
  double max = 0;
};

struct Area {
  HashBits hash;
  Range longitude;
  Range latitude;
};

// geohashEncode over explicit ranges (GEOHASH re-encodes with latitude -90..90). False when
// the position is outside the geo limits or the ranges, or step is not in 1..32.
bool encode(const Range& lon_range, const Range& lat_range, double longitude, double latitude,
            uint8_t step, HashBits* hash);
// geohashEncodeWGS84: the standard ranges.
bool encode_wgs84(double longitude, double latitude, uint8_t step, HashBits* hash);
// geohashDecode: the cell of a hash. False for a zero hash.
bool decode(const Range& lon_range, const Range& lat_range, const HashBits& hash, Area* area);
bool decode_wgs84(const HashBits& hash, Area* area);
// decodeGeohash: the centre (clamped to the limits) of a 52-bit score. xy[0] = longitude,
// xy[1] = latitude.
bool decode_score(double score, double* xy);
// geohashAlign52Bits: a hash of any step as a 52-bit score prefix.
uint64_t align52(const HashBits& hash);
// A position's sorted-set score (GEOADD).
uint64_t score_of(double longitude, double latitude);

// The 8 neighbours of a cell (geohashNeighbors), wrapping around at the edges.
struct Neighbors {
  HashBits north, east, west, south, north_east, south_east, north_west, south_west;
};
Neighbors neighbors(const HashBits& hash);

// A search shape (Redis's GeoShape): a circle of `radius` or a `width` x `height` box around
// xy, in units of `conversion` metres. bounds (filled by cover()) are min lon, min lat, max lon,
// max lat.
struct Shape {
  enum class Type { kCircle, kBox } type = Type::kCircle;
  double xy[2] = {0, 0};
  double conversion = 1;
  double radius = 0;
  double width = 0;
  double height = 0;
  double bounds[4] = {0, 0, 0, 0};
};

// geohashEstimateStepsByRadius.
int estimate_steps_by_radius(double range_meters, double lat);
// geohashBoundingBox: fills bounds.
void bounding_box(Shape* shape);

// geohashCalculateAreasByShapeWGS84: the centre cell and its neighbours that cover the shape
// (neighbours that cannot intersect it are zeroed). Fills shape->bounds.
struct Cover {
  HashBits hash;
  Neighbors neighbors;
  Area area;
};
Cover cover(Shape* shape);

// Haversine distance in metres between two positions given in degrees (geohashGetDistance).
double distance(double lon1, double lat1, double lon2, double lat2);
// geohashGetLatDistance.
double lat_distance(double lat1, double lat2);
// Whether (x, y) lies in the shape; *dist receives its distance in metres from the centre
// (geoWithinShape's test, after decoding).
bool within(const Shape& shape, double x, double y, double* dist);

}  // namespace zakros::util::geo

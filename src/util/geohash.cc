// Redis's geohash; see geohash.h. Written by hand because compatibility is in the exact
// floating-point steps (no packaged geohash library uses Redis's latitude limits, 52-bit
// scores or its cover of a search area).
#include "util/geohash.h"

#include <cmath>

namespace zakros::util::geo {

namespace {

constexpr double kDegToRad = M_PI / 180.0;  // Redis's D_R
constexpr double kMercatorMax = 20037726.37;

double deg_rad(double deg) {
  return deg * kDegToRad;
}
double rad_deg(double rad) {
  return rad / kDegToRad;
}

// Latitude bits in the even positions, longitude bits in the odd ones.
uint64_t interleave(uint32_t lat, uint32_t lon) {
  uint64_t out = 0;
  for (int i = 0; i < 32; ++i) {
    out |= static_cast<uint64_t>((lat >> i) & 1) << (2 * i);
    out |= static_cast<uint64_t>((lon >> i) & 1) << (2 * i + 1);
  }
  return out;
}

void deinterleave(uint64_t bits, uint32_t* lat, uint32_t* lon) {
  uint32_t a = 0, b = 0;
  for (int i = 0; i < 32; ++i) {
    a |= static_cast<uint32_t>((bits >> (2 * i)) & 1) << i;
    b |= static_cast<uint32_t>((bits >> (2 * i + 1)) & 1) << i;
  }
  *lat = a;
  *lon = b;
}

Range wgs84_lon() {
  return Range{kLonMin, kLonMax};
}
Range wgs84_lat() {
  return Range{kLatMin, kLatMax};
}

bool range_is_zero(const Range& r) {
  return r.max == 0 && r.min == 0;
}

// geohash_move_x / geohash_move_y: step the longitude (odd bits) or latitude (even bits) part
// of the hash by one cell, wrapping.
void move_x(HashBits* hash, int d) {
  if (d == 0) return;
  uint64_t x = hash->bits & 0xaaaaaaaaaaaaaaaaull;
  uint64_t y = hash->bits & 0x5555555555555555ull;
  uint64_t zz = 0x5555555555555555ull >> (64 - hash->step * 2);
  if (d > 0) {
    x = x + (zz + 1);
  } else {
    x = x | zz;
    x = x - (zz + 1);
  }
  x &= (0xaaaaaaaaaaaaaaaaull >> (64 - hash->step * 2));
  hash->bits = x | y;
}

void move_y(HashBits* hash, int d) {
  if (d == 0) return;
  uint64_t x = hash->bits & 0xaaaaaaaaaaaaaaaaull;
  uint64_t y = hash->bits & 0x5555555555555555ull;
  uint64_t zz = 0xaaaaaaaaaaaaaaaaull >> (64 - hash->step * 2);
  if (d > 0) {
    y = y + (zz + 1);
  } else {
    y = y | zz;
    y = y - (zz + 1);
  }
  y &= (0x5555555555555555ull >> (64 - hash->step * 2));
  hash->bits = x | y;
}

HashBits moved(HashBits h, int dx, int dy) {
  move_x(&h, dx);
  move_y(&h, dy);
  return h;
}

}  // namespace

bool encode(const Range& lon_range, const Range& lat_range, double longitude, double latitude,
            uint8_t step, HashBits* hash) {
  if (step > 32 || step == 0 || range_is_zero(lat_range) || range_is_zero(lon_range)) {
    return false;
  }
  if (longitude > kLonMax || longitude < kLonMin || latitude > kLatMax || latitude < kLatMin) {
    return false;
  }
  hash->bits = 0;
  hash->step = step;
  if (latitude < lat_range.min || latitude > lat_range.max || longitude < lon_range.min ||
      longitude > lon_range.max) {
    return false;
  }
  double lat_offset = (latitude - lat_range.min) / (lat_range.max - lat_range.min);
  double lon_offset = (longitude - lon_range.min) / (lon_range.max - lon_range.min);
  lat_offset *= static_cast<double>(1ull << step);
  lon_offset *= static_cast<double>(1ull << step);
  // Truncation to 32 bits as C's implicit conversion does (the offsets are in [0, 2^step]).
  hash->bits = interleave(static_cast<uint32_t>(static_cast<uint64_t>(lat_offset)),
                          static_cast<uint32_t>(static_cast<uint64_t>(lon_offset)));
  return true;
}

bool encode_wgs84(double longitude, double latitude, uint8_t step, HashBits* hash) {
  return encode(wgs84_lon(), wgs84_lat(), longitude, latitude, step, hash);
}

bool decode(const Range& lon_range, const Range& lat_range, const HashBits& hash, Area* area) {
  if (hash.is_zero() || range_is_zero(lat_range) || range_is_zero(lon_range)) return false;
  area->hash = hash;
  uint32_t ilat, ilon;
  deinterleave(hash.bits, &ilat, &ilon);
  double lat_scale = lat_range.max - lat_range.min;
  double lon_scale = lon_range.max - lon_range.min;
  double cells = static_cast<double>(1ull << hash.step);
  area->latitude.min = lat_range.min + (ilat * 1.0 / cells) * lat_scale;
  area->latitude.max = lat_range.min + ((ilat + 1) * 1.0 / cells) * lat_scale;
  area->longitude.min = lon_range.min + (ilon * 1.0 / cells) * lon_scale;
  area->longitude.max = lon_range.min + ((ilon + 1) * 1.0 / cells) * lon_scale;
  return true;
}

bool decode_wgs84(const HashBits& hash, Area* area) {
  return decode(wgs84_lon(), wgs84_lat(), hash, area);
}

bool decode_score(double score, double* xy) {
  HashBits hash{static_cast<uint64_t>(score), kStepMax};
  Area area;
  if (!decode_wgs84(hash, &area)) return false;
  xy[0] = (area.longitude.min + area.longitude.max) / 2;
  if (xy[0] > kLonMax) xy[0] = kLonMax;
  if (xy[0] < kLonMin) xy[0] = kLonMin;
  xy[1] = (area.latitude.min + area.latitude.max) / 2;
  if (xy[1] > kLatMax) xy[1] = kLatMax;
  if (xy[1] < kLatMin) xy[1] = kLatMin;
  return true;
}

uint64_t align52(const HashBits& hash) {
  return hash.bits << (52 - hash.step * 2);
}

uint64_t score_of(double longitude, double latitude) {
  HashBits hash;
  encode_wgs84(longitude, latitude, kStepMax, &hash);
  return align52(hash);
}

Neighbors neighbors(const HashBits& hash) {
  Neighbors n;
  n.east = moved(hash, 1, 0);
  n.west = moved(hash, -1, 0);
  n.south = moved(hash, 0, -1);
  n.north = moved(hash, 0, 1);
  n.north_west = moved(hash, -1, 1);
  n.north_east = moved(hash, 1, 1);
  n.south_east = moved(hash, 1, -1);
  n.south_west = moved(hash, -1, -1);
  return n;
}

int estimate_steps_by_radius(double range_meters, double lat) {
  if (range_meters == 0) return 26;
  int step = 1;
  while (range_meters < kMercatorMax) {
    range_meters *= 2;
    step++;
  }
  step -= 2;  // make sure the range is included in most of the base cases
  // Wider cells towards the poles.
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

void bounding_box(Shape* shape) {
  double longitude = shape->xy[0];
  double latitude = shape->xy[1];
  bool circle = shape->type == Shape::Type::kCircle;
  double height = shape->conversion * (circle ? shape->radius : shape->height / 2);
  double width = shape->conversion * (circle ? shape->radius : shape->width / 2);
  const double lat_delta = rad_deg(height / kEarthRadiusMeters);
  const double lon_delta_top =
      rad_deg(width / kEarthRadiusMeters / std::cos(deg_rad(latitude + lat_delta)));
  const double lon_delta_bottom =
      rad_deg(width / kEarthRadiusMeters / std::cos(deg_rad(latitude - lat_delta)));
  // The box is wider on the side nearer the equator.
  bool southern = latitude < 0;
  shape->bounds[0] = southern ? longitude - lon_delta_bottom : longitude - lon_delta_top;
  shape->bounds[2] = southern ? longitude + lon_delta_bottom : longitude + lon_delta_top;
  shape->bounds[1] = latitude - lat_delta;
  shape->bounds[3] = latitude + lat_delta;
}

Cover cover(Shape* shape) {
  bounding_box(shape);
  double min_lon = shape->bounds[0];
  double min_lat = shape->bounds[1];
  double max_lon = shape->bounds[2];
  double max_lat = shape->bounds[3];
  double longitude = shape->xy[0];
  double latitude = shape->xy[1];
  // A box is covered through the circle around its corners.
  double radius_meters = shape->type == Shape::Type::kCircle
                             ? shape->radius
                             : std::sqrt((shape->width / 2) * (shape->width / 2) +
                                         (shape->height / 2) * (shape->height / 2));
  radius_meters *= shape->conversion;

  int steps = estimate_steps_by_radius(radius_meters, latitude);
  Range lon_range = wgs84_lon(), lat_range = wgs84_lat();
  Cover c;
  encode(lon_range, lat_range, longitude, latitude, static_cast<uint8_t>(steps), &c.hash);
  c.neighbors = neighbors(c.hash);
  decode(lon_range, lat_range, c.hash, &c.area);

  // Near a cell's edge the estimated step may leave part of the shape outside the 3x3 cells.
  bool decrease = false;
  {
    Area north, south, east, west;
    decode(lon_range, lat_range, c.neighbors.north, &north);
    decode(lon_range, lat_range, c.neighbors.south, &south);
    decode(lon_range, lat_range, c.neighbors.east, &east);
    decode(lon_range, lat_range, c.neighbors.west, &west);
    if (north.latitude.max < max_lat) decrease = true;
    if (south.latitude.min > min_lat) decrease = true;
    if (east.longitude.max < max_lon) decrease = true;
    if (west.longitude.min > min_lon) decrease = true;
  }
  if (steps > 1 && decrease) {
    steps--;
    encode(lon_range, lat_range, longitude, latitude, static_cast<uint8_t>(steps), &c.hash);
    c.neighbors = neighbors(c.hash);
    decode(lon_range, lat_range, c.hash, &c.area);
  }

  // Drop the neighbours the shape cannot reach.
  if (steps >= 2) {
    Neighbors& n = c.neighbors;
    if (c.area.latitude.min < min_lat) n.south = n.south_west = n.south_east = HashBits{};
    if (c.area.latitude.max > max_lat) n.north = n.north_east = n.north_west = HashBits{};
    if (c.area.longitude.min < min_lon) n.west = n.south_west = n.north_west = HashBits{};
    if (c.area.longitude.max > max_lon) n.east = n.south_east = n.north_east = HashBits{};
  }
  return c;
}

double lat_distance(double lat1, double lat2) {
  return kEarthRadiusMeters * std::fabs(deg_rad(lat2) - deg_rad(lat1));
}

double distance(double lon1, double lat1, double lon2, double lat2) {
  double lon1r = deg_rad(lon1);
  double lon2r = deg_rad(lon2);
  double v = std::sin((lon2r - lon1r) / 2);
  // Same longitude: the haversine reduces to the latitude difference.
  if (v == 0.0) return lat_distance(lat1, lat2);
  double lat1r = deg_rad(lat1);
  double lat2r = deg_rad(lat2);
  double u = std::sin((lat2r - lat1r) / 2);
  double a = u * u + std::cos(lat1r) * std::cos(lat2r) * v * v;
  return 2.0 * kEarthRadiusMeters * std::asin(std::sqrt(a));
}

bool within(const Shape& shape, double x, double y, double* dist) {
  if (shape.type == Shape::Type::kCircle) {
    *dist = distance(shape.xy[0], shape.xy[1], x, y);
    return *dist <= shape.radius * shape.conversion;
  }
  double width_m = shape.width * shape.conversion;
  double height_m = shape.height * shape.conversion;
  // The latitude test is cheaper, so it goes first.
  if (lat_distance(y, shape.xy[1]) > height_m / 2) return false;
  if (distance(x, y, shape.xy[0], y) > width_m / 2) return false;
  *dist = distance(shape.xy[0], shape.xy[1], x, y);
  return true;
}

}  // namespace zakros::util::geo

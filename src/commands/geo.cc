// Geo commands (Redis's geo.c): GEOADD, GEODIST, GEOHASH, GEOPOS, GEORADIUS,
// GEORADIUSBYMEMBER and their _RO forms, GEOSEARCH, GEOSEARCHSTORE.
//
// A geo set is a sorted set (store/zset_object.h) whose scores are 52-bit geohashes
// (util/geohash.h). GEOADD behaves exactly like the ZADD Redis rewrites it into (same reply,
// same 'zadd' notification); searches scan the score ranges of the 3x3 geohash cells covering
// the shape, in Redis's order (centre, N, S, E, W, NE, NW, SE, SW), so unsorted results come
// out in the same order as redis-server's. Distances are printed with 4 decimals
// (addReplyDoubleDistance), coordinates as Redis's human long doubles.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "commands/command_table.h"
#include "commands/command_util.h"
#include "commands/errors.h"
#include "store/zset_object.h"
#include "util/geohash.h"
#include "util/numbers.h"

namespace zakros::commands {

namespace {

using store::Entry;
using store::ZsetObject;
namespace geo = util::geo;

constexpr std::string_view kBadUnit = "ERR unsupported unit provided. please use M, KM, FT, MI";
constexpr std::string_view kBadMember = "ERR could not decode requested zset member";

// lookupKeyRead + checkType(OBJ_ZSET): *zset is null for a missing key. False after WRONGTYPE.
bool lookup_geo(CommandContext& ctx, std::string_view key, const ZsetObject** zset) {
  Entry* e = lookup_read(ctx, key);
  *zset = nullptr;
  if (e == nullptr) return true;
  if (e->type() != store::ValueType::kZset) {
    ctx.out.error(kWrongType);
    return false;
  }
  *zset = static_cast<const ZsetObject*>(e->object());
  return true;
}

// extractLongLatOrReply: argv[i] longitude, argv[i+1] latitude.
bool parse_lonlat(CommandContext& ctx, size_t i, double* xy) {
  for (size_t k = 0; k < 2; ++k) {
    if (!util::parse_double(ctx.arg(i + k), &xy[k])) {
      ctx.out.error(kNotFloat);
      return false;
    }
  }
  if (xy[0] < geo::kLonMin || xy[0] > geo::kLonMax || xy[1] < geo::kLatMin ||
      xy[1] > geo::kLatMax) {
    char buf[128];
    std::snprintf(buf, sizeof(buf), "ERR invalid longitude,latitude pair %f,%f", xy[0], xy[1]);
    ctx.out.error(buf);
    return false;
  }
  return true;
}

// extractUnitOrReply: metres per unit, or -1 after the error.
double parse_unit(CommandContext& ctx, std::string_view unit) {
  if (iequals(unit, "m")) return 1;
  if (iequals(unit, "km")) return 1000;
  if (iequals(unit, "ft")) return 0.3048;
  if (iequals(unit, "mi")) return 1609.34;
  ctx.out.error(kBadUnit);
  return -1;
}

// extractDistanceOrReply: argv[i] radius, argv[i+1] unit.
bool parse_radius(CommandContext& ctx, size_t i, geo::Shape* shape) {
  double radius;
  if (!util::parse_double(ctx.arg(i), &radius)) {
    ctx.out.error("ERR need numeric radius");
    return false;
  }
  if (radius < 0) {
    ctx.out.error("ERR radius cannot be negative");
    return false;
  }
  shape->radius = radius;
  double conversion = parse_unit(ctx, ctx.arg(i + 1));
  if (conversion < 0) return false;
  shape->conversion = conversion;
  return true;
}

// extractBoxOrReply: argv[i] width, argv[i+1] height, argv[i+2] unit.
bool parse_box(CommandContext& ctx, size_t i, geo::Shape* shape) {
  double w, h;
  if (!util::parse_double(ctx.arg(i), &w)) {
    ctx.out.error("ERR need numeric width");
    return false;
  }
  if (!util::parse_double(ctx.arg(i + 1), &h)) {
    ctx.out.error("ERR need numeric height");
    return false;
  }
  if (h < 0 || w < 0) {
    ctx.out.error("ERR height or width cannot be negative");
    return false;
  }
  shape->width = w;
  shape->height = h;
  double conversion = parse_unit(ctx, ctx.arg(i + 2));
  if (conversion < 0) return false;
  shape->conversion = conversion;
  return true;
}

// longLatFromMember.
bool member_position(const ZsetObject* zset, std::string_view member, double* xy) {
  double score;
  if (!zset->score(member, &score)) return false;
  return geo::decode_score(score, xy);
}

// addReplyDoubleDistance: fixed point with 4 decimals, rounded as llrint does.
void reply_distance(CommandContext& ctx, double d) {
  long long v = std::llrint(d * 10000.0);
  bool negative = v < 0;
  unsigned long long u =
      negative ? 0ull - static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v);
  char buf[48];
  int n =
      std::snprintf(buf, sizeof(buf), "%s%llu.%04llu", negative ? "-" : "", u / 10000, u % 10000);
  ctx.out.bulk(std::string_view(buf, static_cast<size_t>(n)));
}

// addReplyHumanLongDouble.
void reply_coordinate(CommandContext& ctx, double v) {
  ctx.out.double_text(util::format_long_double(static_cast<long double>(v), true));
}

// ---- GEOADD ---------------------------------------------------------------------------------

void geoadd_command(CommandContext& ctx) {
  bool nx = false, xx = false, ch = false;
  size_t longidx = 2;
  for (; longidx < ctx.argc(); ++longidx) {
    std::string_view opt = ctx.arg(longidx);
    if (iequals(opt, "nx")) {
      nx = true;
    } else if (iequals(opt, "xx")) {
      xx = true;
    } else if (iequals(opt, "ch")) {
      ch = true;
    } else {
      break;
    }
  }
  size_t rest = ctx.argc() - longidx;
  // The rewritten ZADD also refuses an empty element list.
  if (rest % 3 != 0 || (xx && nx) || rest == 0) {
    ctx.out.error(kSyntaxError);
    return;
  }
  size_t elements = rest / 3;
  std::vector<double> scores(elements);
  for (size_t i = 0; i < elements; ++i) {
    double xy[2];
    if (!parse_lonlat(ctx, longidx + i * 3, xy)) return;
    scores[i] = static_cast<double>(geo::score_of(xy[0], xy[1]));
  }
  std::string_view key = ctx.arg(1);
  Entry* e = lookup_write(ctx, key);
  if (e != nullptr && e->type() != store::ValueType::kZset) {
    ctx.out.error(kWrongType);
    return;
  }
  const store::EncodingLimits& limits = ctx.keyspace.limits();
  ZsetObject* zset;
  if (e == nullptr) {
    if (xx) {
      ctx.out.integer(0);
      return;
    }
    auto fresh = ZsetObject::create_for(ctx.arg(longidx + 2).size(), limits);
    zset = fresh.get();
    ctx.db().set_object(key, std::move(fresh), store::kPersist, time_context(ctx));
    ctx.events.key_ready(ctx.db_index, key);
  } else {
    zset = static_cast<ZsetObject*>(e->object());
  }
  unsigned flags =
      (nx ? unsigned{ZsetObject::kAddNx} : 0u) | (xx ? unsigned{ZsetObject::kAddXx} : 0u);
  long long added = 0, updated = 0;
  for (size_t i = 0; i < elements; ++i) {
    auto r = zset->add(ctx.arg(longidx + i * 3 + 2), scores[i], flags, limits);
    if (r == ZsetObject::AddResult::kAdded) ++added;
    if (r == ZsetObject::AddResult::kUpdated) ++updated;
  }
  ctx.out.integer(ch ? added + updated : added);
  if (added || updated) {
    ctx.events.key_modified(ctx.db_index, key);
    ctx.events.notify('z', "zadd", key, ctx.db_index);
  }
}

// ---- GEODIST, GEOHASH, GEOPOS -----------------------------------------------------------------

void geodist_command(CommandContext& ctx) {
  double to_meter = 1;
  if (ctx.argc() == 5) {
    to_meter = parse_unit(ctx, ctx.arg(4));
    if (to_meter < 0) return;
  } else if (ctx.argc() > 5) {
    ctx.out.error(kSyntaxError);
    return;
  }
  const ZsetObject* zset;
  if (!lookup_geo(ctx, ctx.arg(1), &zset)) return;
  double a[2], b[2];
  if (zset == nullptr || !member_position(zset, ctx.arg(2), a) ||
      !member_position(zset, ctx.arg(3), b)) {
    ctx.out.null();
    return;
  }
  reply_distance(ctx, geo::distance(a[0], a[1], b[0], b[1]) / to_meter);
}

void geohash_command(CommandContext& ctx) {
  static constexpr char kAlphabet[] = "0123456789bcdefghjkmnpqrstuvwxyz";
  const ZsetObject* zset;
  if (!lookup_geo(ctx, ctx.arg(1), &zset)) return;
  ctx.out.array(ctx.argc() - 2);
  for (size_t j = 2; j < ctx.argc(); ++j) {
    double xy[2];
    if (zset == nullptr || !member_position(zset, ctx.arg(j), xy)) {
      ctx.out.null();
      continue;
    }
    // Standard geohashes use latitudes -90..90: re-encode with those ranges.
    geo::HashBits hash;
    geo::encode(geo::Range{-180, 180}, geo::Range{-90, 90}, xy[0], xy[1], 26, &hash);
    char buf[11];
    for (int i = 0; i < 11; ++i) {
      // 52 bits give 10 characters; the 11th is always '0', as in Redis.
      int idx = i == 10 ? 0 : static_cast<int>((hash.bits >> (52 - (i + 1) * 5)) & 0x1f);
      buf[i] = kAlphabet[idx];
    }
    ctx.out.bulk(std::string_view(buf, 11));
  }
}

void geopos_command(CommandContext& ctx) {
  const ZsetObject* zset;
  if (!lookup_geo(ctx, ctx.arg(1), &zset)) return;
  ctx.out.array(ctx.argc() - 2);
  for (size_t j = 2; j < ctx.argc(); ++j) {
    double xy[2];
    if (zset == nullptr || !member_position(zset, ctx.arg(j), xy)) {
      ctx.out.null_array();
      continue;
    }
    ctx.out.array(2);
    reply_coordinate(ctx, xy[0]);
    reply_coordinate(ctx, xy[1]);
  }
}

// ---- searches -------------------------------------------------------------------------------

enum SearchFlag : unsigned {
  kRadiusCoords = 1,    // GEORADIUS: around a position
  kRadiusMember = 2,    // GEORADIUSBYMEMBER: around a member
  kRadiusNoStore = 4,   // the _RO forms: no STORE/STOREDIST
  kGeoSearch = 8,       // GEOSEARCH's grammar
  kGeoSearchStore = 16  // GEOSEARCHSTORE: destination first, STOREDIST flag
};

struct GeoPoint {
  double lon, lat, dist, score;
  std::string member;
};

// geoGetPointsInRange over [min, max) scores, appending the members inside the shape; stops
// once `limit` (non-zero) results are collected.
void points_in_range(const ZsetObject* zset, double min, double max, const geo::Shape& shape,
                     std::vector<GeoPoint>* out, size_t limit) {
  store::ZScoreRange range{min, max, false, true};
  for (auto c = zset->first_in_range(range); c.valid(); c.next()) {
    double score = c.score();
    if (!store::zscore_lte_max(score, range)) break;
    double xy[2], dist = 0;
    if (geo::decode_score(score, xy) && geo::within(shape, xy[0], xy[1], &dist)) {
      out->push_back(GeoPoint{xy[0], xy[1], dist, score, std::string(c.member())});
    }
    if (!out->empty() && limit && out->size() >= limit) break;
  }
}

// membersOfAllNeighbors: the centre cell and its neighbours, skipping zeroed ones and a cell
// equal to the one searched just before it (huge radii make neighbours coincide).
void search_cells(const ZsetObject* zset, const geo::Cover& cover, const geo::Shape& shape,
                  std::vector<GeoPoint>* out, size_t limit) {
  const geo::Neighbors& n = cover.neighbors;
  const geo::HashBits cells[9] = {cover.hash,   n.north,      n.south,      n.east,      n.west,
                                  n.north_east, n.north_west, n.south_east, n.south_west};
  int last = 0;
  for (int i = 0; i < 9; ++i) {
    if (cells[i].is_zero()) continue;
    if (last && cells[i].bits == cells[last].bits && cells[i].step == cells[last].step) continue;
    if (!out->empty() && limit && out->size() >= limit) break;
    geo::HashBits hi = cells[i];
    double min = static_cast<double>(geo::align52(cells[i]));
    hi.bits++;
    double max = static_cast<double>(geo::align52(hi));
    points_in_range(zset, min, max, shape, out, limit);
    last = i;
  }
}

// georadiusGeneric: every search command. `src` is the source key's index.
void search_generic(CommandContext& ctx, size_t src, unsigned flags) {
  const ZsetObject* zset;
  if (!lookup_geo(ctx, ctx.arg(src), &zset)) return;

  geo::Shape shape;
  size_t base;
  std::string_view storekey;
  bool has_store = false, storedist = false;
  if (flags & kRadiusCoords) {
    base = 6;
    shape.type = geo::Shape::Type::kCircle;
    if (!parse_lonlat(ctx, 2, shape.xy)) return;
    if (!parse_radius(ctx, base - 2, &shape)) return;
  } else if ((flags & kRadiusMember) && zset == nullptr) {
    base = 5;  // no source: parse the options only, to know which empty reply to send
  } else if (flags & kRadiusMember) {
    base = 5;
    shape.type = geo::Shape::Type::kCircle;
    if (!member_position(zset, ctx.arg(2), shape.xy)) {
      ctx.out.error(kBadMember);
      return;
    }
    if (!parse_radius(ctx, base - 2, &shape)) return;
  } else {
    base = 2;
    if (flags & kGeoSearchStore) {
      base = 3;
      storekey = ctx.arg(1);
      has_store = true;
    }
  }

  bool withdist = false, withhash = false, withcoords = false;
  bool frommember = false, fromloc = false, byradius = false, bybox = false;
  enum { kNone, kAsc, kDesc } sort = kNone;
  bool any = false;
  int64_t count = 0;
  bool search = (flags & kGeoSearch) != 0;
  bool nostore = (flags & kRadiusNoStore) != 0;
  size_t remaining = ctx.argc() > base ? ctx.argc() - base : 0;
  for (size_t i = 0; i < remaining; ++i) {
    std::string_view arg = ctx.arg(base + i);
    if (iequals(arg, "withdist")) {
      withdist = true;
    } else if (iequals(arg, "withhash")) {
      withhash = true;
    } else if (iequals(arg, "withcoord")) {
      withcoords = true;
    } else if (iequals(arg, "any")) {
      any = true;
    } else if (iequals(arg, "asc")) {
      sort = kAsc;
    } else if (iequals(arg, "desc")) {
      sort = kDesc;
    } else if (iequals(arg, "count") && i + 1 < remaining) {
      if (!parse_int_arg(ctx, ctx.arg(base + i + 1), &count)) return;
      if (count <= 0) {
        ctx.out.error("ERR COUNT must be > 0");
        return;
      }
      ++i;
    } else if (iequals(arg, "store") && i + 1 < remaining && !nostore && !search) {
      storekey = ctx.arg(base + i + 1);
      has_store = true;
      storedist = false;
      ++i;
    } else if (iequals(arg, "storedist") && i + 1 < remaining && !nostore && !search) {
      storekey = ctx.arg(base + i + 1);
      has_store = true;
      storedist = true;
      ++i;
    } else if (iequals(arg, "storedist") && search && (flags & kGeoSearchStore)) {
      storedist = true;
    } else if (iequals(arg, "frommember") && i + 1 < remaining && search && !fromloc) {
      if (zset != nullptr && !member_position(zset, ctx.arg(base + i + 1), shape.xy)) {
        ctx.out.error(kBadMember);
        return;
      }
      frommember = true;
      ++i;
    } else if (iequals(arg, "fromlonlat") && i + 2 < remaining && search && !frommember) {
      if (!parse_lonlat(ctx, base + i + 1, shape.xy)) return;
      fromloc = true;
      i += 2;
    } else if (iequals(arg, "byradius") && i + 2 < remaining && search && !bybox) {
      if (!parse_radius(ctx, base + i + 1, &shape)) return;
      shape.type = geo::Shape::Type::kCircle;
      byradius = true;
      i += 2;
    } else if (iequals(arg, "bybox") && i + 3 < remaining && search && !byradius) {
      if (!parse_box(ctx, base + i + 1, &shape)) return;
      shape.type = geo::Shape::Type::kBox;
      bybox = true;
      i += 3;
    } else {
      ctx.out.error(kSyntaxError);
      return;
    }
  }

  if (has_store && (withdist || withhash || withcoords)) {
    ctx.out.error(std::string("ERR ") +
                  ((flags & kGeoSearchStore) ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS") +
                  " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
    return;
  }
  if (search && !(frommember || fromloc)) {
    ctx.out.error("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " +
                  std::string(ctx.arg(0)));
    return;
  }
  if (search && !(byradius || bybox)) {
    ctx.out.error("ERR exactly one of BYRADIUS and BYBOX can be specified for " +
                  std::string(ctx.arg(0)));
    return;
  }
  if (any && !count) {
    ctx.out.error("ERR the ANY argument requires COUNT argument");
    return;
  }

  if (zset == nullptr) {
    if (has_store) {
      if (ctx.db().erase(storekey)) {
        ctx.events.key_modified(ctx.db_index, storekey);
        ctx.events.notify('g', "del", storekey, ctx.db_index);
      }
      ctx.out.integer(0);
    } else {
      ctx.out.empty_array();
    }
    return;
  }

  // COUNT needs the nearest ones: sort ascending unless told otherwise (or ANY).
  if (count != 0 && sort == kNone && !any) sort = kAsc;

  geo::Cover cover = geo::cover(&shape);
  std::vector<GeoPoint> points;
  search_cells(zset, cover, shape, &points, any ? static_cast<size_t>(count) : 0);

  if (points.empty() && !has_store) {
    ctx.out.empty_array();
    return;
  }
  size_t returned = (count == 0 || points.size() < static_cast<uint64_t>(count))
                        ? points.size()
                        : static_cast<size_t>(count);
  if (sort == kAsc) {
    std::stable_sort(points.begin(), points.end(),
                     [](const GeoPoint& a, const GeoPoint& b) { return a.dist < b.dist; });
  } else if (sort == kDesc) {
    std::stable_sort(points.begin(), points.end(),
                     [](const GeoPoint& a, const GeoPoint& b) { return a.dist > b.dist; });
  }

  if (!has_store) {
    size_t options = (withdist ? 1 : 0) + (withcoords ? 1 : 0) + (withhash ? 1 : 0);
    ctx.out.array(returned);
    for (size_t i = 0; i < returned; ++i) {
      GeoPoint& p = points[i];
      p.dist /= shape.conversion;
      if (options) ctx.out.array(options + 1);
      ctx.out.bulk(p.member);
      if (withdist) reply_distance(ctx, p.dist);
      if (withhash) ctx.out.integer(static_cast<long long>(p.score));
      if (withcoords) {
        ctx.out.array(2);
        reply_coordinate(ctx, p.lon);
        reply_coordinate(ctx, p.lat);
      }
    }
    return;
  }

  if (returned > 0) {
    const store::EncodingLimits& limits = ctx.keyspace.limits();
    auto result = ZsetObject::create_skiplist();
    size_t maxlen = 0, totlen = 0;
    for (size_t i = 0; i < returned; ++i) {
      GeoPoint& p = points[i];
      p.dist /= shape.conversion;
      maxlen = std::max(maxlen, p.member.size());
      totlen += p.member.size();
      result->insert_new(p.member, storedist ? p.dist : p.score, limits);
    }
    result->shrink_if_fits(maxlen, totlen, limits);
    ctx.db().set_object(storekey, std::move(result), store::kPersist, time_context(ctx));
    ctx.events.key_modified(ctx.db_index, storekey);
    ctx.events.key_ready(ctx.db_index, storekey);
    ctx.events.notify('z', search ? "geosearchstore" : "georadiusstore", storekey, ctx.db_index);
  } else if (ctx.db().erase(storekey)) {
    ctx.events.key_modified(ctx.db_index, storekey);
    ctx.events.notify('g', "del", storekey, ctx.db_index);
  }
  ctx.out.integer(static_cast<long long>(returned));
}

void georadius_command(CommandContext& ctx) {
  search_generic(ctx, 1, kRadiusCoords);
}
void georadiusbymember_command(CommandContext& ctx) {
  search_generic(ctx, 1, kRadiusMember);
}
void georadius_ro_command(CommandContext& ctx) {
  search_generic(ctx, 1, kRadiusCoords | kRadiusNoStore);
}
void georadiusbymember_ro_command(CommandContext& ctx) {
  search_generic(ctx, 1, kRadiusMember | kRadiusNoStore);
}
void geosearch_command(CommandContext& ctx) {
  search_generic(ctx, 1, kGeoSearch);
}
void geosearchstore_command(CommandContext& ctx) {
  search_generic(ctx, 2, kGeoSearch | kGeoSearchStore);
}

// The keys of GEORADIUS / GEORADIUSBYMEMBER as Redis 7.0's key specs find them (COMMAND
// GETKEYS uses the specs): the source, then the key after the first STORE and the key after the
// first STOREDIST searched from argument `start` on.
std::vector<int> store_keys(std::span<const std::string_view> argv, size_t start) {
  std::vector<int> keys{1};
  for (std::string_view keyword : {std::string_view("store"), std::string_view("storedist")}) {
    for (size_t i = start; i < argv.size(); ++i) {
      if (iequals(argv[i], keyword)) {
        if (i + 1 < argv.size()) keys.push_back(static_cast<int>(i + 1));
        break;
      }
    }
  }
  return keys;
}
std::vector<int> georadius_keys(std::span<const std::string_view> argv) {
  return store_keys(argv, 6);
}
std::vector<int> georadiusbymember_keys(std::span<const std::string_view> argv) {
  return store_keys(argv, 5);
}

constexpr uint64_t kGeoRead = kAclRead | kAclGeo | kAclSlow;
constexpr uint64_t kGeoWrite = kAclWrite | kAclGeo | kAclSlow;

}  // namespace

void register_geo_commands(CommandTable& table) {
  auto spec = [](std::string_view name, int arity, uint64_t flags, uint64_t acl, int first,
                 int last, Handler handler, std::string_view summary, std::string_view since) {
    return make_spec(name, arity, flags, acl, first, last, 1, CommandGroup::kGeo, handler, summary,
                     since);
  };
  table.add(spec("geoadd", -5, kWrite | kDenyOom, kGeoWrite, 1, 1, geoadd_command,
                 "Add one or more geospatial items in the geospatial index represented using a "
                 "sorted set",
                 "3.2.0"));
  table.add(spec("geodist", -4, kReadonly, kGeoRead, 1, 1, geodist_command,
                 "Returns the distance between two members of a geospatial index", "3.2.0"));
  table.add(spec("geohash", -2, kReadonly, kGeoRead, 1, 1, geohash_command,
                 "Returns members of a geospatial index as standard geohash strings", "3.2.0"));
  table.add(spec("geopos", -2, kReadonly, kGeoRead, 1, 1, geopos_command,
                 "Returns longitude and latitude of members of a geospatial index", "3.2.0"));
  CommandSpec georadius =
      spec("georadius", -6, kWrite | kDenyOom, kGeoWrite, 1, 1, georadius_command,
           "Query a sorted set representing a geospatial index to fetch "
           "members matching a given maximum distance from a point",
           "3.2.0");
  georadius.get_keys = georadius_keys;
  table.add(std::move(georadius));
  CommandSpec bymember =
      spec("georadiusbymember", -5, kWrite | kDenyOom, kGeoWrite, 1, 1, georadiusbymember_command,
           "Query a sorted set representing a geospatial index to fetch "
           "members matching a given maximum distance from a member",
           "3.2.0");
  bymember.get_keys = georadiusbymember_keys;
  table.add(std::move(bymember));
  table.add(spec("georadius_ro", -6, kReadonly, kGeoRead, 1, 1, georadius_ro_command,
                 "A read-only variant for GEORADIUS", "3.2.10"));
  table.add(spec("georadiusbymember_ro", -5, kReadonly, kGeoRead, 1, 1,
                 georadiusbymember_ro_command, "A read-only variant for GEORADIUSBYMEMBER",
                 "3.2.10"));
  table.add(spec("geosearch", -7, kReadonly, kGeoRead, 1, 1, geosearch_command,
                 "Query a sorted set representing a geospatial index to fetch members inside an "
                 "area of a box or a circle.",
                 "6.2.0"));
  table.add(spec("geosearchstore", -8, kWrite | kDenyOom, kGeoWrite, 1, 2, geosearchstore_command,
                 "Query a sorted set representing a geospatial index to fetch members inside an "
                 "area of a box or a circle, and store the result in another key.",
                 "6.2.0"));
}

}  // namespace zakros::commands

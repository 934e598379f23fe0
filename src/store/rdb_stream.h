// Streams in RDB (Redis 7.0's RDB_TYPE_STREAM_LISTPACKS_2 = 19; RDB_TYPE_STREAM_LISTPACKS = 15,
// from Redis 5/6, is read too). save_stream / load_stream are declared in rdb.h, where
// rdb_value.cc finds them; this header exists so that rdb_value.cc can detect them
// (__has_include) and documents the format.
//
// Value layout (lengths and strings as rdb.h's primitives):
//   <nodes: len> { <master ID: 16-byte string, ms and seq big-endian> <listpack: blob> }*
//   <length: len> <last-id ms: len> <last-id seq: len>
//   [type 19: <first-id ms> <first-id seq> <max-deleted ms> <max-deleted seq> <entries-added>]
//   <groups: len> {
//     <name: string> <last-id ms: len> <last-id seq: len> [type 19: <entries-read: len,
//       -1 written as a 64-bit length>]
//     <pel: len> { <ID: 16 raw bytes, big-endian> <delivery-time: millis> <delivery-count: len> }*
//     <consumers: len> { <name: string> <seen-time: millis> <pel: len> { <ID: 16 raw bytes> }* }*
//   }*
// The listpacks are the stream's nodes byte for byte (store/stream.h describes their layout).
//
// Loading validates everything (untrusted RESTORE payloads): each listpack deeply (listpack
// encoding, then the stream node structure, IDs increasing within the node), node keys
// unique, the stream length equal to the live entries, the last ID not below the last entry,
// unique group and consumer names, every consumer PEL ID present in the group PEL and owned
// once, and no group PEL entry left without a consumer. Any failure: r.fail(...) and null.
#pragma once

#include "store/rdb.h"
#include "store/stream.h"

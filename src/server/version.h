// Versions zakros reports. Clients and cluster libraries check `redis_version` (INFO) and HELLO's
// `version` before they enable features, so zakros reports the Redis release whose behaviour it
// implements, and its own version separately (INFO server: zakros_version).
#pragma once

namespace zakros::server {

inline constexpr const char* kRedisCompatVersion = "7.0.15";
inline constexpr const char* kZakrosVersion = "0.1.0";

}  // namespace zakros::server

// Which files of a Hub repo to read, and how much of each: the one plan the page and the CLI follow
// (web/src/lib/hub.js LIMITS and readSafetensorsHeaders; tools/cli/hub.cpp). Pure: it sees texts
// and bytes the caller fetched, never the network.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vram/base/result.hpp"

namespace vram {

// What a Hub response may weigh (web/src/lib/hub.js LIMITS): config.json ≤ 5 MB, the sharded index
// ≤ 32 MB, each safetensors header ≤ 25 MB, all headers together ≤ 64 MiB (safetensors.hpp
// kMaxSafetensorsTotalBytes), at most 256 shards; a GGUF header is read in chunks that grow from
// 2 MiB up to 64 MiB (the engine's GGUF reader says how many bytes it needs).
struct HubLimits {
  std::uint64_t config = 5'000'000;
  std::uint64_t index = 32'000'000;
  std::uint64_t header = 25'000'000;
  std::uint64_t headers = std::uint64_t{64} << 20;
  std::uint64_t shards = 256;
  std::uint64_t gguf_first_chunk = std::uint64_t{2} << 20;
  std::uint64_t gguf_max = std::uint64_t{64} << 20;
  std::uint64_t timeout_ms = 20'000;
};
inline constexpr HubLimits kHubLimits{};

inline constexpr std::string_view kHubConfig = "config.json";
inline constexpr std::string_view kHubIndex = "model.safetensors.index.json";
inline constexpr std::string_view kHubSingleShard = "model.safetensors";

// Repo ids: valid_repo_id and normalize_model_id in model/catalog.hpp.

// The shard files named by model.safetensors.index.json's weight_map, each once, in first-seen
// order; each a plain relative .safetensors path; at most `limits.shards`. Errors name the index.
[[nodiscard]] Result<std::vector<std::string>> hub_shards_from_index(std::string_view index_text, const HubLimits& limits = kHubLimits);

// The header length from a .safetensors file's first 8 bytes (little-endian u64), checked against
// the per-header limit and the budget left across shards (`used` bytes read so far). `file` names it.
[[nodiscard]] Result<std::uint64_t> hub_safetensors_header_length(std::string_view first8, std::string_view file, std::uint64_t used,
                                                                  const HubLimits& limits = kHubLimits);

// The next GGUF chunk to read: `need` bytes wanted by the reader after `have` were given, grown
// at least to twice `have`, capped at limits.gguf_max (an error naming `file` beyond it).
[[nodiscard]] Result<std::uint64_t> hub_gguf_next_chunk(std::uint64_t have, std::uint64_t need, std::string_view file,
                                                        const HubLimits& limits = kHubLimits);

}  // namespace vram

#include "vram/model/hub_plan.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "../base/json_reader.hpp"

namespace vram {
namespace {

// A shard name from an index's weight_map: a plain relative .safetensors path, no "." or ".."
// segment, at most 200 characters of [A-Za-z0-9_./-] (web/src/lib/hub.js SHARD_NAME).
bool plain_shard_name(std::string_view f) {
  constexpr std::string_view ext = ".safetensors";
  if (f.size() <= ext.size() || f.size() > 200 + ext.size() || f.substr(f.size() - ext.size()) != ext) return false;
  for (char c : f)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '/' || c == '-')) return false;
  std::size_t start = 0;
  for (;;) {
    const std::size_t slash = f.find('/', start);
    const std::string_view seg = f.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (seg.empty() || seg == "." || seg == "..") return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

std::string shown(std::string_view v) { return v.size() > 80 ? std::string(v.substr(0, 77)) + "..." : std::string(v); }

}  // namespace

Result<std::vector<std::string>> hub_shards_from_index(std::string_view index_text, const HubLimits& limits) {
  const std::string file(kHubIndex);
  auto j = detail::parse_json(index_text, file, static_cast<std::size_t>(limits.index));
  if (!j) return j.error();
  const auto& root = j.value();
  const auto map = root.is_object() ? root.find("weight_map") : root.end();
  if (!root.is_object() || map == root.end() || !map->is_object())
    return make_error(ErrorCode::InvalidValue, file, {Msg::error_hub_weight_map, {{"file", file}}});
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (auto it = map->begin(); it != map->end(); ++it) {
    const auto& shard = it.value();
    if (!shard.is_string() || !plain_shard_name(shard.get_ref<const std::string&>()))
      return make_error(ErrorCode::InvalidValue, file, {Msg::error_hub_shard_name, {{"file", file}, {"value", shown(shard.dump())}}});
    const auto& name = shard.get_ref<const std::string&>();
    if (seen.insert(name).second) out.push_back(name);
    if (out.size() > limits.shards)
      return make_error(ErrorCode::InvalidValue, file,
                        {Msg::error_hub_too_many_shards, {{"file", file}, {"count", std::to_string(out.size())}, {"max", std::to_string(limits.shards)}}});
  }
  return out;
}

Result<std::uint64_t> hub_safetensors_header_length(std::string_view first8, std::string_view file, std::uint64_t used, const HubLimits& limits) {
  const std::string f(file);
  if (first8.size() < 8) return make_error(ErrorCode::InvalidValue, f, {Msg::error_hub_short, {{"file", f}, {"size", std::to_string(first8.size())}}});
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(first8[static_cast<std::size_t>(i)]);
  if (n > limits.header)
    return make_error(ErrorCode::InvalidValue, f, {Msg::error_hub_too_large, {{"file", f + " header"}, {"size", std::to_string(n)}, {"max", std::to_string(limits.header)}}});
  if (used > limits.headers || n > limits.headers - used)
    return make_error(ErrorCode::InvalidValue, f,
                      {Msg::error_hub_too_large, {{"file", "safetensors headers"}, {"size", std::to_string(used + n)}, {"max", std::to_string(limits.headers)}}});
  return n;
}

Result<std::uint64_t> hub_gguf_next_chunk(std::uint64_t have, std::uint64_t need, std::string_view file, const HubLimits& limits) {
  const std::uint64_t want = std::max({need, have * 2, limits.gguf_first_chunk});
  if (need > limits.gguf_max)
    return make_error(ErrorCode::InvalidValue, std::string(file),
                      {Msg::error_hub_too_large, {{"file", std::string(file) + " header"}, {"size", std::to_string(need)}, {"max", std::to_string(limits.gguf_max)}}});
  return std::min(want, limits.gguf_max);
}

}  // namespace vram

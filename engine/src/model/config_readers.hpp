// Readers shared by the architecture descriptions (engine/src/model/arch/): the decoder dimensions
// most families name the Llama way, head_dim and KV heads, rotary fractions, per-layer attention
// kinds and the config limits. Each reads exactly what transformers reads, with its defaults; every
// problem is an error naming the key the config wrote.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "base/json_reader.hpp"
#include "vram/model/description.hpp"

namespace vram::detail {

// Limits on config values: far above every published model, far below anything that could make a
// product of dimensions approach 2^64 before the inventory's checked arithmetic sees it.
inline constexpr std::uint64_t kMaxLayers = 4096;
inline constexpr std::uint64_t kMaxVocab = std::uint64_t{1} << 31;
inline constexpr std::uint64_t kMaxHidden = std::uint64_t{1} << 20;
inline constexpr std::uint64_t kMaxHeads = std::uint64_t{1} << 16;
inline constexpr std::uint64_t kMaxExperts = std::uint64_t{1} << 16;
inline constexpr std::uint64_t kMaxPositions = std::uint64_t{1} << 32;
inline constexpr std::uint64_t kMaxWidth = std::uint64_t{1} << 32;  // intermediate sizes

// A user-supplied name, cut short for a one-line message.
[[nodiscard]] std::string brief(const std::string& name);

// Standard decoder dimensions (Llama naming), with optional alias lists.
struct DimKeys {
  std::initializer_list<std::string_view> vocab{"vocab_size"};
  std::initializer_list<std::string_view> hidden{"hidden_size"};
  std::initializer_list<std::string_view> layers{"num_hidden_layers"};
  std::initializer_list<std::string_view> heads{"num_attention_heads"};
};
void read_dims(FieldReader& r, ModelDescription& s, const DimKeys& k = {});

// hidden_size / heads when the config gives no head_dim. transformers refuses a remainder in most
// attention classes (GPT-2, GPT-J, NeoX, Falcon, BLOOM, OPT, BERT raise "must be divisible");
// Llama-style classes would silently truncate head_dim and build a q_proj narrower than hidden_size,
// which no real checkpoint has: such a config is a typo, refused naming the heads key.
[[nodiscard]] std::uint64_t per_head(FieldReader& r, const ModelDescription& s);

// num_key_value_heads defaults to the attention heads (MHA) unless the config class has its own
// default (`default_kv`, 0 = heads); an explicit head_dim wins over hidden / heads.
void read_kv_and_head_dim(FieldReader& r, ModelDescription& s, std::uint64_t default_head_dim = 0, std::uint64_t default_kv = 0);

// A fraction in (0, 1] (partial_rotary_factor, rotary_pct): anything else — negative, above 1,
// 1e300 — is an error naming the key, so no float → integer conversion can be undefined.
[[nodiscard]] double read_fraction(FieldReader& r, std::string_view key, double fallback);
// Rotated dims per head: int(head_dim × partial_rotary_factor), as transformers computes it.
void read_rotary(FieldReader& r, ModelDescription& s, double default_partial = 1.0);

// layer_types from the config if given, else from `sliding_rule`; windows from `sliding_window`.
// `default_window` applies when the key is absent (Mistral: 4096); an explicit null means none.
void read_layer_types(FieldReader& r, ModelDescription& s, const std::function<bool(std::uint64_t)>& sliding_rule,
                      std::uint64_t default_window = 0);

// The Llama-family core shared by many model types: dims, KV heads/head_dim, intermediate_size,
// max_position_embeddings, hidden_act, rotary.
void read_llama_like(FieldReader& r, ModelDescription& s, std::uint64_t default_kv = 0);

// A per-layer list under `key` has one entry per layer; else records the error naming the key.
[[nodiscard]] bool layer_count_ok(FieldReader& r, const ModelDescription& s, std::string_view key, std::size_t count);

// A per-layer list of names under `key` (mlp_layer_types "dense"/"sparse", indexer_types
// "full"/"shared"): for each layer the index of its name in `allowed`; nullopt when absent. A wrong
// length or an unknown name is an error naming the key.
[[nodiscard]] std::optional<std::vector<std::size_t>> read_layer_names(FieldReader& r, const ModelDescription& s, std::string_view key,
                                                                       std::initializer_list<std::string_view> allowed);

// Qwen-style sparse layers (Qwen2-MoE, Qwen3-MoE, Qwen3-Next, Qwen3.5-MoE): a layer is MoE unless
// listed in mlp_only_layers, every decoder_sparse_step-th layer; sets m.layer_freq.
void read_sparse_step_layers(FieldReader& r, ModelDescription& s, MoeSpec& m);

// Layer indices listed under `key` (mlp_only_layers …).
[[nodiscard]] std::vector<std::uint64_t> read_layer_list(FieldReader& r, std::string_view key);

}  // namespace vram::detail

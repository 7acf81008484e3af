// The multi-head-latent-attention family: DeepSeek-V2, DeepSeek-V3 (and Kimi-K2, model_type
// kimi_k2 with the DeepseekV3ForCausalLM layout), DeepSeek-V3.2, GLM-4.7-Flash (glm4_moe_lite) and
// GLM-5 (glm_moe_dsa) (transformers models/deepseek_v2, deepseek_v3, deepseek_v32, glm4_moe_lite,
// glm_moe_dsa). Attention: optional low-rank query, joint low-rank KV with a decoupled RoPE key
// (DeepseekV3Attention, which Glm4MoeLiteAttention and GlmMoeDsaAttention reuse). MLP: routed +
// shared experts after the dense-first layers (first_k_dense_replace, or mlp_layer_types where the
// class reads that; transformers never reads moe_layer_freq), a bare-Parameter router; from V3 on an
// fp32 e_score_correction_bias buffer (stored in the checkpoint) and multi-token-prediction layers
// stored at index num_hidden_layers but not built (_keys_to_ignore_on_load_unexpected).
// DeepSeek-V3.2 and GLM-5 add DeepSeek Sparse Attention: a lightning indexer per layer
// (DeepseekV32Indexer: wq_b, wk, k_norm, weights_proj) with its own per-token key cache; GLM-5
// layers whose indexer_types entry is "shared" reuse the previous indexer's top-k and have none.
#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

// What differs between the configuration classes: their defaults and which keys they read.
struct MlaFamily {
  bool v3 = true;                         // e_score_correction_bias, MTP layers, V3 defaults
  std::uint64_t q_lora_default = 1536;    // q_lora_rank when absent (null = no query compression)
  std::uint64_t dense_first_default = 3;  // first_k_dense_replace when absent
  bool mlp_layer_types = false;           // the class reads mlp_layer_types ("dense" / "sparse")
  std::uint64_t index_heads_default = 0;  // > 0: DSA indexer (index_n_heads default)
  bool indexer_types = false;             // GlmMoeDsaConfig: per-layer "full" / "shared" indexers
};

// GlmMoeDsaConfig.__post_init__: indexer_types, else index_topk_pattern ("F"/"S" per layer), else
// "full" when max(i − index_skip_topk_offset + 1, 0) % index_topk_freq == 0 (defaults 1 and 2: all full).
void read_indexer_types(FieldReader& r, ModelDescription& s) {
  if (const auto names = read_layer_names(r, s, "indexer_types", {"full", "shared"})) {
    for (std::uint64_t i = 0; i < s.num_layers; ++i) s.layers[i].indexer = (*names)[i] == 0;
    return;
  }
  if (r.has("index_topk_pattern") && r.json().at("index_topk_pattern").is_string()) {
    const std::string pattern = r.string_or("index_topk_pattern", "");
    if (pattern.size() != s.num_layers || pattern.find_first_not_of("FS") != std::string::npos) {
      r.fail(ErrorCode::InvalidValue, "index_topk_pattern",
             {Msg::error_config_index_topk_pattern, {r.key_arg("index_topk_pattern"), {"layers", std::to_string(s.num_layers)}}});
      return;
    }
    for (std::uint64_t i = 0; i < s.num_layers; ++i) s.layers[i].indexer = pattern[i] == 'F';
    return;
  }
  if (const auto names = read_layer_names(r, s, "index_topk_pattern", {"full", "shared"})) {
    for (std::uint64_t i = 0; i < s.num_layers; ++i) s.layers[i].indexer = (*names)[i] == 0;
    return;
  }
  const std::uint64_t freq = r.positive_or("index_topk_freq", 1, kMaxLayers);
  const std::uint64_t offset = r.opt_uint("index_skip_topk_offset", kMaxLayers).value_or(2);
  for (std::uint64_t i = 0; i < s.num_layers; ++i) {
    const std::uint64_t shifted = i + 1 > offset ? i + 1 - offset : 0;
    s.layers[i].indexer = shifted % freq == 0;
  }
}

void read_mla_family(FieldReader& r, ModelDescription& s, const MlaFamily& f) {
  read_dims(r, s);
  s.num_kv_heads = r.positive_or("num_key_value_heads", s.num_heads, kMaxHeads);
  s.intermediate_size = r.positive("intermediate_size", kMaxWidth);
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = r.string_or("hidden_act", "silu");
  MlaSpec mla;
  // q_lora_rank: absent → the class default, null → no query compression.
  const bool q_lora_present = r.json().is_object() && r.json().contains("q_lora_rank");
  mla.q_lora_rank = q_lora_present ? r.opt_uint("q_lora_rank", kMaxHidden).value_or(0) : f.q_lora_default;
  mla.kv_lora_rank = r.positive("kv_lora_rank", kMaxHidden);
  mla.qk_nope_head_dim = r.positive("qk_nope_head_dim", kMaxHidden);
  mla.qk_rope_head_dim = r.positive("qk_rope_head_dim", kMaxHidden);
  mla.v_head_dim = r.positive("v_head_dim", kMaxHidden);
  s.mla = mla;
  s.head_dim = mla.qk_nope_head_dim + mla.qk_rope_head_dim;
  s.rotary_dim = mla.qk_rope_head_dim;
  s.rope_theta_count = 1;
  s.attn_qkv_bias = s.attn_out_bias = r.bool_or("attention_bias", false);
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  s.layers.assign(s.num_layers, LayerSpec{});
  MoeSpec m;
  m.routed_experts = r.opt_uint("n_routed_experts", kMaxExperts).value_or(0);
  if (m.routed_experts > 0) {
    m.experts_per_token = r.positive("num_experts_per_tok", kMaxExperts);
    m.expert_intermediate = r.positive("moe_intermediate_size", kMaxWidth);
    const bool shared_present = r.json().is_object() && r.json().contains("n_shared_experts");
    m.shared_experts = shared_present ? r.opt_uint("n_shared_experts", kMaxExperts).value_or(0) : (f.v3 ? 1 : 2);
    // DeepseekV2/V3MoE: one MLP of n_shared_experts × moe_intermediate_size; the product is a width
    // like any other (≤ 2^32), so a hostile count is refused here, by its own key.
    m.shared_intermediate = m.shared_experts * m.expert_intermediate;  // ≤ 2^16 × 2^32: no wrap
    if (m.shared_intermediate > kMaxWidth) {
      // Blamed on the factor nearer its own limit: 2 × 2^32 on the width, 65536 × 2^20 on the count.
      const char* key = m.shared_experts * kMaxWidth >= m.expert_intermediate * kMaxExperts ? "n_shared_experts" : "moe_intermediate_size";
      r.fail(ErrorCode::Overflow, key, {Msg::error_inventory_overflow, {r.key_arg(key)}});
    }
    m.score_correction_bias = f.v3;
    const auto mlp_types = f.mlp_layer_types ? read_layer_names(r, s, "mlp_layer_types", {"dense", "sparse"}) : std::nullopt;
    if (mlp_types) {
      for (std::uint64_t i = 0; i < s.num_layers; ++i) s.layers[i].moe = (*mlp_types)[i] == 1;
    } else {
      m.dense_first = r.opt_uint("first_k_dense_replace", kMaxLayers).value_or(f.dense_first_default);
      for (std::uint64_t i = 0; i < s.num_layers; ++i) s.layers[i].moe = i >= m.dense_first;
    }
    s.moe = m;
  }
  s.mtp_layers = r.opt_uint("num_nextn_predict_layers", 64).value_or(0);
  if (f.index_heads_default > 0) {
    DsaIndexerSpec x;
    x.n_heads = r.positive_or("index_n_heads", f.index_heads_default, kMaxHeads);
    x.head_dim = r.positive_or("index_head_dim", 128, kMaxHidden);
    x.topk = r.positive_or("index_topk", 2048, kMaxPositions);
    s.dsa_indexer = x;
    if (mla.q_lora_rank == 0) {
      // The indexer's wq_b reads the compressed query: DSA has no meaning without q_lora_rank.
      r.fail(ErrorCode::InvalidValue, "q_lora_rank", {Msg::error_config_dsa_needs_q_lora, {r.key_arg("q_lora_rank")}});
      return;
    }
    if (f.indexer_types) {
      read_indexer_types(r, s);
    } else {
      for (auto& l : s.layers) l.indexer = true;
    }
  }
}

void read_deepseek_v2(FieldReader& r, ModelDescription& s) {
  read_mla_family(r, s, {.v3 = false, .q_lora_default = 1536, .dense_first_default = 0});
}
void read_deepseek_v3(FieldReader& r, ModelDescription& s) { read_mla_family(r, s, {}); }
// DeepseekV32Config: V3's defaults, index_n_heads 64, index_head_dim 128, index_topk 2048.
void read_deepseek_v32(FieldReader& r, ModelDescription& s) { read_mla_family(r, s, {.index_heads_default = 64}); }
// Glm4MoeLiteConfig: q_lora_rank 768; mlp_layer_types (default one dense layer, then sparse) —
// released configs write first_k_dense_replace, read when mlp_layer_types is absent.
void read_glm4_moe_lite(FieldReader& r, ModelDescription& s) {
  read_mla_family(r, s, {.q_lora_default = 768, .dense_first_default = 1, .mlp_layer_types = true});
}
// GlmMoeDsaConfig (a DeepseekV32Config): q_lora_rank 2048, index_n_heads 32, three dense layers.
void read_glm_moe_dsa(FieldReader& r, ModelDescription& s) {
  read_mla_family(r, s, {.q_lora_default = 2048, .dense_first_default = 3, .mlp_layer_types = true, .index_heads_default = 32,
                         .indexer_types = true});
}

}  // namespace

extern const ArchitectureFamily arch_deepseek;
const ArchitectureFamily arch_deepseek{
    {.model_type = "deepseek_v2", .base_class = "DeepseekV2Model", .read = read_deepseek_v2, .gguf = {.arch = "deepseek2"},
     .router_is_linear = false},
    {.model_type = "deepseek_v3", .aliases = {"kimi_k2"}, .base_class = "DeepseekV3Model", .read = read_deepseek_v3,
     .gguf = {.arch = "deepseek2"}, .router_is_linear = false},
    {.model_type = "deepseek_v32", .base_class = "DeepseekV32Model", .read = read_deepseek_v32, .lora_targets = "", .router_is_linear = false},
    // llama.cpp loads GLM-4.7-Flash as deepseek2 (MLA) — convert_hf_to_gguf.py Glm4MoeLiteModel.
    {.model_type = "glm4_moe_lite", .base_class = "Glm4MoeLiteModel", .read = read_glm4_moe_lite, .lora_targets = "", .gguf = {.arch = "deepseek2"},
     .router_is_linear = false},
    {.model_type = "glm_moe_dsa", .base_class = "GlmMoeDsaModel", .read = read_glm_moe_dsa, .lora_targets = "", .router_is_linear = false},
};

}  // namespace vram

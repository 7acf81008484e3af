// config.json → ModelSpec. One fill function per model_type; each one reads exactly the fields
// the transformers implementation (v4.57) reads, with that implementation's defaults, so that the
// inventory built from the spec matches what transformers instantiates.
#include "vram/model/model_spec.hpp"

#include <algorithm>
#include <functional>
#include <map>

#include "base/json_reader.hpp"

namespace vram {
namespace {

using detail::FieldReader;
using detail::Json;

constexpr std::uint64_t kMaxLayers = 4096;
constexpr std::uint64_t kMaxVocab = std::uint64_t{1} << 31;
constexpr std::uint64_t kMaxHidden = std::uint64_t{1} << 20;
constexpr std::uint64_t kMaxHeads = std::uint64_t{1} << 16;
constexpr std::uint64_t kMaxExperts = std::uint64_t{1} << 16;
constexpr std::uint64_t kMaxPositions = std::uint64_t{1} << 32;

// A user-supplied name, cut short for a one-line message.
std::string brief(const std::string& name) { return name.size() > 64 ? name.substr(0, 61) + "..." : name; }

// ---- shared readers -------------------------------------------------------------------------

// Standard decoder dimensions (Llama naming), with optional alias lists.
struct DimKeys {
  std::initializer_list<std::string_view> vocab{"vocab_size"};
  std::initializer_list<std::string_view> hidden{"hidden_size"};
  std::initializer_list<std::string_view> layers{"num_hidden_layers"};
  std::initializer_list<std::string_view> heads{"num_attention_heads"};
};

void read_dims(FieldReader& r, ModelSpec& s, const DimKeys& k = {}) {
  s.vocab_size = r.positive(k.vocab, kMaxVocab);
  s.hidden_size = r.positive(k.hidden, kMaxHidden);
  s.num_layers = r.positive(k.layers, kMaxLayers);
  s.num_heads = r.positive(k.heads, kMaxHeads);
}

// hidden_size / heads when the config gives no head_dim. transformers refuses a remainder in most
// attention classes (GPT-2, GPT-J, NeoX, Falcon, BLOOM, OPT, BERT raise ValueError "must be
// divisible"); Llama-style classes would silently truncate head_dim and build a q_proj narrower than
// hidden_size, which no real checkpoint has: such a config is a typo, refused naming the heads.
std::uint64_t per_head(FieldReader& r, const ModelSpec& s) {
  const std::uint64_t heads = std::max<std::uint64_t>(s.num_heads, 1);
  if (s.hidden_size % heads != 0) {
    std::string_view key = r.first_present({"num_attention_heads", "n_head", "n_heads", "num_heads"});
    if (key.empty()) key = "num_attention_heads";
    r.fail(ErrorCode::InvalidValue, key,
           "`" + r.path(key) + "` (" + std::to_string(s.num_heads) + ") must divide the hidden size (" +
               std::to_string(s.hidden_size) + ") when no head_dim is given");
  }
  return s.hidden_size / heads;
}

// num_key_value_heads defaults to the attention heads (MHA); explicit head_dim wins over h / heads.
// `default_kv` is the config class default used when num_key_value_heads is absent (0 = heads):
// Mistral 8, Qwen2-MoE 16, Qwen3-MoE 4, Starcoder2 2, Gemma 16, Gemma-2/3 4 (transformers 4.57).
void read_kv_and_head_dim(FieldReader& r, ModelSpec& s, std::uint64_t default_head_dim = 0, std::uint64_t default_kv = 0) {
  s.num_kv_heads = r.positive_or("num_key_value_heads", default_kv ? default_kv : s.num_heads, kMaxHeads);
  const std::uint64_t derived = default_head_dim ? default_head_dim : r.has("head_dim") ? 1 : per_head(r, s);
  s.head_dim = r.positive_or("head_dim", derived, kMaxHidden);
  if (s.head_dim == 0) r.fail(ErrorCode::InvalidValue, "head_dim", "`hidden_size` / `num_attention_heads` is 0: hidden_size must be ≥ num_attention_heads");
}

void read_rotary(FieldReader& r, ModelSpec& s, double default_partial = 1.0) {
  const double partial = r.number_or("partial_rotary_factor", default_partial);
  if (partial <= 0 || partial > 1) {
    r.fail(ErrorCode::InvalidValue, "partial_rotary_factor", "`partial_rotary_factor` must be in (0, 1]");
    return;
  }
  // transformers: dim = int(head_dim * partial_rotary_factor)
  s.rotary_dim = static_cast<std::uint64_t>(static_cast<double>(s.head_dim) * partial);
  s.rope_theta_count = 1;
}

// layer_types from the config if given, else from a rule; windows from `sliding_window`.
// `default_window` applies when the key is absent (Mistral: 4096); an explicit null means none.
void read_layer_types(FieldReader& r, ModelSpec& s, const std::function<bool(std::uint64_t)>& sliding_rule,
                      std::uint64_t default_window = 0) {
  s.layers.assign(s.num_layers, LayerSpec{});
  const bool present = r.json().is_object() && r.json().contains("sliding_window");
  const std::uint64_t window = present ? r.opt_uint("sliding_window", kMaxPositions).value_or(0) : default_window;
  if (const Json* types = r.array("layer_types")) {
    if (types->size() != s.num_layers) {
      r.fail(ErrorCode::InvalidValue, "layer_types",
             "`layer_types` has " + std::to_string(types->size()) + " entries but `num_hidden_layers` is " +
                 std::to_string(s.num_layers));
      return;
    }
    for (std::size_t i = 0; i < types->size(); ++i) {
      const Json& t = (*types)[i];
      if (!t.is_string()) {
        r.fail(ErrorCode::InvalidValue, "layer_types", "`layer_types` entries must be strings");
        return;
      }
      const auto name = t.get<std::string>();
      if (name == "sliding_attention" || name == "chunked_attention") {
        s.layers[i].attention = AttentionKind::Sliding;
      } else if (name != "full_attention") {
        r.fail(ErrorCode::Unsupported, "layer_types", "`layer_types` entry \"" + name + "\" is not modelled (full_attention or sliding_attention)");
        return;
      }
    }
  } else if (sliding_rule && window > 0) {
    for (std::uint64_t i = 0; i < s.num_layers; ++i)
      if (sliding_rule(i)) s.layers[i].attention = AttentionKind::Sliding;
  }
  for (auto& l : s.layers) {
    if (l.attention != AttentionKind::Sliding) continue;
    if (window == 0) {
      r.fail(ErrorCode::MissingField, "sliding_window", "`sliding_window` is required when layers use sliding attention");
      return;
    }
    l.window = window;
  }
}

// Llama-family decoder: the common core shared by many model types.
void fill_llama_like(FieldReader& r, ModelSpec& s, std::uint64_t default_kv = 0) {
  read_dims(r, s);
  read_kv_and_head_dim(r, s, 0, default_kv);
  s.intermediate_size = r.positive("intermediate_size");
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = r.string_or("hidden_act", "silu");
  read_rotary(r, s);
}

// ---- one function per model_type ------------------------------------------------------------

void fill_llama(FieldReader& r, ModelSpec& s) {
  fill_llama_like(r, s);
  s.attn_qkv_bias = s.attn_out_bias = r.bool_or("attention_bias", false);
  s.mlp_bias = r.bool_or("mlp_bias", false);
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  read_layer_types(r, s, nullptr);
}

// Mistral/Mixtral: every layer is sliding when sliding_window is set (transformers builds a
// sliding-window mask and cache for all layers).
void fill_mistral(FieldReader& r, ModelSpec& s) {
  fill_llama_like(r, s, 8);
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  read_layer_types(r, s, [](std::uint64_t) { return true; }, s.model_type == "mistral" ? 4096 : 0);
}

void fill_mixtral(FieldReader& r, ModelSpec& s) {
  fill_mistral(r, s);
  MoeSpec m;
  m.routed_experts = r.positive_or("num_local_experts", 8, kMaxExperts);
  m.experts_per_token = r.positive_or("num_experts_per_tok", 2, kMaxExperts);
  m.expert_intermediate = s.intermediate_size;
  s.moe = m;
  for (auto& l : s.layers) l.moe = true;
}

// Qwen2: bias on q/k/v only; sliding window on layers ≥ max_window_layers when enabled.
void fill_qwen2(FieldReader& r, ModelSpec& s) {
  fill_llama_like(r, s, s.model_type == "qwen2_moe" ? 16 : 0);
  s.attn_qkv_bias = true;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  const bool use_sw = r.bool_or("use_sliding_window", false);
  const std::uint64_t max_window_layers = r.opt_uint("max_window_layers", kMaxLayers).value_or(28);
  if (!use_sw && !r.has("layer_types")) {
    s.layers.assign(s.num_layers, LayerSpec{});
    return;
  }
  read_layer_types(r, s, [&](std::uint64_t i) { return use_sw && i >= max_window_layers; });
}

// MoE placement for Qwen2-MoE / Qwen3-MoE: MoE unless listed in mlp_only_layers, every
// decoder_sparse_step-th layer.
void read_qwen_moe_layers(FieldReader& r, ModelSpec& s, MoeSpec& m) {
  m.layer_freq = r.positive_or("decoder_sparse_step", 1, kMaxLayers);
  std::vector<std::uint64_t> mlp_only;
  if (const Json* a = r.array("mlp_only_layers")) {
    for (const auto& v : *a) {
      if (!v.is_number_unsigned() && !v.is_number_integer()) {
        r.fail(ErrorCode::InvalidValue, "mlp_only_layers", "`mlp_only_layers` must hold layer indices");
        return;
      }
      mlp_only.push_back(v.get<std::uint64_t>());
    }
  }
  for (std::uint64_t i = 0; i < s.num_layers; ++i) {
    const bool listed = std::find(mlp_only.begin(), mlp_only.end(), i) != mlp_only.end();
    s.layers[i].moe = !listed && m.routed_experts > 0 && (i + 1) % m.layer_freq == 0;
  }
}

void fill_qwen2_moe(FieldReader& r, ModelSpec& s) {
  fill_qwen2(r, s);
  s.rotary_per_layer = true;  // Qwen2MoeAttention owns a rotary_emb in 4.57 (buffers per layer)
  MoeSpec m;
  m.routed_experts = r.opt_uint("num_experts", kMaxExperts).value_or(60);
  m.experts_per_token = r.positive_or("num_experts_per_tok", 4, kMaxExperts);
  m.expert_intermediate = r.positive_or("moe_intermediate_size", 1408);
  m.shared_intermediate = r.opt_uint("shared_expert_intermediate_size").value_or(5632);
  m.shared_experts = m.shared_intermediate > 0 ? 1 : 0;
  m.shared_expert_gate = m.shared_intermediate > 0;
  read_qwen_moe_layers(r, s, m);
  s.moe = m;
}

void fill_qwen3(FieldReader& r, ModelSpec& s) {
  read_dims(r, s);
  // Qwen3Config.head_dim defaults to 128; Qwen3MoeConfig has none (h / heads) and 4 KV heads.
  const bool moe = s.model_type == "qwen3_moe";
  read_kv_and_head_dim(r, s, moe ? 0 : 128, moe ? 4 : 0);
  s.intermediate_size = r.positive("intermediate_size");
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = r.string_or("hidden_act", "silu");
  read_rotary(r, s);
  s.attn_qkv_bias = s.attn_out_bias = r.bool_or("attention_bias", false);
  s.qk_norm = QkNorm::PerHead;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  const bool use_sw = r.bool_or("use_sliding_window", false);
  const std::uint64_t max_window_layers = r.opt_uint("max_window_layers", kMaxLayers).value_or(28);
  if (!use_sw && !r.has("layer_types")) {
    s.layers.assign(s.num_layers, LayerSpec{});
    return;
  }
  read_layer_types(r, s, [&](std::uint64_t i) { return use_sw && i >= max_window_layers; });
}

void fill_qwen3_moe(FieldReader& r, ModelSpec& s) {
  fill_qwen3(r, s);
  MoeSpec m;
  m.routed_experts = r.opt_uint("num_experts", kMaxExperts).value_or(128);
  m.experts_per_token = r.positive_or("num_experts_per_tok", 8, kMaxExperts);
  m.expert_intermediate = r.positive_or("moe_intermediate_size", 768);
  read_qwen_moe_layers(r, s, m);
  s.moe = m;
}

void fill_gemma_common(FieldReader& r, ModelSpec& s) {
  if (s.outer_model_type == "gemma3") {
    // Multimodal Gemma-3 text_configs rely on Gemma3TextConfig defaults (real 4b/12b/27b configs
    // omit vocab_size and sometimes heads), so the class defaults apply here.
    s.vocab_size = r.positive_or("vocab_size", 262208, kMaxVocab);
    s.hidden_size = r.positive_or("hidden_size", 2304, kMaxHidden);
    s.num_layers = r.positive_or("num_hidden_layers", 26, kMaxLayers);
    s.num_heads = r.positive_or("num_attention_heads", 8, kMaxHeads);
    s.intermediate_size = r.positive_or("intermediate_size", 9216);
  } else {
    read_dims(r, s);
    s.intermediate_size = r.positive("intermediate_size");
  }
  read_kv_and_head_dim(r, s, /*default_head_dim=*/256, s.model_type == "gemma" ? 16 : 4);
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = r.string_or("hidden_activation", r.string_or("hidden_act", "gelu_pytorch_tanh"));
  read_rotary(r, s);
  s.attn_qkv_bias = s.attn_out_bias = r.bool_or("attention_bias", false);
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", true);
}

void fill_gemma(FieldReader& r, ModelSpec& s) {
  fill_gemma_common(r, s);
  s.layers.assign(s.num_layers, LayerSpec{});
}

void fill_gemma2(FieldReader& r, ModelSpec& s) {
  fill_gemma_common(r, s);
  s.block = BlockStyle::SandwichNorm;
  // Gemma2Config: layer_types default "sliding_attention" if (i + 1) % 2 else "full_attention".
  read_layer_types(r, s, [](std::uint64_t i) { return (i + 1) % 2 != 0; });
}

void fill_gemma3_text(FieldReader& r, ModelSpec& s) {
  fill_gemma_common(r, s);
  s.block = BlockStyle::SandwichNorm;
  s.qk_norm = QkNorm::PerHead;
  s.rope_theta_count = 2;        // rotary_emb (global) + rotary_emb_local
  s.embed_scale_buffer = true;   // Gemma3TextScaledWordEmbedding registers embed_scale
  const std::uint64_t pattern = r.positive_or("sliding_window_pattern", 6, kMaxLayers);
  read_layer_types(r, s, [pattern](std::uint64_t i) { return (i + 1) % pattern != 0; });
}

void fill_olmo(FieldReader& r, ModelSpec& s) {
  fill_llama_like(r, s);
  s.norm = NormKind::NonParametric;  // OlmoLayerNorm has neither weight nor bias
  s.attn_qkv_bias = s.attn_out_bias = r.bool_or("attention_bias", false);
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  s.layers.assign(s.num_layers, LayerSpec{});
}

void fill_olmo2(FieldReader& r, ModelSpec& s) {
  fill_llama_like(r, s);
  s.block = BlockStyle::PostNormOnly;
  s.qk_norm = QkNorm::FullWidth;
  s.attn_qkv_bias = s.attn_out_bias = r.bool_or("attention_bias", false);
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  s.layers.assign(s.num_layers, LayerSpec{});
}

void fill_olmo3(FieldReader& r, ModelSpec& s) {
  fill_olmo2(r, s);
  s.rope_theta_count = 2;  // rotary_embs: {"sliding_attention", "full_attention"}, always both
  // Olmo3Config: layer_types default "sliding_attention" if (i + 1) % 4 != 0 else "full_attention".
  read_layer_types(r, s, [](std::uint64_t i) { return (i + 1) % 4 != 0; }, 4096);
}

void fill_starcoder2(FieldReader& r, ModelSpec& s) {
  fill_llama_like(r, s, 2);
  s.activation = r.string_or("hidden_act", "gelu_pytorch_tanh");
  s.norm = NormKind::LayerNorm;
  s.mlp = MlpKind::Plain;
  s.attn_qkv_bias = s.attn_out_bias = s.mlp_bias = r.bool_or("use_bias", true);
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", true);
  read_layer_types(r, s, [](std::uint64_t) { return true; });
}

void fill_phi(FieldReader& r, ModelSpec& s) {
  fill_llama_like(r, s);
  s.activation = r.string_or("hidden_act", "gelu_new");
  read_rotary(r, s, /*default_partial=*/0.5);
  s.norm = NormKind::LayerNorm;
  s.block = BlockStyle::Parallel;
  s.mlp = MlpKind::Plain;
  s.attn_qkv_bias = s.attn_out_bias = s.mlp_bias = true;
  s.lm_head_bias = true;
  if (r.bool_or("qk_layernorm", false)) s.qk_norm = QkNorm::LayerNormPerHead;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  s.layers.assign(s.num_layers, LayerSpec{});
}

void fill_phi3(FieldReader& r, ModelSpec& s) {
  fill_llama_like(r, s);
  s.fused_qkv = true;
  s.fused_gate_up = true;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  read_layer_types(r, s, [](std::uint64_t) { return true; });
}

// GPT-2 naming: n_embd, n_layer, n_head, n_positions, n_inner (None → 4·n_embd).
void fill_gpt2_like(FieldReader& r, ModelSpec& s) {
  // attribute_map aliases: a config.json alias key (hidden_size …) overwrites the canonical field.
  read_dims(r, s, {{"vocab_size"}, {"hidden_size", "n_embd"}, {"num_hidden_layers", "n_layer"}, {"num_attention_heads", "n_head"}});
  s.num_kv_heads = s.num_heads;
  s.head_dim = per_head(r, s);
  s.intermediate_size = r.positive_or("n_inner", 4 * s.hidden_size);
  s.max_position_embeddings = r.positive({"max_position_embeddings", "n_positions"}, kMaxPositions);
  s.activation = r.string_or("activation_function", "gelu_new");
  s.norm = NormKind::LayerNorm;
  s.mlp = MlpKind::Plain;
  s.attn_qkv_bias = s.attn_out_bias = s.mlp_bias = true;
  s.fused_qkv = true;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", true);
  s.layers.assign(s.num_layers, LayerSpec{});
}

void fill_gpt2(FieldReader& r, ModelSpec& s) {
  fill_gpt2_like(r, s);
  s.learned_positions = s.max_position_embeddings;
  s.causal_mask_positions = s.max_position_embeddings;  // GPT2Attention.bias (bool) per block
  s.causal_mask_per_layer = true;
}

void fill_gpt_bigcode(FieldReader& r, ModelSpec& s) {
  fill_gpt2_like(r, s);
  s.learned_positions = s.max_position_embeddings;
  if (r.bool_or("multi_query", true)) s.num_kv_heads = 1;
  s.activation = r.string_or("activation_function", "gelu_pytorch_tanh");
  s.causal_mask_positions = s.max_position_embeddings;  // GPTBigCodeModel.bias (bool), model level
}

void fill_gptj(FieldReader& r, ModelSpec& s) {
  fill_gpt2_like(r, s);
  s.fused_qkv = false;
  s.attn_qkv_bias = s.attn_out_bias = false;
  s.block = BlockStyle::Parallel;
  s.lm_head_bias = true;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  s.rotary_dim = r.opt_uint("rotary_dim", kMaxHidden).value_or(s.head_dim);
  s.rope_theta_count = 0;  // GPT-J keeps its sin/cos table as a plain attribute, not a buffer
}

void fill_gpt_neox(FieldReader& r, ModelSpec& s) {
  read_dims(r, s);
  s.num_kv_heads = s.num_heads;
  s.head_dim = per_head(r, s);
  s.intermediate_size = r.positive("intermediate_size");
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = r.string_or("hidden_act", "gelu");
  const double pct = r.number_or("rotary_pct", r.number_or("partial_rotary_factor", 0.25));
  s.rotary_dim = static_cast<std::uint64_t>(static_cast<double>(s.head_dim) * pct);
  s.rope_theta_count = 1;
  s.norm = NormKind::LayerNorm;
  s.mlp = MlpKind::Plain;
  s.block = r.bool_or("use_parallel_residual", true) ? BlockStyle::ParallelTwoNorm : BlockStyle::PreNorm;
  s.attn_qkv_bias = s.attn_out_bias = r.bool_or("attention_bias", true);
  s.mlp_bias = true;
  s.fused_qkv = true;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  s.layers.assign(s.num_layers, LayerSpec{});
}

void fill_falcon(FieldReader& r, ModelSpec& s) {
  read_dims(r, s, {{"vocab_size"}, {"n_embed", "hidden_size"}, {"num_hidden_layers", "n_layer"}, {"num_attention_heads", "n_head"}});
  s.head_dim = per_head(r, s);
  const bool new_arch = r.bool_or("new_decoder_architecture", false);
  const bool multi_query = r.bool_or("multi_query", true);
  if (new_arch) {
    s.num_kv_heads = r.positive_or("num_kv_heads", s.num_heads, kMaxHeads);
  } else {
    s.num_kv_heads = multi_query ? 1 : s.num_heads;
  }
  s.intermediate_size = r.positive_or("ffn_hidden_size", 4 * r.positive_or("hidden_size", 4544, kMaxHidden));
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = r.string_or("activation", "gelu");
  s.norm = NormKind::LayerNorm;
  s.mlp = MlpKind::Plain;
  s.fused_qkv = true;
  s.attn_qkv_bias = s.attn_out_bias = s.mlp_bias = r.bool_or("bias", false);
  const bool parallel = r.bool_or("parallel_attn", true);
  if (new_arch) {
    const std::uint64_t lns = r.opt_uint("num_ln_in_parallel_attn", 2).value_or(2);
    s.block = lns == 2 ? BlockStyle::ParallelTwoNorm : BlockStyle::Parallel;
  } else {
    s.block = parallel ? BlockStyle::Parallel : BlockStyle::PreNorm;
  }
  s.rotary_dim = s.head_dim;  // FalconModel builds rotary_emb even when alibi is on
  s.rope_theta_count = 1;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", true);
  s.layers.assign(s.num_layers, LayerSpec{});
}

void fill_bloom(FieldReader& r, ModelSpec& s) {
  read_dims(r, s, {{"vocab_size"}, {"n_embed", "hidden_size"}, {"num_hidden_layers", "n_layer"}, {"num_attention_heads", "n_head"}});
  s.num_kv_heads = s.num_heads;
  s.head_dim = per_head(r, s);
  s.intermediate_size = 4 * s.hidden_size;
  s.activation = "gelu";
  s.norm = NormKind::LayerNorm;
  s.mlp = MlpKind::Plain;
  s.embedding_norm = true;
  s.fused_qkv = true;
  s.attn_qkv_bias = s.attn_out_bias = s.mlp_bias = true;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", true);
  s.layers.assign(s.num_layers, LayerSpec{});
}

void fill_opt(FieldReader& r, ModelSpec& s) {
  read_dims(r, s);
  s.num_kv_heads = s.num_heads;
  s.head_dim = per_head(r, s);
  s.intermediate_size = r.positive("ffn_dim");
  s.max_position_embeddings = r.positive_or("max_position_embeddings", 2048, kMaxPositions);
  s.learned_positions = s.max_position_embeddings + 2;  // OPTLearnedPositionalEmbedding offset of 2
  s.activation = r.string_or("activation_function", "relu");
  const std::uint64_t proj = r.positive_or("word_embed_proj_dim", s.hidden_size, kMaxHidden);
  if (proj != s.hidden_size) s.embedding_dim = proj;
  const bool pre_ln = r.bool_or("do_layer_norm_before", true);
  s.final_norm = pre_ln && !r.bool_or("_remove_final_layer_norm", false);
  s.norm = r.bool_or("layer_norm_elementwise_affine", true) ? NormKind::LayerNorm : NormKind::NonParametric;
  s.block = pre_ln ? BlockStyle::PreNorm : BlockStyle::PostLN;
  s.mlp = MlpKind::Plain;
  s.attn_qkv_bias = s.attn_out_bias = s.mlp_bias = r.bool_or("enable_bias", true);
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", true);
  s.layers.assign(s.num_layers, LayerSpec{});
}

void fill_mpt(FieldReader& r, ModelSpec& s) {
  read_dims(r, s, {{"vocab_size"}, {"hidden_size", "d_model"}, {"num_hidden_layers", "n_layers"}, {"num_attention_heads", "n_heads"}});
  s.num_kv_heads = s.num_heads;
  s.head_dim = per_head(r, s);
  // The native MptForCausalLM (transformers) hard-codes a 4·d_model MLP, no linear biases, weight-only
  // LayerNorms and ALiBi; it ignores expansion_ratio, no_bias and learned_pos_emb.
  s.intermediate_size = 4 * s.hidden_size;
  s.max_position_embeddings = r.opt_uint("max_seq_len", kMaxPositions).value_or(2048);
  s.activation = "gelu";
  s.norm = NormKind::LayerNormNoBias;
  s.mlp = MlpKind::Plain;
  s.fused_qkv = true;
  s.tie_word_embeddings = true;
  if (r.has("expansion_ratio") && r.opt_uint("expansion_ratio", 1024).value_or(4) != 4)
    s.warnings.push_back("expansion_ratio is ignored by transformers' native MPT (4 × d_model MLP)");
  s.layers.assign(s.num_layers, LayerSpec{});
}

void fill_deepseek(FieldReader& r, ModelSpec& s, bool v3) {
  read_dims(r, s);
  s.num_kv_heads = r.positive_or("num_key_value_heads", s.num_heads, kMaxHeads);
  s.intermediate_size = r.positive("intermediate_size");
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = r.string_or("hidden_act", "silu");
  MlaSpec mla;
  // q_lora_rank: absent → 1536 (config default), null → no query compression.
  const bool q_lora_present = r.json().is_object() && r.json().contains("q_lora_rank");
  mla.q_lora_rank = q_lora_present ? r.opt_uint("q_lora_rank", kMaxHidden).value_or(0) : 1536;
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
    m.expert_intermediate = r.positive("moe_intermediate_size");
    const bool shared_present = r.json().is_object() && r.json().contains("n_shared_experts");
    m.shared_experts = shared_present ? r.opt_uint("n_shared_experts", kMaxExperts).value_or(0) : (v3 ? 1 : 2);
    m.shared_intermediate = m.shared_experts * m.expert_intermediate;
    m.dense_first = r.opt_uint("first_k_dense_replace", kMaxLayers).value_or(v3 ? 3 : 0);
    m.score_correction_bias = v3;
    // transformers' DeepseekV2/V3 decoder layers never read moe_layer_freq: MoE iff i ≥ first_k_dense_replace.
    for (std::uint64_t i = 0; i < s.num_layers; ++i) s.layers[i].moe = i >= m.dense_first;
    s.moe = m;
  }
  s.mtp_layers = r.opt_uint("num_nextn_predict_layers", 64).value_or(0);
}

void fill_deepseek_v2(FieldReader& r, ModelSpec& s) { fill_deepseek(r, s, false); }
void fill_deepseek_v3(FieldReader& r, ModelSpec& s) { fill_deepseek(r, s, true); }

void fill_gpt_oss(FieldReader& r, ModelSpec& s) {
  read_dims(r, s);
  read_kv_and_head_dim(r, s, 64, 8);
  s.intermediate_size = r.positive("intermediate_size");
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = "swiglu_clamped";
  read_rotary(r, s);
  s.attn_qkv_bias = s.attn_out_bias = true;  // GptOssConfig forces attention_bias = True
  s.attention_sinks = true;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  // GptOssConfig: layer_types default "sliding_attention" if (i + 1) % 2 else "full_attention".
  read_layer_types(r, s, [](std::uint64_t i) { return (i + 1) % 2 != 0; });
  MoeSpec m;
  m.routed_experts = r.positive_or("num_local_experts", 128, kMaxExperts);
  const std::string_view topk_key = r.first_present({"num_experts_per_tok", "experts_per_token"});
  m.experts_per_token = topk_key.empty() ? 4 : r.positive(topk_key, kMaxExperts);
  m.expert_intermediate = s.intermediate_size;
  m.router_bias = true;
  m.expert_bias = true;
  m.fused_gate_up = true;
  s.moe = m;
  for (auto& l : s.layers) l.moe = true;
}

void fill_bert(FieldReader& r, ModelSpec& s) {
  read_dims(r, s);
  s.num_kv_heads = s.num_heads;
  s.head_dim = per_head(r, s);
  s.intermediate_size = r.positive("intermediate_size");
  s.max_position_embeddings = r.positive_or("max_position_embeddings", 512, kMaxPositions);
  s.learned_positions = s.max_position_embeddings;
  s.token_types = r.opt_uint("type_vocab_size", kMaxVocab).value_or(2);
  s.activation = r.string_or("hidden_act", "gelu");
  s.norm = NormKind::LayerNorm;
  s.block = BlockStyle::PostLN;
  s.mlp = MlpKind::Plain;
  s.attn_qkv_bias = s.attn_out_bias = s.mlp_bias = true;
  s.embedding_norm = true;
  s.final_norm = false;
  s.bert_position_buffers = true;
  s.pooler = true;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", true);
  if (const Json* labels = r.object("id2label")) s.num_labels = std::max<std::uint64_t>(labels->size(), 1);
  s.num_labels = r.positive_or("num_labels", s.num_labels, 1u << 20);
  s.layers.assign(s.num_layers, LayerSpec{});
}

void fill_t5(FieldReader& r, ModelSpec& s) {
  s.vocab_size = r.positive("vocab_size", kMaxVocab);
  s.hidden_size = r.positive({"d_model", "hidden_size"}, kMaxHidden);
  s.num_heads = r.positive({"num_heads", "num_attention_heads"}, kMaxHeads);
  s.num_kv_heads = s.num_heads;
  s.head_dim = r.positive("d_kv", kMaxHidden);
  s.intermediate_size = r.positive("d_ff");
  EncoderDecoderSpec ed;
  ed.encoder_layers = r.positive({"num_layers", "num_hidden_layers"}, kMaxLayers);
  ed.decoder_layers = r.positive_or("num_decoder_layers", ed.encoder_layers, kMaxLayers);
  ed.relative_attention_num_buckets = r.positive_or("relative_attention_num_buckets", 32, 1u << 16);
  s.encoder_decoder = ed;
  s.num_layers = ed.decoder_layers;
  const std::string ff = r.string_or("feed_forward_proj", "relu");
  s.mlp = ff.rfind("gated-", 0) == 0 ? MlpKind::Gated : MlpKind::Plain;
  s.activation = ff.rfind("gated-", 0) == 0 ? ff.substr(6) : ff;
  s.norm = NormKind::RmsNorm;  // T5LayerNorm: weight only
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", true);
  s.layers.assign(s.num_layers, LayerSpec{});
}

// Unknown model_type with the usual decoder fields: a Llama-shaped decoder, flagged approximate.
void fill_generic(FieldReader& r, ModelSpec& s) {
  read_dims(r, s, {{"vocab_size"}, {"hidden_size", "n_embd", "d_model"}, {"num_hidden_layers", "n_layer", "num_layers"},
                   {"num_attention_heads", "n_head", "num_heads"}});
  read_kv_and_head_dim(r, s);
  const std::string_view ik = r.first_present({"intermediate_size", "ffn_dim", "n_inner", "d_ff"});
  if (ik.empty()) {
    s.intermediate_size = 4 * s.hidden_size;
    s.warnings.push_back("assumed intermediate_size = 4 × hidden_size (no intermediate_size field)");
  } else {
    s.intermediate_size = r.positive(ik);
  }
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = r.string_or("hidden_act", "silu");
  read_rotary(r, s);
  s.attn_qkv_bias = s.attn_out_bias = r.bool_or("attention_bias", false);
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  read_layer_types(r, s, nullptr);
  s.generic = true;
  s.approximate = true;
  s.warnings.push_back("model_type \"" + brief(s.model_type) +
                       "\" is not modelled exactly: estimated as a Llama-style decoder (gated 3-matrix MLP, "
                       "RMSNorm, no biases, RoPE, " +
                       std::string(s.tie_word_embeddings ? "tied" : "untied") + " lm_head)");
}

using FillFn = void (*)(FieldReader&, ModelSpec&);

const std::map<std::string, FillFn, std::less<>>& families() {
  static const std::map<std::string, FillFn, std::less<>> kFamilies{
      {"llama", fill_llama},         {"mistral", fill_mistral},       {"mixtral", fill_mixtral},
      {"qwen2", fill_qwen2},         {"qwen2_moe", fill_qwen2_moe},   {"qwen3", fill_qwen3},
      {"qwen3_moe", fill_qwen3_moe}, {"gemma", fill_gemma},           {"gemma2", fill_gemma2},
      {"gemma3_text", fill_gemma3_text}, {"phi", fill_phi},           {"phi3", fill_phi3},
      {"gpt2", fill_gpt2},           {"gptj", fill_gptj},             {"gpt_neox", fill_gpt_neox},
      {"gpt_bigcode", fill_gpt_bigcode}, {"falcon", fill_falcon},     {"bloom", fill_bloom},
      {"opt", fill_opt},             {"mpt", fill_mpt},               {"starcoder2", fill_starcoder2},
      {"olmo", fill_olmo},           {"olmo2", fill_olmo2},           {"olmo3", fill_olmo3},
      {"deepseek_v2", fill_deepseek_v2}, {"deepseek_v3", fill_deepseek_v3}, {"gpt_oss", fill_gpt_oss},
      {"bert", fill_bert},           {"t5", fill_t5},
  };
  return kFamilies;
}

// Full checkpoint head from architectures[0].
std::string head_from_architecture(const std::string& arch, const std::string& model_type) {
  auto ends = [&](std::string_view suffix) {
    return arch.size() >= suffix.size() && arch.compare(arch.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (model_type == "t5") return ends("Model") && !ends("ForConditionalGeneration") ? "base" : "seq2seq";
  if (model_type == "bert") {
    if (ends("ForMaskedLM") || ends("LMHeadModel")) return "masked_lm";
    if (ends("ForSequenceClassification") || ends("ForMultipleChoice")) return "seq_cls";
    if (ends("ForTokenClassification")) return "token_cls";
    if (ends("ForQuestionAnswering")) return "qa";
    if (ends("ForPreTraining")) return "pretraining";
    if (arch.empty()) return "masked_lm";
    return ends("Model") ? "base" : "masked_lm";
  }
  if (!arch.empty() && ends("Model") && !ends("LMHeadModel")) return "base";
  return "causal_lm";
}

void read_dtype(FieldReader& r, ModelSpec& s) {
  const std::string_view key = r.first_present({"torch_dtype", "dtype"});
  if (key.empty()) return;
  const std::string name = r.string_or(key, "float32");
  if (auto t = parse_dtype(name)) {
    s.torch_dtype = *t;
    s.torch_dtype_given = true;
  } else if (name != "auto") {
    s.warnings.push_back("`" + std::string(key) + "` \"" + name + "\" is not a known dtype; assumed float32");
  }
}

std::vector<std::string> read_string_list(FieldReader& r, std::string_view key) {
  std::vector<std::string> out;
  if (const Json* a = r.array(key)) {
    for (const auto& v : *a)
      if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

void read_quantization(FieldReader& top, ModelSpec& s) {
  const Json* q = top.object("quantization_config");
  if (!q) return;
  FieldReader r(*q, "quantization_config.");
  QuantSpec& out = s.quant;
  out.method_name = r.string_or("quant_method", "");
  const std::string& m = out.method_name;
  if (m == "bitsandbytes" || (m.empty() && (r.has("load_in_4bit") || r.has("load_in_8bit")))) {
    if (r.bool_or("load_in_4bit", false)) {
      const std::string type = r.string_or("bnb_4bit_quant_type", "fp4");
      if (type != "nf4" && type != "fp4")  // bitsandbytes quantize_4bit accepts only these two
        r.fail(ErrorCode::InvalidValue, "bnb_4bit_quant_type",
               "`quantization_config.bnb_4bit_quant_type` must be nf4 or fp4, got \"" + brief(type) + "\"");
      out.method = type == "nf4" ? QuantMethod::BnbNf4 : QuantMethod::BnbFp4;
      out.bits = 4;
      out.group_size = 64;
      out.double_quant = r.bool_or("bnb_4bit_use_double_quant", false);
      if (auto t = parse_dtype(r.string_or("bnb_4bit_compute_dtype", "float32"))) out.compute_dtype = *t;
    } else if (r.bool_or("load_in_8bit", false)) {
      out.method = QuantMethod::BnbInt8;
      out.bits = 8;
    }
    out.modules_not_converted = read_string_list(r, "llm_int8_skip_modules");
  } else if (m == "gptq" || m == "awq") {
    out.method = m == "gptq" ? QuantMethod::Gptq : QuantMethod::Awq;
    out.bits = static_cast<std::uint32_t>(r.opt_uint(r.has("bits") ? "bits" : "w_bit", 16).value_or(4));
    const std::string_view gk = r.first_present({"group_size", "q_group_size"});
    out.group_size = 128;
    if (!gk.empty()) {
      // -1 = one group per output channel; otherwise a positive group width (GPTQ/AWQ use 32…128).
      const Json& g = r.json()[std::string(gk)];
      if (g.is_number_integer() && g.get<std::int64_t>() == -1) {
        out.group_size = -1;
      } else if (auto v = r.opt_uint(gk, kMaxHidden); v && *v > 0) {
        out.group_size = static_cast<std::int64_t>(*v);
      } else if (!r.failed()) {
        r.fail(ErrorCode::InvalidValue, gk, "`" + r.path(gk) + "` must be -1 or a positive integer, got " + detail::describe(g));
      }
    }
    out.zero_point = m == "awq" ? r.bool_or("zero_point", true) : !r.bool_or("sym", true);
    out.modules_not_converted = read_string_list(r, "modules_to_not_convert");
    if (out.bits != 2 && out.bits != 3 && out.bits != 4 && out.bits != 8)
      r.fail(ErrorCode::InvalidValue, "bits", "`quantization_config.bits` must be 2, 3, 4 or 8 for " + m);
  } else if (m == "fp8" || m == "fbgemm_fp8") {
    out.method = QuantMethod::Fp8;
    out.bits = 8;
    if (const Json* b = r.array("weight_block_size")) {
      for (const auto& v : *b) {
        if (!v.is_number_unsigned() || v.get<std::uint64_t>() == 0 || v.get<std::uint64_t>() > kMaxHidden) {
          r.fail(ErrorCode::InvalidValue, "weight_block_size",
                 "`quantization_config.weight_block_size` must hold positive integers, got " + detail::describe(v));
          break;
        }
        out.weight_block_size.push_back(v.get<std::uint64_t>());
      }
    }
    out.modules_not_converted = read_string_list(r, "modules_to_not_convert");
  } else if (m == "mxfp4") {
    out.method = QuantMethod::Mxfp4;
    out.bits = 4;
    out.group_size = 32;
    out.modules_not_converted = read_string_list(r, "modules_to_not_convert");
  } else if (m == "compressed-tensors") {
    out.method = QuantMethod::Compressed;
    s.warnings.push_back("compressed-tensors checkpoint: stored bytes come from its safetensors header; config-based sizes assume dense weights");
    s.approximate = true;
  } else if (!m.empty()) {
    out.method = QuantMethod::Other;
    s.warnings.push_back("quant_method \"" + brief(m) + "\" is not modelled; weights are sized as dense");
    s.approximate = true;
  }
  if (r.failed()) top.fail_with(r.error());  // keeps the inner field: quantization_config.bits
}

}  // namespace

const std::vector<std::string>& supported_model_types() {
  static const std::vector<std::string> kTypes = [] {
    std::vector<std::string> v;
    for (const auto& [name, fn] : families()) v.push_back(name);
    return v;
  }();
  return kTypes;
}

Result<ModelSpec> parse_config(std::string_view json_text) {
  auto parsed = detail::parse_json(json_text, "config.json");
  if (!parsed) return parsed.error();
  const Json& root = parsed.value();
  if (!root.is_object())
    return make_error(ErrorCode::InvalidValue, "config.json", "config.json: expected a JSON object, got " + detail::describe(root));

  ModelSpec spec;
  FieldReader top(root);
  std::string architecture;
  if (const Json* archs = top.array("architectures")) {
    if (!archs->empty() && (*archs)[0].is_string()) architecture = (*archs)[0].get<std::string>();
  }
  if (const Json* auto_map = top.object("auto_map")) {
    for (const auto& [key, value] : auto_map->items())
      if (key.rfind("AutoModelFor", 0) == 0) spec.hf_view_uses_full_class = true;
  }
  read_dtype(top, spec);
  read_quantization(top, spec);
  if (top.failed()) return top.error();

  // Multimodal wrappers keep the language model in text_config.
  const Json* body = &root;
  std::string prefix;
  const std::string outer_type = top.string_or("model_type", "");
  if (const Json* text = top.object("text_config"); text && !top.has("hidden_size")) {
    body = text;
    prefix = "text_config.";
    spec.outer_model_type = outer_type;
  }
  if (top.failed()) return top.error();
  FieldReader r(*body, prefix);
  spec.model_type = r.string_or("model_type", prefix.empty() ? "" : outer_type + "_text");
  if (r.failed()) return r.error();
  if (spec.model_type.empty()) {
    return make_error(ErrorCode::MissingField, "model_type", "`model_type` is missing: cannot tell which architecture this is");
  }
  spec.architecture = architecture;
  if (!prefix.empty() && spec.torch_dtype_given == false) read_dtype(r, spec);

  const auto& fams = families();
  auto it = fams.find(spec.model_type);
  if (it != fams.end()) {
    it->second(r, spec);
  } else {
    const bool has_decoder_fields = !r.first_present({"hidden_size", "n_embd", "d_model"}).empty() &&
                                    !r.first_present({"num_hidden_layers", "n_layer", "num_layers"}).empty() &&
                                    !r.first_present({"num_attention_heads", "n_head", "num_heads"}).empty() &&
                                    r.has("vocab_size");
    if (!has_decoder_fields) {
      return make_error(ErrorCode::Unsupported, "model_type",
                        "`model_type` \"" + brief(spec.model_type) +
                            "\" is not supported and the config lacks the decoder fields needed to estimate it "
                            "(vocab_size, hidden_size, num_hidden_layers, num_attention_heads)");
    }
    fill_generic(r, spec);
  }
  if (r.failed()) return r.error();

  if (spec.num_kv_heads > spec.num_heads || spec.num_heads % spec.num_kv_heads != 0) {
    return make_error(ErrorCode::InvalidValue, prefix + "num_key_value_heads",
                      "`" + prefix + "num_key_value_heads` (" + std::to_string(spec.num_kv_heads) +
                          ") must divide `num_attention_heads` (" + std::to_string(spec.num_heads) + ")");
  }
  if (spec.moe && spec.moe->routed_experts > 0 && spec.moe->experts_per_token > spec.moe->routed_experts) {
    // The router's top-k over fewer experts than k fails in torch.topk.
    const std::string key = prefix + "num_experts_per_tok";
    return make_error(ErrorCode::InvalidValue, key,
                      "`" + key + "` (" + std::to_string(spec.moe->experts_per_token) +
                          ") must be ≤ the number of routed experts (" + std::to_string(spec.moe->routed_experts) + ")");
  }
  spec.head = head_from_architecture(architecture, spec.model_type);
  if (spec.outer_model_type == "gemma3") {
    // SiglipVisionConfig defaults (transformers 4.57 models/siglip/configuration_siglip.py).
    VisionSpec v;
    if (const Json* vc = top.object("vision_config")) {
      FieldReader vr(*vc, "vision_config.");
      v.hidden_size = vr.positive_or("hidden_size", 768, kMaxHidden);
      v.intermediate_size = vr.positive_or("intermediate_size", 3072);
      v.num_layers = vr.positive_or("num_hidden_layers", 12, kMaxLayers);
      v.num_channels = vr.positive_or("num_channels", 3, 64);
      v.image_size = vr.positive_or("image_size", 224, 1u << 16);
      v.patch_size = vr.positive_or("patch_size", 16, 1u << 16);
      v.use_head = vr.bool_or("vision_use_head", true);
      if (vr.failed()) return vr.error();
    }
    spec.vision = v;
  } else if (spec.outer_model_type.size()) {
    spec.approximate = true;
    spec.warnings.push_back("multimodal checkpoint (" + spec.outer_model_type +
                            "): only the language model in text_config is counted; the vision tower and projector are not");
  }
  return spec;
}

}  // namespace vram

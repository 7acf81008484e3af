// ModelDescription → exact parameter inventory. The generic decoder builder below follows the
// transformers v4.57 modeling files (modeling_<type>.py) through each architecture's module names;
// layouts it does not cover come from the architecture's hooks (model/arch/). Tests compare every
// total with transformers + accelerate (shared/reference/params.json).
#include "vram/model/inventory.hpp"

#include <algorithm>

#include "model/inventory_builder.hpp"
#include "vram/base/formula.hpp"

namespace vram {

const char* to_string(Role role) noexcept {
  switch (role) {
    case Role::Embedding: return "embedding";
    case Role::PositionEmbedding: return "position_embedding";
    case Role::TokenTypeEmbedding: return "token_type_embedding";
    case Role::EmbeddingProjection: return "embedding_projection";
    case Role::Norm: return "norm";
    case Role::AttentionProjection: return "attention";
    case Role::AttentionOther: return "attention_other";
    case Role::MlpProjection: return "mlp";
    case Role::ExpertProjection: return "experts";
    case Role::SharedExpertProjection: return "shared_experts";
    case Role::Router: return "router";
    case Role::LmHead: return "lm_head";
    case Role::Pooler: return "pooler";
    case Role::TaskHead: return "task_head";
    case Role::VisionTower: return "vision_tower";
    case Role::Projector: return "projector";
    case Role::Buffer: return "buffer";
  }
  return "other";
}

namespace detail {

// 10^16 parameters is 5000× the largest published model; the ceiling keeps every per-parameter byte
// count (≤ 16 B for fp32 weights + grads + Adam states) and their sums far below 2^64.
constexpr std::uint64_t kMaxParams = 10'000'000'000'000'000ull;
// Registered buffers (causal masks, position ids, inv_freq) are no parameters, but they are held
// in memory with the weights, so they get the same ceiling in bytes: a GPT-2 mask of n_positions²
// bools is the one that grows fast (1 MiB per layer at 1024 positions; 10^16 B at 10^8).
constexpr std::uint64_t kMaxBufferBytes = kMaxParams;

std::string leaf(std::string_view path) {
  const auto pos = path.rfind('.');
  return std::string(pos == std::string_view::npos ? path : path.substr(pos + 1));
}

namespace {
const ModuleNames kGenericNames{};
}

InventoryBuilder::InventoryBuilder(const ModelDescription& spec)
    : s_(spec), n_(spec.arch ? spec.arch->names : kGenericNames) {}

std::string InventoryBuilder::key_of(std::uint64_t value) const {
  for (const auto& k : s_.read_keys)
    if (k.value == value) return k.path;
  // A number the builder made (heads × head_dim, n_shared_experts × moe_intermediate_size …):
  // blamed on the key its larger factor came from.
  for (const auto& [v, key] : derived_)
    if (v == value) return key;
  return s_.key_for(value);
}

void InventoryBuilder::note_overflow(std::uint64_t largest) {
  if (overflow_) return;
  const std::string key = key_of(largest);
  overflow_ = make_error(ErrorCode::Overflow, key, {Msg::error_inventory_overflow, {{"key", ConfigKey{key}}}});
}

void InventoryBuilder::derived(std::uint64_t result, std::uint64_t a, std::uint64_t b) {
  const std::uint64_t larger = std::max(a, b);
  if (overflow_ || derived_.size() >= kMaxDerived) return;
  if (result == larger || larger < 2) return;
  for (const auto& k : s_.read_keys)
    if (k.value == result) return;  // a key of its own already
  for (const auto& d : derived_)
    if (d.first == result) return;
  derived_.emplace_back(result, key_of(larger));
}

std::uint64_t InventoryBuilder::plus(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  if (__builtin_add_overflow(a, b, &r) || r > kQuantityLimit) {
    note_overflow(std::max(a, b));
    return kQuantityLimit;
  }
  derived(r, a, b);
  return r;
}

std::uint64_t InventoryBuilder::mul(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r) || r > kQuantityLimit) {
    note_overflow(std::max(a, b));
    return kQuantityLimit;
  }
  derived(r, a, b);
  return r;
}

std::uint64_t InventoryBuilder::group_total(const ParamGroup& g) {
  const std::uint64_t count = inv_.block_count(g.block);
  std::uint64_t r = 0;
  if (__builtin_mul_overflow(g.rows, g.cols, &r) || __builtin_mul_overflow(r, g.experts, &r) ||
      __builtin_mul_overflow(r, count, &r) || r > kQuantityLimit) {
    // Blamed on the largest of the four factors (each a key, or a product of keys).
    note_overflow(std::max({g.rows, g.cols, g.experts, count}));
    return kQuantityLimit;
  }
  return r;
}

int InventoryBuilder::add_block(std::string name, std::uint64_t count, std::uint64_t first, bool moe, bool encoder) {
  inv_.blocks.push_back(Block{prefix_ + name, count, first, moe, encoder});
  return static_cast<int>(inv_.blocks.size()) - 1;
}

ParamGroup& InventoryBuilder::add(std::string name, std::string module, Role role, std::uint64_t rows, std::uint64_t cols,
                                  int block, std::string unit) {
  ParamGroup g;
  g.name = prefix_ + name;
  if (!unit.empty()) unit = prefix_ + unit;
  g.module = std::move(module);
  g.role = role;
  g.rows = rows;
  g.cols = cols;
  g.block = block;
  g.unit = unit.empty() && block < 0 ? g.name : std::move(unit);
  if (unit_suppressed_) g.unit.clear();
  (void)mul(rows, cols);  // every shape product is checked here; experts and instances in finish()
  inv_.groups.push_back(std::move(g));
  return inv_.groups.back();
}

void InventoryBuilder::linear(const std::string& path, Role role, std::uint64_t out, std::uint64_t in, bool with_bias,
                              int block, std::uint64_t experts, const std::string& unit) {
  const std::string u = unit.empty() && block < 0 ? path : unit;
  ParamGroup& w = add(path + ".weight", leaf(path), role, out, in, block, u);
  w.linear = true;
  w.experts = experts;
  if (with_bias) {
    ParamGroup& b = add(path + ".bias", leaf(path), role, out, 1, block, u);
    b.bias = true;
    b.experts = experts;
  }
}

void InventoryBuilder::norm(const std::string& path, std::uint64_t width, int block, NormKind kind, const std::string& unit) {
  if (kind == NormKind::NonParametric) return;
  const std::string u = unit.empty() && block < 0 ? path : unit;
  add(path + ".weight", leaf(path), Role::Norm, width, 1, block, u);
  if (kind == NormKind::LayerNorm) add(path + ".bias", leaf(path), Role::Norm, width, 1, block, u);
}

void InventoryBuilder::buffer(const std::string& path, std::uint64_t numel, std::uint8_t elem_bytes, int block,
                              const std::string& unit) {
  ParamGroup& g = add(path, leaf(path), Role::Buffer, numel, 1, block, unit);
  g.buffer_elem_bytes = elem_bytes;
}

void InventoryBuilder::causal_mask(const std::string& path, int block, const std::string& unit) {
  // torch.tril(torch.ones((n, n), dtype=torch.bool)).view(1, 1, n, n): n × n bools.
  const std::uint64_t n = s_.causal_mask_positions;
  ParamGroup& g = add(path, leaf(path), Role::Buffer, n, n, block, unit);
  g.buffer_elem_bytes = 1;
  g.bool_buffer = true;
}

void InventoryBuilder::rotary_buffer(const std::string& path, int block) {
  if (s_.rotary_dim > 0) buffer(path + ".inv_freq", (s_.rotary_dim + 1) / 2, 4, block, block < 0 ? path : "");
}

void InventoryBuilder::attention(const std::string& p, int b, bool indexer) {
  const std::uint64_t h = s_.hidden_size, d = s_.head_dim, nh = s_.num_heads, nkv = s_.num_kv_heads;
  const std::string a = p + std::string(n_.attn);
  if (s_.mla) {
    // DeepseekV2/V3Attention: optional low-rank query, joint low-rank KV with a decoupled RoPE key.
    const MlaSpec& m = *s_.mla;
    const std::uint64_t qk = plus(m.qk_nope_head_dim, m.qk_rope_head_dim);
    if (m.q_lora_rank > 0) {
      linear(a + "q_a_proj", Role::AttentionProjection, m.q_lora_rank, h, s_.attn_qkv_bias, b);
      norm(a + "q_a_layernorm", m.q_lora_rank, b, NormKind::RmsNorm);
      linear(a + "q_b_proj", Role::AttentionProjection, mul(nh, qk), m.q_lora_rank, false, b);
    } else {
      linear(a + "q_proj", Role::AttentionProjection, mul(nh, qk), h, false, b);
    }
    linear(a + "kv_a_proj_with_mqa", Role::AttentionProjection, plus(m.kv_lora_rank, m.qk_rope_head_dim), h, s_.attn_qkv_bias, b);
    norm(a + "kv_a_layernorm", m.kv_lora_rank, b, NormKind::RmsNorm);
    linear(a + "kv_b_proj", Role::AttentionProjection, mul(nh, plus(m.qk_nope_head_dim, m.v_head_dim)), m.kv_lora_rank, false, b);
    linear(a + "o_proj", Role::AttentionProjection, h, mul(nh, m.v_head_dim), s_.attn_out_bias, b);
    if (indexer && s_.dsa_indexer) {
      // DeepseekV32Indexer: wq_b reads the q_a_layernorm output (q_lora_rank), wk and weights_proj
      // the hidden state; k_norm is a LayerNorm with bias.
      const DsaIndexerSpec& x = *s_.dsa_indexer;
      const std::string ix = a + "indexer.";
      linear(ix + "wq_b", Role::AttentionProjection, mul(x.n_heads, x.head_dim), m.q_lora_rank, false, b);
      linear(ix + "wk", Role::AttentionProjection, x.head_dim, h, false, b);
      norm(ix + "k_norm", x.head_dim, b, NormKind::LayerNorm);
      linear(ix + "weights_proj", Role::AttentionProjection, x.n_heads, h, false, b);
    }
    return;
  }
  // Qwen3-Next / Qwen3.5 gated attention: q_proj emits the query and a per-head output gate.
  const std::uint64_t q_rows = s_.attn_output_gate ? mul(2, mul(nh, d)) : mul(nh, d);
  if (s_.fused_qkv) {
    linear(a + std::string(n_.qkv), Role::AttentionProjection, mul(plus(nh, mul(2, nkv)), d), h, s_.attn_qkv_bias, b);
  } else {
    linear(a + std::string(n_.q), Role::AttentionProjection, q_rows, h, s_.attn_qkv_bias, b);
    linear(a + std::string(n_.k), Role::AttentionProjection, mul(nkv, d), h, s_.attn_qkv_bias, b);
    linear(a + std::string(n_.v), Role::AttentionProjection, mul(nkv, d), h, s_.attn_qkv_bias, b);
  }
  linear(a + std::string(n_.o), Role::AttentionProjection, h, mul(nh, d), s_.attn_out_bias, b);
  switch (s_.qk_norm) {
    case QkNorm::None: break;
    case QkNorm::PerHead:
      norm(a + std::string(n_.q_norm), d, b, NormKind::RmsNorm);
      norm(a + std::string(n_.k_norm), d, b, NormKind::RmsNorm);
      break;
    case QkNorm::FullWidth:
      norm(a + "q_norm", mul(nh, d), b, NormKind::RmsNorm);
      norm(a + "k_norm", mul(nkv, d), b, NormKind::RmsNorm);
      break;
    case QkNorm::LayerNormPerHead:
      norm(a + "q_layernorm", d, b, NormKind::LayerNorm);
      norm(a + "k_layernorm", d, b, NormKind::LayerNorm);
      break;
  }
  if (s_.attention_sinks) add(a + "sinks", "sinks", Role::AttentionOther, nh, 1, b);
  if (s_.rotary_per_layer) rotary_buffer(a + "rotary_emb", b);
}

void InventoryBuilder::linear_attention(const std::string& p, int b) {
  // Qwen3NextGatedDeltaNet / Qwen3_5GatedDeltaNet (transformers models/qwen3_next, qwen3_5).
  const LinearAttentionSpec& la = *s_.linear_attention;
  const std::uint64_t h = s_.hidden_size;
  const std::uint64_t kd = mul(la.key_heads, la.key_head_dim), vd = mul(la.value_heads, la.value_head_dim);
  const std::uint64_t conv = plus(mul(2, kd), vd);
  const std::string a = p + std::string(n_.linear_attn);
  if (la.split_projections) {
    linear(a + "in_proj_qkv", Role::AttentionProjection, conv, h, false, b);
    linear(a + "in_proj_z", Role::AttentionProjection, vd, h, false, b);
    linear(a + "in_proj_b", Role::AttentionProjection, la.value_heads, h, false, b);
    linear(a + "in_proj_a", Role::AttentionProjection, la.value_heads, h, false, b);
  } else {
    linear(a + "in_proj_qkvz", Role::AttentionProjection, plus(mul(2, kd), mul(2, vd)), h, false, b);
    linear(a + "in_proj_ba", Role::AttentionProjection, mul(2, la.value_heads), h, false, b);
  }
  // Depthwise causal Conv1d(conv_dim, conv_dim, kernel, groups=conv_dim, bias=False): [conv_dim, 1, k].
  add(a + "conv1d.weight", "conv1d", Role::AttentionOther, conv, la.conv_kernel, b);
  add(a + "dt_bias", "dt_bias", Role::AttentionOther, la.value_heads, 1, b);
  add(a + "A_log", "A_log", Role::AttentionOther, la.value_heads, 1, b);
  norm(a + "norm", la.value_head_dim, b, NormKind::RmsNorm);  // RMSNormGated(head_v_dim)
  linear(a + "out_proj", Role::AttentionProjection, h, vd, false, b);
}

void InventoryBuilder::mamba2_mixer(const std::string& p, int b) {
  // Mamba2Mixer (transformers models/mamba2; NemotronHMamba2Mixer, GraniteMoeHybridMambaLayer,
  // FalconH1Mixer): in_proj → [z, x‖B‖C, dt], depthwise conv over x‖B‖C.
  const Mamba2Spec& m = *s_.mamba;
  const std::uint64_t h = s_.hidden_size;
  const std::uint64_t conv = plus(m.inner, mul(2, mul(m.groups, m.state)));
  const std::string a = p + std::string(n_.mamba);
  add(a + "conv1d.weight", "conv1d", Role::AttentionOther, conv, m.conv_kernel, b);
  if (m.conv_bias) add(a + "conv1d.bias", "conv1d", Role::AttentionOther, conv, 1, b);
  linear(a + "in_proj", Role::AttentionProjection, plus(plus(m.inner, conv), m.heads), h, m.proj_bias, b);
  add(a + "dt_bias", "dt_bias", Role::AttentionOther, m.heads, 1, b);
  add(a + "A_log", "A_log", Role::AttentionOther, m.heads, 1, b);
  add(a + "D", "D", Role::AttentionOther, m.heads, 1, b);
  if (m.gated_norm) norm(a + "norm", m.inner, b, NormKind::RmsNorm);
  linear(a + "out_proj", Role::AttentionProjection, h, m.inner, m.proj_bias, b);
}

void InventoryBuilder::short_conv(const std::string& p, int b) {
  // Lfm2ShortConv (transformers models/lfm2): in_proj h → 3h (B, C, x), Conv1d(h, h, L, groups=h), out_proj.
  const ShortConvSpec& c = *s_.short_conv;
  const std::uint64_t h = s_.hidden_size;
  const std::string a = p + std::string(n_.short_conv);
  add(a + "conv.weight", "conv", Role::AttentionOther, h, c.kernel, b);
  if (c.bias) add(a + "conv.bias", "conv", Role::AttentionOther, h, 1, b);
  linear(a + "in_proj", Role::AttentionProjection, mul(3, h), h, c.bias, b);
  linear(a + "out_proj", Role::AttentionProjection, h, h, c.bias, b);
}

void InventoryBuilder::dense_mlp(const std::string& p, int b, std::uint64_t width, Role role) {
  const std::uint64_t h = s_.hidden_size;
  if (s_.mlp == MlpKind::Gated) {
    if (s_.fused_gate_up) {
      linear(p + "gate_up_proj", role, mul(2, width), h, s_.mlp_bias, b);
    } else {
      linear(p + std::string(n_.gate), role, width, h, s_.mlp_bias, b);
      linear(p + std::string(n_.up), role, width, h, s_.mlp_bias, b);
    }
  } else {
    linear(p + std::string(n_.up), role, width, h, s_.mlp_bias, b);
  }
  linear(p + std::string(n_.down), role, h, width, s_.mlp_bias, b);
}

void InventoryBuilder::moe_mlp(const std::string& p, int b) {
  const MoeSpec& m = *s_.moe;
  const std::uint64_t h = s_.hidden_size, e = m.routed_experts, w = m.expert_intermediate;
  derived(m.shared_intermediate, m.shared_experts, m.expert_intermediate);  // DeepSeek: n_shared × width
  const std::string router(n_.router);
  ParamGroup& r = add(p + router + ".weight", router, Role::Router, e, h, b);
  r.linear = s_.arch == nullptr || s_.arch->router_quantized;
  if (m.router_bias) add(p + router + ".bias", router, Role::Router, e, 1, b).bias = true;
  if (m.score_correction_bias) {
    buffer(p + (m.score_bias_in_block ? "" : router + ".") + "e_score_correction_bias", e, 4, b);
    inv_.groups.back().persistent = true;  // register_buffer(persistent=True): in the checkpoint
  }
  if (m.score_bias_parameter) {
    // Ernie4_5_MoeStatics: e_score_correction_bias is an nn.Parameter [1, E] (fp32, no grad).
    add(p + "moe_statics.e_score_correction_bias", "moe_statics", Role::Router, e, 1, b);
  }
  if (m.fused_gate_up) {
    // GptOssExperts: gate_up_proj [E, h, 2w] + bias [E, 2w]; down_proj [E, w, h] + bias [E, h].
    ParamGroup& gu = add(p + "experts.gate_up_proj", "gate_up_proj", Role::ExpertProjection, mul(2, w), h, b);
    gu.experts = e;
    gu.linear = true;
    if (m.expert_bias) {
      ParamGroup& gub = add(p + "experts.gate_up_proj_bias", "gate_up_proj", Role::ExpertProjection, mul(2, w), 1, b);
      gub.experts = e;
      gub.bias = true;
    }
    ParamGroup& dn = add(p + "experts.down_proj", "down_proj", Role::ExpertProjection, h, w, b);
    dn.experts = e;
    dn.linear = true;
    if (m.expert_bias) {
      ParamGroup& dnb = add(p + "experts.down_proj_bias", "down_proj", Role::ExpertProjection, h, 1, b);
      dnb.experts = e;
      dnb.bias = true;
    }
  } else {
    const std::string ex = "experts.{e}.";
    linear(p + ex + std::string(n_.expert_gate), Role::ExpertProjection, w, h, false, b, e);
    linear(p + ex + std::string(n_.expert_up), Role::ExpertProjection, w, h, false, b, e);
    linear(p + ex + std::string(n_.expert_down), Role::ExpertProjection, h, w, false, b, e);
  }
  if (m.shared_intermediate > 0) {
    const std::string sp = p + std::string(n_.shared_expert);
    linear(sp + "gate_proj", Role::SharedExpertProjection, m.shared_intermediate, h, false, b);
    linear(sp + "up_proj", Role::SharedExpertProjection, m.shared_intermediate, h, false, b);
    linear(sp + "down_proj", Role::SharedExpertProjection, h, m.shared_intermediate, false, b);
  }
  if (m.shared_expert_gate) linear(p + "shared_expert_gate", Role::Router, 1, h, false, b);
}

void InventoryBuilder::decoder_layer(int b, const LayerSpec& layer) {
  const bool moe = layer.moe, indexer = layer.indexer && s_.dsa_indexer.has_value();
  const std::uint64_t h = s_.hidden_size;
  const std::string p = std::string(n_.layers) + ".{i}.";
  const std::string norm1(n_.norm1), norm2(n_.norm2);
  switch (s_.block) {
    case BlockStyle::PreNorm:
    case BlockStyle::PostLN:
    case BlockStyle::Parallel: norm(p + norm1, h, b); break;
    case BlockStyle::ParallelTwoNorm:
      norm(p + std::string(n_.parallel_norm1.empty() ? n_.norm1 : n_.parallel_norm1), h, b);
      norm(p + std::string(n_.parallel_norm2.empty() ? n_.norm2 : n_.parallel_norm2), h, b);
      break;
    case BlockStyle::PostNormOnly:
      norm(p + norm1, h, b);
      norm(p + norm2, h, b);
      break;
    case BlockStyle::SandwichNorm:
      norm(p + "input_layernorm", h, b);
      norm(p + "post_attention_layernorm", h, b);
      norm(p + "pre_feedforward_layernorm", h, b);
      norm(p + "post_feedforward_layernorm", h, b);
      break;
  }
  switch (layer.kind) {
    case LayerKind::Attention: attention(p, b, indexer); break;
    case LayerKind::LinearAttention: linear_attention(p, b); break;
    case LayerKind::Mamba2: mamba2_mixer(p, b); break;
    case LayerKind::ShortConv: short_conv(p, b); break;
  }
  if (layer.parallel_mamba) mamba2_mixer(p, b);
  if (s_.block == BlockStyle::PreNorm || s_.block == BlockStyle::PostLN) norm(p + norm2, h, b);
  if (moe) {
    moe_mlp(p + std::string(n_.moe.empty() ? n_.mlp : n_.moe), b);
  } else {
    dense_mlp(p + std::string(n_.mlp), b, s_.intermediate_size, Role::MlpProjection);
  }
  if (s_.causal_mask_per_layer) {
    causal_mask(p + std::string(n_.attn) + "bias", b, "");
    buffer(p + std::string(n_.attn) + "masked_bias", 1, 4, b);
  }
}

void InventoryBuilder::decoder_stack() {
  const std::uint64_t h = s_.hidden_size;
  const std::uint64_t emb_w = s_.embedding_dim ? s_.embedding_dim : h;
  const std::string embed(n_.embed), positions(n_.positions);
  const std::string emb_unit(n_.embeddings_unit);
  // BERT-style embeddings: words, positions and token types in one module with a LayerNorm.
  const bool bert_embeddings = s_.bert_position_buffers;

  add(embed + ".weight", leaf(embed), Role::Embedding, s_.vocab_size, emb_w, -1, emb_unit.empty() ? embed : emb_unit);
  if (s_.embed_scale_buffer) buffer(embed + ".embed_scale", 1, 4, -1, embed);
  if (s_.learned_positions && !bert_embeddings)
    add(positions + ".weight", leaf(positions), Role::PositionEmbedding, s_.learned_positions, h, -1, positions);
  if (bert_embeddings) {
    add(positions + ".weight", leaf(positions), Role::PositionEmbedding, s_.learned_positions, h, -1, emb_unit);
    add("embeddings.token_type_embeddings.weight", "token_type_embeddings", Role::TokenTypeEmbedding, s_.token_types, h, -1, emb_unit);
    norm("embeddings.LayerNorm", h, -1, NormKind::LayerNorm, emb_unit);
    buffer("embeddings.position_ids", s_.max_position_embeddings, 8, -1, emb_unit);
    buffer("embeddings.token_type_ids", s_.max_position_embeddings, 8, -1, emb_unit);
  } else if (s_.embedding_norm) {
    norm("word_embeddings_layernorm", h, -1);
  }
  if (s_.embedding_dim) {
    // OPTDecoder: project_out (h → word_embed_proj_dim) then project_in (word_embed_proj_dim → h)
    linear("decoder.project_out", Role::EmbeddingProjection, emb_w, h, false, -1);
    linear("decoder.project_in", Role::EmbeddingProjection, h, emb_w, false, -1);
  }

  // Blocks: consecutive runs of identical layers (dense / MoE, with / without a DSA indexer).
  const bool encoder = s_.encoder_only();
  const std::size_t first_block = inv_.blocks.size();
  std::uint64_t i = 0;
  while (i < s_.num_layers) {
    const LayerSpec& layer = s_.layers[i];
    Block kind;
    kind.moe = layer.moe;
    kind.indexer = layer.indexer && s_.dsa_indexer.has_value();
    kind.kind = layer.kind;
    kind.parallel_mamba = layer.parallel_mamba;
    std::uint64_t j = i;
    while (j < s_.num_layers && kind.holds(s_, s_.layers[j])) ++j;
    // Merge with an existing block of the same kind (DeepSeek moe_layer_freq > 1 alternates, hybrid
    // models interleave mixers).
    int b = -1;
    for (std::size_t k = first_block; k < inv_.blocks.size(); ++k)
      if (inv_.blocks[k].holds(s_, layer)) b = static_cast<int>(k);
    if (b < 0) {
      b = add_block(std::string(n_.layers) + "." + std::to_string(i), 0, i, kind.moe, encoder);
      Block& added = inv_.blocks.back();
      added.indexer = kind.indexer;
      added.kind = kind.kind;
      added.parallel_mamba = kind.parallel_mamba;
      decoder_layer(b, layer);
    }
    inv_.blocks[static_cast<std::size_t>(b)].count += j - i;
    i = j;
  }
  if (s_.final_norm) norm(std::string(n_.final_norm), h, -1);
  for (std::uint64_t r = 0; r < s_.rope_theta_count && !s_.rotary_per_layer; ++r)
    rotary_buffer(r == 0 ? "rotary_emb" : "rotary_emb_local", -1);
  if (s_.rotary_per_layer) rotary_buffer("rotary_emb", -1);
  if (s_.causal_mask_positions && !s_.causal_mask_per_layer) {
    causal_mask("bias", -1, "bias");
  }
  if (s_.pooler) {
    ParamGroup& w = add("pooler.dense.weight", "dense", Role::Pooler, h, h, -1, "pooler.dense");
    w.linear = true;
    add("pooler.dense.bias", "dense", Role::Pooler, h, 1, -1, "pooler.dense").bias = true;
  }
}

void InventoryBuilder::causal_lm_head() {
  const std::uint64_t emb_w = s_.embedding_dim ? s_.embedding_dim : s_.hidden_size;
  const std::string head(n_.lm_head);
  if (!s_.tie_word_embeddings) add(head + ".weight", head, Role::LmHead, s_.vocab_size, emb_w, -1, head).linear = true;
  if (s_.lm_head_bias) add(head + ".bias", head, Role::LmHead, s_.vocab_size, 1, -1, head).bias = true;
}

namespace {

// Totals, active parameters, and the Hugging Face calculator view: AutoModel (or the auto_map
// class), fp32, buffers included; largest layer = largest accelerate no-split unit (a block, or a
// top-level leaf module).
void finish(InventoryBuilder& b) {
  const ModelDescription& s = b.spec();
  Inventory& inv = b.inventory();
  // Every group's elements over all its instances, checked; the sums saturate at the limit (the
  // ceiling check in build_inventory turns that into an error).
  for (const auto& g : inv.groups) (void)b.group_total(g);
  if (b.overflow()) return;
  // Sums are checked too: a sum past 2^62 is an overflow error, never a saturated number.
  const auto add = [&b](std::uint64_t& total, std::uint64_t n) { total = b.plus(total, n); };
  for (const auto& g : inv.groups) {
    const std::uint64_t n = inv.group_total(g);
    if (g.is_buffer()) {
      if (g.in_full) add(inv.buffer_bytes, b.mul(n, g.buffer_elem_bytes));
      continue;
    }
    if (!g.in_full) continue;
    add(inv.total_params, n);
    if (g.role == Role::Embedding || g.role == Role::PositionEmbedding || g.role == Role::TokenTypeEmbedding)
      add(inv.embedding_params, n);
  }
  if (b.overflow() || inv.total_params > kMaxParams || inv.buffer_bytes > kMaxBufferBytes) return;
  // What the checkpoint stores: parameters, persistent buffers, MTP layers (set before finish()).
  add(inv.checkpoint_params, inv.total_params);
  add(inv.checkpoint_params, inv.mtp_params);
  for (const auto& g : inv.groups)
    if (g.is_buffer() && g.persistent && g.in_full) add(inv.checkpoint_params, inv.group_total(g));
  // Active parameters per token: routed experts count only for the top-k of them.
  inv.active_params = inv.total_params;
  if (s.moe && s.moe->routed_experts > 0) {
    for (const auto& g : inv.groups) {
      if (g.role != Role::ExpertProjection || !g.in_full) continue;
      // ≤ the group's total (idle ≤ experts), which is ≤ total_params: checked all the same.
      const std::uint64_t per_expert = b.mul(g.rows, g.cols);
      const std::uint64_t idle = s.moe->routed_experts - std::min(s.moe->experts_per_token, s.moe->routed_experts);
      inv.active_params -= std::min(inv.active_params, b.mul(b.mul(per_expert, idle), inv.block_count(g.block)));
    }
  }

  HfCalculatorView& hf = inv.hf;
  hf.uses_full_class = s.hf_view_uses_full_class || s.head == HeadKind::Base;
  const std::string prefix = s.hf_view_uses_full_class ? std::string(b.names().full_prefix) : "";
  const std::string base_class = s.outer_arch ? std::string(s.outer_arch->base_class)
                                 : s.arch     ? std::string(s.arch->base_class)
                                              : "AutoModel (generic decoder)";
  hf.class_name = s.hf_view_uses_full_class && !s.architecture.empty() ? s.architecture : base_class;
  std::vector<std::pair<std::string, std::uint64_t>> units;  // registration order
  auto unit_bytes = [&](const std::string& name) -> std::uint64_t& {
    for (auto& u : units)
      if (u.first == name) return u.second;
    units.emplace_back(name, 0);
    return units.back().second;
  };
  for (const auto& g : inv.groups) {
    const bool member = s.hf_view_uses_full_class ? g.in_full : g.in_base;
    if (!member) continue;
    // accelerate's dtype_byte_size counts torch.bool as 1/8 byte (utils/modeling.py).
    // Every product and sum checked: parameters ≤ 10^16 and buffers ≤ 10^16 B keep them far below
    // 2^62, and the checks keep it so whatever the ceilings become.
    const std::uint64_t per_instance = !g.is_buffer() ? b.mul(g.numel(), 4)
                                       : g.bool_buffer ? g.numel() / 8
                                                       : b.mul(g.numel(), g.buffer_elem_bytes);
    const std::uint64_t n = inv.group_total(g);
    if (g.is_buffer()) {
      add(hf.buffer_bytes, b.mul(n, g.buffer_elem_bytes));
      add(hf.total_bytes_fp32, b.mul(per_instance, inv.block_count(g.block)));
    } else {
      add(hf.params, n);
      add(hf.total_bytes_fp32, b.mul(n, 4));
    }
    const bool head = g.role == Role::LmHead || g.role == Role::TaskHead;
    const std::string unit = g.block >= 0 ? inv.blocks[static_cast<std::size_t>(g.block)].name : g.unit;
    if (!unit.empty()) add(unit_bytes((head ? "" : prefix) + unit), per_instance);
  }
  for (const auto& [name, bytes] : units) {
    if (bytes > hf.largest_layer_bytes_fp32) {
      hf.largest_layer_bytes_fp32 = bytes;
      hf.largest_layer_name = name;
    }
  }
}

// The largest factor of the largest parameter group (or buffer): what a model over its ceiling is
// blamed on.
std::uint64_t largest_factor(const Inventory& inv, bool buffers) {
  const ParamGroup* big = nullptr;
  for (const auto& g : inv.groups)
    if (g.is_buffer() == buffers && (!big || inv.group_total(g) > inv.group_total(*big))) big = &g;
  if (!big) return 0;
  return std::max({big->rows, big->cols, big->experts, inv.block_count(big->block)});
}

}  // namespace
}  // namespace detail

std::vector<NamedCount> Inventory::summary() const {
  std::vector<NamedCount> out;
  auto bump = [&](const std::string& name, std::uint64_t n) {
    for (auto& c : out)
      if (c.name == name) {
        c.params += n;
        return;
      }
    out.push_back({name, n});
  };
  for (const auto& g : groups) {
    if (g.is_buffer() || !g.in_full) continue;
    bump(to_string(g.role), group_total(g));
  }
  return out;
}

Result<Inventory> build_inventory(const ModelDescription& spec) {
  if (spec.layers.size() != spec.num_layers)
    return make_error(ErrorCode::InvalidValue, "num_hidden_layers", Msg::error_inventory_layers);
  detail::InventoryBuilder b(spec);
  const Architecture* arch = spec.arch;
  const Architecture* outer = spec.outer_arch;
  if (outer && outer->build_vision && spec.vision) {
    outer->build_vision(b);
    b.set_prefix("language_model.");
  }
  if (arch && arch->build) {
    arch->build(b);
  } else {
    b.decoder_stack();
  }
  b.set_prefix("");
  // Heads exist only in the full class (architectures[0]), not in the AutoModel base class.
  const std::size_t before = b.inventory().groups.size();
  if (arch && arch->build_heads) {
    arch->build_heads(b);
  } else if (spec.head == HeadKind::CausalLm || spec.head == HeadKind::Seq2Seq) {
    b.causal_lm_head();
  }
  for (std::size_t k = before; k < b.inventory().groups.size(); ++k) b.inventory().groups[k].in_base = false;
  Inventory& inv = b.inventory();
  if (spec.mtp_layers > 0) {
    // Multi-token prediction module: stored in the checkpoint, not instantiated by transformers.
    // DeepSeek-V3 (layer index num_hidden_layers): one decoder layer plus enorm, hnorm (RMSNorm h
    // each), eh_proj (2h → h) and a final norm; Qwen3-Next / Qwen3.5 (mtp.*): the same shapes as
    // pre_fc_norm_embedding, pre_fc_norm_hidden, fc and norm around one full-attention layer.
    // Embedding and head are shared. The layer is an attention layer of the model's own MLP kind —
    // the MoE one when the model has experts, the indexed one when it has a DSA indexer (GLM-5.1:
    // 753,864,139,008 stored elements, tests/model/arch/deepseek_test.cpp; Qwen3.5-27B:
    // 27,781,427,952, tests/model/arch/qwen3_next_test.cpp).
    const auto rank = [](const Block& blk) { return (blk.moe ? 2 : 0) + (blk.indexer ? 1 : 0); };
    int mtp_block = -1;
    for (std::size_t k = 0; k < inv.blocks.size(); ++k) {
      const Block& blk = inv.blocks[k];
      if (blk.kind != LayerKind::Attention || blk.encoder || blk.parallel_mamba) continue;
      if (mtp_block < 0 || rank(blk) > rank(inv.blocks[static_cast<std::size_t>(mtp_block)])) mtp_block = static_cast<int>(k);
    }
    std::uint64_t layer_params = 0, layer_stored_buffers = 0;
    for (const auto& g : inv.groups) {
      if (g.block != mtp_block) continue;
      const std::uint64_t n = b.mul(b.mul(g.rows, g.cols), g.experts);
      if (!g.is_buffer()) layer_params = b.plus(layer_params, n);
      else if (g.persistent) layer_stored_buffers = b.plus(layer_stored_buffers, n);
    }
    const std::uint64_t h = spec.hidden_size;
    inv.mtp_params = b.mul(spec.mtp_layers, b.plus(b.plus(layer_params, b.mul(3, h)), b.mul(b.mul(2, h), h)));
    inv.checkpoint_params = b.mul(spec.mtp_layers, layer_stored_buffers);
  }
  detail::finish(b);
  if (b.overflow()) return *b.overflow();
  if (inv.total_params > detail::kMaxParams || inv.mtp_params > detail::kMaxParams) {
    const std::string key = b.key_of(detail::largest_factor(inv, false));
    return make_error(ErrorCode::Overflow, key, {Msg::error_inventory_ceiling, {{"key", ConfigKey{key}}}});
  }
  if (inv.buffer_bytes > detail::kMaxBufferBytes) {
    const std::string key = b.key_of(detail::largest_factor(inv, true));
    return make_error(ErrorCode::Overflow, key, {Msg::error_inventory_buffer_ceiling, {{"key", ConfigKey{key}}}});
  }
  return std::move(inv);
}

}  // namespace vram

// ModelSpec → exact parameter inventory. The tensor shapes follow the transformers v4.57 modeling
// files (modeling_<type>.py); tests compare every total with transformers + accelerate
// (shared/reference/params.json).
#include "vram/model/inventory.hpp"

#include <algorithm>
#include <map>

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

namespace {

// Module names of one family, as transformers registers them (for display and LoRA matching).
struct Naming {
  const char* base_class = "LlamaModel";
  const char* full_prefix = "model.";  // where the base model sits inside the full class
  const char* embed = "embed_tokens";
  const char* positions = "";
  const char* layers = "layers";
  const char* final_norm = "norm";
  const char* lm_head = "lm_head";
  const char* attn = "self_attn.";
  const char* q = "q_proj";
  const char* k = "k_proj";
  const char* v = "v_proj";
  const char* qkv = "qkv_proj";
  const char* o = "o_proj";
  const char* mlp = "mlp.";
  const char* gate = "gate_proj";
  const char* up = "up_proj";
  const char* down = "down_proj";
  const char* norm1 = "input_layernorm";
  const char* norm2 = "post_attention_layernorm";
};

Naming naming_for(const ModelSpec& s) {
  Naming n;
  const std::string& t = s.model_type;
  static const std::map<std::string, const char*, std::less<>> kBase{
      {"llama", "LlamaModel"}, {"mistral", "MistralModel"}, {"mixtral", "MixtralModel"},
      {"qwen2", "Qwen2Model"}, {"qwen2_moe", "Qwen2MoeModel"}, {"qwen3", "Qwen3Model"},
      {"qwen3_moe", "Qwen3MoeModel"}, {"gemma", "GemmaModel"}, {"gemma2", "Gemma2Model"},
      {"gemma3_text", "Gemma3TextModel"}, {"phi", "PhiModel"}, {"phi3", "Phi3Model"},
      {"gpt2", "GPT2Model"}, {"gptj", "GPTJModel"}, {"gpt_neox", "GPTNeoXModel"},
      {"gpt_bigcode", "GPTBigCodeModel"}, {"falcon", "FalconModel"}, {"bloom", "BloomModel"},
      {"opt", "OPTModel"}, {"mpt", "MptModel"}, {"starcoder2", "Starcoder2Model"},
      {"olmo", "OlmoModel"}, {"olmo2", "Olmo2Model"}, {"olmo3", "Olmo3Model"},
      {"deepseek_v2", "DeepseekV2Model"}, {"deepseek_v3", "DeepseekV3Model"},
      {"gpt_oss", "GptOssModel"}, {"bert", "BertModel"}, {"t5", "T5Model"},
  };
  auto it = kBase.find(t);
  n.base_class = it == kBase.end() ? "AutoModel (generic decoder)" : it->second;
  if (s.outer_model_type == "gemma3") n.base_class = "Gemma3Model";
  if (t == "gpt2" || t == "gpt_bigcode") {
    n.full_prefix = "transformer.";
    n.embed = "wte";
    n.positions = "wpe";
    n.layers = "h";
    n.final_norm = "ln_f";
    n.attn = "attn.";
    n.qkv = "c_attn";
    n.o = "c_proj";
    n.up = "c_fc";
    n.down = "c_proj";
    n.norm1 = "ln_1";
    n.norm2 = "ln_2";
  } else if (t == "gptj") {
    n.full_prefix = "transformer.";
    n.embed = "wte";
    n.layers = "h";
    n.final_norm = "ln_f";
    n.attn = "attn.";
    n.o = "out_proj";
    n.up = "fc_in";
    n.down = "fc_out";
    n.norm1 = "ln_1";
  } else if (t == "gpt_neox") {
    n.full_prefix = "gpt_neox.";
    n.embed = "embed_in";
    n.final_norm = "final_layer_norm";
    n.lm_head = "embed_out";
    n.attn = "attention.";
    n.qkv = "query_key_value";
    n.o = "dense";
    n.up = "dense_h_to_4h";
    n.down = "dense_4h_to_h";
  } else if (t == "falcon" || t == "bloom") {
    n.full_prefix = "transformer.";
    n.embed = "word_embeddings";
    n.layers = "h";
    n.final_norm = "ln_f";
    n.attn = "self_attention.";
    n.qkv = "query_key_value";
    n.o = "dense";
    n.up = "dense_h_to_4h";
    n.down = "dense_4h_to_h";
    if (t == "falcon" && s.block == BlockStyle::ParallelTwoNorm) {
      n.norm1 = "ln_attn";
      n.norm2 = "ln_mlp";
    }
  } else if (t == "opt") {
    n.full_prefix = "model.";
    n.embed = "decoder.embed_tokens";
    n.positions = "decoder.embed_positions";
    n.layers = "decoder.layers";
    n.final_norm = "decoder.final_layer_norm";
    n.o = "out_proj";
    n.mlp = "";
    n.up = "fc1";
    n.down = "fc2";
    n.norm1 = "self_attn_layer_norm";
    n.norm2 = "final_layer_norm";
  } else if (t == "mpt") {
    n.full_prefix = "transformer.";
    n.embed = "wte";
    n.layers = "blocks";
    n.final_norm = "norm_f";
    n.attn = "attn.";
    n.qkv = "Wqkv";
    n.o = "out_proj";
    n.mlp = "ffn.";
    n.norm1 = "norm_1";
    n.norm2 = "norm_2";
  } else if (t == "phi") {
    n.final_norm = "final_layernorm";
    n.o = "dense";
    n.up = "fc1";
    n.down = "fc2";
  } else if (t == "starcoder2") {
    n.up = "c_fc";
    n.down = "c_proj";
  } else if (t == "olmo2" || t == "olmo3") {
    n.norm1 = "post_attention_layernorm";
    n.norm2 = "post_feedforward_layernorm";
  } else if (t == "bert") {
    n.full_prefix = "bert.";
    n.embed = "embeddings.word_embeddings";
    n.positions = "embeddings.position_embeddings";
    n.layers = "encoder.layer";
    n.attn = "attention.";
    n.q = "self.query";
    n.k = "self.key";
    n.v = "self.value";
    n.o = "output.dense";
    n.mlp = "";
    n.up = "intermediate.dense";
    n.down = "output.dense";
    n.norm1 = "attention.output.LayerNorm";
    n.norm2 = "output.LayerNorm";
  }
  return n;
}

// The PEFT-matchable leaf name of a dotted module path ("self.query" → "query").
std::string leaf(const std::string& path) {
  auto pos = path.rfind('.');
  return pos == std::string::npos ? path : path.substr(pos + 1);
}

class Builder {
 public:
  explicit Builder(const ModelSpec& spec) : s_(spec), n_(naming_for(spec)) {}

  Inventory build();

 private:
  int add_block(std::string name, std::string label, std::uint64_t count, std::uint64_t first, bool moe, bool encoder = false) {
    inv_.blocks.push_back(Block{prefix_ + name, std::move(label), count, first, moe, encoder});
    return static_cast<int>(inv_.blocks.size()) - 1;
  }

  ParamGroup& add(std::string name, std::string module, Role role, std::uint64_t rows, std::uint64_t cols, int block,
                  std::string unit = {}) {
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
    inv_.groups.push_back(std::move(g));
    return inv_.groups.back();
  }

  // A Linear (out × in) with an optional bias, registered under `path` (module path).
  void linear(const std::string& path, Role role, std::uint64_t out, std::uint64_t in, bool with_bias, int block,
              std::uint64_t experts = 1, const std::string& unit = {}) {
    ParamGroup& w = add(path + ".weight", leaf(path), role, out, in, block, unit.empty() && block < 0 ? path : unit);
    w.linear = true;
    w.experts = experts;
    if (with_bias) {
      ParamGroup& b = add(path + ".bias", leaf(path), role, out, 1, block, unit.empty() && block < 0 ? path : unit);
      b.bias = true;
      b.experts = experts;
    }
  }

  void norm(const std::string& path, std::uint64_t width, int block, NormKind kind, const std::string& unit = {}) {
    if (kind == NormKind::NonParametric) return;
    const std::string u = unit.empty() && block < 0 ? path : unit;
    add(path + ".weight", leaf(path), Role::Norm, width, 1, block, u);
    if (kind == NormKind::LayerNorm) add(path + ".bias", leaf(path), Role::Norm, width, 1, block, u);
  }
  void norm(const std::string& path, std::uint64_t width, int block) { norm(path, width, block, s_.norm); }

  void buffer(const std::string& path, std::uint64_t numel, std::uint8_t elem_bytes, int block, const std::string& unit = {}) {
    ParamGroup& g = add(path, leaf(path), Role::Buffer, numel, 1, block, unit);
    g.buffer_elem_bytes = elem_bytes;
  }

  void rotary_buffer(const std::string& path, int block) {
    // inv_freq = 1 / base^(arange(0, dim, 2) / dim): ceil(dim / 2) float32 values.
    if (s_.rotary_dim > 0) buffer(path + ".inv_freq", (s_.rotary_dim + 1) / 2, 4, block, block < 0 ? path : "");
  }

  void decoder_layer(int b, bool moe);
  void attention(const std::string& p, int b);
  void dense_mlp(const std::string& p, int b, std::uint64_t width, Role role);
  void moe_mlp(const std::string& p, int b);
  void decoder_stack();
  void t5();
  void heads();
  void finish();

  void vision_tower();

  const ModelSpec& s_;
  Naming n_;
  Inventory inv_;
  std::string prefix_;            // "language_model." inside a multimodal wrapper
  bool unit_suppressed_ = false;  // direct params of a non-leaf module are no accelerate unit
};

// Gemma3ForConditionalGeneration: SiglipVisionModel + Gemma3MultiModalProjector
// (transformers 4.57 models/siglip/modeling_siglip.py, models/gemma3/modeling_gemma3.py).
void Builder::vision_tower() {
  const VisionSpec& v = *s_.vision;
  const std::uint64_t hv = v.hidden_size, iv = v.intermediate_size;
  const std::uint64_t patches = (v.image_size / v.patch_size) * (v.image_size / v.patch_size);
  const std::string p = "vision_tower.vision_model.";
  const std::string emb = p + "embeddings";  // SiglipVisionEmbeddings: one no-split unit
  ParamGroup& conv = add(emb + ".patch_embedding.weight", "patch_embedding", Role::VisionTower, hv,
                         v.num_channels * v.patch_size * v.patch_size, -1, emb);
  conv.linear = false;
  add(emb + ".patch_embedding.bias", "patch_embedding", Role::VisionTower, hv, 1, -1, emb);
  add(emb + ".position_embedding.weight", "position_embedding", Role::VisionTower, patches, hv, -1, emb);
  buffer(emb + ".position_ids", patches, 8, -1, emb);
  const int b = add_block(p + "encoder.layers.0", "vision encoder layer", v.num_layers, 0, false, true);
  const std::string l = p + "encoder.layers.{i}.";
  auto vlinear = [&](const std::string& path, std::uint64_t out, std::uint64_t in) {
    linear(path, Role::VisionTower, out, in, true, b);
  };
  norm(l + "layer_norm1", hv, b, NormKind::LayerNorm);
  for (const char* m : {"q_proj", "k_proj", "v_proj", "out_proj"}) vlinear(l + "self_attn." + m, hv, hv);
  norm(l + "layer_norm2", hv, b, NormKind::LayerNorm);
  vlinear(l + "mlp.fc1", iv, hv);
  vlinear(l + "mlp.fc2", hv, iv);
  norm(p + "post_layernorm", hv, -1, NormKind::LayerNorm);
  if (v.use_head) {
    const std::string h = p + "head";  // SiglipMultiheadAttentionPoolingHead: one no-split unit
    add(h + ".probe", "probe", Role::VisionTower, hv, 1, -1, h);
    add(h + ".attention.in_proj_weight", "attention", Role::VisionTower, 3 * hv, hv, -1, h);
    add(h + ".attention.in_proj_bias", "attention", Role::VisionTower, 3 * hv, 1, -1, h);
    add(h + ".attention.out_proj.weight", "out_proj", Role::VisionTower, hv, hv, -1, h);
    add(h + ".attention.out_proj.bias", "out_proj", Role::VisionTower, hv, 1, -1, h);
    norm(h + ".layernorm", hv, -1, NormKind::LayerNorm, h);
    add(h + ".mlp.fc1.weight", "fc1", Role::VisionTower, iv, hv, -1, h);
    add(h + ".mlp.fc1.bias", "fc1", Role::VisionTower, iv, 1, -1, h);
    add(h + ".mlp.fc2.weight", "fc2", Role::VisionTower, hv, iv, -1, h);
    add(h + ".mlp.fc2.bias", "fc2", Role::VisionTower, hv, 1, -1, h);
  }
  unit_suppressed_ = true;
  add("multi_modal_projector.mm_input_projection_weight", "mm_input_projection", Role::Projector, hv, s_.hidden_size, -1);
  unit_suppressed_ = false;
  norm("multi_modal_projector.mm_soft_emb_norm", hv, -1, NormKind::RmsNorm);
  for (auto& g : inv_.groups)
    if (g.role == Role::Norm && g.name.rfind("multi_modal_projector", 0) == 0) g.role = Role::Projector;
}

void Builder::attention(const std::string& p, int b) {
  const std::uint64_t h = s_.hidden_size, d = s_.head_dim, nh = s_.num_heads, nkv = s_.num_kv_heads;
  const std::string a = p + n_.attn;
  if (s_.mla) {
    // DeepseekV2/V3Attention: optional low-rank query, joint low-rank KV with a decoupled RoPE key.
    const MlaSpec& m = *s_.mla;
    const std::uint64_t qk = m.qk_nope_head_dim + m.qk_rope_head_dim;
    if (m.q_lora_rank > 0) {
      linear(a + "q_a_proj", Role::AttentionProjection, m.q_lora_rank, h, s_.attn_qkv_bias, b);
      norm(a + "q_a_layernorm", m.q_lora_rank, b, NormKind::RmsNorm);
      linear(a + "q_b_proj", Role::AttentionProjection, nh * qk, m.q_lora_rank, false, b);
    } else {
      linear(a + "q_proj", Role::AttentionProjection, nh * qk, h, false, b);
    }
    linear(a + "kv_a_proj_with_mqa", Role::AttentionProjection, m.kv_lora_rank + m.qk_rope_head_dim, h, s_.attn_qkv_bias, b);
    norm(a + "kv_a_layernorm", m.kv_lora_rank, b, NormKind::RmsNorm);
    linear(a + "kv_b_proj", Role::AttentionProjection, nh * (m.qk_nope_head_dim + m.v_head_dim), m.kv_lora_rank, false, b);
    linear(a + "o_proj", Role::AttentionProjection, h, nh * m.v_head_dim, s_.attn_out_bias, b);
    return;
  }
  if (s_.fused_qkv) {
    linear(a + n_.qkv, Role::AttentionProjection, (nh + 2 * nkv) * d, h, s_.attn_qkv_bias, b);
  } else {
    linear(a + n_.q, Role::AttentionProjection, nh * d, h, s_.attn_qkv_bias, b);
    linear(a + n_.k, Role::AttentionProjection, nkv * d, h, s_.attn_qkv_bias, b);
    linear(a + n_.v, Role::AttentionProjection, nkv * d, h, s_.attn_qkv_bias, b);
  }
  linear(a + n_.o, Role::AttentionProjection, h, nh * d, s_.attn_out_bias, b);
  switch (s_.qk_norm) {
    case QkNorm::None: break;
    case QkNorm::PerHead:
      norm(a + "q_norm", d, b, NormKind::RmsNorm);
      norm(a + "k_norm", d, b, NormKind::RmsNorm);
      break;
    case QkNorm::FullWidth:
      norm(a + "q_norm", nh * d, b, NormKind::RmsNorm);
      norm(a + "k_norm", nkv * d, b, NormKind::RmsNorm);
      break;
    case QkNorm::LayerNormPerHead:
      norm(a + "q_layernorm", d, b, NormKind::LayerNorm);
      norm(a + "k_layernorm", d, b, NormKind::LayerNorm);
      break;
  }
  if (s_.attention_sinks) add(a + "sinks", "sinks", Role::AttentionOther, nh, 1, b);
  if (s_.rotary_per_layer) rotary_buffer(a + "rotary_emb", b);
}

void Builder::dense_mlp(const std::string& p, int b, std::uint64_t width, Role role) {
  const std::uint64_t h = s_.hidden_size;
  if (s_.mlp == MlpKind::Gated) {
    if (s_.fused_gate_up) {
      linear(p + "gate_up_proj", role, 2 * width, h, s_.mlp_bias, b);
    } else {
      linear(p + n_.gate, role, width, h, s_.mlp_bias, b);
      linear(p + n_.up, role, width, h, s_.mlp_bias, b);
    }
  } else {
    linear(p + n_.up, role, width, h, s_.mlp_bias, b);
  }
  linear(p + n_.down, role, h, width, s_.mlp_bias, b);
}

void Builder::moe_mlp(const std::string& p, int b) {
  const MoeSpec& m = *s_.moe;
  const std::uint64_t h = s_.hidden_size, e = m.routed_experts, w = m.expert_intermediate;
  const std::string router = s_.model_type == "gpt_oss" ? "router" : "gate";
  ParamGroup& r = add(p + router + ".weight", router, Role::Router, e, h, b);
  r.linear = s_.model_type != "gpt_oss";  // gpt-oss router is an nn.Linear too, but kept unquantised
  if (m.router_bias) add(p + router + ".bias", router, Role::Router, e, 1, b).bias = true;
  if (m.score_correction_bias) buffer(p + "gate.e_score_correction_bias", e, 4, b);
  if (m.fused_gate_up) {
    // GptOssExperts: gate_up_proj [E, h, 2w] + bias [E, 2w]; down_proj [E, w, h] + bias [E, h].
    ParamGroup& gu = add(p + "experts.gate_up_proj", "gate_up_proj", Role::ExpertProjection, 2 * w, h, b);
    gu.experts = e;
    gu.linear = true;
    if (m.expert_bias) {
      ParamGroup& gub = add(p + "experts.gate_up_proj_bias", "gate_up_proj", Role::ExpertProjection, 2 * w, 1, b);
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
    const bool mixtral = s_.model_type == "mixtral";
    const std::string ex = "experts.{e}.";
    linear(p + ex + (mixtral ? "w1" : "gate_proj"), Role::ExpertProjection, w, h, false, b, e);
    linear(p + ex + (mixtral ? "w3" : "up_proj"), Role::ExpertProjection, w, h, false, b, e);
    linear(p + ex + (mixtral ? "w2" : "down_proj"), Role::ExpertProjection, h, w, false, b, e);
  }
  if (m.shared_intermediate > 0) {
    const std::string sp = p + (s_.model_type == "qwen2_moe" ? "shared_expert." : "shared_experts.");
    linear(sp + "gate_proj", Role::SharedExpertProjection, m.shared_intermediate, h, false, b);
    linear(sp + "up_proj", Role::SharedExpertProjection, m.shared_intermediate, h, false, b);
    linear(sp + "down_proj", Role::SharedExpertProjection, h, m.shared_intermediate, false, b);
  }
  if (m.shared_expert_gate) linear(p + "shared_expert_gate", Role::Router, 1, h, false, b);
}

void Builder::decoder_layer(int b, bool moe) {
  const std::uint64_t h = s_.hidden_size;
  const std::string p = std::string(n_.layers) + ".{i}.";
  switch (s_.block) {
    case BlockStyle::PreNorm:
    case BlockStyle::PostLN:
      norm(p + n_.norm1, h, b);
      break;
    case BlockStyle::Parallel:
      norm(p + n_.norm1, h, b);
      break;
    case BlockStyle::ParallelTwoNorm:
      norm(p + n_.norm1, h, b);
      norm(p + n_.norm2, h, b);
      break;
    case BlockStyle::SandwichNorm:
      norm(p + "input_layernorm", h, b);
      norm(p + "post_attention_layernorm", h, b);
      norm(p + "pre_feedforward_layernorm", h, b);
      norm(p + "post_feedforward_layernorm", h, b);
      break;
    case BlockStyle::PostNormOnly:
      norm(p + n_.norm1, h, b);
      norm(p + n_.norm2, h, b);
      break;
  }
  attention(p, b);
  if (s_.block == BlockStyle::PreNorm || s_.block == BlockStyle::PostLN) norm(p + n_.norm2, h, b);
  if (moe) {
    moe_mlp(p + (s_.model_type == "mixtral" ? "block_sparse_moe." : n_.mlp), b);
  } else {
    dense_mlp(p + n_.mlp, b, s_.intermediate_size, Role::MlpProjection);
  }
  if (s_.causal_mask_per_layer) {
    buffer(p + n_.attn + "bias", s_.causal_mask_positions * s_.causal_mask_positions, 1, b);
    inv_.groups.back().bool_buffer = true;
    buffer(p + n_.attn + "masked_bias", 1, 4, b);
  }
}

void Builder::decoder_stack() {
  const std::uint64_t h = s_.hidden_size;
  const std::uint64_t emb_w = s_.embedding_dim ? s_.embedding_dim : h;
  const bool bert = s_.model_type == "bert";
  const std::string emb_unit = bert ? "embeddings" : "";

  ParamGroup& emb = add(std::string(n_.embed) + ".weight", leaf(n_.embed), Role::Embedding, s_.vocab_size, emb_w, -1,
                        bert ? emb_unit : std::string(n_.embed));
  (void)emb;
  if (s_.embed_scale_buffer) buffer(std::string(n_.embed) + ".embed_scale", 1, 4, -1, n_.embed);
  if (s_.learned_positions && !bert)
    add(std::string(n_.positions) + ".weight", leaf(n_.positions), Role::PositionEmbedding, s_.learned_positions, h, -1,
        n_.positions);
  if (bert) {
    add("embeddings.position_embeddings.weight", "position_embeddings", Role::PositionEmbedding, s_.learned_positions, h, -1, emb_unit);
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

  // Blocks: consecutive runs of identical layers (dense / MoE).
  const std::string layer_label = bert ? "encoder layer" : "decoder layer";
  const std::size_t first_block = inv_.blocks.size();
  std::uint64_t i = 0;
  while (i < s_.num_layers) {
    const bool moe = s_.layers[i].moe;
    std::uint64_t j = i;
    while (j < s_.num_layers && s_.layers[j].moe == moe) ++j;
    // Merge with an existing block of the same kind (DeepSeek moe_layer_freq > 1 alternates).
    int b = -1;
    for (std::size_t k = first_block; k < inv_.blocks.size(); ++k)
      if (inv_.blocks[k].moe == moe) b = static_cast<int>(k);
    if (b < 0) {
      b = add_block(std::string(n_.layers) + "." + std::to_string(i), layer_label + (moe ? " (MoE)" : ""), 0, i, moe, bert);
      decoder_layer(b, moe);
    }
    inv_.blocks[static_cast<std::size_t>(b)].count += j - i;
    i = j;
  }
  if (s_.final_norm) norm(n_.final_norm, h, -1);
  for (std::uint64_t r = 0; r < s_.rope_theta_count && !s_.rotary_per_layer; ++r)
    rotary_buffer(r == 0 ? "rotary_emb" : "rotary_emb_local", -1);
  if (s_.rotary_per_layer) rotary_buffer("rotary_emb", -1);
  if (s_.causal_mask_positions && !s_.causal_mask_per_layer) {
    buffer("bias", s_.causal_mask_positions * s_.causal_mask_positions, 1, -1, "bias");
    inv_.groups.back().bool_buffer = true;
  }
}

void Builder::t5() {
  const std::uint64_t d = s_.hidden_size, inner = s_.num_heads * s_.head_dim, ff = s_.intermediate_size;
  const EncoderDecoderSpec& ed = *s_.encoder_decoder;
  add("shared.weight", "shared", Role::Embedding, s_.vocab_size, d, -1, "shared");
  auto attention_block = [&](const std::string& p, int b, bool relative_bias) {
    linear(p + "q", Role::AttentionProjection, inner, d, false, b);
    linear(p + "k", Role::AttentionProjection, inner, d, false, b);
    linear(p + "v", Role::AttentionProjection, inner, d, false, b);
    linear(p + "o", Role::AttentionProjection, d, inner, false, b);
    if (relative_bias)
      add(p + "relative_attention_bias.weight", "relative_attention_bias", Role::AttentionOther,
          ed.relative_attention_num_buckets, s_.num_heads, b);
  };
  auto ff_block = [&](const std::string& p, int b) {
    if (s_.mlp == MlpKind::Gated) {
      linear(p + "wi_0", Role::MlpProjection, ff, d, false, b);
      linear(p + "wi_1", Role::MlpProjection, ff, d, false, b);
    } else {
      linear(p + "wi", Role::MlpProjection, ff, d, false, b);
    }
    linear(p + "wo", Role::MlpProjection, d, ff, false, b);
  };
  auto stack = [&](const std::string& name, std::uint64_t layers, bool decoder) {
    for (int first = 1; first >= 0; --first) {
      const std::uint64_t count = first ? 1 : layers - 1;
      if (count == 0) continue;
      const std::uint64_t idx = first ? 0 : 1;
      const int b = add_block(name + ".block." + std::to_string(idx),
                              std::string(decoder ? "decoder" : "encoder") + " block" + (first ? " 0" : ""), count, idx,
                              false, !decoder);
      const std::string p = name + ".block.{i}.layer.";
      attention_block(p + "0.SelfAttention.", b, first != 0);
      norm(p + "0.layer_norm", d, b);
      if (decoder) {
        attention_block(p + "1.EncDecAttention.", b, false);
        norm(p + "1.layer_norm", d, b);
      }
      const std::string f = p + (decoder ? "2." : "1.");
      ff_block(f + "DenseReluDense.", b);
      norm(f + "layer_norm", d, b);
    }
    norm(name + ".final_layer_norm", d, -1, NormKind::RmsNorm, name + ".final_layer_norm");
  };
  stack("encoder", ed.encoder_layers, false);
  stack("decoder", ed.decoder_layers, true);
}

void Builder::heads() {
  const std::uint64_t h = s_.hidden_size;
  const std::uint64_t emb_w = s_.embedding_dim ? s_.embedding_dim : h;
  auto full_only = [&](ParamGroup& g) {
    g.in_base = false;
    return &g;
  };
  const std::size_t before = inv_.groups.size();
  if (s_.head == "causal_lm" || s_.head == "seq2seq") {
    if (!s_.tie_word_embeddings) {
      add(std::string(n_.lm_head) + ".weight", n_.lm_head, Role::LmHead, s_.vocab_size, emb_w, -1, n_.lm_head).linear = true;
    }
    if (s_.lm_head_bias) add(std::string(n_.lm_head) + ".bias", n_.lm_head, Role::LmHead, s_.vocab_size, 1, -1, n_.lm_head).bias = true;
  } else if (s_.model_type == "bert") {
    const bool pooled = s_.head == "seq_cls" || s_.head == "pretraining" || s_.head == "base";
    for (auto& g : inv_.groups)
      if (g.role == Role::Pooler) g.in_full = pooled;
    if (s_.head == "masked_lm" || s_.head == "pretraining") {
      linear("cls.predictions.transform.dense", Role::TaskHead, h, h, true, -1);
      norm("cls.predictions.transform.LayerNorm", h, -1, NormKind::LayerNorm);
      if (!s_.tie_word_embeddings)
        add("cls.predictions.decoder.weight", "decoder", Role::LmHead, s_.vocab_size, h, -1).linear = true;
      add("cls.predictions.bias", "decoder", Role::LmHead, s_.vocab_size, 1, -1);
    }
    if (s_.head == "pretraining") linear("cls.seq_relationship", Role::TaskHead, 2, h, true, -1);
    if (s_.head == "seq_cls" || s_.head == "token_cls") linear("classifier", Role::TaskHead, s_.num_labels, h, true, -1);
    if (s_.head == "qa") linear("qa_outputs", Role::TaskHead, 2, h, true, -1);
  }
  for (std::size_t k = before; k < inv_.groups.size(); ++k) full_only(inv_.groups[k]);
}

void Builder::finish() {
  // Totals.
  for (const auto& g : inv_.groups) {
    const std::uint64_t n = inv_.group_total(g);
    if (g.is_buffer()) {
      if (g.in_full) inv_.buffer_bytes += n * g.buffer_elem_bytes;
      continue;
    }
    if (!g.in_full) continue;
    inv_.total_params += n;
    if (g.role == Role::Embedding || g.role == Role::PositionEmbedding || g.role == Role::TokenTypeEmbedding)
      inv_.embedding_params += n;
  }
  // Active parameters per token: routed experts count only for the top-k of them.
  inv_.active_params = inv_.total_params;
  if (s_.moe && s_.moe->routed_experts > 0) {
    for (const auto& g : inv_.groups) {
      if (g.role != Role::ExpertProjection || !g.in_full) continue;
      const std::uint64_t per_expert = g.rows * g.cols;
      const std::uint64_t idle = s_.moe->routed_experts - std::min(s_.moe->experts_per_token, s_.moe->routed_experts);
      inv_.active_params -= per_expert * idle * inv_.block_count(g.block);
    }
  }

  // Hugging Face calculator view: AutoModel (or the auto_map class), fp32, buffers included;
  // largest layer = largest accelerate no-split unit (a block, or a top-level leaf module).
  HfCalculatorView& hf = inv_.hf;
  hf.uses_full_class = s_.hf_view_uses_full_class || s_.head == "base";
  const std::string prefix = s_.hf_view_uses_full_class && s_.model_type != "t5" ? n_.full_prefix : "";
  hf.class_name = s_.hf_view_uses_full_class && !s_.architecture.empty() ? s_.architecture : n_.base_class;
  std::vector<std::pair<std::string, std::uint64_t>> units;  // registration order
  auto unit_bytes = [&](const std::string& name) -> std::uint64_t& {
    for (auto& u : units)
      if (u.first == name) return u.second;
    units.emplace_back(name, 0);
    return units.back().second;
  };
  for (const auto& g : inv_.groups) {
    const bool member = s_.hf_view_uses_full_class ? g.in_full : g.in_base;
    if (!member) continue;
    // accelerate's dtype_byte_size counts torch.bool as 1/8 byte (utils/modeling.py).
    const std::uint64_t per_instance = !g.is_buffer() ? g.numel() * 4
                                       : g.bool_buffer ? g.numel() / 8
                                                       : g.numel() * g.buffer_elem_bytes;
    const std::uint64_t n = inv_.group_total(g);
    if (g.is_buffer()) {
      hf.buffer_bytes += n * g.buffer_elem_bytes;
      hf.total_bytes_fp32 += per_instance * inv_.block_count(g.block);
    } else {
      hf.params += n;
      hf.total_bytes_fp32 += n * 4;
    }
    const bool head = g.role == Role::LmHead || g.role == Role::TaskHead;
    const std::string unit = g.block >= 0 ? inv_.blocks[static_cast<std::size_t>(g.block)].name : g.unit;
    if (!unit.empty()) unit_bytes((head ? "" : prefix) + unit) += per_instance;
  }
  for (const auto& [name, bytes] : units) {
    if (bytes > hf.largest_layer_bytes_fp32) {
      hf.largest_layer_bytes_fp32 = bytes;
      hf.largest_layer_name = name;
    }
  }
}

Inventory Builder::build() {
  if (s_.vision) {
    vision_tower();
    prefix_ = "language_model.";
  }
  if (s_.encoder_decoder) {
    t5();
  } else {
    decoder_stack();
    if (s_.pooler) {
      ParamGroup& w = add("pooler.dense.weight", "dense", Role::Pooler, s_.hidden_size, s_.hidden_size, -1, "pooler.dense");
      w.linear = true;
      add("pooler.dense.bias", "dense", Role::Pooler, s_.hidden_size, 1, -1, "pooler.dense").bias = true;
    }
  }
  prefix_.clear();
  heads();
  if (s_.mtp_layers > 0 && s_.moe) {
    // DeepSeek-V3 multi-token prediction module: stored in the checkpoint (layer index
    // num_hidden_layers), not instantiated by transformers. One MoE decoder layer plus enorm,
    // hnorm (RMSNorm h each), eh_proj (2h → h) and a final norm; embedding and head are shared.
    std::uint64_t layer_params = 0;
    for (const auto& g : inv_.groups)
      if (g.block >= 0 && inv_.blocks[static_cast<std::size_t>(g.block)].moe && !g.is_buffer()) layer_params += g.numel();
    const std::uint64_t h = s_.hidden_size;
    inv_.mtp_params = s_.mtp_layers * (layer_params + 3 * h + 2 * h * h);
  }
  finish();
  return std::move(inv_);
}

// Checked products: every group's element count must fit comfortably in 64 bits.
bool fits(const ModelSpec& s) {
  // double (not long double: soft-float quad arithmetic costs ~5 KB of WebAssembly) is exact
  // enough for a bound this far below 2^64.
  const double h = static_cast<double>(s.hidden_size);
  const double big = static_cast<double>(s.vocab_size) * h +
                     static_cast<double>(s.num_layers) *
                         (h * static_cast<double>(s.intermediate_size) * 3 *
                              static_cast<double>(s.moe ? s.moe->routed_experts + 1 : 1) +
                          4 * h * static_cast<double>(s.num_heads * s.head_dim));
  // 1e16 parameters is 5000× the largest published model; the bound keeps every per-parameter byte
  // count (≤ 16 B for fp32 weights + grads + Adam states) and their sums far below 2^64.
  return big < 1.0e16;
}

}  // namespace

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

Result<Inventory> build_inventory(const ModelSpec& spec) {
  if (!fits(spec))
    return make_error(ErrorCode::Overflow, "hidden_size",
                      "the model's dimensions multiply to more than 10^16 parameters; check hidden_size, "
                      "intermediate_size, num_hidden_layers and vocab_size");
  if (spec.layers.size() != spec.num_layers)
    return make_error(ErrorCode::InvalidValue, "num_hidden_layers", "internal: layer list does not match num_hidden_layers");
  return Builder(spec).build();
}

}  // namespace vram

// Qwen3-Next and Qwen3.5 (transformers models/qwen3_next, models/qwen3_5, qwen3_5_moe): hybrid
// decoders where gated-DeltaNet linear-attention layers (Qwen3NextGatedDeltaNet) alternate with
// gated full attention (q_proj emits query and output gate: 2 × heads × head_dim rows; per-head
// q/k RMSNorm; partial RoPE) — one full layer every `full_attention_interval`, or as `layer_types`
// lists. Qwen3-Next and Qwen3.5-MoE use Qwen2-MoE-style sparse blocks (one shared expert behind a
// sigmoid gate). Every release stores one multi-token-prediction layer (`mtp.*`, not built by
// transformers; mtp_num_hidden_layers). Qwen3.5 is a vision-language model: a Qwen3-VL-style ViT
// (Conv3d patches, learned positions, patch merger) wraps the text model.
#include <algorithm>

#include "model/config_readers.hpp"
#include "model/inventory_builder.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

// Layer kinds: layer_types ("linear_attention" / "full_attention"), else every
// full_attention_interval-th layer is full (Qwen3NextConfig: default 4).
void read_hybrid_layers(FieldReader& r, ModelDescription& s) {
  s.layers.assign(s.num_layers, LayerSpec{});
  if (const auto kinds = read_layer_names(r, s, "layer_types", {"linear_attention", "full_attention"})) {
    for (std::uint64_t i = 0; i < s.num_layers; ++i)
      s.layers[i].kind = (*kinds)[i] == 0 ? LayerKind::LinearAttention : LayerKind::Attention;
    return;
  }
  const std::uint64_t interval = r.positive_or("full_attention_interval", 4, kMaxLayers);
  for (std::uint64_t i = 0; i < s.num_layers; ++i)
    s.layers[i].kind = (i + 1) % interval == 0 ? LayerKind::Attention : LayerKind::LinearAttention;
}

void read_qwen3_next_like(FieldReader& r, ModelDescription& s, bool moe, bool split_projections) {
  read_dims(r, s);
  read_kv_and_head_dim(r, s, 256, 2);
  s.intermediate_size = r.positive_or("intermediate_size", 5632, kMaxWidth);
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = r.string_or("hidden_act", "silu");
  // Qwen3.5 nests partial_rotary_factor in rope_parameters; Qwen3-Next has it at the top (0.25).
  if (const Json* rope = r.object("rope_parameters")) {
    FieldReader rr = r.nested(*rope, "rope_parameters");
    read_rotary(rr, s, 0.25);
    if (rr.failed()) r.fail_with(rr.error());
  } else {
    read_rotary(r, s, 0.25);
  }
  s.attn_qkv_bias = s.attn_out_bias = r.bool_or("attention_bias", false);
  s.qk_norm = QkNorm::PerHead;
  s.attn_output_gate = r.bool_or("attn_output_gate", true);
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  read_hybrid_layers(r, s);
  LinearAttentionSpec la;
  la.key_heads = r.positive_or("linear_num_key_heads", 16, kMaxHeads);
  la.value_heads = r.positive_or("linear_num_value_heads", 32, kMaxHeads);
  la.key_head_dim = r.positive_or("linear_key_head_dim", 128, kMaxHidden);
  la.value_head_dim = r.positive_or("linear_value_head_dim", 128, kMaxHidden);
  la.conv_kernel = r.positive_or("linear_conv_kernel_dim", 4, 1024);
  la.split_projections = split_projections;
  s.linear_attention = la;
  // The checkpoints' mtp.* layers (the key is no field of transformers' config classes; every
  // released Qwen3-Next / Qwen3.5 config that states it says 1).
  s.mtp_layers = r.opt_uint("mtp_num_hidden_layers", 64).value_or(1);
  const std::string ssm = r.string_or("mamba_ssm_dtype", "");
  if (!ssm.empty()) s.ssm_state_dtype = parse_dtype(ssm);
  if (!moe) return;
  MoeSpec m;
  m.routed_experts = r.opt_uint("num_experts", kMaxExperts).value_or(512);
  m.experts_per_token = r.positive_or("num_experts_per_tok", 10, kMaxExperts);
  m.expert_intermediate = r.positive_or("moe_intermediate_size", 512, kMaxWidth);
  m.shared_intermediate = r.opt_uint("shared_expert_intermediate_size", kMaxWidth).value_or(512);
  m.shared_experts = m.shared_intermediate > 0 ? 1 : 0;
  m.shared_expert_gate = m.shared_intermediate > 0;
  read_sparse_step_layers(r, s, m);
  s.moe = m;
}

void read_qwen3_next(FieldReader& r, ModelDescription& s) { read_qwen3_next_like(r, s, true, false); }
void read_qwen3_5_text(FieldReader& r, ModelDescription& s) { read_qwen3_next_like(r, s, false, true); }
void read_qwen3_5_moe_text(FieldReader& r, ModelDescription& s) { read_qwen3_next_like(r, s, true, true); }

// Qwen3_5VisionConfig / Qwen3VLVisionConfig defaults.
void read_qwen_vit(FieldReader& vr, ModelDescription& s) {
  VisionSpec v;
  v.num_layers = vr.positive_or("depth", 27, kMaxLayers);
  v.hidden_size = vr.positive_or("hidden_size", 1152, kMaxHidden);
  v.intermediate_size = vr.positive_or("intermediate_size", 4304, kMaxWidth);
  v.heads = vr.positive_or("num_heads", 16, kMaxHeads);
  v.num_channels = vr.positive_or("in_channels", 3, 64);
  v.patch_size = vr.positive_or("patch_size", 16, 1u << 16);
  v.temporal_patch_size = vr.positive_or("temporal_patch_size", 2, 64);
  v.spatial_merge_size = vr.positive_or("spatial_merge_size", 2, 64);
  v.out_hidden_size = vr.positive_or("out_hidden_size", s.hidden_size, kMaxHidden);
  v.position_embeddings = vr.positive_or("num_position_embeddings", 2304, kMaxPositions);
  if (const Json* ds = vr.array("deepstack_visual_indexes")) v.deepstack_mergers = ds->size();
  s.vision = v;
}

// Qwen3VLVisionModel as Qwen3.5 builds it ("visual."), registered before the language model.
void build_qwen_vit(InventoryBuilder& b) {
  const VisionSpec& v = *b.spec().vision;
  const std::uint64_t hv = v.hidden_size, iv = v.intermediate_size;
  const std::string p = "visual.";
  // patch_embed.proj: Conv3d(in_channels, hidden, kernel [temporal, patch, patch], bias=True).
  const std::uint64_t patch = b.mul(b.mul(v.num_channels, v.temporal_patch_size), b.mul(v.patch_size, v.patch_size));
  b.add(p + "patch_embed.proj.weight", "proj", Role::VisionTower, hv, patch, -1, p + "patch_embed");
  b.add(p + "patch_embed.proj.bias", "proj", Role::VisionTower, hv, 1, -1, p + "patch_embed");
  b.add(p + "pos_embed.weight", "pos_embed", Role::VisionTower, v.position_embeddings, hv, -1, p + "pos_embed");
  // Qwen3VLVisionRotaryEmbedding(head_dim / 2): inv_freq of ceil(head_dim / 4) fp32 values.
  const std::uint64_t head_dim = v.heads ? hv / v.heads : 0;
  b.buffer(p + "rotary_pos_emb.inv_freq", (head_dim / 2 + 1) / 2, 4, -1, p + "rotary_pos_emb");
  const int blk = b.add_block(p + "blocks.0", v.num_layers, 0, false, true);
  const std::string l = p + "blocks.{i}.";
  b.norm(l + "norm1", hv, blk, NormKind::LayerNorm);
  b.norm(l + "norm2", hv, blk, NormKind::LayerNorm);
  b.linear(l + "attn.qkv", Role::VisionTower, b.mul(3, hv), hv, true, blk);
  b.linear(l + "attn.proj", Role::VisionTower, hv, hv, true, blk);
  b.linear(l + "mlp.linear_fc1", Role::VisionTower, iv, hv, true, blk);
  b.linear(l + "mlp.linear_fc2", Role::VisionTower, hv, iv, true, blk);
  // Qwen3VLVisionPatchMerger: LayerNorm (over hidden, or hidden × merge² after the shuffle for the
  // deepstack mergers), fc1 (hidden × merge² square), fc2 → out_hidden_size.
  const std::uint64_t merged = b.mul(hv, b.mul(v.spatial_merge_size, v.spatial_merge_size));
  const auto merger = [&](const std::string& m, std::uint64_t norm_width) {
    b.norm(m + "norm", norm_width, -1, NormKind::LayerNorm, m.substr(0, m.size() - 1));
    b.linear(m + "linear_fc1", Role::Projector, merged, merged, true, -1, 1, m.substr(0, m.size() - 1));
    b.linear(m + "linear_fc2", Role::Projector, v.out_hidden_size, merged, true, -1, 1, m.substr(0, m.size() - 1));
  };
  merger(p + "merger.", hv);
  for (std::uint64_t k = 0; k < v.deepstack_mergers; ++k) merger(p + "deepstack_merger_list." + std::to_string(k) + ".", merged);
  for (auto& g : b.inventory().groups)
    if (g.role == Role::Norm && g.name.find("merger") != std::string::npos) g.role = Role::Projector;
}

ModuleNames qwen3_next_names() {
  ModuleNames n;
  n.shared_expert = "shared_expert.";
  return n;
}

}  // namespace

extern const ArchitectureFamily arch_qwen3_next;
const ArchitectureFamily arch_qwen3_next{
    {.model_type = "qwen3_next", .base_class = "Qwen3NextModel", .read = read_qwen3_next, .names = qwen3_next_names(),
},
    {.model_type = "qwen3_5_text", .base_class = "Qwen3_5TextModel", .read = read_qwen3_5_text, .names = qwen3_next_names(),
},
    {.model_type = "qwen3_5_moe_text", .base_class = "Qwen3_5MoeTextModel", .read = read_qwen3_5_moe_text, .names = qwen3_next_names(),
},
    {.model_type = "qwen3_5",
     .base_class = "Qwen3_5Model",
     .multimodal_wrapper = true,
     .text_model_type = "qwen3_5_text",
     .read_vision = read_qwen_vit,
     .build_vision = build_qwen_vit},
    {.model_type = "qwen3_5_moe",
     .base_class = "Qwen3_5MoeModel",
     .multimodal_wrapper = true,
     .text_model_type = "qwen3_5_moe_text",
     .read_vision = read_qwen_vit,
     .build_vision = build_qwen_vit},
};

}  // namespace vram

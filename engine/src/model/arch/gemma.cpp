// Gemma, Gemma-2, Gemma-3 (transformers models/gemma, gemma2, gemma3, v4.57): tied embeddings,
// head_dim 256 by default; Gemma-2/3 with sandwich norms (four per layer) and alternating sliding /
// global attention; Gemma-3 with per-head q/k norms, a second (local) rotary module and a scaled
// embedding that stores its scale as a buffer. The multimodal Gemma-3 wraps the text model with a
// SigLIP vision tower and a projector (models/siglip/modeling_siglip.py, Gemma3MultiModalProjector).
#include "model/config_readers.hpp"
#include "model/inventory_builder.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

// GemmaConfig defaults num_key_value_heads to 16, Gemma2/3 to 4.
void read_gemma_common(FieldReader& r, ModelDescription& s, std::uint64_t default_kv) {
  if (s.outer_model_type == "gemma3") {
    // Multimodal Gemma-3 text_configs rely on Gemma3TextConfig defaults (real 4b/12b/27b configs
    // omit vocab_size and sometimes heads), so the class defaults apply here.
    s.vocab_size = r.positive_or("vocab_size", 262208, kMaxVocab);
    s.hidden_size = r.positive_or("hidden_size", 2304, kMaxHidden);
    s.num_layers = r.positive_or("num_hidden_layers", 26, kMaxLayers);
    s.num_heads = r.positive_or("num_attention_heads", 8, kMaxHeads);
    s.intermediate_size = r.positive_or("intermediate_size", 9216, kMaxWidth);
  } else {
    read_dims(r, s);
    s.intermediate_size = r.positive("intermediate_size", kMaxWidth);
  }
  read_kv_and_head_dim(r, s, /*default_head_dim=*/256, default_kv);
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = r.string_or("hidden_activation", r.string_or("hidden_act", "gelu_pytorch_tanh"));
  read_rotary(r, s);
  s.attn_qkv_bias = s.attn_out_bias = r.bool_or("attention_bias", false);
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", true);
}

void read_gemma(FieldReader& r, ModelDescription& s) {
  read_gemma_common(r, s, 16);
  s.layers.assign(s.num_layers, LayerSpec{});
}

void read_gemma2(FieldReader& r, ModelDescription& s) {
  read_gemma_common(r, s, 4);
  s.block = BlockStyle::SandwichNorm;
  // Gemma2Config: layer_types default "sliding_attention" if (i + 1) % 2 else "full_attention".
  read_layer_types(r, s, [](std::uint64_t i) { return (i + 1) % 2 != 0; });
}

void read_gemma3_text(FieldReader& r, ModelDescription& s) {
  read_gemma_common(r, s, 4);
  s.block = BlockStyle::SandwichNorm;
  s.qk_norm = QkNorm::PerHead;
  s.rope_theta_count = 2;        // rotary_emb (global) + rotary_emb_local
  s.embed_scale_buffer = true;   // Gemma3TextScaledWordEmbedding registers embed_scale
  const std::uint64_t pattern = r.positive_or("sliding_window_pattern", 6, kMaxLayers);
  read_layer_types(r, s, [pattern](std::uint64_t i) { return (i + 1) % pattern != 0; });
}

// SiglipVisionConfig defaults (transformers 4.57 models/siglip/configuration_siglip.py).
void read_siglip(FieldReader& vr, ModelDescription& s) {
  VisionSpec v;
  v.hidden_size = vr.positive_or("hidden_size", 768, kMaxHidden);
  v.intermediate_size = vr.positive_or("intermediate_size", 3072, kMaxWidth);
  v.num_layers = vr.positive_or("num_hidden_layers", 12, kMaxLayers);
  v.num_channels = vr.positive_or("num_channels", 3, 64);
  v.image_size = vr.positive_or("image_size", 224, 1u << 16);
  v.patch_size = vr.positive_or("patch_size", 16, 1u << 16);
  v.use_head = vr.bool_or("vision_use_head", true);
  s.vision = v;
}

// SiglipVisionModel + Gemma3MultiModalProjector, registered before the language model.
void build_siglip_tower(InventoryBuilder& b) {
  const ModelDescription& s = b.spec();
  const VisionSpec& v = *s.vision;
  const std::uint64_t hv = v.hidden_size, iv = v.intermediate_size;
  const std::uint64_t side = v.image_size / v.patch_size;
  b.derived(side, v.image_size, 1);  // an overflow of side² is blamed on image_size
  const std::uint64_t patches = b.mul(side, side);
  const std::string p = "vision_tower.vision_model.";
  const std::string emb = p + "embeddings";  // SiglipVisionEmbeddings: one no-split unit
  ParamGroup& conv = b.add(emb + ".patch_embedding.weight", "patch_embedding", Role::VisionTower, hv,
                           b.mul(v.num_channels, b.mul(v.patch_size, v.patch_size)), -1, emb);
  conv.linear = false;
  b.add(emb + ".patch_embedding.bias", "patch_embedding", Role::VisionTower, hv, 1, -1, emb);
  b.add(emb + ".position_embedding.weight", "position_embedding", Role::VisionTower, patches, hv, -1, emb);
  b.buffer(emb + ".position_ids", patches, 8, -1, emb);
  const int blk = b.add_block(p + "encoder.layers.0", v.num_layers, 0, false, true);
  const std::string l = p + "encoder.layers.{i}.";
  b.norm(l + "layer_norm1", hv, blk, NormKind::LayerNorm);
  for (const char* m : {"q_proj", "k_proj", "v_proj", "out_proj"}) b.linear(l + "self_attn." + m, Role::VisionTower, hv, hv, true, blk);
  b.norm(l + "layer_norm2", hv, blk, NormKind::LayerNorm);
  b.linear(l + "mlp.fc1", Role::VisionTower, iv, hv, true, blk);
  b.linear(l + "mlp.fc2", Role::VisionTower, hv, iv, true, blk);
  b.norm(p + "post_layernorm", hv, -1, NormKind::LayerNorm);
  if (v.use_head) {
    const std::string h = p + "head";  // SiglipMultiheadAttentionPoolingHead: one no-split unit
    b.add(h + ".probe", "probe", Role::VisionTower, hv, 1, -1, h);
    b.add(h + ".attention.in_proj_weight", "attention", Role::VisionTower, b.mul(3, hv), hv, -1, h);
    b.add(h + ".attention.in_proj_bias", "attention", Role::VisionTower, b.mul(3, hv), 1, -1, h);
    b.add(h + ".attention.out_proj.weight", "out_proj", Role::VisionTower, hv, hv, -1, h);
    b.add(h + ".attention.out_proj.bias", "out_proj", Role::VisionTower, hv, 1, -1, h);
    b.norm(h + ".layernorm", hv, -1, NormKind::LayerNorm, h);
    b.add(h + ".mlp.fc1.weight", "fc1", Role::VisionTower, iv, hv, -1, h);
    b.add(h + ".mlp.fc1.bias", "fc1", Role::VisionTower, iv, 1, -1, h);
    b.add(h + ".mlp.fc2.weight", "fc2", Role::VisionTower, hv, iv, -1, h);
    b.add(h + ".mlp.fc2.bias", "fc2", Role::VisionTower, hv, 1, -1, h);
  }
  b.suppress_units(true);
  b.add("multi_modal_projector.mm_input_projection_weight", "mm_input_projection", Role::Projector, hv, s.hidden_size, -1);
  b.suppress_units(false);
  b.norm("multi_modal_projector.mm_soft_emb_norm", hv, -1, NormKind::RmsNorm);
  for (auto& g : b.inventory().groups)
    if (g.role == Role::Norm && g.name.rfind("multi_modal_projector", 0) == 0) g.role = Role::Projector;
}

}  // namespace

extern const ArchitectureFamily arch_gemma;
const ArchitectureFamily arch_gemma{
    {.model_type = "gemma", .base_class = "GemmaModel", .read = read_gemma, .gguf = {.arch = "gemma"}},
    {.model_type = "gemma2", .base_class = "Gemma2Model", .read = read_gemma2, .gguf = {.arch = "gemma2"}},
    {.model_type = "gemma3_text", .base_class = "Gemma3TextModel", .read = read_gemma3_text, .gguf = {.arch = "gemma3"}},
    {.model_type = "gemma3",
     .base_class = "Gemma3Model",
     .multimodal_wrapper = true,
     .text_model_type = "gemma3_text",
     .read_vision = read_siglip,
     .build_vision = build_siglip_tower},
};

}  // namespace vram

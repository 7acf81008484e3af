// LFM2 (transformers models/lfm2): a hybrid of gated short-convolution layers (Lfm2ShortConv:
// in_proj h → 3h, depthwise Conv1d of conv_L_cache taps, out_proj) and GQA attention layers with
// per-head q/k RMSNorm, as `layer_types` ("conv" / "full_attention") or `full_attn_idxs` list
// them; a SwiGLU feed-forward (w1, w3, w2) whose width Lfm2MLP adjusts from block_ff_dim /
// intermediate_size; tied embeddings; the final norm is `embedding_norm`.
#include <algorithm>

#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

void read_lfm2(FieldReader& r, ModelDescription& s) {
  read_dims(r, s);
  read_kv_and_head_dim(r, s, 0, 8);
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = "silu";
  read_rotary(r, s);
  s.qk_norm = QkNorm::PerHead;
  s.tie_word_embeddings = r.bool_or("tie_embedding", r.bool_or("tie_word_embeddings", true));
  // Lfm2MLP: ff = intermediate_size; if block_auto_adjust_ff_dim: ff = int(2·ff/3), then
  // int(block_ffn_dim_multiplier · ff) when a multiplier is given, rounded up to block_multiple_of.
  std::uint64_t ff = r.positive_or("block_ff_dim", r.positive_or("intermediate_size", 12288, kMaxWidth), kMaxWidth);
  if (r.bool_or("block_auto_adjust_ff_dim", true)) {
    ff = 2 * ff / 3;
    if (const auto mult = r.opt_number("block_ffn_dim_multiplier")) {
      if (!(*mult > 0 && *mult < 1024)) {
        r.fail(ErrorCode::InvalidValue, "block_ffn_dim_multiplier", {Msg::error_config_multiplier, {r.key_arg("block_ffn_dim_multiplier")}});
        return;
      }
      ff = static_cast<std::uint64_t>(*mult * static_cast<double>(ff));
    }
    const std::uint64_t multiple = r.positive_or("block_multiple_of", 256, kMaxWidth);
    ff = (ff + multiple - 1) / multiple * multiple;
  }
  if (ff == 0) {
    r.fail(ErrorCode::InvalidValue, "intermediate_size", {Msg::error_config_positive, {r.key_arg("intermediate_size")}});
    return;
  }
  s.intermediate_size = ff;
  ShortConvSpec c;
  c.kernel = r.positive_or("conv_L_cache", 3, 1024);
  c.bias = r.bool_or("conv_bias", false);
  s.short_conv = c;
  s.layers.assign(s.num_layers, LayerSpec{});
  if (const auto kinds = read_layer_names(r, s, "layer_types", {"conv", "full_attention"})) {
    for (std::uint64_t i = 0; i < s.num_layers; ++i) s.layers[i].kind = (*kinds)[i] == 0 ? LayerKind::ShortConv : LayerKind::Attention;
    return;
  }
  // Lfm2Config: full_attn_idxs defaults to every layer.
  if (!r.has("full_attn_idxs")) return;
  const auto full = read_layer_list(r, "full_attn_idxs");
  for (std::uint64_t i = 0; i < s.num_layers; ++i)
    if (std::find(full.begin(), full.end(), i) == full.end()) s.layers[i].kind = LayerKind::ShortConv;
}

ModuleNames lfm2_names() {
  ModuleNames n;
  n.o = "out_proj";
  n.q_norm = "q_layernorm";
  n.k_norm = "k_layernorm";
  n.mlp = "feed_forward.";
  n.gate = "w1";
  n.up = "w3";
  n.down = "w2";
  n.norm1 = "operator_norm";
  n.norm2 = "ffn_norm";
  n.final_norm = "embedding_norm";
  return n;
}

}  // namespace

extern const ArchitectureFamily arch_lfm2;
const ArchitectureFamily arch_lfm2{
    {.model_type = "lfm2", .base_class = "Lfm2Model", .read = read_lfm2, .names = lfm2_names()},
};

}  // namespace vram

// T5 (transformers models/t5, v4.57): encoder and decoder stacks of T5Blocks (self-attention,
// cross-attention in the decoder, a ReLU or gated-GELU DenseReluDense), relative position bias in
// each stack's first block, weight-only RMS LayerNorms, one shared embedding.
#include "model/config_readers.hpp"
#include "model/inventory_builder.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

void read_t5(FieldReader& r, ModelDescription& s) {
  s.vocab_size = r.positive("vocab_size", kMaxVocab);
  s.hidden_size = r.positive({"d_model", "hidden_size"}, kMaxHidden);
  s.num_heads = r.positive({"num_heads", "num_attention_heads"}, kMaxHeads);
  s.num_kv_heads = s.num_heads;
  s.head_dim = r.positive("d_kv", kMaxHidden);
  s.intermediate_size = r.positive("d_ff", kMaxWidth);
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

HeadKind t5_head(std::string_view arch) {
  const auto ends = [&](std::string_view suffix) {
    return arch.size() >= suffix.size() && arch.substr(arch.size() - suffix.size()) == suffix;
  };
  return ends("Model") && !ends("ForConditionalGeneration") ? HeadKind::Base : HeadKind::Seq2Seq;
}

void build_t5(InventoryBuilder& b) {
  const ModelDescription& s = b.spec();
  const std::uint64_t d = s.hidden_size, inner = b.mul(s.num_heads, s.head_dim), ff = s.intermediate_size;
  const EncoderDecoderSpec& ed = *s.encoder_decoder;
  b.add("shared.weight", "shared", Role::Embedding, s.vocab_size, d, -1, "shared");
  auto attention_block = [&](const std::string& p, int blk, bool relative_bias) {
    b.linear(p + "q", Role::AttentionProjection, inner, d, false, blk);
    b.linear(p + "k", Role::AttentionProjection, inner, d, false, blk);
    b.linear(p + "v", Role::AttentionProjection, inner, d, false, blk);
    b.linear(p + "o", Role::AttentionProjection, d, inner, false, blk);
    if (relative_bias)
      b.add(p + "relative_attention_bias.weight", "relative_attention_bias", Role::AttentionOther,
            ed.relative_attention_num_buckets, s.num_heads, blk);
  };
  auto ff_block = [&](const std::string& p, int blk) {
    if (s.mlp == MlpKind::Gated) {
      b.linear(p + "wi_0", Role::MlpProjection, ff, d, false, blk);
      b.linear(p + "wi_1", Role::MlpProjection, ff, d, false, blk);
    } else {
      b.linear(p + "wi", Role::MlpProjection, ff, d, false, blk);
    }
    b.linear(p + "wo", Role::MlpProjection, d, ff, false, blk);
  };
  auto stack = [&](const std::string& name, std::uint64_t layers, bool decoder) {
    for (int first = 1; first >= 0; --first) {
      const std::uint64_t count = first ? 1 : layers - 1;
      if (count == 0) continue;
      const std::uint64_t idx = first ? 0 : 1;
      const int blk = b.add_block(name + ".block." + std::to_string(idx), count, idx, false, !decoder);
      const std::string p = name + ".block.{i}.layer.";
      attention_block(p + "0.SelfAttention.", blk, first != 0);
      b.norm(p + "0.layer_norm", d, blk);
      if (decoder) {
        attention_block(p + "1.EncDecAttention.", blk, false);
        b.norm(p + "1.layer_norm", d, blk);
      }
      const std::string f = p + (decoder ? "2." : "1.");
      ff_block(f + "DenseReluDense.", blk);
      b.norm(f + "layer_norm", d, blk);
    }
    b.norm(name + ".final_layer_norm", d, -1, NormKind::RmsNorm, name + ".final_layer_norm");
  };
  stack("encoder", ed.encoder_layers, false);
  stack("decoder", ed.decoder_layers, true);
}

ModuleNames t5_names() {
  ModuleNames n;
  n.full_prefix = "";  // T5ForConditionalGeneration holds shared / encoder / decoder directly
  return n;
}

}  // namespace

extern const ArchitectureFamily arch_t5;
const ArchitectureFamily arch_t5{
    {.model_type = "t5",
     .base_class = "T5Model",
     .read = read_t5,
     .names = t5_names(),
     .lora_targets = "q,v",
     .topology = Topology::EncoderDecoder,
     .gguf = {.arch = "t5"},
     .head_of = t5_head,
     .build = build_t5},
};

}  // namespace vram

// BERT (transformers models/bert, v4.57): an encoder (post-LN blocks, GELU MLP, biases
// everywhere) with word + position + token-type embeddings and their LayerNorm, position_ids /
// token_type_ids buffers, a pooler, and the task heads of architectures[0] (MLM transform and
// decoder, next-sentence, classifier, QA).
#include "model/config_readers.hpp"
#include "model/inventory_builder.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

void read_bert(FieldReader& r, ModelDescription& s) {
  read_dims(r, s);
  s.num_kv_heads = s.num_heads;
  s.head_dim = per_head(r, s);
  s.intermediate_size = r.positive("intermediate_size", kMaxWidth);
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

HeadKind bert_head(std::string_view arch) {
  const auto ends = [&](std::string_view suffix) {
    return arch.size() >= suffix.size() && arch.substr(arch.size() - suffix.size()) == suffix;
  };
  if (ends("ForMaskedLM") || ends("LMHeadModel")) return HeadKind::MaskedLm;
  if (ends("ForSequenceClassification") || ends("ForMultipleChoice")) return HeadKind::SeqCls;
  if (ends("ForTokenClassification")) return HeadKind::TokenCls;
  if (ends("ForQuestionAnswering")) return HeadKind::Qa;
  if (ends("ForPreTraining")) return HeadKind::Pretraining;
  if (arch.empty()) return HeadKind::MaskedLm;
  return ends("Model") ? HeadKind::Base : HeadKind::MaskedLm;
}

void build_bert_heads(InventoryBuilder& b) {
  const ModelDescription& s = b.spec();
  const std::uint64_t h = s.hidden_size;
  const bool pooled = s.head == HeadKind::SeqCls || s.head == HeadKind::Pretraining || s.head == HeadKind::Base;
  for (auto& g : b.inventory().groups)
    if (g.role == Role::Pooler) g.in_full = pooled;
  if (s.head == HeadKind::MaskedLm || s.head == HeadKind::Pretraining) {
    b.linear("cls.predictions.transform.dense", Role::TaskHead, h, h, true, -1);
    b.norm("cls.predictions.transform.LayerNorm", h, -1, NormKind::LayerNorm);
    if (!s.tie_word_embeddings) b.add("cls.predictions.decoder.weight", "decoder", Role::LmHead, s.vocab_size, h, -1).linear = true;
    b.add("cls.predictions.bias", "decoder", Role::LmHead, s.vocab_size, 1, -1);
  }
  if (s.head == HeadKind::Pretraining) b.linear("cls.seq_relationship", Role::TaskHead, 2, h, true, -1);
  if (s.head == HeadKind::SeqCls || s.head == HeadKind::TokenCls) b.linear("classifier", Role::TaskHead, s.num_labels, h, true, -1);
  if (s.head == HeadKind::Qa) b.linear("qa_outputs", Role::TaskHead, 2, h, true, -1);
}

ModuleNames bert_names() {
  ModuleNames n;
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
  n.embeddings_unit = "embeddings";
  return n;
}

}  // namespace

extern const ArchitectureFamily arch_bert;
const ArchitectureFamily arch_bert{
    {.model_type = "bert",
     .base_class = "BertModel",
     .read = read_bert,
     .names = bert_names(),
     .lora_targets = "query,value",
     .topology = Topology::Encoder,
     .gguf = {.arch = "bert"},
     .head_of = bert_head,
     .build_heads = build_bert_heads},
};

}  // namespace vram

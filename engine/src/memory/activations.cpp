// Training activations per decoder layer, adapted from Korthikanti et al. 2022 Table 2 to the
// tensors transformers 4.57's eager autograd graph actually saves.
#include "vram/memory/activations.hpp"

#include <algorithm>

namespace vram {
namespace {

std::uint64_t norms_per_layer(BlockStyle b) {
  switch (b) {
    case BlockStyle::Parallel: return 1;
    case BlockStyle::SandwichNorm: return 4;
    default: return 2;
  }
}

Q elem_bytes(DType t) { return Q::of(dtype_bytes(t), Message{Msg::term_bytes_dtype, {{"dtype", dtype_name(t)}}}); }
Q elem_bytes(std::uint64_t b, std::string_view what) { return Q::of(b, Message{Msg::term_bytes_dtype, {{"dtype", what}}}); }

// x ÷ tp, or x itself on one rank (no "÷ 1" in the explanation).
Q per_rank(const Q& x, const Q& tp) { return tp.value() > 1 ? div(x, tp) : x; }

void add(LayerActivations& l, Msg name, const Q& elements, const Q& bytes_per, bool split) {
  if (elements.value() == 0 || bytes_per.value() == 0) return;
  l.terms.push_back({name, (elements * bytes_per).as_bytes().named(name), split});
}

}  // namespace

LayerActivations layer_activations(const ModelDescription& s, const ActivationOptions& o, bool moe) {
  LayerActivations l;
  const Q b = Q::input(o.micro_batch, Msg::term_batch, option_field("batch"));
  const Q seq = Q::input(o.seq, Msg::term_seq_len, option_field("seq"));
  const Q T = b * seq;
  const std::uint64_t nh_ = s.num_heads;
  const Q h = Q::of(s.hidden_size, Msg::term_hidden), nh = Q::of(nh_, Msg::term_heads);
  const Q a = elem_bytes(o.compute), st = elem_bytes(o.stream), fp32 = elem_bytes(4, "fp32"), one = elem_bytes(1, "mask");
  std::uint64_t qd_ = s.q_dim(), kd_ = s.kv_dim(), vd_ = s.kv_dim();
  if (s.mla) {  // DeepSeek MLA: per-head q/k of nope+rope dims, v of v_head_dim (kv_b_proj output)
    qd_ = kd_ = nh_ * (s.mla->qk_nope_head_dim + s.mla->qk_rope_head_dim);
    vd_ = nh_ * s.mla->v_head_dim;
  }
  const Q qd = Q::of(qd_, Msg::term_q_width), kd = Q::of(kd_, Msg::term_k_width), vd = Q::of(vd_, Msg::term_v_width);
  // Norms. transformers RMSNorm: hidden_states.to(float32) is saved by pow/mul (4 B), the normalised
  // tensor by the weight multiply when the weight is trained. nn.LayerNorm saves its input (+ stats).
  const Q norms = Q::of(norms_per_layer(s.block), Msg::term_norms);
  if (s.norm == NormKind::RmsNorm) {
    add(l, Msg::act_rmsnorm_input, norms * T * h, fp32, false);
    if (o.norms_trainable) add(l, Msg::act_rmsnorm_normalised, norms * T * h, st, false);
  } else {
    add(l, Msg::act_layernorm_input, norms * T * h, st, false);
  }
  // Attention. Inputs of q/k/v (one shared tensor), then the kernel's saved tensors.
  if (o.save_qkv_in) add(l, Msg::act_qkv_input, T * h, a, false);
  if (o.attn == AttentionImpl::Eager) {
    // eager_attention_forward: repeat_kv expands K and V to all heads; softmax(dtype=float32) saves its
    // fp32 output; .to(q.dtype) makes the copy the P·V matmul saves.
    add(l, Msg::act_q, T * qd, a, true);
    add(l, Msg::act_kv_repeated, Q::of(2) * T * qd, a, true);
    const Q scores = b * nh * seq * seq;
    const std::size_t before = l.terms.size();
    add(l, Msg::act_softmax, scores, fp32, true);
    // With dropout the matmul saves the dropout output and the cast copy is transient.
    if (dtype_bytes(o.compute) < 4 && !o.dropout) add(l, Msg::act_probs_cast, scores, a, true);
    if (o.dropout) {
      add(l, Msg::act_attn_dropout_mask, scores, one, true);
      add(l, Msg::act_attn_dropout_output, scores, a, true);
    }
    std::vector<Q> s2;
    for (std::size_t i = before; i < l.terms.size(); ++i) s2.push_back(l.terms[i].bytes);
    l.score_bytes = sum(s2);
    if (o.save_o_in) add(l, Msg::act_o_input, T * qd, a, true);
  } else {
    // SDPA / FlashAttention: no s² tensor; the kernel saves q, k, v (GQA native), out and the fp32
    // logsumexp b·heads·s.
    add(l, Msg::act_q, T * qd, a, true);
    add(l, Msg::act_k, T * kd, a, true);
    add(l, Msg::act_v, T * vd, a, true);
    add(l, Msg::act_attn_output, T * qd, a, true);
    add(l, Msg::act_logsumexp, b * nh * seq, fp32, true);
    // SDPA returns (b, heads, s, d): transpose(1, 2).contiguous() is a copy that o_proj saves.
    if (o.attn == AttentionImpl::Sdpa && o.save_o_in) add(l, Msg::act_o_input_copy, T * qd, a, true);
  }
  if (o.dropout) add(l, Msg::act_residual_dropout, Q::of(2) * T * h, one, false);
  // MLP. Gated: gate output (act input), act output and up output (both saved by the product),
  // product (down input). Plain: fc1 output (act input), act output (fc2 input).
  const bool gated = s.mlp == MlpKind::Gated;
  const Q inter_tensors = Q::of(gated ? 3 : 1, gated ? Msg::term_gated_intermediates : Msg::term_plain_intermediates);
  auto mlp = [&](Msg what, Msg down, const Q& tokens, const Q& width) {
    add(l, what, inter_tensors * tokens * width, a, true);
    if (o.save_down_in) add(l, down, tokens * width, a, true);
  };
  if (moe && s.moe) {
    const MoeSpec& m = *s.moe;
    const Q k = Q::of(m.experts_per_token, Msg::term_top_k);
    if (o.save_mlp_in) add(l, Msg::act_router_input, T * h, a, false);
    add(l, Msg::act_router_probs, T * Q::of(m.routed_experts, Msg::term_experts), fp32, false);
    add(l, Msg::act_expert_inputs, T * k * h, a, true);
    mlp(Msg::act_expert_intermediates, Msg::act_expert_down_input, T * k, Q::of(m.expert_intermediate, Msg::term_expert_width));
    add(l, Msg::act_expert_outputs, T * k * h, a, true);
    if (m.shared_intermediate > 0)
      mlp(Msg::act_shared_intermediates, Msg::act_shared_down_input, T, Q::of(m.shared_intermediate, Msg::term_shared_width));
  } else {
    if (o.save_mlp_in) add(l, Msg::act_mlp_input, T * h, a, false);
    mlp(Msg::act_mlp_intermediates, Msg::act_mlp_down_input, T, Q::of(s.intermediate_size, Msg::term_intermediate));
  }
  const Q tp = Q::input(o.tp, Msg::term_tp, option_field("tp"));
  std::vector<Q> parts;
  for (const auto& t : l.terms) parts.push_back(t.tp_split || o.sequence_parallel ? per_rank(t.bytes, tp) : t.bytes);
  l.bytes = sum(parts);
  l.score_bytes = per_rank(l.score_bytes, tp);
  return l;
}

ActivationEstimate training_activations(const Model& model, const ActivationOptions& o) {
  const ModelDescription& s = model.spec;
  ActivationEstimate e;
  e.dense = layer_activations(s, o, false);
  e.moe = layer_activations(s, o, true);
  for (const auto& ls : s.layers) (ls.moe && s.moe ? e.moe_layers : e.dense_layers) += 1;
  const std::uint64_t all = e.dense_layers + e.moe_layers;
  const std::uint64_t held = o.layers_held == 0 || o.layers_held > all ? all : o.layers_held;
  if (held < all) {  // a pipeline stage: scale both kinds to the held count (first-stage layers)
    e.moe_layers = e.moe_layers * held / all;
    e.dense_layers = held - e.moe_layers;
  }
  const Q T = Q::input(o.micro_batch, Msg::term_batch, option_field("batch")) * Q::input(o.seq, Msg::term_seq_len, option_field("seq"));
  const Q st = elem_bytes(o.stream), a = elem_bytes(o.compute);
  const Q tp = Q::input(o.tp, Msg::term_tp, option_field("tp"));
  // LoRA intermediates: lora_A output (b·s·r, saved by lora_B) per adapted module, plus PEFT's cast of x
  // to the fp32 adapter dtype (peft/tuners/lora/layer.py Linear.forward _cast_input_dtype) when no
  // autocast runs. DoRA keeps base and LoRA results for the magnitude rescale.
  const Q ab = elem_bytes(o.adapter_dtype);
  std::vector<Q> adapter_terms, adapter_one_layer;
  for (const auto& site : o.adapters) {
    Q per_token = Q::of(o.lora_rank, Msg::term_lora_rank) * ab;
    if (o.adapter_input_cast) per_token += Q::of(site.d_in, Msg::term_d_in) * ab;
    if (o.dora) per_token += Q::of(site.d_out, Msg::term_d_out) * (a + ab);
    const std::uint64_t layers = all == 0 ? 0 : site.layers * held / all;
    const Q per_layer = per_rank(Q::of(site.per_token, Msg::term_passes) * T * per_token, tp);
    adapter_terms.push_back(Q::of(layers, Msg::term_layers) * per_layer);
    adapter_one_layer.push_back(per_layer);
  }
  e.adapter_bytes = sum(adapter_terms);
  // Outside the layers: final norm (and the lm_head input when it is trained).
  std::vector<Q> final_terms;
  const Q h = Q::of(s.hidden_size, Msg::term_hidden);
  if (s.final_norm) {
    if (s.norm != NormKind::RmsNorm) final_terms.push_back(T * h * st);
    else if (o.norms_trainable) final_terms.push_back(T * h * (elem_bytes(4, "fp32") + st));
    else final_terms.push_back(T * h * elem_bytes(4, "fp32"));
  }
  if (o.lm_head_trainable) final_terms.push_back(T * h * a);
  e.final_bytes = sum(final_terms).as_bytes().named(Msg::act_final);
  Q dense = e.dense.bytes, moe = e.moe.bytes;
  if (o.checkpointing == Checkpointing::Selective) {
    // Korthikanti §4.2: recompute the attention core; only the s² terms (eager) go away.
    dense = minus(dense, e.dense.score_bytes);
    moe = minus(moe, e.moe.score_bytes);
    if (e.dense.score_bytes.value() == 0) e.notes.push_back(Msg::note_selective_no_scores);
  }
  const Q in_flight = Q::of(std::max<std::uint64_t>(1, o.in_flight), Msg::term_micro_batches);
  if (o.checkpointing == Checkpointing::Full) {
    // HF gradient_checkpointing_enable: each layer keeps only its input hidden states; backward
    // re-runs one layer's forward at a time (torch.utils.checkpoint).
    Q per_input = T * h * st;
    if (o.sequence_parallel) per_input = per_rank(per_input, tp);
    e.saved = in_flight * (Q::of(held, Msg::term_layer_inputs) * per_input.as_bytes().named(Msg::act_layer_input) + e.final_bytes);
    std::vector<Q> one_layer;
    if (e.dense_layers) one_layer.push_back(e.dense.bytes.as_bytes().named(Msg::act_dense_layer));
    if (e.moe_layers) one_layer.push_back(e.moe.bytes.as_bytes().named(Msg::act_moe_layer));
    e.recompute = (one_layer.empty() ? Q::of(0) : max(one_layer)) + sum(adapter_one_layer);
  } else {
    std::vector<Q> terms;
    if (e.dense_layers) terms.push_back(Q::of(e.dense_layers, Msg::term_layers) * dense.as_bytes().named(Msg::act_dense_layer));
    if (e.moe_layers) terms.push_back(Q::of(e.moe_layers, Msg::term_moe_layers) * moe.as_bytes().named(Msg::act_moe_layer));
    if (e.adapter_bytes.value()) terms.push_back(e.adapter_bytes.as_bytes().named(Msg::act_lora));
    terms.push_back(e.final_bytes);
    e.saved = in_flight * sum(terms);
  }
  e.source = Msg::source_activations;
  return e;
}

LogitsBytes logits_bytes(std::uint64_t b, std::uint64_t s, std::uint64_t vocab, DType compute, std::uint32_t tp) {
  LogitsBytes out;
  const std::uint64_t ab = dtype_bytes(compute);
  const Q n = per_rank(Q::input(b, Msg::term_batch, option_field("batch")) * Q::input(s, Msg::term_seq_len, option_field("seq")) *
                      Q::of(vocab, Msg::term_vocab),
                  Q::input(tp, Msg::term_tp, option_field("tp")));
  out.logits = n * (Q::of(ab, Message{Msg::term_bytes_logits, {{"dtype", dtype_name(compute)}}}) + Q::of(4, Msg::term_bytes_log_softmax));
  if (ab < 4) out.upcast = n * Q::of(4, Msg::term_bytes_float_copy);
  out.grad = ab < 4 ? n * (Q::of(4, Msg::term_bytes_fp32_grad) + Q::of(ab, Message{Msg::term_bytes_cast_back, {{"dtype", dtype_name(compute)}}}))
                    : n * Q::of(4, Msg::term_bytes_fp32_grad);
  return out;
}

}  // namespace vram

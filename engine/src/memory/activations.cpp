// Training activations per decoder layer, adapted from Korthikanti et al. 2022 Table 2 to the
// tensors transformers 4.57's eager autograd graph actually saves.
#include "vram/memory/activations.hpp"

#include <algorithm>

#include "vram/base/explain.hpp"

namespace vram {
namespace {

std::uint64_t norms_per_layer(BlockStyle b) {
  switch (b) {
    case BlockStyle::Parallel: return 1;
    case BlockStyle::SandwichNorm: return 4;
    default: return 2;
  }
}

void add(LayerActivations& l, std::string name, std::uint64_t elements, std::uint64_t bytes_per, bool split) {
  if (elements == 0 || bytes_per == 0) return;
  l.terms.push_back({std::move(name), elements, bytes_per, split});
}

}  // namespace

LayerActivations layer_activations(const ModelSpec& s, const ActivationOptions& o, bool moe) {
  LayerActivations l;
  const std::uint64_t T = o.micro_batch * o.seq;
  const std::uint64_t h = s.hidden_size, nh = s.num_heads;
  const std::uint64_t a = dtype_bytes(o.compute), st = dtype_bytes(o.stream);
  std::uint64_t qd = s.q_dim(), kd = s.kv_dim(), vd = s.kv_dim();
  if (s.mla) {  // DeepSeek MLA: per-head q/k of nope+rope dims, v of v_head_dim (kv_b_proj output)
    qd = kd = nh * (s.mla->qk_nope_head_dim + s.mla->qk_rope_head_dim);
    vd = nh * s.mla->v_head_dim;
  }
  // Norms. transformers RMSNorm: hidden_states.to(float32) is saved by pow/mul (4 B), the normalised
  // tensor by the weight multiply when the weight is trained. nn.LayerNorm saves its input (+ stats).
  const std::uint64_t norms = norms_per_layer(s.block);
  if (s.norm == NormKind::RmsNorm) {
    add(l, "RMSNorm fp32 input", norms * T * h, 4, false);
    if (o.norms_trainable) add(l, "RMSNorm normalised input to weight", norms * T * h, st, false);
  } else {
    add(l, "LayerNorm input", norms * T * h, st, false);
  }
  // Attention. Inputs of q/k/v (one shared tensor), then the kernel's saved tensors.
  if (o.save_qkv_in) add(l, "q/k/v input", T * h, a, false);
  if (o.attn == AttentionImpl::Eager) {
    // eager_attention_forward: repeat_kv expands K and V to all heads; softmax(dtype=float32) saves its
    // fp32 output; .to(q.dtype) makes the copy the P·V matmul saves.
    add(l, "Q", T * qd, a, true);
    add(l, "K, V (repeat_kv to all heads)", 2 * T * qd, a, true);
    const std::uint64_t scores = o.micro_batch * nh * o.seq * o.seq;
    const std::size_t before = l.terms.size();
    add(l, "softmax output (fp32)", scores, 4, true);
    // With dropout the matmul saves the dropout output and the cast copy is transient.
    if (a < 4 && !o.dropout) add(l, "attention probabilities cast to compute dtype", scores, a, true);
    if (o.dropout) {
      add(l, "attention dropout mask", scores, 1, true);
      add(l, "attention dropout output", scores, a, true);
    }
    for (std::size_t i = before; i < l.terms.size(); ++i) l.score_bytes += l.terms[i].elements * l.terms[i].bytes_per;
    if (o.save_o_in) add(l, "o_proj input", T * qd, a, true);
  } else {
    // SDPA / FlashAttention: no s² tensor; the kernel saves q, k, v (GQA native), out and the fp32
    // logsumexp b·heads·s.
    add(l, "Q", T * qd, a, true);
    add(l, "K", T * kd, a, true);
    add(l, "V", T * vd, a, true);
    add(l, "attention output", T * qd, a, true);
    add(l, "logsumexp (fp32)", o.micro_batch * nh * o.seq, 4, true);
    // SDPA returns (b, heads, s, d): transpose(1, 2).contiguous() is a copy that o_proj saves.
    if (o.attn == AttentionImpl::Sdpa && o.save_o_in) add(l, "o_proj input (contiguous copy)", T * qd, a, true);
  }
  if (o.dropout) add(l, "residual dropout masks", 2 * T * h, 1, false);
  // MLP.
  const std::uint64_t gated = s.mlp == MlpKind::Gated ? 1 : 0;
  auto mlp = [&](const std::string& what, std::uint64_t tokens, std::uint64_t width) {
    // Gated: gate output (act input), act output and up output (both saved by the product), product
    // (down input). Plain: fc1 output (act input), act output (fc2 input).
    add(l, what + " intermediates", (1 + 2 * gated) * tokens * width, a, true);
    if (o.save_down_in) add(l, what + " down/fc2 input", tokens * width, a, true);
  };
  if (moe && s.moe) {
    const MoeSpec& m = *s.moe;
    if (o.save_mlp_in) add(l, "router / shared-expert input", T * h, a, false);
    add(l, "router probabilities (fp32 softmax)", T * m.routed_experts, 4, false);
    add(l, "expert inputs (top-k token copies)", T * m.experts_per_token * h, a, true);
    mlp("routed experts (top-k)", T * m.experts_per_token, m.expert_intermediate);
    add(l, "expert outputs × routing weight", T * m.experts_per_token * h, a, true);
    if (m.shared_intermediate > 0) mlp("shared expert", T, m.shared_intermediate);
  } else {
    if (o.save_mlp_in) add(l, "MLP input", T * h, a, false);
    mlp("MLP", T, s.intermediate_size);
  }
  const std::uint64_t div_split = o.tp, div_rep = o.sequence_parallel ? o.tp : 1;
  for (const auto& t : l.terms) l.bytes += t.elements * t.bytes_per / (t.tp_split ? div_split : div_rep);
  l.score_bytes /= div_split;
  return l;
}

ActivationEstimate training_activations(const Model& model, const ActivationOptions& o) {
  const ModelSpec& s = model.spec;
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
  const std::uint64_t T = o.micro_batch * o.seq;
  const std::uint64_t st = dtype_bytes(o.stream), a = dtype_bytes(o.compute);
  // LoRA intermediates: lora_A output (b·s·r, saved by lora_B) per adapted module, plus PEFT's cast of x
  // to the fp32 adapter dtype (peft/tuners/lora/layer.py Linear.forward _cast_input_dtype) when no
  // autocast runs. DoRA keeps base and LoRA results for the magnitude rescale.
  const std::uint64_t ab = dtype_bytes(o.adapter_dtype);
  std::uint64_t adapter_layer_elems_bytes = 0;
  for (const auto& site : o.adapters) {
    std::uint64_t per_token = o.lora_rank * ab;
    if (o.adapter_input_cast) per_token += site.d_in * ab;
    if (o.dora) per_token += site.d_out * (a + ab);
    const std::uint64_t layers = all == 0 ? 0 : site.layers * held / all;
    e.adapter_bytes += layers * site.per_token * T * per_token / o.tp;
    adapter_layer_elems_bytes += site.per_token * T * per_token / o.tp;
  }
  // Outside the layers: final norm (and the lm_head input when lm_head is trained).
  if (s.final_norm) e.final_bytes += T * s.hidden_size * (s.norm == NormKind::RmsNorm ? 4 + (o.norms_trainable ? st : 0) : st);
  if (o.lm_head_trainable) e.final_bytes += T * s.hidden_size * a;
  std::uint64_t dense = e.dense.bytes, moe = e.moe.bytes;
  if (o.checkpointing == Checkpointing::Selective) {
    // Korthikanti §4.2: recompute the attention core; only the s² terms (eager) go away.
    dense -= e.dense.score_bytes;
    moe -= e.moe.score_bytes;
    if (e.dense.score_bytes == 0) e.notes.push_back("selective recomputation changes nothing with SDPA/flash attention: no s² tensors are saved");
  }
  const std::uint64_t layers_bytes = e.dense_layers * dense + e.moe_layers * moe + e.adapter_bytes;
  const std::uint64_t in_flight = std::max<std::uint64_t>(1, o.in_flight);
  Explain x;
  if (o.checkpointing == Checkpointing::Full) {
    // HF gradient_checkpointing_enable: each layer keeps only its input hidden states; backward
    // re-runs one layer's forward at a time (torch.utils.checkpoint).
    const std::uint64_t per_input = T * s.hidden_size * st / (o.sequence_parallel ? o.tp : 1);
    e.saved_bytes = in_flight * (held * per_input + e.final_bytes);
    e.recompute_bytes = std::max(e.dense_layers ? e.dense.bytes : 0, e.moe_layers ? e.moe.bytes : 0) + adapter_layer_elems_bytes;
    x.times(in_flight, "micro-batches").text(" × (").times(held, "layer inputs").times(T, "tokens")
        .times(s.hidden_size, "h").times(st, "B").plus("final norm/head input)");
    e.recompute_explain = Explain().text("one layer re-materialised in backward: ").times(e.recompute_bytes, "B").str();
  } else {
    e.saved_bytes = in_flight * (layers_bytes + e.final_bytes);
    x.times(in_flight, "micro-batches").text(" × (");
    if (e.dense_layers) x.times(e.dense_layers, "layers").times(dense, "B");
    if (e.moe_layers) x.plus("").times(e.moe_layers, "MoE layers").times(moe, "B");
    if (e.adapter_bytes) x.plus("").times(e.adapter_bytes, "B LoRA intermediates");
    x.plus("").times(e.final_bytes, "B final norm/head input)");
  }
  x.equals_bytes(e.saved_bytes);
  std::string per_layer = " — per layer:";
  for (const auto& t : e.dense.terms) per_layer += " " + t.name + " " + format_number(static_cast<double>(t.elements)) + "×" + std::to_string(t.bytes_per) + "B;";
  e.explain = x.str() + per_layer;
  e.source = "Korthikanti et al. 2022 (arXiv 2205.05198) Table 2, adapted to transformers 4.57 saved tensors (RMSNorm fp32 upcast, GQA K/V, gated MLP, SDPA/flash logsumexp)";
  (void)a;
  return e;
}

LogitsBytes logits_bytes(std::uint64_t b, std::uint64_t s, std::uint64_t vocab, DType compute, std::uint32_t tp) {
  LogitsBytes out;
  const std::uint64_t a = dtype_bytes(compute);
  const std::uint64_t n = b * s * vocab / tp;
  out.logits = n * (a + 4);
  out.explain = Explain().times(b, "batch").times(s, "seq").times(vocab / tp, "vocab").text(" × (").times(a, "B logits")
                    .plus("4 B fp32 log_softmax output)").str();
  if (a < 4) {
    out.upcast = n * 4;
    out.upcast_explain = Explain().times(n, "logits").times(std::uint64_t{4}, "B (logits.float() in ForCausalLMLoss)").str();
  }
  out.grad = n * (4 + (a < 4 ? a : 0));
  out.grad_explain = Explain().times(n, "logits").text(a < 4 ? " × (4 B fp32 grad + " + std::to_string(a) + " B cast back)" : " × 4 B fp32 grad").str();
  return out;
}

}  // namespace vram

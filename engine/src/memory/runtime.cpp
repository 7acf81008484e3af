// Runtime profiles: transient buffers per runtime (see runtime.hpp for sources).
#include "vram/memory/runtime.hpp"

#include <algorithm>

namespace vram {

Q given_overhead(std::uint64_t bytes) {
  return Q::input(bytes, Message{Msg::term_overhead_given, {{"option", Msg::option_overhead_mib_label}}}, option_field("overhead_mib")).as_bytes();
}

ForwardShape forward_shape(const ModelDescription& spec, std::uint64_t batch, std::uint64_t tokens, DType compute,
                           std::uint32_t tensor_parallel) {
  const std::uint64_t tp = tensor_parallel == 0 ? 1 : tensor_parallel;
  ForwardShape f;
  f.batch = batch;
  f.tokens = tokens;
  f.hidden = spec.hidden_size;
  f.heads = std::max<std::uint64_t>(1, spec.num_heads / tp);
  f.q_dim = f.heads * spec.head_dim;
  if (spec.mla) {
    f.kv_dim = f.heads * (spec.mla->qk_nope_head_dim + spec.mla->qk_rope_head_dim);
  } else {
    f.kv_dim = std::max<std::uint64_t>(1, spec.num_kv_heads / tp) * spec.head_dim;
  }
  f.intermediate = (spec.intermediate_size + tp - 1) / tp;
  f.gated = spec.mlp == MlpKind::Gated;
  if (spec.moe) {
    f.experts = spec.moe->routed_experts;
    f.experts_per_token = spec.moe->experts_per_token;
    f.expert_intermediate = (spec.moe->expert_intermediate + tp - 1) / tp;
    f.shared_intermediate = (spec.moe->shared_intermediate + tp - 1) / tp;
  }
  f.compute_bytes = dtype_bytes(compute);
  f.compute_name = dtype_name(compute);
  return f;
}

namespace {

// The shape's terms as labelled quantities.
struct Terms {
  const ForwardShape& f;
  [[nodiscard]] Q batch() const { return Q::input(f.batch, Msg::term_seq, f.batch_field); }
  [[nodiscard]] Q tokens() const { return Q::input(f.tokens, Msg::term_tokens, f.tokens_field); }
  [[nodiscard]] Q hidden() const { return Q::of(f.hidden, Msg::term_hidden); }
  [[nodiscard]] Q q_dim() const { return Q::of(f.q_dim, Msg::term_q_width); }
  [[nodiscard]] Q kv_dim() const { return Q::of(f.kv_dim, Msg::term_kv_width); }
  [[nodiscard]] Q heads() const { return Q::of(f.heads, Msg::term_heads); }
  [[nodiscard]] Q intermediate() const { return Q::of(f.intermediate, Msg::term_intermediate); }
  [[nodiscard]] Q experts() const { return Q::of(f.experts, Msg::term_router_logits); }
  [[nodiscard]] Q top_k() const { return Q::of(f.experts_per_token, Msg::term_top_k); }
  [[nodiscard]] Q expert_width() const { return Q::of(f.expert_intermediate, Msg::term_expert_width); }
  [[nodiscard]] Q shared_width() const { return Q::of(f.shared_intermediate, Msg::term_shared_width); }
  [[nodiscard]] Q mats() const { return Q::of(f.gated ? 3 : 2, f.gated ? Msg::term_gated_tensors : Msg::term_plain_tensors); }
  [[nodiscard]] Q elem() const { return Q::of(f.compute_bytes, Message{Msg::term_bytes_dtype, {{"dtype", f.compute_name}}}); }
  [[nodiscard]] static Q fp32() { return Q::of(4, Message{Msg::term_bytes_dtype, {{"dtype", "fp32"}}}); }
  [[nodiscard]] static Q two() { return Q::of(2); }
};

}  // namespace

BufferBytes transformers_prefill_activations(const ForwardShape& f, AttentionImpl attn) {
  const Terms t{f};
  const Q tokens = t.batch() * t.tokens();
  // Attention stage: residual + normed input + q, k, v (after RoPE) + attention output.
  Q attention = tokens * (t.two() * t.hidden() + t.two() * t.q_dim() + t.two() * t.kv_dim()) * t.elem();
  if (attn == AttentionImpl::Eager) {
    // Scores in compute dtype, the fp32 softmax and its cast back, per head; the 4-D float mask.
    const Q s2 = t.tokens() * t.tokens();
    attention += t.batch() * t.heads() * s2 * (t.elem() + Terms::fp32() + t.elem()) + t.batch() * s2 * t.elem();
  }
  Q mlp;
  if (f.experts == 0) {
    mlp = tokens * (t.two() * t.hidden() + t.mats() * t.intermediate()) * t.elem();
  } else {
    mlp = tokens * (Q::of(3) * t.hidden() + t.experts() + t.mats() * t.expert_width() + t.mats() * t.shared_width()) * t.elem() +
          tokens * t.experts() * Terms::fp32();  // fp32 routing softmax
  }
  BufferBytes out;
  out.bytes = max({attention.as_bytes().named(Msg::stage_attention),
                   mlp.as_bytes().named(f.experts == 0 ? Msg::stage_mlp : Msg::stage_moe)});
  out.source = Msg::source_transformers_prefill;
  return out;
}

BufferBytes generation_logits(std::uint64_t batch, std::uint64_t vocab, DType compute) {
  BufferBytes out;
  const Q elem = Q::of(dtype_bytes(compute), Message{Msg::term_bytes_lm_head, {{"dtype", dtype_name(compute)}}});
  out.bytes = Q::input(batch, Msg::term_seq, option_field("batch")) * Q::of(vocab, Msg::term_vocab) *
              (elem + Q::of(4, Msg::term_bytes_fp32_copy));
  out.source = Msg::source_generation_logits;
  return out;
}

BufferBytes forward_logits(std::uint64_t batch, std::uint64_t tokens, std::uint64_t vocab, DType compute) {
  BufferBytes out;
  out.bytes = Q::input(batch, Msg::term_seq, option_field("batch")) * Q::input(tokens, Msg::term_tokens, option_field("prompt")) *
              Q::of(vocab, Msg::term_vocab) * Q::of(dtype_bytes(compute), Message{Msg::term_bytes_dtype, {{"dtype", dtype_name(compute)}}});
  out.source = Msg::source_forward_logits;
  return out;
}

BufferBytes vllm_profile_activations(const ForwardShape& f) {
  const Terms t{f};
  const Q tokens = t.batch() * t.tokens();
  const Q attention = tokens * (t.two() * t.hidden() + t.two() * t.q_dim() + t.two() * t.kv_dim()) * t.elem();
  Q mlp;
  if (f.experts == 0) {
    mlp = tokens * (t.two() * t.hidden() + t.mats() * t.intermediate()) * t.elem();
  } else {
    // fused_moe workspaces: intermediate_cache1 T·k·2i, cache2 T·k·i, cache3 T·k·h.
    mlp = (tokens * (t.two() * t.hidden() + t.experts()) + tokens * t.top_k() * (Q::of(3) * t.expert_width() + t.hidden()) +
           tokens * Q::of(3) * t.shared_width()) *
          t.elem();
  }
  BufferBytes out;
  out.bytes = max({attention.as_bytes().named(Msg::stage_attention),
                   mlp.as_bytes().named(f.experts == 0 ? Msg::stage_mlp : Msg::stage_fused_moe)});
  out.source = Msg::source_vllm_profile_run;
  return out;
}

BufferBytes vllm_sampler_logits(std::uint64_t max_num_seqs, std::uint64_t vocab, DType compute) {
  BufferBytes out;
  out.bytes = Q::of(max_num_seqs, Msg::term_max_num_seqs) * Q::of(vocab, Msg::term_vocab) *
              (Q::of(dtype_bytes(compute), Message{Msg::term_bytes_logits, {{"dtype", dtype_name(compute)}}}) +
               Q::of(4, Msg::term_bytes_fp32_logits) + Q::of(4, Msg::term_bytes_fp32_probs));
  out.source = Msg::source_vllm_sampler;
  return out;
}

BufferBytes llama_cpp_compute_buffer(const ForwardShape& f, std::uint64_t n_kv, std::uint64_t vocab, bool flash_attn,
                                     bool output_on_gpu) {
  const Terms t{f};
  const Q fp32 = Terms::fp32();
  const Q n = Q::input(f.tokens * f.batch, Msg::term_ubatch_tokens, option_field("ubatch"));  // tokens in the ubatch
  const Q kv = Q::of(n_kv, Msg::term_kv_cells);
  Q attention;
  if (flash_attn) {
    attention = kv * n * Q::of(2, Message{Msg::term_bytes_dtype, {{"dtype", "f16 mask"}}}) + n * (t.q_dim() + t.hidden()) * fp32;
  } else {
    attention = t.two() * n * t.q_dim() * fp32 + kv * n * t.heads() * fp32;  // 2 × Qcur + KQ
  }
  const Q mats = Q::of(f.gated ? 2 : 1, f.gated ? Msg::term_gate_up : Msg::term_up);
  Q ffn = n * (t.hidden() + mats * t.intermediate()) * fp32;
  if (f.experts > 0) ffn = n * (t.hidden() + t.experts() + t.top_k() * (t.hidden() + mats * t.expert_width())) * fp32;
  std::vector<Q> stages{attention.as_bytes().named(Msg::stage_attention), ffn.as_bytes().named(Msg::stage_ffn)};
  if (output_on_gpu) stages.push_back((n * (Q::of(vocab, Msg::term_vocab) + t.hidden()) * fp32).as_bytes().named(Msg::stage_output));
  BufferBytes out;
  out.bytes = max(stages);
  out.source = Msg::source_llama_cpp_compute;
  return out;
}

BufferBytes llama_cpp_output_buffer(std::uint64_t n_seq, std::uint64_t vocab) {
  BufferBytes out;
  out.bytes = Q::input(n_seq, Msg::term_outputs, option_field("batch")) * Q::of(vocab, Msg::term_vocab) * Terms::fp32();
  out.source = Msg::source_llama_cpp_output;
  return out;
}

}  // namespace vram

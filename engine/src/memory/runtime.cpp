// Runtime profiles: transient buffers per runtime (see runtime.hpp for sources).
#include "vram/memory/runtime.hpp"

#include <algorithm>

#include "vram/base/explain.hpp"

namespace vram {

ForwardShape forward_shape(const ModelSpec& spec, std::uint64_t batch, std::uint64_t tokens,
                           std::uint64_t compute_bytes, std::uint32_t tensor_parallel) {
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
  f.compute_bytes = compute_bytes;
  return f;
}

namespace {

// Bytes of the MLP stage of one layer (transformers); dense or MoE.
std::uint64_t mlp_stage_elems(const ForwardShape& f, std::uint64_t t, Explain& ex) {
  const std::uint64_t mats = f.gated ? 3 : 2;
  if (f.experts == 0) {
    if (explaining())
      ex.text("MLP: b·s × (2 × " + std::to_string(f.hidden) + " hidden + " + std::to_string(mats) + " × " +
            std::to_string(f.intermediate) + " intermediate)");
    return t * (2 * f.hidden + mats * f.intermediate);
  }
  if (explaining())
    ex.text("MoE: b·s × (3 × " + std::to_string(f.hidden) + " hidden + " + std::to_string(f.experts) +
          " router logits + " + std::to_string(mats) + " × " + std::to_string(f.expert_intermediate) +
          " expert + " + std::to_string(mats) + " × " + std::to_string(f.shared_intermediate) + " shared)");
  return t * (3 * f.hidden + f.experts + mats * (f.expert_intermediate + f.shared_intermediate));
}

}  // namespace

BufferBytes transformers_prefill_activations(const ForwardShape& f, AttentionImpl attn) {
  BufferBytes out;
  const std::uint64_t t = f.batch * f.tokens;
  const std::uint64_t c = f.compute_bytes;
  // Attention stage: residual + normed input + q + k + v + attention output.
  std::uint64_t attn_bytes = t * (2 * f.hidden + 2 * f.q_dim + 2 * f.kv_dim) * c;
  Explain attn_ex;
  if (explaining())
    attn_ex.text("attention: b·s × (2 × " + std::to_string(f.hidden) + " hidden + 2 × " + std::to_string(f.q_dim) +
               " q + 2 × " + std::to_string(f.kv_dim) + " kv) × " + std::to_string(c) + " B");
  if (attn == AttentionImpl::Eager) {
    const std::uint64_t s2 = f.tokens * f.tokens;
    attn_bytes += f.batch * f.heads * s2 * (2 * c + 4) + f.batch * s2 * c;
    if (explaining())
      attn_ex.text(" + " + std::to_string(f.batch) + " b × " + std::to_string(f.heads) + " heads × " +
                 std::to_string(f.tokens) + "² × (" + std::to_string(c) + " + 4 fp32 softmax + " + std::to_string(c) +
                 ") B + mask " + std::to_string(f.batch) + " × " + std::to_string(f.tokens) + "² × " +
                 std::to_string(c) + " B");
  }
  Explain mlp_ex;
  std::uint64_t mlp_bytes = mlp_stage_elems(f, t, mlp_ex) * c;
  if (f.experts > 0) {
    mlp_bytes += t * f.experts * 4;  // fp32 routing softmax
    if (explaining())
      mlp_ex.text(" × " + std::to_string(c) + " B + b·s × " + std::to_string(f.experts) + " × 4 B fp32 routing");
  } else if (explaining()) {
    mlp_ex.text(" × " + std::to_string(c) + " B");
  }
  out.bytes = std::max(attn_bytes, mlp_bytes);
  if (explaining())
    out.explain = "b·s = " + std::to_string(f.batch) + " × " + std::to_string(f.tokens) + "; max of one layer's " +
                attn_ex.str() + " (" + format_bytes(attn_bytes) + ") and " + mlp_ex.str() + " (" +
                format_bytes(mlp_bytes) + ")";
  if (explaining()) out.source = "peak of one decoder layer under no_grad (transformers 4.57 modeling_llama: "
               "eager_attention_forward fp32 softmax; SDPA/flash keep no s² matrix)";
  return out;
}

BufferBytes generation_logits(std::uint64_t batch, std::uint64_t vocab, std::uint64_t compute_bytes) {
  BufferBytes out;
  out.bytes = batch * vocab * (compute_bytes + 4);
  if (explaining())
    out.explain = Explain()
                    .times(batch, "seq")
                    .times(vocab, "vocab")
                    .text(" × (" + std::to_string(compute_bytes) + " B lm_head + 4 B fp32 copy)")
                    .equals_bytes(out.bytes)
                    .str();
  if (explaining()) out.source = "transformers generate(): logits_to_keep=1, last-token logits copied to fp32";
  return out;
}

BufferBytes forward_logits(std::uint64_t batch, std::uint64_t tokens, std::uint64_t vocab, std::uint64_t compute_bytes) {
  BufferBytes out;
  out.bytes = batch * tokens * vocab * compute_bytes;
  out.explain = Explain()
                    .times(batch, "seq")
                    .times(tokens, "tokens")
                    .times(vocab, "vocab")
                    .times(compute_bytes, "B")
                    .equals_bytes(out.bytes)
                    .str();
  if (explaining()) out.source = "transformers forward(): logits for every position in compute dtype (no fp32 upcast since 4.45)";
  return out;
}

BufferBytes vllm_profile_activations(const ForwardShape& f) {
  BufferBytes out;
  const std::uint64_t t = f.batch * f.tokens;
  const std::uint64_t c = f.compute_bytes;
  const std::uint64_t attn = t * (2 * f.hidden + 2 * f.q_dim + 2 * f.kv_dim) * c;
  std::uint64_t mlp = 0;
  std::string mlp_text;
  if (f.experts == 0) {
    const std::uint64_t mats = f.gated ? 3 : 2;
    mlp = t * (2 * f.hidden + mats * f.intermediate) * c;
    mlp_text = "MLP T × (2 × " + std::to_string(f.hidden) + " + " + std::to_string(mats) + " × " +
               std::to_string(f.intermediate) + ")";
  } else {
    const std::uint64_t k = f.experts_per_token;
    mlp = (t * (2 * f.hidden + f.experts) + t * k * (3 * f.expert_intermediate + f.hidden) +
           t * 3 * f.shared_intermediate) * c;
    mlp_text = "fused MoE T × (2 × " + std::to_string(f.hidden) + " + " + std::to_string(f.experts) + " + " +
               std::to_string(k) + " top-k × (3 × " + std::to_string(f.expert_intermediate) + " + " +
               std::to_string(f.hidden) + ") + 3 × " + std::to_string(f.shared_intermediate) + ")";
  }
  out.bytes = std::max(attn, mlp);
  out.explain = "T = " + std::to_string(t) + " max_num_batched_tokens; max of attention T × (2 × " +
                std::to_string(f.hidden) + " + 2 × " + std::to_string(f.q_dim) + " + 2 × " + std::to_string(f.kv_dim) +
                ") and " + mlp_text + ", × " + std::to_string(c) + " B = " + format_bytes(out.bytes);
  if (explaining()) out.source = "vLLM profile run over max_num_batched_tokens (gpu_worker.determine_available_memory), flash attention";
  return out;
}

BufferBytes vllm_sampler_logits(std::uint64_t max_num_seqs, std::uint64_t vocab, std::uint64_t compute_bytes) {
  BufferBytes out;
  out.bytes = max_num_seqs * vocab * (compute_bytes + 8);
  out.explain = Explain()
                    .times(max_num_seqs, "max_num_seqs")
                    .times(vocab, "vocab")
                    .text(" × (" + std::to_string(compute_bytes) + " B logits + 4 B fp32 + 4 B probs)")
                    .equals_bytes(out.bytes)
                    .str();
  if (explaining()) out.source = "vLLM dummy sampler run over max_num_seqs rows (gpu_model_runner._dummy_sampler_run)";
  return out;
}

BufferBytes llama_cpp_compute_buffer(const ForwardShape& f, std::uint64_t n_kv, std::uint64_t vocab, bool flash_attn,
                                     bool output_on_gpu) {
  BufferBytes out;
  const std::uint64_t n = f.tokens * f.batch;  // tokens in the ubatch
  std::uint64_t attn = 0;
  std::string attn_text;
  if (flash_attn) {
    attn = n_kv * n * 2 + n * (f.q_dim + f.hidden) * 4;
    attn_text = "FA: F16 mask " + std::to_string(n_kv) + " × " + std::to_string(n) + " × 2 B + " + std::to_string(n) +
                " × (" + std::to_string(f.q_dim) + " Q + " + std::to_string(f.hidden) + " norm) × 4 B";
  } else {
    attn = 2 * n * f.q_dim * 4 + n_kv * n * f.heads * 4;
    attn_text = "2 × " + std::to_string(n) + " × " + std::to_string(f.q_dim) + " Qcur × 4 B + KQ " +
                std::to_string(n_kv) + " × " + std::to_string(n) + " × " + std::to_string(f.heads) + " heads × 4 B";
  }
  const std::uint64_t mats = f.gated ? 2 : 1;
  std::uint64_t ffn = n * (f.hidden + mats * f.intermediate) * 4;
  std::string ffn_text = std::to_string(n) + " × (" + std::to_string(f.hidden) + " + " + std::to_string(mats) + " × " +
                         std::to_string(f.intermediate) + ") × 4 B";
  if (f.experts > 0) {
    ffn = n * (f.hidden + f.experts + f.experts_per_token * (f.hidden + mats * f.expert_intermediate)) * 4;
    ffn_text = std::to_string(n) + " × (" + std::to_string(f.hidden) + " + " + std::to_string(f.experts) +
               " router + " + std::to_string(f.experts_per_token) + " × (" + std::to_string(f.hidden) + " + " +
               std::to_string(mats) + " × " + std::to_string(f.expert_intermediate) + ")) × 4 B";
  }
  const std::uint64_t output = output_on_gpu ? n * (vocab + f.hidden) * 4 : 0;
  out.bytes = std::max({attn, ffn, output});
  out.explain = "max of attention " + attn_text + " (" + format_bytes(attn) + "), FFN " + ffn_text + " (" +
                format_bytes(ffn) + ")" +
                (output_on_gpu ? ", output " + std::to_string(n) + " × (" + std::to_string(vocab) + " vocab + " +
                                     std::to_string(f.hidden) + ") × 4 B (" + format_bytes(output) + ")"
                               : std::string()) +
                " = " + format_bytes(out.bytes);
  if (explaining()) out.source = "llama.cpp graph reserve for one ubatch (ggml-alloc reuses memory across serial layers), structure "
               "after gpustack/gguf-parser-go file_estimate__llamacpp.go";
  return out;
}

BufferBytes llama_cpp_output_buffer(std::uint64_t n_seq, std::uint64_t vocab) {
  BufferBytes out;
  out.bytes = n_seq * vocab * 4;
  out.explain = Explain().times(n_seq, "outputs").times(vocab, "vocab").times(std::uint64_t{4}, "B fp32").equals_bytes(out.bytes).str();
  if (explaining()) out.source = "llama.cpp llama_context::output_reserve (host buffer)";
  return out;
}

}  // namespace vram

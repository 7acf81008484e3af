// The vLLM profile: the KV pool is what remains of gpu_memory_utilization × the card after the
// weights, the profile run, the sampler and non-torch memory; CUDA graphs are captured after it.
#include "estimate/inference_context.hpp"

namespace vram::detail {

void vllm_items(const InferenceContext& c, ReportBuilder& b) {
  const PhaseSet all = {Phase::Load, Phase::Prefill, Phase::Decode};
  const PhaseSet run = {Phase::Prefill, Phase::Decode};
  const InferenceOptions& o = c.o;
  const std::uint64_t tp = o.tensor_parallel;
  const Q budget = scale(Q::bytes(o.gpu_memory_bytes, Msg::term_gpu_memory), o.gpu_memory_utilization,
                         Msg::term_gpu_memory_utilization, option_field("gpu_util"));
  const std::uint64_t seqs = vllm_default_max_num_seqs(o.gpu_memory_bytes);
  ForwardShape profile = forward_shape(c.spec, 1, c.kreq.max_num_batched_tokens, c.compute, o.tensor_parallel);
  profile.tokens_field = option_field("max_batched_tokens");
  const BufferBytes act = vllm_profile_activations(profile);
  const BufferBytes lg = vllm_sampler_logits(seqs, c.spec.vocab_size, c.compute);
  const bool given = o.overhead_bytes >= 0;
  const Q non_torch = given ? given_overhead(static_cast<std::uint64_t>(o.overhead_bytes))
                            : Q::bytes(vllm_non_torch_bytes(o.tensor_parallel), tp >= 2 ? Msg::term_non_torch_tp : Msg::term_non_torch);
  b.add("activations", act.bytes, act.source, run, true);
  b.add("logits", lg.bytes, lg.source, run, true);
  b.add("runtime_overhead", non_torch, Msg::source_vllm_non_torch, all, true);
  const Q used = (c.weights + c.metadata + act.bytes + lg.bytes + non_torch).as_bytes().named(Msg::term_non_kv_memory);
  const Q pool = minus(budget, used);
  b.add("kv_cache", pool, Msg::source_vllm_kv_pool, all, true);
  if (o.cuda_graphs)
    b.add("cuda_graphs", Q::bytes(kVllmCudaGraphBytes, Msg::term_cuda_graph_capture), Msg::source_vllm_cuda_graphs, {Phase::Decode}, true);
  const Q bs = Q::of(kVllmBlockSize, Msg::term_block_size);
  const Q tokens = c.kv.per_token.value() ? div(pool, c.kv.per_token * bs) * bs : Q::of(0);
  const std::uint64_t max_seqs = c.kv_per_seq.value() ? pool.value() / c.kv_per_seq.value() : 0;
  b.fact("kv_pool_bytes", pool, Msg::fact_kv_pool_bytes, true);
  b.fact("kv_pool_tokens", tokens, Msg::fact_kv_pool_tokens);
  b.fact("max_concurrent_sequences", c.kv_per_seq.value() ? div(pool, c.kv_per_seq.as_bytes().named(Msg::term_kv_per_sequence)) : Q::of(0),
         {Msg::fact_max_concurrent_sequences, {{"context", std::to_string(o.context)}}});
  b.fact("kv_pool_fits", max_seqs >= o.batch && pool.value() > 0 ? 1.0 : 0.0, Msg::fact_kv_pool_fits);
  if (pool.value() == 0) b.warn(Msg::warn_vllm_no_pool);
  else if (max_seqs < o.batch)
    b.warn({Msg::warn_vllm_pool_short, {{"sequences", std::to_string(max_seqs)}, {"context", std::to_string(o.context)}, {"batch", std::to_string(o.batch)}}});
}

}  // namespace vram::detail

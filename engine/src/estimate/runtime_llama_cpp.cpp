// The llama.cpp profile: -ngl places the last N repeating layers (and the output layer once N
// exceeds the layer count) on the GPU, the rest in CPU RAM; a unified KV cache of padded cells; the
// compute buffer of one ubatch; the host output buffer.
#include <algorithm>

#include "estimate/inference_context.hpp"

namespace vram::detail {

// llama-model.cpp load_tensors: i_gpu_start = n_layer − ngl, act_gpu_layers = min(ngl, n_layer + 1),
// dev_output = get_layer_buft_list(n_layer), dev_input = cpu (token embeddings stay on the CPU).
void llama_cpp_placement(InferenceContext& c, std::uint64_t& stage_weights) {
  const std::uint64_t ngl = c.o.gpu_layers < 0 ? c.layers + 1 : static_cast<std::uint64_t>(c.o.gpu_layers);
  c.first_layer = c.layers - std::min(ngl, c.layers);
  c.last_layer = c.layers;
  c.output_on_gpu = ngl > c.layers;
  stage_weights = c.output_on_gpu ? c.layout.output_bytes : 0;
  for (std::uint64_t i = c.first_layer; i < c.layers; ++i) stage_weights += c.layout.layer_bytes[i];
  // A tied model's output tensor is token_embd created again (TENSOR_DUPLICATED) in the output
  // layer's buffer: on the GPU a second copy; on the CPU the same mapped bytes.
  if (c.exact_layout && c.output_on_gpu) {
    c.duplicated_on_gpu = c.spec.stored->tied_output_bytes;
    stage_weights += c.duplicated_on_gpu;
  }
}

void llama_cpp_items(const InferenceContext& c, ReportBuilder& b) {
  const PhaseSet all = {Phase::Load, Phase::Prefill, Phase::Decode};
  const PhaseSet run = {Phase::Prefill, Phase::Decode};
  const InferenceOptions& o = c.o;
  const std::uint64_t offloaded = c.weights.value() + c.metadata.value() - std::min(c.duplicated_on_gpu, c.weights.value());
  if (offloaded < c.wb.weights + c.wb.quant_metadata) {
    const Q host = minus(Q::bytes(c.wb.weights + c.wb.quant_metadata, Msg::term_all_weights),
                         Q::bytes(offloaded, Msg::term_offloaded_weights));
    b.add("weights_host", host, Msg::source_llama_cpp_host_weights, all, false, true);
  }
  const std::uint64_t gpu_layers = c.layers - c.first_layer;
  if (gpu_layers > 0 || c.output_on_gpu) {
    // Encoder-only models get no KV cache in llama.cpp either (llama_model::create_memory returns
    // none for non-causal architectures such as BERT).
    if (!c.encoder_only) b.add("kv_cache", c.kv.bytes, c.kv.source, all);
    const Q n_kv_q = round_up(Q::input(o.context, Msg::term_tokens, option_field("context")) * Q::input(o.batch, Msg::term_seq, option_field("batch")),
                              Q::of(llama_cpp_kv_pad(c.kreq.flash_attn), Msg::term_cell_pad));
    b.check(n_kv_q);
    const std::uint64_t n_kv = n_kv_q.value();
    const ForwardShape ub = forward_shape(c.spec, 1, std::min(o.ubatch, n_kv), c.compute, 1);
    const BufferBytes cb = llama_cpp_compute_buffer(ub, n_kv, c.spec.vocab_size, c.kreq.flash_attn, c.output_on_gpu);
    b.add("compute_buffer", cb.bytes, cb.source, run, true);
  }
  if (c.first_layer > 0 && !c.encoder_only) {
    const KvCacheBytes host_kv = kv_cache_bytes(c.spec, c.width, c.kv_elem, c.kreq, 0, c.first_layer);
    b.add("kv_cache_host", host_kv.bytes, host_kv.source, all, false, true);
  }
  const BufferBytes out = llama_cpp_output_buffer(o.batch, c.spec.vocab_size);
  b.add("logits", out.bytes, out.source, run, false, true);
  const bool given = o.overhead_bytes >= 0;
  b.add("runtime_overhead",
        given ? given_overhead(static_cast<std::uint64_t>(o.overhead_bytes))
              : Q::bytes(kLlamaCppOverheadBytes, Msg::term_driver_footprint),
        Msg::source_llama_cpp_overhead, all, true);
}

}  // namespace vram::detail

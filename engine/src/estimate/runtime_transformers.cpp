// The transformers profile: DynamicCache KV, the prefill peak of one layer under no_grad, generate()'s
// logits, bitsandbytes' per-matmul dequantisation, the CUDA context.
#include "estimate/inference_context.hpp"
#include "vram/memory/lora.hpp"

namespace vram::detail {

void transformers_items(const InferenceContext& c, ReportBuilder& b) {
  const PhaseSet all = {Phase::Load, Phase::Prefill, Phase::Decode};
  const PhaseSet run = {Phase::Prefill, Phase::Decode};
  const InferenceOptions& o = c.o;
  // Registered buffers (rotary inv_freq, position ids …) live on the GPU beside the weights.
  if (c.model.inventory.buffer_bytes > 0)
    b.add("buffers", Q::bytes(c.model.inventory.buffer_bytes, Msg::term_registered_buffers), Msg::source_buffers, all);
  if (!c.encoder_only) b.add("kv_cache", c.kv.bytes, c.kv.source, run);
  const BufferBytes act = transformers_prefill_activations(c.prefill, o.attn);
  b.add("activations", act.bytes, act.source, {Phase::Prefill}, true);
  const BufferBytes lg = c.encoder_only ? forward_logits(o.batch, c.prompt, c.spec.vocab_size, c.compute)
                                        : generation_logits(o.batch, c.spec.vocab_size, c.compute);
  b.add("logits", lg.bytes, lg.source, run);
  if (c.wb.format.kind == WeightKind::BnbNf4 || c.wb.format.kind == WeightKind::BnbFp4) {
    // bitsandbytes matmul_4bit: one input row (batch-1 decode) runs the gemv_4bit kernel on the
    // packed weight; anything larger dequantises the Linear's whole weight to the compute dtype
    // first (bitsandbytes/autograd/_functions.py), one Linear at a time.
    const Q n = Q::of(largest_layer_linear(c.model.inventory) / o.tensor_parallel, Msg::term_largest_linear);
    PhaseSet when = {Phase::Prefill};
    if (o.batch > 1) when.add(Phase::Decode);
    b.add("dequant_temporaries", n * Q::of(dtype_bytes(c.compute), Message{Msg::term_bytes_dtype, {{"dtype", dtype_name(c.compute)}}}),
          Msg::source_bnb_dequant, when, true);
  }
  const bool given = o.overhead_bytes >= 0;
  b.add("runtime_overhead",
        given ? given_overhead(static_cast<std::uint64_t>(o.overhead_bytes))
              : Q::bytes(kTransformersOverheadBytes, Msg::term_cuda_context),
        Msg::source_transformers_overhead, all, true);
}

}  // namespace vram::detail

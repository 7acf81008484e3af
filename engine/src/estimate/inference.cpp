// estimate_inference: composes weights (weights.hpp), KV cache (kv_cache.hpp) and the runtime
// profile's buffers and overheads (runtime.hpp) into per-GPU line items over load / prefill /
// decode. This file builds what the runtimes share (inference_context.hpp) and places the weights on
// the reported GPU; each runtime's own items come from runtime_<name>.cpp.
#include <algorithm>

#include "estimate/inference_context.hpp"
#include "vram/estimate/estimate.hpp"
#include "vram/workload/gpus.hpp"
#include "vram/workload/option_table.hpp"

namespace vram {
namespace {

std::uint64_t layout_total(const WeightLayout& l) {
  std::uint64_t t = l.input_bytes + l.output_bytes;
  for (auto b : l.layer_bytes) t += b;
  return t;
}

// This GPU's part of the weights: `part` of the layout's `whole` bytes (a pipeline stage, the
// layers llama.cpp offloads), split by tensor parallelism (attention heads, MLP and vocab-parallel
// embeddings shard; norms are replicated, which this ignores — approximate).
void weight_share(detail::InferenceContext& c, std::uint64_t part, std::uint64_t whole, bool& approximate) {
  const std::uint64_t tp = c.o.tensor_parallel;
  // A GGUF file's exact bytes are known per layer: the part on this GPU is exact too.
  if (c.exact_layout && tp == 1 && part != whole) {
    c.weights = Q::bytes(part, Msg::term_gguf_exact_share);
    c.metadata = Q::of(0);
    return;
  }
  if (part == whole && tp == 1) {
    c.weights = c.wb.weights_formula;
    c.metadata = c.wb.metadata_formula;
    return;
  }
  const double fraction = whole ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
  const Q tp_q = Q::input(tp, Msg::term_tp_ranks, option_field("tp"));
  const auto share = [&](const Q& all) {
    Q q = part != whole ? scale(all, fraction, Msg::term_share_on_gpu) : all;
    return tp > 1 ? div(q, tp_q) : q;
  };
  c.weights = share(c.wb.weights_formula);
  c.metadata = share(c.wb.metadata_formula);
  approximate = tp > 1;
}

}  // namespace

Result<Report> estimate_inference(const Model& model, const InferenceOptions& requested) {
  const ModelDescription& spec = model.spec;
  if (auto err = check_options(requested, &spec)) return *err;
  InferenceOptions o = requested;
  // Runtimes that size themselves from the card (vLLM's KV pool) read the chosen GPU's usable memory.
  if (o.gpu_memory_bytes == 0 && !o.gpu.empty()) {
    auto gpu = find_gpu(o.gpu);
    if (!gpu) return gpu.error();
    o.gpu_memory_bytes = gpu.value().usable_bytes();
  }
  auto weights_r = weights_of(model, o.weights);
  if (!weights_r) return weights_r.error();
  const std::shared_ptr<const Weights> weights = weights_r.value();
  const WeightBytes* wbp = &weights->bytes;
  WeightBytes stored;  // used only when exact stored bytes override the config-based sizes
  // Exact stored bytes from the checkpoint's safetensors headers replace the config-based sizes
  // when the checkpoint's own format is requested (the browser reads them with Range requests).
  if (o.stored_weight_bytes > 0 && o.weights.kind == WeightKind::Auto) {
    stored = weights->bytes;
    wbp = &stored;
    const std::uint64_t meta = std::min(o.stored_quant_metadata_bytes, o.stored_weight_bytes);
    stored.weights = o.stored_weight_bytes - meta;
    stored.quant_metadata = meta;
    stored.weights_formula = Q::bytes(stored.weights, Msg::term_safetensors_exact);
    stored.metadata_formula = Q::bytes(meta, Msg::term_safetensors_exact);
    stored.approximate = false;
    stored.source = Msg::source_weights_safetensors;
  }
  auto kv_r = resolve_kv_element(o.kv, wbp->compute_dtype, o.runtime);
  if (!kv_r) return kv_r.error();

  detail::InferenceContext c{.model = model, .spec = spec, .o = o, .wb = *wbp, .layout = weights->layout, .kv_elem = kv_r.value()};
  c.compute = c.wb.compute_dtype;
  c.prompt = o.prompt ? o.prompt : o.context;
  c.layers = spec.layers.size();
  c.encoder_only = spec.encoder_only();
  c.exact_layout = spec.stored && o.weights.kind == WeightKind::Auto && o.stored_weight_bytes == 0;
  c.width = kv_width(spec, o.runtime, o.tensor_parallel);
  // KV request for this runtime. T5: `context` is the decoder length, `prompt` the encoder input.
  c.kreq.runtime = o.runtime;
  c.kreq.context = o.context;
  c.kreq.sequences = o.batch;
  c.kreq.encoder_tokens = spec.encoder_decoder ? c.prompt : 0;
  c.kreq.ubatch = o.ubatch;
  c.kreq.flash_attn = o.attn == AttentionImpl::Flash;
  c.kreq.block_size = kVllmBlockSize;
  c.kreq.model_dtype = wbp->compute_dtype;
  c.kreq.tensor_parallel = o.tensor_parallel;
  c.kreq.max_num_batched_tokens = o.max_num_batched_tokens ? o.max_num_batched_tokens : vllm_default_max_num_batched_tokens(o.gpu_memory_bytes);

  Report r;
  ReportBuilder b(r);
  r.items.reserve(12);
  const std::uint64_t tp = o.tensor_parallel, pp = o.pipeline_parallel;
  r.gpus = static_cast<std::uint32_t>(tp * pp);
  for (const auto& w : spec.warnings) b.warn(w);
  for (const auto& n : c.wb.notes) b.warn(n);

  // The layers on the reported GPU: all of them; under pipeline parallelism the stage with the most
  // weight + KV bytes; under llama.cpp the ones -ngl offloads.
  c.first_layer = 0;
  c.last_layer = c.layers;
  std::uint64_t stage_weights = layout_total(c.layout);
  if (pp > 1) {
    std::uint64_t best = 0;
    for (std::uint64_t s = 0; s < pp; ++s) {
      const std::uint64_t bgn = s * c.layers / pp, end = (s + 1) * c.layers / pp;
      std::uint64_t w = (s == 0 ? c.layout.input_bytes : 0) + (s + 1 == pp ? c.layout.output_bytes : 0);
      for (std::uint64_t i = bgn; i < end; ++i) w += c.layout.layer_bytes[i];
      const KvCacheBytes kv = kv_cache_bytes(spec, c.width, c.kv_elem, c.kreq, bgn, end);
      b.check(kv.bytes);
      const std::uint64_t score = w / tp + kv.bytes.value();
      if (score > best) {
        best = score;
        c.first_layer = bgn;
        c.last_layer = end;
        stage_weights = w;
      }
    }
  }
  if (o.runtime == Runtime::LlamaCpp) detail::llama_cpp_placement(c, stage_weights);

  bool share_approximate = false;
  weight_share(c, stage_weights, layout_total(c.layout), share_approximate);
  b.add("weights", c.weights, c.wb.source, {Phase::Load, Phase::Prefill, Phase::Decode}, c.wb.approximate || share_approximate);
  if (c.metadata.value() > 0)
    b.add("quant_metadata", c.metadata, c.wb.source, {Phase::Load, Phase::Prefill, Phase::Decode}, c.wb.approximate || share_approximate);

  if (!c.encoder_only) c.kv = kv_cache_bytes(spec, c.width, c.kv_elem, c.kreq, c.first_layer, c.last_layer);
  KvRequest one = c.kreq;
  one.sequences = 1;
  c.kv_per_seq = c.encoder_only         ? Q::of(0)
                 : c.kreq.sequences == 1 ? c.kv.bytes
                                         : kv_cache_bytes(spec, c.width, c.kv_elem, one, c.first_layer, c.last_layer).bytes;
  b.check(c.kv_per_seq);
  b.fact("kv_bytes_per_token", c.kv.per_token, {Msg::fact_kv_bytes_per_token, {{"dtype", c.kv_elem.name}}}, true);
  // Hybrid models: the constant state of their linear-attention / Mamba2 / conv layers (inside the KV item).
  if (c.kv.state.value() > 0) b.fact("state_bytes", c.kv.state, Msg::fact_state_bytes, true);
  if (c.encoder_only) b.warn(Msg::warn_encoder_no_kv);

  // Prefill forward shape on one GPU.
  c.prefill = forward_shape(spec, o.batch, c.prompt, c.compute, o.tensor_parallel);
  c.prefill.tokens_field = option_field(o.prompt ? "prompt" : "context");

  switch (o.runtime) {
    case Runtime::Transformers: detail::transformers_items(c, b); break;
    case Runtime::Vllm: detail::vllm_items(c, b); break;
    case Runtime::LlamaCpp: detail::llama_cpp_items(c, b); break;
  }
  if (auto e = b.finish()) return *e;
  return r;
}

}  // namespace vram

// estimate_inference: composes weights (weights.hpp), KV cache (kv_cache.hpp) and the runtime
// profile's buffers and overheads (runtime.hpp) into per-GPU line items over load / prefill /
// decode. Formulas live in those units; this file only places them on GPUs and phases.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "vram/estimate/estimate.hpp"
#include "vram/memory/kv_cache.hpp"
#include "vram/memory/lora.hpp"
#include "vram/memory/runtime.hpp"
#include "vram/memory/weights.hpp"
#include "vram/workload/gpus.hpp"
#include "vram/workload/option_table.hpp"

namespace vram {
namespace {

const PhaseSet kAll = {Phase::Load, Phase::Prefill, Phase::Decode};
const PhaseSet kRun = {Phase::Prefill, Phase::Decode};

std::uint64_t layout_total(const WeightLayout& l) {
  std::uint64_t t = l.input_bytes + l.output_bytes;
  for (auto b : l.layer_bytes) t += b;
  return t;
}

// This GPU's part of the weights: `part` of the layout's `whole` bytes (a pipeline stage, the
// layers llama.cpp offloads), split by tensor parallelism (attention heads, MLP and vocab-parallel
// embeddings shard; norms are replicated, which this ignores — approximate).
struct Share {
  Q weights, metadata;
  bool approximate = false;
};

Share weight_share(const WeightBytes& wb, std::uint64_t part, std::uint64_t whole, std::uint64_t tp) {
  Share s;
  if (part == whole && tp == 1) {
    s.weights = wb.weights_formula;
    s.metadata = wb.metadata_formula;
    return s;
  }
  const double fraction = whole ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
  const Q tp_q = Q::input(tp, Msg::term_tp_ranks, option_field("tp"));
  auto share = [&](const Q& all) {
    Q q = part != whole ? scale(all, fraction, Msg::term_share_on_gpu) : all;
    return tp > 1 ? div(q, tp_q) : q;
  };
  s.weights = share(wb.weights_formula);
  s.metadata = share(wb.metadata_formula);
  s.approximate = tp > 1;
  return s;
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
  const WeightBytes& wb = *wbp;
  const WeightLayout& layout = weights->layout;
  auto kv_r = resolve_kv_element(o.kv, wb.compute_dtype, o.runtime);
  if (!kv_r) return kv_r.error();
  const KvElement& kv_elem = kv_r.value();

  const DType c = wb.compute_dtype;
  const std::uint64_t tp = o.tensor_parallel;
  const std::uint64_t pp = o.pipeline_parallel;
  const std::uint64_t prompt = o.prompt ? o.prompt : o.context;
  const std::uint64_t layers = spec.layers.size();
  const bool encoder_only = spec.encoder_only();

  Report r;
  ReportBuilder b(r);
  r.items.reserve(12);
  r.gpus = static_cast<std::uint32_t>(tp * pp);
  for (const auto& w : spec.warnings) b.warn(w);
  for (const auto& n : wb.notes) b.warn(n);

  // KV request for this runtime. T5: `context` is the decoder length, `prompt` the encoder input.
  KvRequest kreq;
  kreq.runtime = o.runtime;
  kreq.context = o.context;
  kreq.sequences = o.batch;
  kreq.encoder_tokens = spec.encoder_decoder ? prompt : 0;
  kreq.ubatch = o.ubatch;
  kreq.flash_attn = o.attn == AttentionImpl::Flash;
  kreq.block_size = kVllmBlockSize;
  kreq.max_num_batched_tokens = o.max_num_batched_tokens ? o.max_num_batched_tokens
                                                         : vllm_default_max_num_batched_tokens(o.gpu_memory_bytes);
  const KvWidth width = kv_width(spec, o.runtime, o.tensor_parallel);

  // Pipeline stage held by the reported GPU: the stage with the most weight + KV bytes.
  std::uint64_t first = 0, last = layers, stage_weights = layout_total(layout);
  if (pp > 1) {
    std::uint64_t best = 0;
    for (std::uint64_t s = 0; s < pp; ++s) {
      const std::uint64_t bgn = s * layers / pp, end = (s + 1) * layers / pp;
      std::uint64_t w = (s == 0 ? layout.input_bytes : 0) + (s + 1 == pp ? layout.output_bytes : 0);
      for (std::uint64_t i = bgn; i < end; ++i) w += layout.layer_bytes[i];
      const KvCacheBytes kv = kv_cache_bytes(spec, width, kv_elem, kreq, bgn, end);
      b.check(kv.bytes);
      const std::uint64_t score = w / tp + kv.bytes.value();
      if (score > best) {
        best = score;
        first = bgn;
        last = end;
        stage_weights = w;
      }
    }
  }

  // llama.cpp -ngl: the last N repeating layers on the GPU; the output layer too once N > n_layer;
  // token embeddings always on the CPU (llama-model.cpp load_tensors: i_gpu_start = n_layer − ngl,
  // act_gpu_layers = min(ngl, n_layer + 1), dev_output = get_layer_buft_list(n_layer),
  // dev_input = cpu).
  bool output_on_gpu = true;
  if (o.runtime == Runtime::LlamaCpp) {
    const std::uint64_t ngl = o.gpu_layers < 0 ? layers + 1 : static_cast<std::uint64_t>(o.gpu_layers);
    first = layers - std::min(ngl, layers);
    output_on_gpu = ngl > layers;
    stage_weights = output_on_gpu ? layout.output_bytes : 0;
    for (std::uint64_t i = first; i < layers; ++i) stage_weights += layout.layer_bytes[i];
  }

  // Weights and quantisation metadata.
  const Share share = weight_share(wb, stage_weights, layout_total(layout), tp);
  b.add("weights", share.weights, wb.source, kAll, wb.approximate || share.approximate);
  if (share.metadata.value() > 0) b.add("quant_metadata", share.metadata, wb.source, kAll, wb.approximate || share.approximate);
  if (o.runtime == Runtime::LlamaCpp && share.weights.value() + share.metadata.value() < wb.weights + wb.quant_metadata) {
    const Q host = minus(Q::bytes(wb.weights + wb.quant_metadata, Msg::term_all_weights),
                         Q::bytes(share.weights.value() + share.metadata.value(), Msg::term_offloaded_weights));
    b.add("weights_host", host, Msg::source_llama_cpp_host_weights, kAll, false, true);
  }
  if (o.runtime == Runtime::Transformers && model.inventory.buffer_bytes > 0)
    b.add("buffers", Q::bytes(model.inventory.buffer_bytes, Msg::term_registered_buffers), Msg::source_buffers, kAll);

  // KV cache.
  KvCacheBytes kv;
  if (!encoder_only) kv = kv_cache_bytes(spec, width, kv_elem, kreq, first, last);
  KvRequest one = kreq;
  one.sequences = 1;
  const Q kv_per_seq = encoder_only ? Q::of(0) : kreq.sequences == 1 ? kv.bytes : kv_cache_bytes(spec, width, kv_elem, one, first, last).bytes;
  b.fact("kv_bytes_per_token", kv.per_token, {Msg::fact_kv_bytes_per_token, {{"dtype", kv_elem.name}}}, true);
  if (encoder_only) b.warn(Msg::warn_encoder_no_kv);

  // Prefill forward shape on one GPU.
  ForwardShape prefill = forward_shape(spec, o.batch, prompt, c, o.tensor_parallel);
  prefill.tokens_field = option_field(o.prompt ? "prompt" : "context");

  switch (o.runtime) {
    case Runtime::Transformers: {
      if (!encoder_only) b.add("kv_cache", kv.bytes, kv.source, kRun);
      const BufferBytes act = transformers_prefill_activations(prefill, o.attn);
      b.add("activations", act.bytes, act.source, {Phase::Prefill}, true);
      const BufferBytes lg = encoder_only ? forward_logits(o.batch, prompt, spec.vocab_size, c) : generation_logits(o.batch, spec.vocab_size, c);
      b.add("logits", lg.bytes, lg.source, kRun);
      if (wb.format.kind == WeightKind::BnbNf4 || wb.format.kind == WeightKind::BnbFp4) {
        // bitsandbytes matmul_4bit: one input row (batch-1 decode) runs the gemv_4bit kernel on the
        // packed weight; anything larger dequantises the Linear's whole weight to the compute dtype
        // first (bitsandbytes/autograd/_functions.py), one Linear at a time.
        const Q n = Q::of(largest_layer_linear(model.inventory) / tp, Msg::term_largest_linear);
        PhaseSet when = {Phase::Prefill};
        if (o.batch > 1) when.add(Phase::Decode);
        b.add("dequant_temporaries", n * Q::of(dtype_bytes(c), Message{Msg::term_bytes_dtype, {{"dtype", dtype_name(c)}}}),
              Msg::source_bnb_dequant, when, true);
      }
      const bool given = o.overhead_bytes >= 0;
      b.add("runtime_overhead",
            given ? Q::input(static_cast<std::uint64_t>(o.overhead_bytes), Msg::term_overhead_given, option_field("overhead_mib")).as_bytes()
                  : Q::bytes(kTransformersOverheadBytes, Msg::term_cuda_context),
            Msg::source_transformers_overhead, kAll, true);
      break;
    }
    case Runtime::Vllm: {
      const Q budget = scale(Q::bytes(o.gpu_memory_bytes, Msg::term_gpu_memory), o.gpu_memory_utilization,
                             Msg::term_gpu_memory_utilization, option_field("gpu_util"));
      const std::uint64_t seqs = vllm_default_max_num_seqs(o.gpu_memory_bytes);
      ForwardShape profile = forward_shape(spec, 1, kreq.max_num_batched_tokens, c, o.tensor_parallel);
      profile.tokens_field = option_field("max_batched_tokens");
      const BufferBytes act = vllm_profile_activations(profile);
      const BufferBytes lg = vllm_sampler_logits(seqs, spec.vocab_size, c);
      const bool given = o.overhead_bytes >= 0;
      const Q non_torch = given ? Q::input(static_cast<std::uint64_t>(o.overhead_bytes), Msg::term_overhead_given, option_field("overhead_mib")).as_bytes()
                                : Q::bytes(vllm_non_torch_bytes(o.tensor_parallel), tp >= 2 ? Msg::term_non_torch_tp : Msg::term_non_torch);
      b.add("activations", act.bytes, act.source, kRun, true);
      b.add("logits", lg.bytes, lg.source, kRun, true);
      b.add("runtime_overhead", non_torch, Msg::source_vllm_non_torch, kAll, true);
      const Q used = (share.weights + share.metadata + act.bytes + lg.bytes + non_torch).as_bytes().named(Msg::term_non_kv_memory);
      const Q pool = minus(budget, used);
      b.add("kv_cache", pool, Msg::source_vllm_kv_pool, kAll, true);
      if (o.cuda_graphs)
        b.add("cuda_graphs", Q::bytes(kVllmCudaGraphBytes, Msg::term_cuda_graph_capture), Msg::source_vllm_cuda_graphs, {Phase::Decode}, true);
      const Q bs = Q::of(kVllmBlockSize, Msg::term_block_size);
      const Q tokens = kv.per_token.value() ? div(pool, kv.per_token * bs) * bs : Q::of(0);
      const std::uint64_t max_seqs = kv_per_seq.value() ? pool.value() / kv_per_seq.value() : 0;
      b.fact("kv_pool_bytes", pool, Msg::fact_kv_pool_bytes, true);
      b.fact("kv_pool_tokens", tokens, Msg::fact_kv_pool_tokens);
      b.fact("max_concurrent_sequences", kv_per_seq.value() ? div(pool, kv_per_seq.as_bytes().named(Msg::term_kv_per_sequence)) : Q::of(0),
             {Msg::fact_max_concurrent_sequences, {{"context", std::to_string(o.context)}}});
      b.fact("kv_pool_fits", max_seqs >= o.batch && pool.value() > 0 ? 1.0 : 0.0, Msg::fact_kv_pool_fits);
      if (pool.value() == 0) b.warn(Msg::warn_vllm_no_pool);
      else if (max_seqs < o.batch)
        b.warn({Msg::warn_vllm_pool_short,
                {{"sequences", std::to_string(max_seqs)}, {"context", std::to_string(o.context)}, {"batch", std::to_string(o.batch)}}});
      break;
    }
    case Runtime::LlamaCpp: {
      const std::uint64_t gpu_layers = layers - first;
      if (gpu_layers > 0 || output_on_gpu) {
        // Encoder-only models get no KV cache in llama.cpp either (llama_model::create_memory returns
        // none for non-causal architectures such as BERT).
        if (!encoder_only) b.add("kv_cache", kv.bytes, kv.source, kAll);
        const Q n_kv_q = round_up(Q::input(o.context, Msg::term_tokens, option_field("context")) * Q::input(o.batch, Msg::term_seq, option_field("batch")),
                                  Q::of(llama_cpp_kv_pad(kreq.flash_attn), Msg::term_cell_pad));
        b.check(n_kv_q);
        const std::uint64_t n_kv = n_kv_q.value();
        const ForwardShape ub = forward_shape(spec, 1, std::min(o.ubatch, n_kv), c, 1);
        const BufferBytes cb = llama_cpp_compute_buffer(ub, n_kv, spec.vocab_size, kreq.flash_attn, output_on_gpu);
        b.add("compute_buffer", cb.bytes, cb.source, kRun, true);
      }
      if (first > 0 && !encoder_only) {
        const KvCacheBytes host_kv = kv_cache_bytes(spec, width, kv_elem, kreq, 0, first);
        b.add("kv_cache_host", host_kv.bytes, host_kv.source, kAll, false, true);
      }
      const BufferBytes out = llama_cpp_output_buffer(o.batch, spec.vocab_size);
      b.add("logits", out.bytes, out.source, kRun, false, true);
      const bool given = o.overhead_bytes >= 0;
      b.add("runtime_overhead",
            given ? Q::input(static_cast<std::uint64_t>(o.overhead_bytes), Msg::term_overhead_given, option_field("overhead_mib")).as_bytes()
                  : Q::bytes(kLlamaCppOverheadBytes, Msg::term_driver_footprint),
            Msg::source_llama_cpp_overhead, kAll, true);
      break;
    }
  }
  b.check(kv_per_seq);
  if (auto e = b.finish()) return *e;
  return r;
}

}  // namespace vram

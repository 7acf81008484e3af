// estimate_inference: composes weights (weights.hpp), KV cache (kv_cache.hpp) and the runtime
// profile's buffers and overheads (runtime.hpp) into per-GPU line items over load / prefill /
// decode. Formulas live in those units; this file only places them on GPUs and phases.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "vram/estimate/estimate.hpp"
#include "vram/base/explain.hpp"
#include "vram/memory/kv_cache.hpp"
#include "vram/memory/lora.hpp"
#include "vram/memory/runtime.hpp"
#include "vram/memory/weights.hpp"

namespace vram {
namespace {

constexpr std::uint64_t kMaxContext = std::uint64_t{1} << 24;  // 16M tokens
constexpr std::uint64_t kMaxBatch = std::uint64_t{1} << 16;

const PhaseSet kAll = {Phase::Load, Phase::Prefill, Phase::Decode};
const PhaseSet kRun = {Phase::Prefill, Phase::Decode};

Error bad(const std::string& field, const std::string& message) {
  return make_error(ErrorCode::InvalidValue, field, message);
}

std::optional<Error> validate(const ModelSpec& spec, const InferenceOptions& o) {
  if (o.batch < 1 || o.batch > kMaxBatch)
    return bad("--batch", "--batch must be between 1 and 65536, got " + std::to_string(o.batch));
  if (o.context < 1 || o.context > kMaxContext)
    return bad("--context", "--context must be between 1 and 16777216 tokens, got " + std::to_string(o.context));
  if (o.prompt > o.context)
    return bad("--prompt", "--prompt (" + std::to_string(o.prompt) + ") must not exceed --context (" +
                               std::to_string(o.context) + ")");
  if (!(o.gpu_memory_utilization > 0.0 && o.gpu_memory_utilization <= 1.0))
    return bad("--gpu-util", "--gpu-util must be in (0, 1], got " + format_number(o.gpu_memory_utilization));
  if (o.runtime == Runtime::Vllm && o.gpu_memory_bytes == 0)
    return make_error(ErrorCode::MissingField, "gpu_memory_bytes",
                      "gpu_memory_bytes: the vLLM profile sizes its KV pool from the card's memory; pass --gpu NAME");
  if (o.tensor_parallel < 1) return bad("--tp", "--tp must be ≥ 1");
  if (o.pipeline_parallel < 1) return bad("--pp", "--pp must be ≥ 1");
  if (o.pipeline_parallel > spec.num_layers)
    return bad("--pp", "--pp (" + std::to_string(o.pipeline_parallel) + ") must not exceed the " +
                           std::to_string(spec.num_layers) + " layers");
  const std::uint64_t tp = o.tensor_parallel;
  if (spec.num_heads % tp != 0)
    return bad("--tp", "--tp " + std::to_string(tp) + " must divide num_attention_heads (" +
                           std::to_string(spec.num_heads) + ")");
  if (!spec.mla && spec.num_kv_heads % tp != 0 && tp % spec.num_kv_heads != 0)
    return bad("--tp", "--tp " + std::to_string(tp) + " must divide num_key_value_heads (" +
                           std::to_string(spec.num_kv_heads) + ") or be a multiple of it");
  if (o.runtime == Runtime::LlamaCpp && (tp > 1 || o.pipeline_parallel > 1))
    return bad("--tp", "--tp/--pp: the llama.cpp profile models one GPU; use --ngl for partial offload");
  if (o.ubatch < 1) return bad("--ubatch", "--ubatch must be ≥ 1");
  if (o.gpu_layers < -1) return bad("--ngl", "--ngl must be ≥ 0 (or -1 for all layers)");
  if (o.overhead_bytes < -1) return bad("--overhead-mib", "--overhead-mib must be ≥ 0");
  return std::nullopt;
}

// Texts are taken as views and copied only when explanations are on (sweeps and solves read
// numbers only, thousands of times).
LineItem item(const std::string& id, std::uint64_t bytes, std::string_view explain, std::string_view source,
              PhaseSet phases, bool approximate) {
  LineItem i;
  i.id = id;
  i.bytes = bytes;
  if (explaining()) {
    i.label_key = "item." + id;
    i.explain = std::string(explain);
    i.source = std::string(source);
  }
  i.phases = phases;
  i.approximate = approximate;
  return i;
}

void add(Report& r, LineItem i) {
  if (i.approximate && !i.cpu && explaining()) r.approximate_reasons.push_back(i.id + ": " + i.source);
  r.items.push_back(std::move(i));
}

// Part of the weights held by one GPU: `part` of the layout's `whole` bytes, split by tensor
// parallelism (attention heads, MLP and vocab-parallel embeddings shard; norms are replicated,
// which this ignores — approximate).
struct Share {
  std::uint64_t weights = 0;
  std::uint64_t metadata = 0;
  std::string explain;
  bool approximate = false;
};

Share weight_share(const WeightBytes& wb, std::uint64_t part, std::uint64_t whole, std::uint64_t tp) {
  Share s;
  if (part == whole && tp == 1) {
    s.weights = wb.weights;
    s.metadata = wb.quant_metadata;
    s.explain = wb.explain_weights;
    return s;
  }
  const double fraction = whole ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
  s.weights = static_cast<std::uint64_t>(static_cast<double>(wb.weights) * fraction) / tp;
  s.metadata = static_cast<std::uint64_t>(static_cast<double>(wb.quant_metadata) * fraction) / tp;
  if (explaining()) {
    Explain ex;
    ex.text("(" + wb.explain_weights + ")");
    if (part != whole) ex.times(fraction, "of the model on this GPU");
    if (tp > 1) ex.text(" ÷ " + std::to_string(tp) + " TP");
    s.explain = ex.equals_bytes(s.weights).str();
  }
  s.approximate = tp > 1;
  return s;
}

std::uint64_t layout_total(const WeightLayout& l) {
  std::uint64_t t = l.input_bytes + l.output_bytes;
  for (auto b : l.layer_bytes) t += b;
  return t;
}

}  // namespace

Result<Report> estimate_inference(const Model& model, const InferenceOptions& o) {
  const ModelSpec& spec = model.spec;
  if (auto err = validate(spec, o)) return *err;
  auto weights_r = weights_of(model, o.weights);
  if (!weights_r) return weights_r.error();
  const std::shared_ptr<const Weights> weights = weights_r.value();
  const WeightBytes* wbp = &weights->bytes;
  WeightBytes stored;  // used only when exact stored bytes override the config-based sizes
  // Exact stored bytes from the checkpoint's safetensors headers replace the config-based sizes
  // when the checkpoint's own format is requested (the browser reads them with Range requests).
  if (o.stored_weight_bytes > 0 && o.weights.kind == WeightKind::Auto) {
    stored = weights->bytes;
    WeightBytes& wb = stored;
    wbp = &stored;
    const std::uint64_t meta = std::min(o.stored_quant_metadata_bytes, o.stored_weight_bytes);
    wb.weights = o.stored_weight_bytes - meta;
    wb.quant_metadata = meta;
    wb.approximate = false;
    wb.source = "safetensors headers: Σ data_offsets spans of every stored tensor (exact)";
    if (explaining()) {
      wb.explain_weights = Explain().text("exact from the safetensors headers: ").times(wb.weights, "B").str();
      wb.explain_metadata = Explain().text("exact from the safetensors headers: ").times(meta, "B").str();
    }
  }
  const WeightBytes& wb = *wbp;
  const WeightLayout& layout = weights->layout;
  auto kv_r = resolve_kv_element(o.kv, wb.compute_dtype, o.runtime);
  if (!kv_r) return kv_r.error();
  const KvElement& kv_elem = kv_r.value();

  const std::uint64_t c = dtype_bytes(wb.compute_dtype);
  const std::uint64_t tp = o.tensor_parallel;
  const std::uint64_t pp = o.pipeline_parallel;
  const std::uint64_t prompt = o.prompt ? o.prompt : o.context;
  const std::uint64_t layers = spec.layers.size();
  const bool encoder_only = spec.model_type == "bert";

  Report r;
  r.items.reserve(12);
  r.gpus = static_cast<std::uint32_t>(tp * pp);
  for (const auto& w : spec.warnings) r.warnings.push_back(w);
  for (const auto& n : wb.notes) r.warnings.push_back(n);

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

  // Products of user inputs must stay far below 2^64: bound the largest ones (KV cache, eager
  // scores b·heads·s²) in floating point before any integer product is formed.
  const double all_tokens = static_cast<double>(o.batch) * static_cast<double>(o.context);
  const double kv_guess = all_tokens * static_cast<double>(layers) * 8.0 * static_cast<double>(width.k + width.v + 1);
  const double scores = o.attn == AttentionImpl::Eager
                            ? all_tokens * static_cast<double>(prompt) * static_cast<double>(spec.num_heads) * 16.0
                            : 0.0;
  if (kv_guess > 1e18 || scores > 1e18)
    return make_error(ErrorCode::Overflow, "--context",
                      "--context × --batch is too large for this model: the estimate would exceed an exabyte");

  // Pipeline stage held by the reported GPU: the stage with the most weight + KV bytes.
  std::uint64_t first = 0, last = layers, stage_weights = layout_total(layout);
  if (pp > 1) {
    std::uint64_t best = 0;
    for (std::uint64_t s = 0; s < pp; ++s) {
      const std::uint64_t b = s * layers / pp, e = (s + 1) * layers / pp;
      std::uint64_t w = (s == 0 ? layout.input_bytes : 0) + (s + 1 == pp ? layout.output_bytes : 0);
      for (std::uint64_t i = b; i < e; ++i) w += layout.layer_bytes[i];
      const std::uint64_t score = w / tp + kv_cache_bytes(spec, width, kv_elem, kreq, b, e).bytes;
      if (score > best) { best = score; first = b; last = e; stage_weights = w; }
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
  add(r, item("weights", share.weights, share.explain, wb.source, kAll, wb.approximate || share.approximate));
  if (share.metadata > 0)
    add(r, item("quant_metadata", share.metadata, wb.explain_metadata, wb.source, kAll, wb.approximate || share.approximate));
  if (o.runtime == Runtime::LlamaCpp && share.weights + share.metadata < wb.weights + wb.quant_metadata) {
    LineItem host = item("weights_host", wb.weights + wb.quant_metadata - share.weights - share.metadata,
                         "weights not offloaded (token embeddings stay on the CPU; layers below -ngl)",
                         "llama.cpp load_tensors: dev_input = CPU", kAll, false);
    host.cpu = true;
    add(r, std::move(host));
  }
  if (o.runtime == Runtime::Transformers && model.inventory.buffer_bytes > 0)
    add(r, item("buffers", model.inventory.buffer_bytes, "registered buffers (rotary inv_freq, causal masks …) at their own dtype",
                "parameter inventory: module buffers", kAll, false));

  // KV cache.
  KvCacheBytes kv;
  if (!encoder_only) kv = kv_cache_bytes(spec, width, kv_elem, kreq, first, last);
  KvRequest one = kreq;
  one.sequences = 1;
  const std::uint64_t kv_per_seq = encoder_only          ? 0
                                   : kreq.sequences == 1 ? kv.bytes
                                                         : kv_cache_bytes(spec, width, kv_elem, one, first, last).bytes;
  r.facts.push_back({"kv_bytes_per_token", static_cast<double>(kv.bytes_per_token),
                     explaining() ? "KV bytes per token of context on this GPU, all its layers (" + kv_elem.name + ")"
                                  : std::string()});
  if (encoder_only) r.warnings.push_back("encoder-only model: no KV cache (no generation)");

  // Prefill forward shape on one GPU.
  const ForwardShape prefill = forward_shape(spec, o.batch, prompt, c, o.tensor_parallel);

  switch (o.runtime) {
    case Runtime::Transformers: {
      if (!encoder_only) add(r, item("kv_cache", kv.bytes, kv.explain, kv.source, kRun, false));
      const BufferBytes act = transformers_prefill_activations(prefill, o.attn);
      add(r, item("activations", act.bytes, act.explain, act.source, {Phase::Prefill}, true));
      const BufferBytes lg = encoder_only ? forward_logits(o.batch, prompt, spec.vocab_size, c)
                                          : generation_logits(o.batch, spec.vocab_size, c);
      add(r, item("logits", lg.bytes, lg.explain, lg.source, kRun, false));
      if (wb.format.kind == WeightKind::BnbNf4 || wb.format.kind == WeightKind::BnbFp4) {
        // bitsandbytes matmul_4bit: one input row (batch-1 decode) runs the gemv_4bit kernel on the
        // packed weight; anything larger dequantises the Linear's whole weight to the compute dtype
        // first (bitsandbytes/autograd/_functions.py), one Linear at a time.
        const std::uint64_t n = largest_layer_linear(model.inventory) / tp;
        const std::uint64_t bytes = n * dtype_bytes(wb.compute_dtype);
        PhaseSet when = {Phase::Prefill};
        if (o.batch > 1) when.add(Phase::Decode);
        add(r, item("dequant_temporaries", bytes,
                    explaining() ? Explain()
                                       .times(n, "elements of the largest Linear")
                                       .times(dtype_bytes(wb.compute_dtype), std::string("B (") + std::string(dtype_name(wb.compute_dtype)) + ")")
                                       .equals_bytes(bytes)
                                       .str()
                                 : std::string(),
                    "bitsandbytes matmul_4bit: dequantize_4bit of one Linear per matmul (gemv_4bit only for a single row)",
                    when, true));
      }
      const std::uint64_t oh = o.overhead_bytes >= 0 ? static_cast<std::uint64_t>(o.overhead_bytes) : kTransformersOverheadBytes;
      add(r, item("runtime_overhead", oh,
                  o.overhead_bytes >= 0 ? "user override" : "1343 MiB CUDA context + kernels (adjust with --overhead-mib)",
                  "transformers docs model_memory_anatomy.md: 1343 MB after torch.ones((1,1)).to(\"cuda\") on a V100",
                  kAll, true));
      break;
    }
    case Runtime::Vllm: {
      const std::uint64_t budget = static_cast<std::uint64_t>(o.gpu_memory_utilization * static_cast<double>(o.gpu_memory_bytes));
      const std::uint64_t seqs = vllm_default_max_num_seqs(o.gpu_memory_bytes);
      const ForwardShape profile = forward_shape(spec, 1, kreq.max_num_batched_tokens, c, o.tensor_parallel);
      const BufferBytes act = vllm_profile_activations(profile);
      const BufferBytes lg = vllm_sampler_logits(seqs, spec.vocab_size, c);
      const std::uint64_t non_torch = o.overhead_bytes >= 0 ? static_cast<std::uint64_t>(o.overhead_bytes)
                                                            : vllm_non_torch_bytes(o.tensor_parallel);
      add(r, item("activations", act.bytes, act.explain, act.source, kRun, true));
      add(r, item("logits", lg.bytes, lg.explain, lg.source, kRun, true));
      add(r, item("runtime_overhead", non_torch,
                  o.overhead_bytes >= 0 ? "user override" : (tp >= 2 ? "0.6 GiB non-torch (TP ≥ 2)" : "0.15 GiB non-torch (TP 1)"),
                  "llm-d capacity planner non-torch memory constants", kAll, true));
      const std::uint64_t used = share.weights + share.metadata + act.bytes + lg.bytes + non_torch;
      const std::uint64_t pool = budget > used ? budget - used : 0;
      add(r, item("kv_cache", pool,
                  Explain()
                      .times(o.gpu_memory_utilization, "gpu_memory_utilization")
                      .times(o.gpu_memory_bytes, "B")
                      .text(" − weights − activations − logits − non-torch")
                      .equals_bytes(pool)
                      .str(),
                  "vLLM KV pool = requested memory − non-KV memory (gpu_worker.determine_available_memory)", kAll, true));
      if (o.cuda_graphs)
        add(r, item("cuda_graphs", kVllmCudaGraphBytes, "0.39 GiB graph capture (llm-d H100 measurement, gpt-oss-20b)",
                    "vLLM CUDA graph capture after the pool is sized (outside the gpu_memory_utilization budget)",
                    {Phase::Decode}, true));
      const std::uint64_t tokens = vllm_pool_tokens(pool, kv.bytes_per_token, kVllmBlockSize);
      const std::uint64_t max_seqs = kv_per_seq ? pool / kv_per_seq : 0;
      r.facts.push_back({"kv_pool_bytes", static_cast<double>(pool), "KV pool per GPU"});
      r.facts.push_back({"kv_pool_tokens", static_cast<double>(tokens),
                         "pool ÷ (" + std::to_string(kv.bytes_per_token) + " B/token × 16-token blocks) × 16"});
      r.facts.push_back({"max_concurrent_sequences", static_cast<double>(max_seqs),
                         "pool ÷ " + format_bytes(kv_per_seq) + " per sequence at " + std::to_string(o.context) + " tokens"});
      r.facts.push_back({"kv_pool_fits", max_seqs >= o.batch && pool > 0 ? 1.0 : 0.0,
                         "1 when the pool holds --batch sequences of --context tokens (vLLM refuses to start otherwise)"});
      if (pool == 0)
        r.warnings.push_back("no memory left for the KV cache: weights and the profile run exceed --gpu-util × GPU memory");
      else if (max_seqs < o.batch)
        r.warnings.push_back("the KV pool holds " + std::to_string(max_seqs) + " sequences of " +
                             std::to_string(o.context) + " tokens, fewer than --batch " + std::to_string(o.batch));
      break;
    }
    case Runtime::LlamaCpp: {
      const std::uint64_t gpu_layers = layers - first;
      if (gpu_layers > 0 || output_on_gpu) {
        // Encoder-only models get no KV cache in llama.cpp either (llama_model::create_memory returns
        // none for non-causal architectures such as BERT).
        if (!encoder_only) add(r, item("kv_cache", kv.bytes, kv.explain, kv.source, kAll, false));
        const std::uint64_t n_kv = round_up(o.context * o.batch, llama_cpp_kv_pad(kreq.flash_attn));
        const ForwardShape ub = forward_shape(spec, 1, std::min(o.ubatch, n_kv), c, 1);
        const BufferBytes cb = llama_cpp_compute_buffer(ub, n_kv, spec.vocab_size, kreq.flash_attn, output_on_gpu);
        add(r, item("compute_buffer", cb.bytes, cb.explain, cb.source, kRun, true));
      }
      if (first > 0 && !encoder_only) {
        const KvCacheBytes host_kv = kv_cache_bytes(spec, width, kv_elem, kreq, 0, first);
        LineItem h = item("kv_cache_host", host_kv.bytes, host_kv.explain, host_kv.source, kAll, false);
        h.cpu = true;
        add(r, std::move(h));
      }
      const BufferBytes out = llama_cpp_output_buffer(o.batch, spec.vocab_size);
      LineItem lg = item("logits", out.bytes, out.explain, out.source, kRun, false);
      lg.cpu = true;
      add(r, std::move(lg));
      const std::uint64_t oh = o.overhead_bytes >= 0 ? static_cast<std::uint64_t>(o.overhead_bytes) : kLlamaCppOverheadBytes;
      add(r, item("runtime_overhead", oh, o.overhead_bytes >= 0 ? "user override" : "250 MiB CUDA context/driver footprint",
                  "gpustack/gguf-parser-go default VRAM platform footprint", kAll, true));
      break;
    }
  }
  finalize(r);
  return r;
}

}  // namespace vram

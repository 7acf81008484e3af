// KV cache sizes per runtime (see kv_cache.hpp for the framework code each formula follows).
#include "vram/memory/kv_cache.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "vram/base/explain.hpp"

namespace vram {

Result<KvElement> resolve_kv_element(KvKind kind, DType compute_dtype, Runtime runtime) {
  KvElement e;
  e.kind = kind;
  if (kind == KvKind::Auto) {
    if (runtime == Runtime::LlamaCpp) {
      e.kind = KvKind::F16;  // llama.cpp: --cache-type-k/-v default f16
    } else {
      switch (compute_dtype) {
        case DType::F32: e.kind = KvKind::F32; break;
        case DType::F16: e.kind = KvKind::F16; break;
        default: e.kind = KvKind::BF16; break;
      }
    }
  }
  switch (e.kind) {
    case KvKind::F32: e.block_bytes = 4; e.name = "fp32"; break;
    case KvKind::F16: e.block_bytes = 2; e.name = "fp16"; break;
    case KvKind::BF16: e.block_bytes = 2; e.name = "bf16"; break;
    case KvKind::Fp8: e.block_bytes = 1; e.name = "fp8"; break;
    case KvKind::Int8: e.block_bytes = 1; e.name = "int8"; break;
    case KvKind::Q8_0: e.block_bytes = 34; e.block_elems = 32; e.name = "q8_0"; break;
    case KvKind::Q4_0: e.block_bytes = 18; e.block_elems = 32; e.name = "q4_0"; break;
    case KvKind::Auto: break;
  }
  if (e.block_elems > 1 && runtime != Runtime::LlamaCpp)
    return make_error(ErrorCode::InvalidValue, "--kv-dtype",
                      "--kv-dtype " + e.name + " is a llama.cpp cache type; use it with --runtime llama.cpp");
  return e;
}

KvWidth kv_width(const ModelSpec& spec, Runtime runtime, std::uint32_t tensor_parallel) {
  const std::uint64_t tp = tensor_parallel == 0 ? 1 : tensor_parallel;
  KvWidth w;
  if (spec.mla) {
    const MlaSpec& m = *spec.mla;
    if (runtime == Runtime::Transformers) {
      const std::uint64_t heads = std::max<std::uint64_t>(1, spec.num_heads / tp);
      w.heads = heads;
      w.head_dim = m.qk_nope_head_dim + m.qk_rope_head_dim;
      w.k = heads * (m.qk_nope_head_dim + m.qk_rope_head_dim);
      w.v = heads * m.v_head_dim;
    } else {
      w.latent = true;  // replicated on every TP rank (one latent per token)
      w.k = m.kv_lora_rank + m.qk_rope_head_dim;
      w.v = 0;
    }
    return w;
  }
  w.heads = std::max<std::uint64_t>(1, spec.num_kv_heads / tp);
  w.head_dim = spec.head_dim;
  w.k = w.v = w.heads * spec.head_dim;
  return w;
}

std::uint64_t kv_layer_tokens(const LayerSpec& layer, const KvRequest& r) {
  const bool sliding = layer.attention == AttentionKind::Sliding && layer.window > 0;
  switch (r.runtime) {
    case Runtime::Transformers: {
      const std::uint64_t per_seq = sliding ? std::min(r.context, layer.window) : r.context;
      return per_seq * r.sequences;
    }
    case Runtime::Vllm: {
      const std::uint64_t bs = r.block_size;
      std::uint64_t blocks = (r.context + bs - 1) / bs;
      if (sliding) {
        const std::uint64_t tokens = std::min(layer.window - 1 + r.max_num_batched_tokens, r.context);
        blocks = std::min(blocks, (tokens + bs - 1) / bs + 1);
      }
      return blocks * bs * r.sequences;
    }
    case Runtime::LlamaCpp: {
      const std::uint64_t pad = llama_cpp_kv_pad(r.flash_attn);
      const std::uint64_t n_ctx = round_up(r.context * r.sequences, pad);
      if (!sliding) return n_ctx;
      return std::min(n_ctx, round_up(layer.window * r.sequences + r.ubatch, pad));
    }
  }
  return r.context * r.sequences;
}

namespace {

const char* runtime_rule(Runtime runtime) {
  switch (runtime) {
    case Runtime::Transformers:
      return "transformers 4.57 DynamicCache (DynamicLayer holds every token; DynamicSlidingWindowLayer keeps "
             "window − 1 past tokens + the new one)";
    case Runtime::Vllm:
      return "vLLM paged KV cache: block_size 16 tokens per sequence (FullAttentionSpec / SlidingWindowSpec "
             "max_memory_usage_bytes)";
    case Runtime::LlamaCpp:
      return "llama.cpp llama_kv_cache: n_ctx cells padded to 32 (256 with flash attention), SWA layers "
             "min(n_ctx, pad(n_swa·n_seq + n_ubatch))";
  }
  return "";
}

}  // namespace

KvCacheBytes kv_cache_bytes(const ModelSpec& spec, const KvWidth& width, const KvElement& element,
                            const KvRequest& request, std::uint64_t first_layer, std::uint64_t last_layer) {
  KvCacheBytes out;
  if (explaining()) out.source = runtime_rule(request.runtime);
  const std::uint64_t per_layer_token = kv_layer_bytes_per_token(width, element);
  last_layer = std::min<std::uint64_t>(last_layer, spec.layers.size());

  // Group layers by the tokens they hold so the explanation reads like the hand calculation.
  struct Group { std::uint64_t tokens; std::uint64_t layers; bool sliding; };
  std::vector<Group> groups;
  const bool grouping = explaining();  // the grouping only shapes the explanation
  for (std::uint64_t i = first_layer; i < last_layer; ++i) {
    const LayerSpec& l = spec.layers[i];
    const std::uint64_t tokens = kv_layer_tokens(l, request);
    out.bytes += per_layer_token * tokens;
    out.bytes_per_token += per_layer_token;
    if (!grouping) continue;
    const bool sliding = l.attention == AttentionKind::Sliding && l.window > 0;
    auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) { return g.tokens == tokens && g.sliding == sliding; });
    if (it == groups.end()) groups.push_back({tokens, 1, sliding});
    else ++it->layers;
  }

  Explain ex;
  const std::string elem = !explaining() ? std::string()
      : element.block_elems > 1
      ? std::to_string(element.block_bytes) + " B per " + std::to_string(element.block_elems) + " (" + element.name + ")"
      : std::to_string(element.block_bytes) + " B (" + element.name + ")";
  for (const Group& g : groups) {
    if (!explaining()) break;
    Explain term;
    if (width.latent) {
      term.times(g.layers, "layers").times(width.k, "latent (kv_lora_rank + qk_rope_head_dim)");
    } else if (spec.mla) {
      term.times(g.layers, "layers")
          .text(" × (" + std::to_string(width.k) + " K + " + std::to_string(width.v) + " V elements)");
    } else {
      term.times(std::uint64_t{2}).times(g.layers, "layers").times(width.heads, "kv_heads").times(width.head_dim, "head_dim");
    }
    // Tokens over all sequences; per-sequence when the runtime sizes per sequence.
    if (request.runtime == Runtime::LlamaCpp) {
      term.times(g.tokens, g.sliding ? "cells (SWA)" : "cells");
    } else {
      term.times(g.tokens / (request.sequences ? request.sequences : 1), g.sliding ? "tokens (window)" : "tokens")
          .times(request.sequences, "seq");
    }
    ex.plus(term.str() + " × " + elem);
  }

  // T5: cross-attention K/V over the encoder output in every decoder layer.
  if (spec.encoder_decoder && request.encoder_tokens > 0) {
    const std::uint64_t layers = last_layer - first_layer;
    const std::uint64_t cross = per_layer_token * request.encoder_tokens * request.sequences * layers;
    out.bytes += cross;
    ex.plus(Explain()
                .times(std::uint64_t{2})
                .times(layers, "cross-attn layers")
                .times(width.heads, "heads")
                .times(width.head_dim, "head_dim")
                .times(request.encoder_tokens, "encoder tokens")
                .times(request.sequences, "seq")
                .str() +
            " × " + elem);
    out.source += "; T5 cross-attention K/V over the encoder tokens (EncoderDecoderCache)";
  }
  ex.equals_bytes(out.bytes);
  out.explain = ex.str();
  return out;
}

}  // namespace vram

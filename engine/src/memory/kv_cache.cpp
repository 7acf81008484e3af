// KV cache sizes per runtime (see kv_cache.hpp for the framework code each formula follows).
#include "vram/memory/kv_cache.hpp"

#include <algorithm>
#include <vector>

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
    return make_error(ErrorCode::InvalidValue, "kv_dtype",
                      {Msg::error_kv_llama_cpp_only, {{"field", OptionRef{"kv_dtype"}}, {"value", e.name}}});
  return e;
}

KvWidth kv_width(const ModelDescription& spec, Runtime runtime, std::uint32_t tensor_parallel) {
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

Q kv_layer_tokens_q(const LayerSpec& layer, const KvRequest& r) {
  const bool sliding = layer.attention == AttentionKind::Sliding && layer.window > 0;
  const Q context = Q::input(r.context, Msg::term_tokens, option_field("context"));
  const Q seqs = Q::input(r.sequences, Msg::term_seq, option_field("batch"));
  switch (r.runtime) {
    case Runtime::Transformers:
      return (sliding ? min({context, Q::of(layer.window, Msg::term_window)}) : context) * seqs;
    case Runtime::Vllm: {
      const Q bs = Q::of(r.block_size, Msg::term_block_size);
      Q blocks = ceil_div(context, bs);
      if (sliding) {
        const Q reach = min({Q::of(layer.window - 1, Msg::term_window_minus_one) +
                                 Q::input(r.max_num_batched_tokens, Msg::term_max_batched_tokens, option_field("max_batched_tokens")),
                             context});
        blocks = min({blocks, ceil_div(reach, bs) + Q::of(1)});
      }
      return blocks * bs * seqs;
    }
    case Runtime::LlamaCpp: {
      const Q pad = Q::of(llama_cpp_kv_pad(r.flash_attn), Msg::term_cell_pad);
      const Q n_ctx = round_up(context * seqs, pad);
      if (!sliding) return n_ctx;
      const Q swa = round_up(Q::of(layer.window, Msg::term_window) * seqs + Q::input(r.ubatch, Msg::term_ubatch, option_field("ubatch")), pad);
      return min({n_ctx, swa});
    }
  }
  return context * seqs;
}

std::uint64_t kv_layer_tokens(const LayerSpec& layer, const KvRequest& request) {
  return kv_layer_tokens_q(layer, request).value();
}

namespace {

Msg runtime_rule(Runtime runtime) {
  switch (runtime) {
    case Runtime::Transformers: return Msg::source_kv_transformers;
    case Runtime::Vllm: return Msg::source_kv_vllm;
    case Runtime::LlamaCpp: return Msg::source_kv_llama_cpp;
  }
  return Msg::none;
}

// Bytes one layer caches per token (K row + V row), as the hand calculation writes it.
Q layer_token_bytes(const ModelDescription& spec, const KvWidth& w, const KvElement& e) {
  const Message dtype{Msg::term_bytes_dtype, {{"dtype", e.name}}};
  // A row of `elems` elements in e's storage: whole blocks for llama.cpp's q8_0 / q4_0.
  const auto row = [&](const Q& elems) {
    if (e.block_elems <= 1) return elems * Q::of(e.block_bytes, dtype);
    return ceil_div(elems, Q::of(e.block_elems, Msg::term_per_block)) * Q::of(e.block_bytes, Message{Msg::term_block_bytes, {{"dtype", e.name}}});
  };
  if (w.latent) return row(Q::of(w.k, Msg::term_latent));
  if (spec.mla) return row(Q::of(w.k, Msg::term_k_elements)) + row(Q::of(w.v, Msg::term_v_elements));
  if (e.block_elems <= 1) return Q::of(2) * Q::of(w.heads, Msg::term_kv_heads) * Q::of(w.head_dim, Msg::term_head_dim) * Q::of(e.block_bytes, dtype);
  return Q::of(2) * row(Q::of(w.heads, Msg::term_kv_heads) * Q::of(w.head_dim, Msg::term_head_dim));
}

}  // namespace

namespace {

Msg state_rule(Runtime runtime) {
  switch (runtime) {
    case Runtime::Transformers: return Msg::source_state_transformers;
    case Runtime::Vllm: return Msg::source_state_vllm;
    case Runtime::LlamaCpp: return Msg::source_state_llama_cpp;
  }
  return Msg::none;
}

Q elem_bytes(DType d) { return Q::of(dtype_bytes(d), Message{Msg::term_bytes_dtype, {{"dtype", dtype_name(d)}}}); }

}  // namespace

LayerState layer_state_bytes(const ModelDescription& spec, const LayerSpec& layer, const KvRequest& r) {
  // Channels the conv runs over, the recurrent state's three dimensions, the conv taps.
  std::uint64_t channels = 0, kernel = 0, heads = 0, rows = 0, cols = 0;
  bool delta_net = false;
  const LayerKind kind = layer.parallel_mamba ? LayerKind::Mamba2 : layer.kind;
  if (kind == LayerKind::LinearAttention && spec.linear_attention) {
    const LinearAttentionSpec& la = *spec.linear_attention;
    channels = la.conv_dim();
    kernel = la.conv_kernel;
    heads = la.value_heads;
    rows = la.key_head_dim;
    cols = la.value_head_dim;
    delta_net = true;
  } else if (kind == LayerKind::Mamba2 && spec.mamba) {
    const Mamba2Spec& m = *spec.mamba;
    channels = m.conv_dim();
    kernel = m.conv_kernel;
    heads = m.heads;
    rows = m.head_dim;
    cols = m.state;
  } else if (kind == LayerKind::ShortConv && spec.short_conv) {
    channels = spec.hidden_size;
    kernel = spec.short_conv->kernel;
  } else {
    return {Q::of(0), Q::of(0)};
  }
  const Q ch = Q::of(channels, Msg::term_conv_channels);
  const Q state_dims = Q::of(heads, Msg::term_state_heads) * Q::of(rows, Msg::term_state_rows) * Q::of(cols, Msg::term_state_cols);
  LayerState out{Q::of(0), Q::of(0)};
  switch (r.runtime) {
    case Runtime::Transformers:
      out.conv = ch * Q::of(kernel, Msg::term_conv_taps) * elem_bytes(r.model_dtype);
      if (heads) out.recurrent = state_dims * elem_bytes(delta_net ? DType::F32 : r.model_dtype);
      break;
    case Runtime::Vllm: {
      const std::uint64_t tp = r.tensor_parallel ? r.tensor_parallel : 1;
      const Q tp_q = Q::input(tp, Msg::term_tp_ranks, option_field("tp"));
      const DType ssm = spec.ssm_state_dtype.value_or(r.model_dtype);
      out.conv = (tp > 1 ? div(ch, tp_q) : ch) * Q::of(kernel - 1, Msg::term_conv_taps_minus_one) * elem_bytes(r.model_dtype);
      if (heads) {
        const Q h = Q::of(heads, Msg::term_state_heads);
        out.recurrent = (tp > 1 ? div(h, tp_q) : h) * Q::of(rows, Msg::term_state_rows) * Q::of(cols, Msg::term_state_cols) * elem_bytes(ssm);
      }
      break;
    }
    case Runtime::LlamaCpp:
      out.conv = ch * Q::of(kernel - 1, Msg::term_conv_taps_minus_one) * elem_bytes(DType::F32);
      if (heads) out.recurrent = state_dims * elem_bytes(DType::F32);
      break;
  }
  return out;
}

Q indexer_key_bytes(const DsaIndexerSpec& x, const KvElement& e, Runtime runtime) {
  const Q d = Q::of(x.head_dim, Msg::term_index_head_dim);
  switch (runtime) {
    case Runtime::Vllm:
      // DeepseekV32IndexerCache: uint8 rows of index_head_dim fp8 values + one fp32 scale per 128.
      return d * Q::of(1, Msg::term_bytes_fp8) + ceil_div(d, Q::of(128, Msg::term_indexer_quant_block)) * Q::of(4, Msg::term_bytes_fp32_scale);
    case Runtime::Transformers:
      // DynamicCache.update_indexer keeps the indexer keys in the model's dtype.
      return d * Q::of(e.block_elems <= 1 ? e.block_bytes : 2, Message{Msg::term_bytes_dtype, {{"dtype", e.name}}});
    case Runtime::LlamaCpp: return Q::of(0);  // llama.cpp runs these layers as dense MLA: no indexer
  }
  return Q::of(0);
}

KvCacheBytes kv_cache_bytes(const ModelDescription& spec, const KvWidth& width, const KvElement& element,
                            const KvRequest& request, std::uint64_t first_layer, std::uint64_t last_layer) {
  KvCacheBytes out;
  if (explaining()) out.source = runtime_rule(request.runtime);
  const Q per_layer = layer_token_bytes(spec, width, element);
  last_layer = std::min<std::uint64_t>(last_layer, spec.layers.size());

  // Layers grouped by the tokens they hold (full vs sliding windows): the sum reads like the hand
  // calculation, one term per group.
  struct Group {
    Q tokens;
    std::uint64_t layers = 0;
    bool sliding = false;
  };
  std::vector<Group> groups;
  for (std::uint64_t i = first_layer; i < last_layer; ++i) {
    const LayerSpec& l = spec.layers[i];
    if (!holds_kv(l)) continue;
    const bool sliding = l.attention == AttentionKind::Sliding && l.window > 0;
    // Sliding layers with different windows hold different token counts: compare the counts.
    const Q tokens = kv_layer_tokens_q(l, request);
    auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) { return g.sliding == sliding && g.tokens.value() == tokens.value(); });
    if (it == groups.end()) {
      groups.push_back({tokens, 1, sliding});
    } else {
      ++it->layers;
    }
  }
  std::vector<Q> terms;
  std::uint64_t layers = 0;
  for (const Group& g : groups) {
    terms.push_back(Q::of(g.layers, Msg::term_layers) * per_layer * g.tokens);
    layers += g.layers;
  }
  // T5: cross-attention K/V over the encoder output in every decoder layer.
  if (spec.encoder_decoder && request.encoder_tokens > 0) {
    const std::uint64_t cross = last_layer - first_layer;
    terms.push_back(Q::of(cross, Msg::term_cross_layers) * per_layer *
                    Q::input(request.encoder_tokens, Msg::term_encoder_tokens, option_field("prompt")) *
                    Q::input(request.sequences, Msg::term_seq, option_field("batch")));
    if (explaining()) out.source = Msg::source_kv_t5_cross;
  }
  out.per_token = Q::of(layers, Msg::term_layers) * per_layer;
  // DeepSeek Sparse Attention: each indexer layer also caches one index_head_dim key per token,
  // over every token of context (the indexer scores them all).
  if (spec.dsa_indexer) {
    std::uint64_t indexers = 0;
    for (std::uint64_t i = first_layer; i < last_layer; ++i) indexers += spec.layers[i].indexer ? 1 : 0;
    const Q row = indexer_key_bytes(*spec.dsa_indexer, element, request.runtime);
    if (indexers > 0 && row.value() > 0) {
      const Q n = Q::of(indexers, Msg::term_indexer_layers);
      terms.push_back(n * row * kv_layer_tokens_q(LayerSpec{}, request));
      out.per_token = out.per_token + n * row;
      if (explaining()) out.indexer_source = Msg::source_kv_dsa_indexer;
    }
  }
  // Hybrid models: a constant state per sequence in every linear-attention / Mamba2 / conv layer,
  // one term per kind of state (layers of one kind share their shapes).
  std::vector<Q> state_terms;
  std::vector<std::pair<LayerState, std::uint64_t>> kinds;  // a state and its layer count
  for (std::uint64_t i = first_layer; i < last_layer; ++i) {
    const LayerSpec& l = spec.layers[i];
    if (!holds_state(l)) continue;
    LayerState st = layer_state_bytes(spec, l, request);
    auto it = std::find_if(kinds.begin(), kinds.end(), [&](const auto& k) {
      return k.first.conv.value() == st.conv.value() && k.first.recurrent.value() == st.recurrent.value();
    });
    if (it == kinds.end()) kinds.emplace_back(std::move(st), 1);
    else ++it->second;
  }
  const Q seqs = Q::input(request.sequences, Msg::term_seq, option_field("batch"));
  for (const auto& [st, n] : kinds) {
    const Q one = st.recurrent.value() > 0 ? st.conv + st.recurrent : st.conv;
    state_terms.push_back(Q::of(n, Msg::term_state_layers) * one * seqs);
  }
  if (!state_terms.empty()) {
    out.state = sum(state_terms);
    terms.push_back(out.state);
    if (explaining()) out.state_source = state_rule(request.runtime);
  }
  out.bytes = terms.empty() ? Q::of(0) : sum(terms);
  return out;
}

}  // namespace vram

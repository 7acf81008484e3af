// config.json → ModelDescription: the parts every config shares (architectures, auto_map, dtype,
// quantization_config, a multimodal wrapper's text_config), then the model_type's own reader from
// the architecture table (model/arch/); an unknown model_type with the usual decoder fields goes
// through the generic reader below and is flagged approximate.
#include "vram/model/description.hpp"

#include <algorithm>
#include <optional>

#include "model/config_readers.hpp"
#include "model/quant_config.hpp"
#include "vram/model/architecture.hpp"

namespace vram {

std::string ModelDescription::key_for(std::uint64_t value) const {
  const ReadKey* largest = nullptr;
  for (const auto& k : read_keys) {
    if (k.value == value) return k.path;
    if (!largest || k.value > largest->value) largest = &k;
  }
  return largest ? largest->path : std::string("config.json");
}

bool ModelDescription::encoder_only() const { return arch && arch->topology == Topology::Encoder; }

namespace {

using detail::FieldReader;
using detail::Json;
using detail::brief;

// Unknown model_type with the usual decoder fields: a Llama-shaped decoder, flagged approximate.
void read_generic(FieldReader& r, ModelDescription& s) {
  using namespace detail;
  read_dims(r, s, {{"vocab_size"}, {"hidden_size", "n_embd", "d_model"}, {"num_hidden_layers", "n_layer", "num_layers"},
                   {"num_attention_heads", "n_head", "num_heads"}});
  read_kv_and_head_dim(r, s);
  const std::string_view ik = r.first_present({"intermediate_size", "ffn_dim", "n_inner", "d_ff"});
  if (ik.empty()) {
    s.intermediate_size = 4 * s.hidden_size;
    s.warnings.push_back(Msg::warn_config_no_intermediate);
  } else {
    s.intermediate_size = r.positive(ik, kMaxWidth);
  }
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = r.string_or("hidden_act", "silu");
  read_rotary(r, s);
  s.attn_qkv_bias = s.attn_out_bias = r.bool_or("attention_bias", false);
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  read_layer_types(r, s, nullptr);
  s.generic = true;
  s.approximate = true;
  s.warnings.push_back({Msg::warn_config_generic,
                        {{"value", brief(s.model_type)}, {"lm_head", s.tie_word_embeddings ? Msg::word_tied : Msg::word_untied}}});
}

// Full checkpoint head from architectures[0], unless the architecture says otherwise.
HeadKind default_head(std::string_view arch) {
  const auto ends = [&](std::string_view suffix) {
    return arch.size() >= suffix.size() && arch.substr(arch.size() - suffix.size()) == suffix;
  };
  if (!arch.empty() && ends("Model") && !ends("LMHeadModel")) return HeadKind::Base;
  return HeadKind::CausalLm;
}

void read_dtype(FieldReader& r, ModelDescription& s) {
  const std::string_view key = r.first_present({"torch_dtype", "dtype"});
  if (key.empty()) return;
  const std::string name = r.string_or(key, "float32");
  if (auto t = parse_dtype(name)) {
    s.torch_dtype = *t;
    s.torch_dtype_given = true;
  } else if (name != "auto") {
    s.warnings.push_back({Msg::warn_config_unknown_dtype, {r.key_arg(key), {"value", brief(name)}}});
  }
}

bool has_decoder_fields(const FieldReader& r) {
  return !r.first_present({"hidden_size", "n_embd", "d_model"}).empty() &&
         !r.first_present({"num_hidden_layers", "n_layer", "num_layers"}).empty() &&
         !r.first_present({"num_attention_heads", "n_head", "num_heads"}).empty() && r.has("vocab_size");
}

// Checks every architecture's reader leaves behind.
std::optional<Error> validate(const ModelDescription& spec, const std::string& prefix) {
  if (spec.num_kv_heads > spec.num_heads || spec.num_heads % spec.num_kv_heads != 0) {
    // The key the config wrote for the KV heads (Falcon: num_kv_heads), else the canonical one.
    std::string key = prefix + "num_key_value_heads";
    for (const auto& k : spec.read_keys)
      for (std::string_view alias : {"num_key_value_heads", "num_kv_heads", "n_head_kv"})
        if (k.path == prefix + std::string(alias)) key = k.path;
    return make_error(ErrorCode::InvalidValue, key,
                      {Msg::error_config_kv_divide,
                       {{"key", ConfigKey{key}}, {"kv", std::to_string(spec.num_kv_heads)}, {"heads", std::to_string(spec.num_heads)}}});
  }
  if (spec.moe && spec.moe->routed_experts > 0 && spec.moe->experts_per_token > spec.moe->routed_experts) {
    // The router's top-k over fewer experts than k fails in torch.topk.
    const std::string key = prefix + "num_experts_per_tok";
    return make_error(ErrorCode::InvalidValue, key,
                      {Msg::error_config_topk,
                       {{"key", ConfigKey{key}}, {"topk", std::to_string(spec.moe->experts_per_token)},
                        {"experts", std::to_string(spec.moe->routed_experts)}}});
  }
  if (spec.rotary_dim > spec.head_dim && !spec.mla) {
    const std::string key = spec.key_for(spec.rotary_dim);
    return make_error(ErrorCode::InvalidValue, key,
                      {Msg::error_config_rotary_dim,
                       {{"key", ConfigKey{key}}, {"value", std::to_string(spec.rotary_dim)}, {"head_dim", std::to_string(spec.head_dim)}}});
  }
  return std::nullopt;
}

// The "gguf" key gguf_config_json writes: the file's exact bytes by placement.
void read_stored(FieldReader& r, ModelDescription& spec) {
  constexpr std::uint64_t kMaxBytes = std::uint64_t{1} << 52;
  StoredLayout st;
  st.file_type = brief(r.string_or("file_type", ""));
  st.input_bytes = r.opt_uint("input_bytes", kMaxBytes).value_or(0);
  st.output_bytes = r.opt_uint("output_bytes", kMaxBytes).value_or(0);
  st.tied_output_bytes = r.opt_uint("tied_output_bytes", kMaxBytes).value_or(0);
  st.quantized_params = r.opt_uint("quantized_params", kMaxBytes).value_or(0);
  st.dense_params = r.opt_uint("dense_params", kMaxBytes).value_or(0);
  const Json* layers = r.array("layer_bytes");
  if (r.failed()) return;
  if (!layers || layers->size() != spec.num_layers) {
    r.fail(ErrorCode::InvalidValue, "layer_bytes",
           {Msg::error_config_gguf_layer_bytes, {r.key_arg("layer_bytes"), {"layers", std::to_string(spec.num_layers)}}});
    return;
  }
  for (const Json& v : *layers) {
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() > kMaxBytes) {
      r.fail(ErrorCode::InvalidValue, "layer_bytes",
             {Msg::error_config_gguf_layer_bytes, {r.key_arg("layer_bytes"), {"layers", std::to_string(spec.num_layers)}}});
      return;
    }
    st.layer_bytes.push_back(v.get<std::uint64_t>());
  }
  spec.stored = std::move(st);
}

}  // namespace

std::vector<std::string> supported_model_types() {
  std::vector<std::string> v;
  for (const Architecture* a : architectures()) {
    if (!a->multimodal_wrapper || a->text_model_type.empty()) v.emplace_back(a->model_type);
    for (auto alias : a->aliases) v.emplace_back(alias);
  }
  std::sort(v.begin(), v.end());
  return v;
}

Result<ModelDescription> parse_config(std::string_view json_text) {
  auto parsed = detail::parse_json(json_text, "config.json");
  if (!parsed) return parsed.error();
  const Json& root = parsed.value();
  if (!root.is_object())
    return make_error(ErrorCode::InvalidValue, "config.json", {Msg::error_config_not_object, {detail::describe("value", root)}});

  ModelDescription spec;
  std::vector<FieldReader::Logged> log;
  FieldReader top(root, {}, &log);
  if (const Json* archs = top.array("architectures")) {
    if (!archs->empty() && (*archs)[0].is_string()) spec.architecture = (*archs)[0].get<std::string>();
  }
  if (const Json* auto_map = top.object("auto_map")) {
    for (const auto& [key, value] : auto_map->items())
      if (key.rfind("AutoModelFor", 0) == 0) spec.hf_view_uses_full_class = true;
  }
  read_dtype(top, spec);
  detail::read_quantization(top, spec);
  if (top.failed()) return top.error();

  // Multimodal wrappers keep the language model in text_config.
  const std::string outer_type = top.string_or("model_type", "");
  const Json* text = top.object("text_config");
  if (top.failed()) return top.error();
  const Json* body = &root;
  std::string prefix;
  if (text && !top.has("hidden_size")) {
    body = text;
    prefix = "text_config.";
    spec.outer_model_type = outer_type;
    spec.outer_arch = find_architecture(outer_type);
  }
  FieldReader r(*body, prefix, &log);
  std::string default_type = prefix.empty() ? "" : outer_type + "_text";
  if (spec.outer_arch && !spec.outer_arch->text_model_type.empty()) default_type = spec.outer_arch->text_model_type;
  spec.model_type = r.string_or("model_type", default_type);
  if (r.failed()) return r.error();
  if (spec.model_type.empty()) return make_error(ErrorCode::MissingField, "model_type", Msg::error_config_model_type_missing);
  if (!prefix.empty() && !spec.torch_dtype_given) read_dtype(r, spec);

  spec.arch = find_architecture(spec.model_type);
  if (spec.arch && spec.arch->multimodal_wrapper) spec.arch = nullptr;  // a wrapper type with no text_config
  if (spec.arch) {
    spec.arch->read(r, spec);
  } else {
    if (!has_decoder_fields(r))
      return make_error(ErrorCode::Unsupported, "model_type", {Msg::error_config_unsupported_type, {{"value", brief(spec.model_type)}}});
    read_generic(r, spec);
  }
  if (r.failed()) return r.error();
  // A composite config may state tie_word_embeddings only at its top (Qwen3-VL, Qwen3.5): the
  // text model's class default applies only when neither level says.
  if (!prefix.empty() && !r.has("tie_word_embeddings") && top.has("tie_word_embeddings"))
    spec.tie_word_embeddings = top.bool_or("tie_word_embeddings", spec.tie_word_embeddings);
  for (auto& k : log) spec.read_keys.push_back({std::move(k.path), k.value});
  log.clear();
  if (auto e = validate(spec, prefix)) return *e;
  if (const Json* g = top.object("gguf")) {
    FieldReader gr(*g, "gguf.");  // no log: byte counts are no dimensions to blame an overflow on
    read_stored(gr, spec);
    if (gr.failed()) return gr.error();
  }
  if (top.failed()) return top.error();
  spec.head = spec.arch && spec.arch->head_of ? spec.arch->head_of(spec.architecture) : default_head(spec.architecture);

  if (spec.outer_arch && spec.outer_arch->read_vision) {
    if (const Json* vc = top.object("vision_config")) {
      FieldReader vr = top.nested(*vc, "vision_config");
      spec.outer_arch->read_vision(vr, spec);
      if (vr.failed()) return vr.error();
    } else {
      const Json none = Json::object();  // every vision_config key at its class default
      FieldReader vr(none, "vision_config.", &log);
      spec.outer_arch->read_vision(vr, spec);
    }
    for (auto& k : log) spec.read_keys.push_back({std::move(k.path), k.value});
  } else if (!spec.outer_model_type.empty()) {
    spec.approximate = true;
    spec.warnings.push_back({Msg::warn_config_multimodal_text_only, {{"value", brief(spec.outer_model_type)}}});
  }
  return spec;
}

}  // namespace vram

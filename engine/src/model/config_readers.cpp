#include "model/config_readers.hpp"

#include <algorithm>

namespace vram::detail {

std::string brief(const std::string& name) { return name.size() > 64 ? name.substr(0, 61) + "..." : name; }

void read_dims(FieldReader& r, ModelDescription& s, const DimKeys& k) {
  s.vocab_size = r.positive(k.vocab, kMaxVocab);
  s.hidden_size = r.positive(k.hidden, kMaxHidden);
  s.num_layers = r.positive(k.layers, kMaxLayers);
  s.num_heads = r.positive(k.heads, kMaxHeads);
}

std::uint64_t per_head(FieldReader& r, const ModelDescription& s) {
  const std::uint64_t heads = std::max<std::uint64_t>(s.num_heads, 1);
  if (s.hidden_size % heads != 0) {
    std::string_view key = r.first_present({"num_attention_heads", "n_head", "n_heads", "num_heads"});
    if (key.empty()) key = "num_attention_heads";
    r.fail(ErrorCode::InvalidValue, key,
           {Msg::error_config_heads_divide_hidden,
            {r.key_arg(key), {"heads", std::to_string(s.num_heads)}, {"hidden", std::to_string(s.hidden_size)}}});
  }
  return s.hidden_size / heads;
}

void read_kv_and_head_dim(FieldReader& r, ModelDescription& s, std::uint64_t default_head_dim, std::uint64_t default_kv) {
  s.num_kv_heads = r.positive_or("num_key_value_heads", default_kv ? default_kv : s.num_heads, kMaxHeads);
  const std::uint64_t derived = default_head_dim ? default_head_dim : r.has("head_dim") ? 1 : per_head(r, s);
  s.head_dim = r.positive_or("head_dim", derived, kMaxHidden);
  if (s.head_dim == 0) r.fail(ErrorCode::InvalidValue, "head_dim", Msg::error_config_head_dim_zero);
}

double read_fraction(FieldReader& r, std::string_view key, double fallback) {
  const double v = r.number_or(key, fallback);
  if (!(v > 0 && v <= 1)) {
    r.fail(ErrorCode::InvalidValue, key, {Msg::error_config_fraction, {r.key_arg(key), {"value", v}}});
    return fallback;
  }
  return v;
}

void read_rotary(FieldReader& r, ModelDescription& s, double default_partial) {
  const double partial = read_fraction(r, "partial_rotary_factor", default_partial);
  // transformers: dim = int(head_dim * partial_rotary_factor); partial ∈ (0, 1] keeps it ≤ head_dim.
  s.rotary_dim = static_cast<std::uint64_t>(static_cast<double>(s.head_dim) * partial);
  s.rope_theta_count = 1;
  // rope_scaling is read as declared and leniently (a malformed one is ignored, as before): nothing
  // is sized from it, the advisor only names it when a context passes max_position_embeddings.
  const Json& j = r.json();
  if (j.is_object() && j.contains("rope_scaling") && j["rope_scaling"].is_object()) {
    const Json& rs = j["rope_scaling"];
    for (const char* k : {"rope_type", "type"})
      if (rs.contains(k) && rs[k].is_string() && s.rope_scaling_type.empty()) s.rope_scaling_type = rs[k].get<std::string>().substr(0, 40);
    if (rs.contains("factor") && rs["factor"].is_number() && rs["factor"].get<double>() > 0 && rs["factor"].get<double>() < 1e6)
      s.rope_scaling_factor = rs["factor"].get<double>();
    if (rs.contains("original_max_position_embeddings") && rs["original_max_position_embeddings"].is_number_unsigned())
      s.rope_original_max_positions = std::min<std::uint64_t>(rs["original_max_position_embeddings"].get<std::uint64_t>(), kMaxPositions);
  }
}

void read_layer_types(FieldReader& r, ModelDescription& s, const std::function<bool(std::uint64_t)>& sliding_rule,
                      std::uint64_t default_window) {
  s.layers.assign(s.num_layers, LayerSpec{});
  const bool present = r.json().is_object() && r.json().contains("sliding_window");
  const std::uint64_t window = present ? r.opt_uint("sliding_window", kMaxPositions).value_or(0) : default_window;
  if (const Json* types = r.array("layer_types")) {
    if (types->size() != s.num_layers) {
      r.fail(ErrorCode::InvalidValue, "layer_types",
             {Msg::error_config_layer_types_length,
              {r.key_arg("layer_types"), {"count", std::to_string(types->size())}, {"layers", std::to_string(s.num_layers)}}});
      return;
    }
    for (std::size_t i = 0; i < types->size(); ++i) {
      const Json& t = (*types)[i];
      if (!t.is_string()) {
        r.fail(ErrorCode::InvalidValue, "layer_types", {Msg::error_config_layer_types_strings, {r.key_arg("layer_types")}});
        return;
      }
      const auto name = t.get<std::string>();
      if (name == "sliding_attention" || name == "chunked_attention") {
        s.layers[i].attention = AttentionKind::Sliding;
      } else if (name != "full_attention") {
        r.fail(ErrorCode::Unsupported, "layer_types",
               {Msg::error_config_layer_type_unknown, {r.key_arg("layer_types"), {"value", brief(name)}}});
        return;
      }
    }
  } else if (sliding_rule && window > 0) {
    for (std::uint64_t i = 0; i < s.num_layers; ++i)
      if (sliding_rule(i)) s.layers[i].attention = AttentionKind::Sliding;
  }
  for (auto& l : s.layers) {
    if (l.attention != AttentionKind::Sliding) continue;
    if (window == 0) {
      r.fail(ErrorCode::MissingField, "sliding_window", {Msg::error_config_sliding_window_required, {r.key_arg("sliding_window")}});
      return;
    }
    l.window = window;
  }
}

void read_llama_like(FieldReader& r, ModelDescription& s, std::uint64_t default_kv) {
  read_dims(r, s);
  read_kv_and_head_dim(r, s, 0, default_kv);
  s.intermediate_size = r.positive("intermediate_size", kMaxWidth);
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = r.string_or("hidden_act", "silu");
  read_rotary(r, s);
}

bool layer_count_ok(FieldReader& r, const ModelDescription& s, std::string_view key, std::size_t count) {
  if (count == s.num_layers) return true;
  r.fail(ErrorCode::InvalidValue, key,
         {Msg::error_config_layer_types_length, {r.key_arg(key), {"count", std::to_string(count)}, {"layers", std::to_string(s.num_layers)}}});
  return false;
}

std::optional<std::vector<std::size_t>> read_layer_names(FieldReader& r, const ModelDescription& s, std::string_view key,
                                                        std::initializer_list<std::string_view> allowed) {
  const Json* a = r.array(key);
  if (!a) return std::nullopt;
  if (!layer_count_ok(r, s, key, a->size())) return std::nullopt;
  std::vector<std::size_t> out;
  out.reserve(a->size());
  for (const auto& v : *a) {
    if (!v.is_string()) {
      r.fail(ErrorCode::InvalidValue, key, {Msg::error_config_layer_types_strings, {r.key_arg(key)}});
      return std::nullopt;
    }
    const auto name = v.get<std::string>();
    std::size_t i = 0;
    for (const auto& ok : allowed) {
      if (name == ok) break;
      ++i;
    }
    if (i == allowed.size()) {
      std::string list;
      for (const auto& ok : allowed) list += (list.empty() ? "" : ", ") + std::string(ok);
      r.fail(ErrorCode::Unsupported, key, {Msg::error_config_layer_name_unknown, {r.key_arg(key), {"value", brief(name)}, {"allowed", list}}});
      return std::nullopt;
    }
    out.push_back(i);
  }
  return out;
}

void read_sparse_step_layers(FieldReader& r, ModelDescription& s, MoeSpec& m) {
  m.layer_freq = r.positive_or("decoder_sparse_step", 1, kMaxLayers);
  const auto mlp_only = read_layer_list(r, "mlp_only_layers");
  for (std::uint64_t i = 0; i < s.num_layers && i < s.layers.size(); ++i) {
    const bool listed = std::find(mlp_only.begin(), mlp_only.end(), i) != mlp_only.end();
    s.layers[i].moe = !listed && m.routed_experts > 0 && (i + 1) % m.layer_freq == 0;
  }
}

std::vector<std::uint64_t> read_layer_list(FieldReader& r, std::string_view key) {
  std::vector<std::uint64_t> out;
  if (const Json* a = r.array(key)) {
    for (const auto& v : *a) {
      if (!v.is_number_unsigned() && !v.is_number_integer()) {
        r.fail(ErrorCode::InvalidValue, key, {Msg::error_config_layer_indices, {r.key_arg(key)}});
        return {};
      }
      out.push_back(v.get<std::uint64_t>());
    }
  }
  return out;
}

}  // namespace vram::detail

#include "vram/view/views.hpp"

#include "base/json_reader.hpp"
#include "vram/base/formula.hpp"
#include "vram/memory/weights.hpp"
#include "vram/workload/option_table.hpp"
#include "vram/workload/options.hpp"

namespace vram {
namespace {

template <class T, class F>
Value list(const T& items, F&& f) {
  return Value::array_of(items, std::forward<F>(f));
}

Value messages(const std::vector<Message>& ms, const ViewStyle& s) {
  return list(ms, [&](const Message& m) { return Value(s.text(m)); });
}

// An explanation: the formula, its result, and the whole line "formula = result".
void explanation(Value& o, const Q& q, const ViewStyle& s) {
  if (!q.node()) {
    o.set("formula", "").set("result", "").set("explain", "");
    return;
  }
  const Explanation e = explain(q, s.catalog, s.spelling);
  o.set("formula", e.formula).set("result", e.result).set("explain", e.text());
}

Value phase_list(const PhaseSet& phases) {
  Value a = Value::array();
  for (Phase p : phases) a.push(to_string(p));
  return a;
}

template <class Options>
Value option_defs(const std::vector<OptionDef<Options>>& table, const ViewStyle& s) {
  const Options defaults;
  return list(table, [&](const OptionDef<Options>& d) {
    static constexpr const char* kTypes[] = {"uint", "int", "number", "bool", "choice", "text", "weight_format"};
    Value o = Value::object();
    o.set("id", spell_option(d.id, s.spelling)).set("type", kTypes[static_cast<int>(d.type)]);
    if (d.type == ValueType::UInt || d.type == ValueType::Int || d.type == ValueType::Number)
      o.set("min", d.min).set("max", d.max).set("step", d.step);
    if (d.choices) o.set("choices", list(d.choices(), [](const std::string& c) { return Value(c); }));
    const OptionValue v = d.get(defaults);
    switch (d.type) {
      case ValueType::UInt: o.set("default", v.u); break;
      case ValueType::Int: o.set("default", v.i); break;
      case ValueType::Number: o.set("default", v.d); break;
      case ValueType::Bool: o.set("default", v.b); break;
      default: o.set("default", v.text); break;
    }
    o.set("label", s.text(d.label)).set("help", s.text(d.help)).set("link", d.link);
    if (!d.shown_when_option.empty())
      o.set("shown_when", Value::object().set("option", spell_option(d.shown_when_option, s.spelling)).set("value", d.shown_when_value));
    return o;
  });
}

// The tab's defaults as option values (the struct's defaults with its overrides).
template <class Options>
Value defaults_of(const std::vector<OptionDef<Options>>& table, const Options& o, const ViewStyle& s) {
  Value v = Value::object();
  for (const auto& d : table) {
    const OptionValue x = d.get(o);
    const std::string id = spell_option(d.id, s.spelling);
    switch (d.type) {
      case ValueType::UInt: v.set(id, x.u); break;
      case ValueType::Int: v.set(id, x.i); break;
      case ValueType::Number: v.set(id, x.d); break;
      case ValueType::Bool: v.set(id, x.b); break;
      default: v.set(id, x.text); break;
    }
  }
  return v;
}

}  // namespace

Value view_error(const Error& e, const ViewStyle& s) {
  return Value::object().set("code", to_string(e.code)).set("field", e.field).set("message", s.text(e.message));
}

Value view_params(const Model& m, const ViewStyle& s, bool tensors) {
  const ModelDescription& spec = m.spec;
  const Inventory& inv = m.inventory;
  Value o = Value::object();
  o.set("model_type", spec.model_type).set("architecture", spec.architecture);
  o.set("total_params", inv.total_params).set("active_params", inv.active_params).set("embedding_params", inv.embedding_params);
  o.set("buffer_bytes", inv.buffer_bytes).set("mtp_params", inv.mtp_params).set("checkpoint_params", inv.checkpoint_params);
  o.set("groups", list(inv.summary(), [](const NamedCount& g) { return Value::object().set("name", g.name).set("params", g.params); }));
  if (tensors) {
    Value t = Value::array();
    for (const auto& g : inv.groups) {
      if (!g.in_full) continue;
      Value shape = Value::array();
      if (g.experts > 1) shape.push(g.experts);
      shape.push(g.rows).push(g.cols);
      Value x = Value::object();
      x.set("name", g.name).set("role", to_string(g.role)).set("shape", std::move(shape)).set("instances", inv.block_count(g.block));
      if (g.is_buffer()) x.set("buffer_bytes", inv.group_total(g) * g.buffer_elem_bytes);
      else x.set("params", inv.group_total(g));
      t.push(std::move(x));
    }
    o.set("tensors", std::move(t));
  }
  o.set("hf_calculator", Value::object()
                             .set("class_name", inv.hf.class_name)
                             .set("params", inv.hf.params)
                             .set("buffer_bytes", inv.hf.buffer_bytes)
                             .set("total_bytes", inv.hf.total_bytes_fp32)
                             .set("largest_layer_bytes", inv.hf.largest_layer_bytes_fp32)
                             .set("largest_layer_name", inv.hf.largest_layer_name)
                             .set("dtype", "float32"));
  o.set("approximate", spec.approximate).set("warnings", messages(spec.warnings, s));
  return o;
}

Value view_report(const Report& r, const ViewStyle& s) {
  Value o = Value::object();
  o.set("total_bytes", r.total_bytes).set("peak_phase", to_string(r.peak_phase)).set("gpus", r.gpus).set("cpu_bytes", r.cpu_bytes);
  o.set("phases", list(r.phases, [](const PhaseTotal& p) { return Value::object().set("id", to_string(p.phase)).set("bytes", p.bytes); }));
  o.set("items", list(r.items, [&](const LineItem& i) {
    Value x = Value::object();
    x.set("id", i.id).set("bytes", i.bytes);
    explanation(x, i.formula, s);
    x.set("source", s.text(i.source)).set("phases", phase_list(i.phases)).set("approximate", i.approximate).set("cpu", i.cpu);
    return x;
  }));
  o.set("facts", list(r.facts, [&](const Fact& f) {
    Value x = Value::object();
    x.set("id", f.id).set("value", f.value);
    explanation(x, f.formula, s);
    x.set("note", s.text(f.note));
    return x;
  }));
  o.set("warnings", messages(r.warnings, s)).set("approximate", r.approximate).set("approximate_reasons", messages(r.approximate_reasons, s));
  return o;
}

Value view_fit(const Fit& f, const Solves& solves, const Gpu& gpu) {
  return Value::object()
      .set("fits", f.fits)
      .set("headroom_bytes", f.headroom_bytes)
      .set("usable_bytes", f.usable_bytes)
      .set("needed_bytes", f.needed_bytes)
      .set("gpus", f.gpus)
      .set("gpu", view_gpu(gpu))
      .set("max_context", solves.max_context)
      .set("max_seq", solves.max_seq)
      .set("max_batch", solves.max_batch)
      .set("min_gpus", solves.min_gpus)
      .set("best_weights", solves.best_weights)
      .set("max_gpu_layers", solves.max_gpu_layers < 0 ? Value() : Value(static_cast<std::uint64_t>(solves.max_gpu_layers)));
}

namespace {

Value view_advice(const Advice& a, const ViewStyle& s) {
  Value x = Value::object();
  x.set("changes", list(a.changes, [&](const OptionChange& c) {
    return Value::object().set("option", spell_option(c.option, s.spelling)).set("value", c.value);
  }));
  static constexpr Msg kCost[] = {Msg::advice_cost_free, Msg::advice_cost_quality, Msg::advice_cost_speed, Msg::advice_cost_throughput,
                                  Msg::advice_cost_hardware};
  x.set("cost", to_string(a.cost)).set("cost_label", s.text(kCost[static_cast<int>(a.cost)])).set("order", a.order);
  x.set("what", s.text(a.what)).set("total_bytes", a.total_bytes).set("saved_bytes", a.saved_bytes);
  x.set("cpu_bytes", a.cpu_bytes).set("gpus", a.gpus).set("fits", a.fits);
  return x;
}

}  // namespace

Value view_advisory(const Advisory& a, const Gpu& gpu, const ViewStyle& s) {
  Value o = Value::object();
  o.set("total_bytes", a.total_bytes).set("usable_bytes", a.usable_bytes).set("fits", a.fits).set("gpus", a.gpus);
  o.set("gpu", view_gpu(gpu));
  o.set("changes", list(a.changes, [&](const Advice& x) { return view_advice(x, s); }));
  o.set("combination", list(a.combination, [&](const Advice& x) { return view_advice(x, s); }));
  o.set("combination_fits", a.combination_fits);
  o.set("warnings", messages(a.warnings, s));
  std::string order;
  for (std::string_view f : weight_quality_order()) order += (order.empty() ? "" : " > ") + std::string(f);
  o.set("quality_order", list(weight_quality_order(), [](std::string_view f) { return Value(f); }));
  o.set("quality_order_text", s.text({Msg::advice_quality_order, {{"order", order}}}));
  return o;
}

Value view_what_runs(const std::vector<RunsRow>& rows, const Gpu& gpu, std::string_view task, const ViewStyle& s) {
  Value o = Value::object();
  o.set("gpu", view_gpu(gpu)).set("task", task);
  o.set("models", list(rows, [&](const RunsRow& r) {
    return Value::object()
        .set("model", r.model)
        .set("params", r.params)
        .set("as_given", r.as_given)
        .set("total_bytes", r.total_bytes)
        .set("settings", list(r.settings, [&](const Advice& x) { return view_advice(x, s); }));
  }));
  return o;
}

Value view_sweep(const Sweep& sw) {
  return Value::object()
      .set("x", list(sw.x, [](std::uint64_t v) { return Value(v); }))
      .set("total_bytes", list(sw.total_bytes, [](std::uint64_t v) { return Value(v); }));
}

Value view_hf_table(const Model& m) {
  Value o = Value::object();
  o.set("class_name", m.inventory.hf.class_name);
  o.set("rows", list(hf_table(m), [](const HfTableRow& r) {
    Value x = Value::object();
    x.set("dtype", r.dtype).set("largest_layer_bytes", r.largest_layer_bytes).set("total_bytes", r.total_bytes);
    x.set("largest_layer_bytes_exact", r.largest_layer_bytes_exact).set("total_bytes_exact", r.total_bytes_exact);
    x.set("largest_layer_text", hf_convert_bytes(r.largest_layer_bytes_exact)).set("total_text", hf_convert_bytes(r.total_bytes_exact));
    if (r.training_available) {
      x.set("training", Value::object()
                            .set("peak_bytes", r.training_peak_bytes)
                            .set("peak_text", hf_convert_bytes(static_cast<double>(r.training_peak_bytes)))
                            .set("model", r.stage_model)
                            .set("gradients", r.stage_gradients)
                            .set("optimizer", r.stage_optimizer)
                            .set("step", r.stage_step));
    } else {
      x.set("training", Value());
    }
    return x;
  }));
  return o;
}

Value view_safetensors(const StoredTensors& st, const Model& m, const ViewStyle& s) {
  Value o = Value::object();
  o.set("files", st.files).set("tensors", st.tensors).set("bytes", st.bytes).set("logical_params", st.logical_params);
  o.set("quant_metadata_bytes", st.quant_metadata_bytes).set("mtp_bytes", st.mtp_bytes);
  o.set("by_dtype", list(st.by_dtype, [](const StoredDtype& d) {
    return Value::object().set("dtype", d.dtype).set("tensors", d.tensors).set("elements", d.elements).set("bytes", d.bytes);
  }));
  o.set("notes", messages(st.notes, s));
  o.set("complete", st.complete);
  // What the config-based estimate says for the checkpoint's own format, for comparison, and the
  // options to pass to the inference estimate when the checkpoint's own format is asked for.
  auto wb = weight_bytes(m, WeightFormat{});
  o.set("estimated_bytes", wb ? Value(wb.value().total()) : Value());
  o.set("options", Value::object()
                       .set(spell_option("stored_weight_bytes", s.spelling), st.bytes - st.mtp_bytes)
                       .set(spell_option("stored_quant_metadata_bytes", s.spelling), st.quant_metadata_bytes));
  o.set("inventory_params", m.inventory.total_params);
  return o;
}

Value view_gguf(const GgufModel& g, const std::string& config) {
  Value o = Value::object();
  o.set("architecture", g.architecture).set("name", g.name).set("file_type", g.file_type);
  o.set("files", g.files).set("tensors", g.tensors).set("bytes", g.bytes).set("params", g.params);
  o.set("quantized_params", g.quantized_params).set("dense_params", g.dense_params);
  o.set("by_type", list(g.by_type, [](const GgufTypeCount& t) {
    return Value::object().set("type", ggml_traits(t.type).name).set("tensors", t.tensors).set("elements", t.elements).set("bytes", t.bytes);
  }));
  o.set("input_bytes", g.input_bytes).set("output_bytes", g.output_bytes).set("token_embd_bytes", g.token_embd_bytes);
  o.set("layer_bytes", list(g.layer_bytes, [](std::uint64_t b) { return Value(b); }));
  o.set("extra_layer_bytes", g.extra_layer_bytes).set("tied", g.tied);
  o.set("n_layer", g.n_layer).set("n_embd", g.n_embd).set("n_ff", g.n_ff).set("n_head", g.n_head);
  o.set("n_head_kv", list(g.n_head_kv, [](std::uint64_t b) { return Value(b); }));
  o.set("key_length", g.key_length).set("value_length", g.value_length).set("n_vocab", g.n_vocab).set("n_ctx_train", g.n_ctx_train);
  o.set("sliding_window", g.sliding_window).set("n_expert", g.n_expert).set("n_expert_used", g.n_expert_used);
  o.set("ssm_d_state", g.ssm_d_state).set("ssm_d_inner", g.ssm_d_inner).set("ssm_d_conv", g.ssm_d_conv);
  o.set("config", config);
  return o;
}

Value view_url_state(const UrlState& u, const ViewStyle& s) {
  Value o = Value::object();
  o.set("source", u.source).set("model", u.model).set("hub", u.hub).set("config", u.config).set("manual", u.manual).set("tab", u.tab);
  o.set("knobs", list(u.knobs, [](const UrlKnob& k) { return Value::object().set("tab", k.tab).set("key", k.key).set("value", k.value); }));
  o.set("gpu", u.gpu).set("gpus", u.gpus).set("units", u.units).set("lang", u.lang);
  o.set("ignored", list(u.ignored, [&](const Error& e) { return view_error(e, s); }));
  return o;
}

Value view_gpu_caps(const GpuCaps& c) {
  return Value::object().set("bf16", c.bf16).set("fp8", c.fp8).set("fp4", c.fp4).set("flash_attn2", c.flash_attn2);
}

Value view_gpu(const Gpu& g) {
  return Value::object()
      .set("id", g.id)
      .set("name", g.name)
      .set("vendor", g.vendor)
      .set("segment", g.segment)
      .set("memory_bytes", g.memory_bytes)
      .set("usable_bytes", g.usable_bytes())
      .set("bandwidth_gbps", g.bandwidth_gbps)
      .set("arch", g.arch)
      .set("compute_capability", g.compute_capability)
      .set("caps", view_gpu_caps(g.caps()));
}

Value view_gpus() { return list(gpus(), [](const Gpu& g) { return view_gpu(g); }); }

Value view_catalog_models() {
  return list(catalog_models(), [](const CatalogModel& m) {
    Value x = Value::object();
    x.set("id", m.id).set("name", m.name).set("family", m.family);
    x.set("published_params", m.published_params ? Value(m.published_params) : Value());
    return x;
  });
}

Value view_options(const ViewStyle& s) {
  Value o = Value::object();
  o.set("inference", option_defs(inference_option_table(), s));
  o.set("train", option_defs(train_option_table(), s));
  o.set("tabs", list(tab_table(), [&](const TabDef& t) {
    Value x = Value::object();
    x.set("id", t.id).set("mode", t.train ? "train" : "inference").set("label", s.text(t.label));
    x.set("knobs", list(t.knobs, [&](std::string_view k) { return Value(spell_option(k, s.spelling)); }));
    x.set("defaults", t.train ? defaults_of(train_option_table(), train_defaults(t), s)
                              : defaults_of(inference_option_table(), inference_defaults(t), s));
    return x;
  }));
  o.set("default_gpu", default_gpu_id());
  o.set("sources", list(model_sources(), [](std::string_view f) { return Value(f); }));
  o.set("manual_fields", list(manual_form_fields(), [](std::string_view f) { return Value(f); }));
  o.set("limits", Value::object()
                      .set("config_bytes", static_cast<std::uint64_t>(detail::kMaxConfigBytes))
                      .set("safetensors_header_bytes", static_cast<std::uint64_t>(detail::kMaxSafetensorsHeaderBytes))
                      .set("url_state_bytes", static_cast<std::uint64_t>(kMaxUrlStateBytes))
                      .set("url_config_bytes", static_cast<std::uint64_t>(kMaxUrlConfigBytes))
                      .set("url_gpus", kMaxUrlGpus));
  return o;
}

}  // namespace vram

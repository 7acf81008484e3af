// The only file that includes Emscripten. It binds: it converts plain JS values to engine inputs
// and engine results to plain JS objects ({ok:true, value} | {ok:false, error}), and it is the one
// place where snake_case becomes camelCase. No formulas here.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>

#include "vram/model/catalog.hpp"
#include "vram/estimate/estimate.hpp"
#include "vram/estimate/solve.hpp"
#include "vram/model/hf_table.hpp"
#include "vram/model/inventory.hpp"
#include "vram/model/description.hpp"
#include "vram/workload/options.hpp"
#include "vram/model/safetensors.hpp"
#include "vram/link/url_state.hpp"
#include "vram/memory/weights.hpp"

namespace {

using emscripten::val;

val ok(val value) {
  val out = val::object();
  out.set("ok", true);
  out.set("value", value);
  return out;
}

val fail(const vram::Error& e) {
  val err = val::object();
  err.set("code", std::string(vram::to_string(e.code)));
  err.set("field", e.field);
  err.set("message", e.message);
  val out = val::object();
  out.set("ok", false);
  out.set("error", err);
  return out;
}

// Byte and parameter counts reach JS as Numbers (exact below 2^53).
val num(std::uint64_t n) { return val(static_cast<double>(n)); }

template <class T, class F>
val array_of(const T& items, F&& convert) {
  val a = val::array();
  for (const auto& item : items) a.call<void>("push", convert(item));
  return a;
}

val strings(const std::vector<std::string>& v) {
  return array_of(v, [](const std::string& s) { return val(s); });
}

std::string version() { return "vramcalc 0.1.0"; }

val catalog_models() {
  return array_of(vram::catalog_models(), [](const vram::CatalogModel& m) {
    val o = val::object();
    o.set("id", std::string(m.id));
    o.set("name", std::string(m.name));
    o.set("family", std::string(m.family));
    o.set("publishedParams", m.published_params ? num(m.published_params) : val::null());
    return o;
  });
}

val catalog_config(const std::string& id) {
  auto m = vram::find_catalog_model(id);
  if (!m) return fail(m.error());
  return ok(val(std::string(m.value().config_json)));
}

val params(const std::string& config_json) {
  auto spec = vram::parse_config(config_json);
  if (!spec) return fail(spec.error());
  auto inv = vram::build_inventory(spec.value());
  if (!inv) return fail(inv.error());
  const vram::ModelDescription& s = spec.value();
  const vram::Inventory& i = inv.value();
  val o = val::object();
  o.set("modelType", s.model_type);
  o.set("architecture", s.architecture);
  o.set("totalParams", num(i.total_params));
  o.set("activeParams", num(i.active_params));
  o.set("embeddingParams", num(i.embedding_params));
  o.set("bufferBytes", num(i.buffer_bytes));
  o.set("mtpParams", num(i.mtp_params));
  o.set("groups", array_of(i.summary(), [](const vram::NamedCount& g) {
    val x = val::object();
    x.set("name", g.name);
    x.set("params", num(g.params));
    return x;
  }));
  val hf = val::object();
  hf.set("className", i.hf.class_name);
  hf.set("params", num(i.hf.params));
  hf.set("bufferBytes", num(i.hf.buffer_bytes));
  hf.set("totalBytes", num(i.hf.total_bytes_fp32));
  hf.set("largestLayerBytes", num(i.hf.largest_layer_bytes_fp32));
  hf.set("largestLayerName", i.hf.largest_layer_name);
  o.set("hfCalculator", hf);
  o.set("approximate", s.approximate);
  o.set("warnings", strings(s.warnings));
  return ok(o);
}

// camelCase ↔ snake_case, the one place it happens.
std::string camel(std::string_view snake) {
  std::string out;
  bool up = false;
  for (char c : snake) {
    if (c == '_') {
      up = true;
    } else {
      out.push_back(up ? static_cast<char>(c - 'a' + 'A') : c);
      up = false;
    }
  }
  return out;
}

// Reads option `key` (snake_case) from a JS object under its camelCase name, as a string.
vram::OptionLookup lookup_in(const val& opts) {
  return [opts](std::string_view key) -> std::optional<std::string> {
    if (opts.isUndefined() || opts.isNull()) return std::nullopt;
    const val v = opts[camel(key)];
    const std::string type = v.typeOf().as<std::string>();
    if (type == "undefined" || v.isNull()) return std::nullopt;
    if (type == "boolean") return std::string(v.as<bool>() ? "true" : "false");
    if (type == "number") {
      const double d = v.as<double>();
      if (d == static_cast<double>(static_cast<long long>(d)) && d >= -9.0e15 && d <= 9.0e15)
        return std::to_string(static_cast<long long>(d));
      return val::global("String")(v).as<std::string>();
    }
    return val::global("String")(v).as<std::string>();
  };
}

const vram::OptionName kCamel = [](std::string_view key) { return camel(key); };

val report_value(const vram::Report& r) {
  val o = val::object();
  o.set("totalBytes", num(r.total_bytes));
  o.set("perGpuBytes", num(r.total_bytes));
  o.set("peakPhase", std::string(vram::to_string(r.peak_phase)));
  o.set("gpus", r.gpus);
  o.set("cpuBytes", num(r.cpu_bytes));
  o.set("phases", array_of(r.phases, [](const vram::PhaseTotal& p) {
    val x = val::object();
    x.set("id", std::string(vram::to_string(p.phase)));
    x.set("bytes", num(p.bytes));
    return x;
  }));
  o.set("items", array_of(r.items, [](const vram::LineItem& i) {
    val x = val::object();
    x.set("id", i.id);
    x.set("labelKey", i.label_key);
    x.set("bytes", num(i.bytes));
    x.set("explain", i.explain);
    x.set("source", i.source);
    x.set("phases", array_of(i.phases, [](vram::Phase p) { return val(std::string(vram::to_string(p))); }));
    x.set("approximate", i.approximate);
    x.set("cpu", i.cpu);
    return x;
  }));
  o.set("facts", array_of(r.facts, [](const vram::Fact& f) {
    val x = val::object();
    x.set("id", f.id);
    x.set("value", f.value);
    x.set("explain", f.explain);
    return x;
  }));
  o.set("warnings", strings(r.warnings));
  o.set("approximate", r.approximate);
  o.set("approximateReasons", strings(r.approximate_reasons));
  return o;
}

// Config text + options → model and options, or the JS error object.
template <class Opts>
struct Prepared {
  std::shared_ptr<const vram::Model> model;
  std::optional<Opts> opts;
  val error = val::undefined();
};

// The page re-estimates the same config on every knob change: keep the last parsed model (and
// with it the memoised weight plans) while the config text is unchanged.
vram::Result<std::shared_ptr<const vram::Model>> loaded(const std::string& config) {
  static std::string last_config;
  static std::shared_ptr<const vram::Model> last_model;
  if (last_model && config == last_config) return last_model;
  auto m = vram::load_model(config);
  if (!m) return m.error();
  last_model = std::make_shared<const vram::Model>(std::move(m).value());
  last_config = config;
  return last_model;
}

// Parses the model and the options the same way for every entry point.
template <class Opts, class Parse>
Prepared<Opts> prepare(const std::string& config, const val& opts, Parse&& parse) {
  Prepared<Opts> p;
  auto m = loaded(config);
  if (!m) {
    p.error = fail(m.error());
    return p;
  }
  auto o = parse(lookup_in(opts), kCamel);
  if (!o) {
    p.error = fail(o.error());
    return p;
  }
  p.model = m.value();
  p.opts = o.value();
  return p;
}

Prepared<vram::InferenceOptions> prepare_inference(const std::string& config, const val& opts) {
  return prepare<vram::InferenceOptions>(config, opts, [](const auto& get, const auto& name) { return vram::inference_options(get, name); });
}

Prepared<vram::TrainOptions> prepare_training(const std::string& config, const val& opts) {
  return prepare<vram::TrainOptions>(config, opts, [](const auto& get, const auto& name) { return vram::train_options(get, name); });
}

val inference(const std::string& config, const val& opts) {
  auto p = prepare_inference(config, opts);
  if (!p.model) return p.error;
  auto r = vram::estimate_inference(*p.model, *p.opts);
  return r ? ok(report_value(r.value())) : fail(r.error());
}

val train(const std::string& config, const val& opts) {
  auto p = prepare_training(config, opts);
  if (!p.model) return p.error;
  auto r = vram::estimate_training(*p.model, *p.opts);
  return r ? ok(report_value(r.value())) : fail(r.error());
}

val gpu_value(const vram::Gpu& g) {
  val x = val::object();
  x.set("id", std::string(g.id));
  x.set("name", std::string(g.name));
  x.set("vendor", std::string(g.vendor));
  x.set("segment", std::string(g.segment));
  x.set("memoryBytes", num(g.memory_bytes));
  x.set("usableBytes", num(g.usable_bytes()));
  x.set("bandwidthGBps", g.bandwidth_gbps);
  return x;
}

val gpus() { return array_of(vram::gpus(), gpu_value); }

// mode: "inference" | "train"; gpu: catalog id; count: GPUs (tensor parallel / data parallel).
val fit(const std::string& config, const std::string& mode, const val& opts, const std::string& gpu_id, int count) {
  auto gpu = vram::find_gpu(gpu_id);
  if (!gpu) return fail(gpu.error());
  if (count < 1 || count > 1024) return fail({vram::ErrorCode::InvalidValue, "gpuCount", "gpuCount must be in [1, 1024]"});
  const auto n = static_cast<std::uint32_t>(count);
  vram::Result<vram::Report> report = vram::make_error(vram::ErrorCode::InvalidValue, "mode", "mode must be inference or train");
  vram::Result<vram::Solves> solves = vram::make_error(vram::ErrorCode::InvalidValue, "mode", "mode must be inference or train");
  if (mode == "inference") {
    auto p = prepare_inference(config, opts);
    if (!p.model) return p.error;
    p.opts->tensor_parallel = n;
    if (p.opts->runtime == vram::Runtime::Vllm && p.opts->gpu_memory_bytes == 0) p.opts->gpu_memory_bytes = gpu.value().usable_bytes();
    report = vram::estimate_inference(*p.model, *p.opts);
    if (report) solves = vram::solve_inference(*p.model, *p.opts, gpu.value(), n);
  } else if (mode == "train") {
    auto p = prepare_training(config, opts);
    if (!p.model) return p.error;
    p.opts->gpus = n;
    report = vram::estimate_training(*p.model, *p.opts);
    if (report) solves = vram::solve_training(*p.model, *p.opts, gpu.value(), n);
  }
  if (!report) return fail(report.error());
  if (!solves) return fail(solves.error());
  const vram::Fit f = vram::fit(report.value(), gpu.value());
  val o = val::object();
  o.set("fits", f.fits);
  o.set("headroomBytes", static_cast<double>(f.headroom_bytes));
  o.set("usableBytes", num(f.usable_bytes));
  o.set("neededBytes", num(f.needed_bytes));
  o.set("gpus", f.gpus);
  o.set("maxContext", num(solves.value().max_context));
  o.set("maxSeq", num(solves.value().max_seq));
  o.set("maxBatch", num(solves.value().max_batch));
  o.set("minGpus", solves.value().min_gpus);
  o.set("bestDtype", solves.value().best_weights);
  return ok(o);
}

val sweep_value(const vram::Result<vram::Sweep>& s) {
  if (!s) return fail(s.error());
  val o = val::object();
  o.set("x", array_of(s.value().x, [](std::uint64_t v) { return num(v); }));
  o.set("totalBytes", array_of(s.value().total_bytes, [](std::uint64_t v) { return num(v); }));
  return ok(o);
}

// `to` = 0 means the model's maximum context (max_position_embeddings).
double sweep_end(const vram::Model& m, double to) {
  return to == 0 ? static_cast<double>(std::max<std::uint64_t>(m.spec.max_position_embeddings, 4096)) : to;
}

val sweep_context(const std::string& config, const val& opts, double from, double to, int points) {
  auto p = prepare_inference(config, opts);
  if (!p.model) return p.error;
  to = sweep_end(*p.model, to);
  if (!(from >= 1 && to >= from && to <= 1.6e7) || points < 2 || points > 100000)
    return fail({vram::ErrorCode::InvalidValue, "sweep", "sweep: need 1 ≤ from ≤ to ≤ 16M and 2 ≤ points ≤ 100000"});
  return sweep_value(vram::sweep_context(*p.model, *p.opts, static_cast<std::uint64_t>(from), static_cast<std::uint64_t>(to),
                                         static_cast<std::uint32_t>(points)));
}

val sweep_seq(const std::string& config, const val& opts, double from, double to, int points) {
  auto p = prepare_training(config, opts);
  if (!p.model) return p.error;
  to = sweep_end(*p.model, to);
  if (!(from >= 1 && to >= from && to <= 1.6e7) || points < 2 || points > 100000)
    return fail({vram::ErrorCode::InvalidValue, "sweep", "sweep: need 1 ≤ from ≤ to ≤ 16M and 2 ≤ points ≤ 100000"});
  return sweep_value(vram::sweep_seq(*p.model, *p.opts, static_cast<std::uint64_t>(from), static_cast<std::uint64_t>(to),
                                     static_cast<std::uint32_t>(points)));
}

val sweep_batch(const std::string& config, const val& opts, double from, double to, int points) {
  auto p = prepare_inference(config, opts);
  if (!p.model) return p.error;
  if (!(from >= 1 && to >= from && to <= 1.0e6) || points < 2 || points > 100000)
    return fail({vram::ErrorCode::InvalidValue, "sweep", "sweep: need 1 ≤ from ≤ to ≤ 1M and 2 ≤ points ≤ 100000"});
  return sweep_value(vram::sweep_batch(*p.model, *p.opts, static_cast<std::uint64_t>(from), static_cast<std::uint64_t>(to),
                                       static_cast<std::uint32_t>(points)));
}

val hf_table(const std::string& config) {
  auto lm = loaded(config);
  if (!lm) return fail(lm.error());
  const vram::Model& model = *lm.value();
  val o = val::object();
  o.set("className", model.inventory.hf.class_name);
  o.set("rows", array_of(vram::hf_table(model), [](const vram::HfTableRow& r) {
    val x = val::object();
    x.set("dtype", r.dtype);
    x.set("largestLayerBytes", num(r.largest_layer_bytes));
    x.set("totalBytes", num(r.total_bytes));
    x.set("largestLayerBytesExact", r.largest_layer_bytes_exact);  // the float accelerate prints
    x.set("totalBytesExact", r.total_bytes_exact);
    x.set("largestLayerText", vram::hf_convert_bytes(r.largest_layer_bytes_exact));
    x.set("totalText", vram::hf_convert_bytes(r.total_bytes_exact));
    if (r.training_available) {
      val t = val::object();
      t.set("peakBytes", num(r.training_peak_bytes));
      t.set("peakText", vram::hf_convert_bytes(static_cast<double>(r.training_peak_bytes)));
      t.set("model", num(r.stage_model));
      t.set("gradients", num(r.stage_gradients));
      t.set("optimizer", num(r.stage_optimizer));
      t.set("step", num(r.stage_step));
      x.set("training", t);
    } else {
      x.set("training", val::null());
    }
    return x;
  }));
  return ok(o);
}

// headers: JS array of safetensors header JSON texts (one per shard). The result carries the
// option values to pass to inference() (storedWeightBytes, storedQuantMetadataBytes).
val safetensors(const std::string& config, const val& headers) {
  auto m = vram::load_model(config);
  if (!m) return fail(m.error());
  // An array of texts (strings, or bytes as a Uint8Array); anything else is a named error, not a
  // JS exception from inside the module.
  if (!val::global("Array").call<bool>("isArray", headers))
    return fail({vram::ErrorCode::InvalidValue, "headers", "headers must be an array of safetensors header texts"});
  std::vector<std::string> texts;
  const auto n = headers["length"].as<unsigned>();
  for (unsigned i = 0; i < n && i < 4096; ++i) {
    const val h = headers[i];
    if (!h.isString() && !h.instanceof(val::global("Uint8Array")))
      return fail({vram::ErrorCode::InvalidValue, "headers", "headers[" + std::to_string(i) + "] must be a string"});
    texts.push_back(h.as<std::string>());
  }
  auto st = vram::read_safetensors_headers(texts, m.value().spec);
  if (!st) return fail(st.error());
  const auto& s = st.value();
  val o = val::object();
  o.set("files", num(s.files));
  o.set("tensors", num(s.tensors));
  o.set("bytes", num(s.bytes));
  o.set("logicalParams", num(s.logical_params));
  o.set("quantMetadataBytes", num(s.quant_metadata_bytes));
  o.set("mtpBytes", num(s.mtp_bytes));
  o.set("byDtype", array_of(s.by_dtype, [](const vram::StoredDtype& d) {
    val x = val::object();
    x.set("dtype", d.dtype);
    x.set("tensors", num(d.tensors));
    x.set("elements", num(d.elements));
    x.set("bytes", num(d.bytes));
    return x;
  }));
  o.set("notes", strings(s.notes));
  // What the config-based estimate says for the checkpoint's own format, for comparison.
  auto wb = vram::weight_bytes(m.value(), vram::WeightFormat{});
  o.set("estimatedBytes", wb ? num(wb.value().weights + wb.value().quant_metadata) : val::null());
  val pass = val::object();  // merge into inference() options when dtype is the checkpoint's own
  pass.set("storedWeightBytes", num(s.bytes - s.mtp_bytes));
  pass.set("storedQuantMetadataBytes", num(s.quant_metadata_bytes));
  o.set("options", pass);
  o.set("inventoryParams", num(m.value().inventory.total_params));
  return ok(o);
}

// Dropdown contents and defaults, from the engine (never re-declared in JS).
val options() {
  auto ids = [](const std::vector<std::string>& v) {
    return array_of(v, [](const std::string& id) {
      val x = val::object();
      x.set("id", id);
      x.set("labelKey", "option." + id);
      return x;
    });
  };
  val o = val::object();
  o.set("dtypes", ids(vram::weight_format_ids()));
  for (const char* name : {"kv_dtype", "runtime", "attention", "method", "optimizer", "precision", "checkpointing", "fsdp", "offload"})
    o.set(camel(name) + "s", ids(vram::option_ids(name)));
  o.set("loraTargets", ids({"q_proj,v_proj", "attention", "all-linear"}));
  o.set("zeroStages", array_of(std::vector<int>{0, 1, 2, 3}, [](int z) {
    val x = val::object();
    x.set("id", z);
    x.set("labelKey", "option.zero" + std::to_string(z));
    return x;
  }));
  const vram::InferenceOptions di;
  const vram::TrainOptions dt;
  val inf = val::object();
  inf.set("dtype", std::string("auto"));
  inf.set("kvDtype", std::string(vram::kv_kind_id(di.kv)));
  inf.set("batch", num(di.batch));
  inf.set("context", num(di.context));
  inf.set("runtime", std::string(vram::to_id(di.runtime)));
  inf.set("attn", std::string(vram::to_id(di.attn)));
  inf.set("gpuUtil", di.gpu_memory_utilization);
  inf.set("ubatch", num(di.ubatch));
  inf.set("ngl", static_cast<double>(di.gpu_layers));
  inf.set("tp", di.tensor_parallel);
  inf.set("prompt", 0);
  val tr = val::object();
  tr.set("method", std::string(vram::to_id(dt.method)));
  tr.set("optimizer", std::string(vram::to_id(dt.optimizer)));
  tr.set("precision", std::string(vram::to_id(dt.precision)));
  tr.set("batch", num(dt.micro_batch));
  tr.set("seq", num(dt.seq));
  tr.set("checkpointing", std::string(vram::to_id(dt.checkpointing)));
  tr.set("attn", std::string(vram::to_id(dt.attn)));
  tr.set("loraRank", num(dt.lora_rank));
  tr.set("loraTargets", dt.lora_targets);
  tr.set("zero", dt.zero);
  tr.set("gpus", dt.gpus);
  tr.set("gradAccum", num(dt.grad_accum));
  tr.set("dora", dt.dora);
  tr.set("dtype", std::string("auto"));
  tr.set("fsdp", std::string(vram::to_id(dt.fsdp)));
  tr.set("offloadOptimizer", std::string(vram::to_id(dt.offload_optimizer)));
  tr.set("offloadParams", std::string(vram::to_id(dt.offload_params)));
  tr.set("tp", dt.tensor_parallel);
  tr.set("pp", dt.pipeline_parallel);
  val defaults = val::object();
  defaults.set("inference", inf);
  defaults.set("train", tr);
  // The Serving and Fine-tune tabs start from the inference / training defaults with these changes.
  val serving = val::object();
  serving.set("runtime", std::string(vram::to_id(vram::Runtime::Vllm)));
  defaults.set("serving", serving);
  val finetune = val::object();
  finetune.set("method", std::string(vram::to_id(vram::TrainMethod::Lora)));
  defaults.set("finetune", finetune);
  defaults.set("gpu", std::string("rtx-4090"));
  o.set("defaults", defaults);
  o.set("inferenceKeys", array_of(vram::inference_option_keys(), [](const std::string& k) { return val(camel(k)); }));
  o.set("trainKeys", array_of(vram::train_option_keys(), [](const std::string& k) { return val(camel(k)); }));
  return o;
}

// A shared link's fragment (or the widget's attributes as one), decoded and checked by the engine.
val decode_url_state(const std::string& fragment) {
  auto r = vram::decode_url_state(fragment);
  if (!r) return fail(r.error());
  const vram::UrlState& s = r.value();
  val o = val::object();
  o.set("source", s.source);
  o.set("model", s.model);
  o.set("hub", s.hub);
  o.set("config", s.config);
  o.set("manual", s.manual);
  o.set("tab", s.tab);
  o.set("knobs", array_of(s.knobs, [](const vram::UrlKnob& k) {
    val x = val::object();
    x.set("tab", k.tab);
    x.set("key", k.key);
    x.set("value", k.value);
    return x;
  }));
  o.set("gpu", s.gpu);
  o.set("gpus", s.gpus);
  o.set("units", s.units);
  o.set("lang", s.lang);
  o.set("ignored", array_of(s.ignored, [](const vram::Error& e) {
    val x = val::object();
    x.set("code", std::string(vram::to_string(e.code)));
    x.set("field", e.field);
    x.set("message", e.message);
    return x;
  }));
  return ok(o);
}

}  // namespace

EMSCRIPTEN_BINDINGS(vramcalc) {
  emscripten::function("version", &version);
  emscripten::function("catalogModels", &catalog_models);
  emscripten::function("catalogConfig", &catalog_config);
  emscripten::function("params", &params);
  emscripten::function("inference", &inference);
  emscripten::function("train", &train);
  emscripten::function("fit", &fit);
  emscripten::function("gpus", &gpus);
  emscripten::function("options", &options);
  emscripten::function("hfTable", &hf_table);
  emscripten::function("sweepContext", &sweep_context);
  emscripten::function("sweepBatch", &sweep_batch);
  emscripten::function("sweepSeq", &sweep_seq);
  emscripten::function("safetensors", &safetensors);
  emscripten::function("decodeUrlState", &decode_url_state);
}

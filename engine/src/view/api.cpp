#include "vram/view/api.hpp"

#include <algorithm>

#include "vram/estimate/advise.hpp"
#include "vram/estimate/estimate.hpp"
#include "vram/estimate/solve.hpp"
#include "vram/view/views.hpp"

namespace vram {
namespace {

// A split GGUF has at most this many parts (gguf-split numbers them -00001-of-NNNNN).
constexpr std::size_t kMaxGgufParts = 4096;

constexpr std::uint64_t kMaxSweepTo = 16777216;       // context / sequence length (the option's range)
constexpr std::uint64_t kMaxSweepBatch = 1048576;

Error sweep_error() { return make_error(ErrorCode::InvalidValue, "sweep", Msg::error_sweep_bounds); }

}  // namespace

Result<std::shared_ptr<const Model>> Session::model(const std::string& config) {
  if (last_model_ && config == last_config_) return last_model_;
  auto m = load_model(config);
  if (!m) return m.error();
  last_model_ = std::make_shared<const Model>(std::move(m).value());
  last_config_ = config;
  return last_model_;
}

Value Session::error(const Error& e) const { return view_error(e, ViewStyle{catalog_, spelling_}); }

Result<Value> Session::params(const std::string& config) {
  auto m = model(config);
  if (!m) return m.error();
  return view_params(*m.value(), ViewStyle{catalog_, spelling_}, false);
}

Result<Value> Session::inference(const std::string& config, const OptionLookup& options) {
  auto m = model(config);
  if (!m) return m.error();
  auto o = inference_options(options);
  if (!o) return o.error();
  auto r = estimate_inference(*m.value(), o.value());
  if (!r) return r.error();
  return view_report(r.value(), ViewStyle{catalog_, spelling_});
}

Result<Value> Session::train(const std::string& config, const OptionLookup& options) {
  auto m = model(config);
  if (!m) return m.error();
  auto o = train_options(options);
  if (!o) return o.error();
  auto r = estimate_training(*m.value(), o.value());
  if (!r) return r.error();
  return view_report(r.value(), ViewStyle{catalog_, spelling_});
}

Result<Value> Session::fit(const std::string& config, std::string_view mode, const OptionLookup& options,
                           const std::string& gpu_id, std::uint32_t count) {
  auto gpu = find_gpu(gpu_id);
  if (!gpu) return gpu.error();
  auto m = model(config);
  if (!m) return m.error();
  const Model& model = *m.value();
  if (mode == "inference") {
    auto o = inference_options(options);
    if (!o) return o.error();
    o.value().tensor_parallel = count;
    if (o.value().gpu.empty()) o.value().gpu = std::string(gpu.value().id);
    auto r = estimate_inference(model, o.value());
    if (!r) return r.error();
    auto s = solve_inference(model, o.value(), gpu.value(), count);
    if (!s) return s.error();
    return view_fit(vram::fit(r.value(), gpu.value()), s.value(), gpu.value());
  }
  if (mode == "train") {
    auto o = train_options(options);
    if (!o) return o.error();
    o.value().gpus = count;
    if (o.value().gpu.empty()) o.value().gpu = std::string(gpu.value().id);
    auto r = estimate_training(model, o.value());
    if (!r) return r.error();
    auto s = solve_training(model, o.value(), gpu.value(), count);
    if (!s) return s.error();
    return view_fit(vram::fit(r.value(), gpu.value()), s.value(), gpu.value());
  }
  return make_error(ErrorCode::InvalidValue, "mode", Msg::error_api_mode);
}

Result<Value> Session::advise(const std::string& config, std::string_view mode, const OptionLookup& options,
                              const std::string& gpu_id, std::uint32_t count) {
  auto gpu = find_gpu(gpu_id);
  if (!gpu) return gpu.error();
  auto m = model(config);
  if (!m) return m.error();
  const ViewStyle style{catalog_, spelling_};
  if (mode == "inference") {
    auto o = inference_options(options);
    if (!o) return o.error();
    o.value().tensor_parallel = count;
    auto a = advise_inference(*m.value(), o.value(), gpu.value());
    if (!a) return a.error();
    return view_advisory(a.value(), gpu.value(), style);
  }
  if (mode == "train") {
    auto o = train_options(options);
    if (!o) return o.error();
    o.value().gpus = count;
    auto a = advise_training(*m.value(), o.value(), gpu.value());
    if (!a) return a.error();
    return view_advisory(a.value(), gpu.value(), style);
  }
  return make_error(ErrorCode::InvalidValue, "mode", Msg::error_api_mode);
}

Result<Value> Session::sweep(const std::string& config, std::string_view axis, const OptionLookup& options, std::uint64_t from,
                             std::uint64_t to, std::uint32_t points) {
  auto m = model(config);
  if (!m) return m.error();
  const Model& model = *m.value();
  if (to == 0 && axis != "batch") to = std::max<std::uint64_t>(model.spec.max_position_embeddings, 4096);
  const std::uint64_t cap = axis == "batch" ? kMaxSweepBatch : kMaxSweepTo;
  if (from < 1 || to < from || to > cap || points < 2 || points > 100000) return sweep_error();
  Result<Sweep> s = sweep_error();
  if (axis == "context" || axis == "batch") {
    auto o = inference_options(options);
    if (!o) return o.error();
    s = axis == "context" ? sweep_context(model, o.value(), from, to, points) : sweep_batch(model, o.value(), from, to, points);
  } else if (axis == "seq") {
    auto o = train_options(options);
    if (!o) return o.error();
    s = sweep_seq(model, o.value(), from, to, points);
  }
  if (!s) return s.error();
  return view_sweep(s.value());
}

Result<Value> Session::hf_table(const std::string& config) {
  auto m = model(config);
  if (!m) return m.error();
  return view_hf_table(*m.value());
}

Result<Value> Session::safetensors(const std::string& config, const std::vector<std::string>& headers) {
  auto m = model(config);
  if (!m) return m.error();
  auto st = read_safetensors_headers(headers, *m.value());
  if (!st) return st.error();
  return view_safetensors(st.value(), *m.value(), ViewStyle{catalog_, spelling_});
}

Result<Value> Session::manual_config(const std::string& fields_json) {
  auto c = vram::manual_config(fields_json);
  if (!c) return c.error();
  return Value(c.value());
}

Result<Value> Session::gguf(const std::vector<std::string>& parts, const std::vector<std::string>& names) {
  if (parts.size() > kMaxGgufParts)
    return make_error(ErrorCode::InvalidValue, "parts", {Msg::error_gguf_too_many, {{"max", std::to_string(kMaxGgufParts)}}});
  std::vector<GgufHeader> headers;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string name = i < names.size() ? names[i] : "gguf " + std::to_string(i + 1);
    auto r = read_gguf_header(parts[i], name);
    if (!r) return r.error();
    if (r.value().need_bytes) {
      const Message note{Msg::note_gguf_need_bytes, {{"file", name}, {"have", std::uint64_t{parts[i].size()}}, {"bytes", r.value().need_bytes}}};
      return Value::object().set("need_bytes", r.value().need_bytes).set("part", std::uint64_t{i}).set("message", render(note, catalog_, spelling_));
    }
    headers.push_back(std::move(r.value().header));
  }
  auto g = gguf_model(headers, names);
  if (!g) return g.error();
  return view_gguf(g.value(), gguf_config_json(g.value()));
}

Result<Value> Session::decode_url_state(std::string_view fragment) {
  auto r = vram::decode_url_state(fragment);
  if (!r) return r.error();
  return view_url_state(r.value(), ViewStyle{catalog_, spelling_});
}

Result<Value> Session::catalog_config(std::string_view id) {
  auto m = find_catalog_model(id);
  if (!m) return m.error();
  return Value(m.value().config_json);
}

Value Session::options() const { return view_options(ViewStyle{catalog_, spelling_}); }

}  // namespace vram

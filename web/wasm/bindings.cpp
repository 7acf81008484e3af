// The only file that includes Emscripten's bindings: it declares the module's surface. Each binding
// converts its JS arguments (option objects with camelCase keys, arrays of texts), calls the engine's
// API (vram/view/api.hpp) and returns its Value as a plain JS value (js_value.cpp). No rules, no
// defaults, no formulas here.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <optional>
#include <string>
#include <vector>

#include "js_value.hpp"
#include "vram/view/api.hpp"
#include "vram/view/views.hpp"

namespace {

using emscripten::val;

// One session per module: the catalog of the page's language, camelCase option names.
vram::Session& session() {
  static vram::Session s(vram::Catalog{}, vram::Spelling::Js);
  return s;
}

// The page's catalog: its language's templates in the order of engine/messages/en.json.
void set_messages(const val& texts) {
  vram::Catalog c;
  c.text.emplace_back();  // Msg::none
  const auto n = texts["length"].as<unsigned>();
  for (unsigned i = 0; i < n; ++i) c.text.push_back(texts[i].isString() ? texts[i].as<std::string>() : std::string());
  session().set_catalog(std::move(c));
}

// Option `id` (snake_case) read from a JS object under its camelCase name, as text.
vram::OptionLookup lookup_in(const val& opts) {
  return [opts](std::string_view id) -> std::optional<std::string> {
    if (opts.isUndefined() || opts.isNull()) return std::nullopt;
    const val v = opts[vram::spell_option(id, vram::Spelling::Js)];
    const std::string type = v.typeOf().as<std::string>();
    if (type == "undefined" || v.isNull()) return std::nullopt;
    if (type == "boolean") return std::string(v.as<bool>() ? "true" : "false");
    if (type == "number") {
      const double d = v.as<double>();
      if (d == static_cast<double>(static_cast<long long>(d)) && d >= -9.0e15 && d <= 9.0e15) return std::to_string(static_cast<long long>(d));
    }
    return val::global("String")(v).as<std::string>();
  };
}

val fail(vram::Error e) { return vramjs::result(session(), vram::Result<vram::Value>(std::move(e))); }
val res(const vram::Result<vram::Value>& r) { return vramjs::result(session(), r); }

std::string version() { return "vramcalc 0.2.0"; }
val catalog_models() { return vramjs::to_js(vram::view_catalog_models()); }
val gpus() { return vramjs::to_js(vram::view_gpus()); }
val options() { return vramjs::to_js(session().options()); }
val catalog_config(const std::string& id) { return res(session().catalog_config(id)); }
val params(const std::string& config) { return res(session().params(config)); }
val inference(const std::string& config, const val& opts) { return res(session().inference(config, lookup_in(opts))); }
val train(const std::string& config, const val& opts) { return res(session().train(config, lookup_in(opts))); }
val hf_table(const std::string& config) { return res(session().hf_table(config)); }
val decode_url_state(const std::string& fragment) { return res(session().decode_url_state(fragment)); }
val manual_config(const std::string& fields) { return res(session().manual_config(fields)); }

val fit(const std::string& config, const std::string& mode, const val& opts, const std::string& gpu, int count) {
  if (count < 1 || count > 1024)
    return fail(vram::make_error(vram::ErrorCode::InvalidValue, "gpu_count", {vram::Msg::error_binding_count, {{"field", vram::OptionRef{"gpu_count"}}}}));
  return res(session().fit(config, mode, lookup_in(opts), gpu, static_cast<std::uint32_t>(count)));
}

val advise(const std::string& config, const std::string& mode, const val& opts, const std::string& gpu, int count) {
  if (count < 1 || count > 1024)
    return fail(vram::make_error(vram::ErrorCode::InvalidValue, "gpu_count", {vram::Msg::error_binding_count, {{"field", vram::OptionRef{"gpu_count"}}}}));
  return res(session().advise(config, mode, lookup_in(opts), gpu, static_cast<std::uint32_t>(count)));
}

val sweep(const std::string& config, const std::string& axis, const val& opts, double from, double to, int points) {
  // Out-of-range JS numbers become 0, which the engine refuses with a named error.
  const auto whole = [](double d) { return d >= 0 && d <= 1e15 ? static_cast<std::uint64_t>(d) : std::uint64_t{0}; };
  return res(session().sweep(config, axis, lookup_in(opts), whole(from), whole(to), points < 0 ? 0 : static_cast<std::uint32_t>(points)));
}

// headers: an array of safetensors header texts (strings, or bytes as Uint8Array).
val safetensors(const std::string& config, const val& headers) {
  if (!val::global("Array").call<bool>("isArray", headers))
    return fail(vram::make_error(vram::ErrorCode::InvalidValue, "headers", vram::Msg::error_binding_headers));
  std::vector<std::string> texts;
  const auto n = headers["length"].as<unsigned>();
  for (unsigned i = 0; i < n; ++i) {
    const val h = headers[i];
    if (!h.isString() && !h.instanceof(val::global("Uint8Array")))
      return fail(vram::make_error(vram::ErrorCode::InvalidValue, "headers", {vram::Msg::error_binding_header_type, {{"index", std::to_string(i)}}}));
    texts.push_back(h.as<std::string>());
  }
  return res(session().safetensors(config, texts));
}

// parts: the first bytes of a .gguf file (a Uint8Array) or of every part of a split file (an array
// of them); names: the file names errors show (optional). A part shorter than its header gives
// {needBytes, part}: slice more of that file and call again.
val gguf(const val& parts, const val& names) {
  const val u8 = val::global("Uint8Array");
  std::vector<std::string> bytes, files;
  if (parts.instanceof(u8)) {
    bytes.push_back(parts.as<std::string>());
  } else if (val::global("Array").call<bool>("isArray", parts)) {
    const auto n = parts["length"].as<unsigned>();
    for (unsigned i = 0; i < n; ++i) {
      if (!parts[i].instanceof(u8))
        return fail(vram::make_error(vram::ErrorCode::InvalidValue, "parts", {vram::Msg::error_binding_gguf_part, {{"index", std::to_string(i)}}}));
      bytes.push_back(parts[i].as<std::string>());
    }
  } else {
    return fail(vram::make_error(vram::ErrorCode::InvalidValue, "parts", vram::Msg::error_binding_gguf_parts));
  }
  if (val::global("Array").call<bool>("isArray", names)) {
    const auto n = names["length"].as<unsigned>();
    for (unsigned i = 0; i < n; ++i) files.push_back(names[i].isString() ? names[i].as<std::string>() : std::string("gguf"));
  }
  return res(session().gguf(bytes, files));
}

}  // namespace

EMSCRIPTEN_BINDINGS(vramcalc) {
  emscripten::function("setMessages", &set_messages);
  emscripten::function("version", &version);
  emscripten::function("catalogModels", &catalog_models);
  emscripten::function("catalogConfig", &catalog_config);
  emscripten::function("gpus", &gpus);
  emscripten::function("options", &options);
  emscripten::function("params", &params);
  emscripten::function("inference", &inference);
  emscripten::function("train", &train);
  emscripten::function("fit", &fit);
  emscripten::function("advise", &advise);
  emscripten::function("sweep", &sweep);
  emscripten::function("hfTable", &hf_table);
  emscripten::function("safetensors", &safetensors);
  emscripten::function("gguf", &gguf);
  emscripten::function("decodeUrlState", &decode_url_state);
  emscripten::function("manualConfig", &manual_config);
}

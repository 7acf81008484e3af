#include "js_value.hpp"

#include "vram/base/message.hpp"

namespace vramjs {

using emscripten::val;

val to_js(const vram::Value& v) {
  switch (v.kind()) {
    case vram::Value::Kind::Null: return val::null();
    case vram::Value::Kind::Bool: return val(v.boolean());
    case vram::Value::Kind::UInt: return val(static_cast<double>(v.uint()));
    case vram::Value::Kind::Int: return val(static_cast<double>(v.sint()));
    case vram::Value::Kind::Number: return val(v.number());
    case vram::Value::Kind::String: return val(v.string());
    case vram::Value::Kind::Array: {
      val a = val::array();
      for (const auto& x : v.items()) a.call<void>("push", to_js(x));
      return a;
    }
    case vram::Value::Kind::Object: {
      val o = val::object();
      for (const auto& [k, x] : v.fields()) o.set(vram::spell_option(k, vram::Spelling::Js), to_js(x));
      return o;
    }
  }
  return val::undefined();
}

val result(const vram::Session& s, const vram::Result<vram::Value>& r) {
  val out = val::object();
  out.set("ok", r.ok());
  if (r.ok()) out.set("value", to_js(r.value()));
  else out.set("error", to_js(s.error(r.error())));
  return out;
}

}  // namespace vramjs

// An engine Value (vram/view/value.hpp) as a plain JS value: objects with camelCase keys, byte and
// parameter counts as Numbers (exact below 2^53). The one conversion every binding uses.
#pragma once

#include <emscripten/val.h>

#include "vram/base/result.hpp"
#include "vram/view/api.hpp"
#include "vram/view/value.hpp"

namespace vramjs {

[[nodiscard]] emscripten::val to_js(const vram::Value& v);
// {ok: true, value} or {ok: false, error: {code, field, message}}.
[[nodiscard]] emscripten::val result(const vram::Session& s, const vram::Result<vram::Value>& r);

}  // namespace vramjs

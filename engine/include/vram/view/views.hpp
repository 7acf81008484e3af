// The field lists: each engine result as a Value (view/value.hpp), its messages rendered with a
// catalog in a front end's spelling. One function per result type, used by the CLI (--json) and the
// bindings alike.
#pragma once

#include <string_view>

#include "vram/base/message.hpp"
#include "vram/base/result.hpp"
#include "vram/estimate/advise.hpp"
#include "vram/estimate/fit.hpp"
#include "vram/estimate/report.hpp"
#include "vram/estimate/solve.hpp"
#include "vram/link/url_state.hpp"
#include "vram/model/catalog.hpp"
#include "vram/model/gguf.hpp"
#include "vram/model/hf_table.hpp"
#include "vram/model/model.hpp"
#include "vram/model/safetensors.hpp"
#include "vram/view/value.hpp"
#include "vram/workload/gpus.hpp"

namespace vram {

// How a view renders messages: the catalog of a language and the front end's spelling of options.
struct ViewStyle {
  const Catalog& catalog;
  Spelling spelling = Spelling::Engine;
  [[nodiscard]] std::string text(const Message& m) const { return render(m, catalog, spelling); }
};

[[nodiscard]] Value view_error(const Error& e, const ViewStyle& s);
// The inventory and the HF calculator view; `tensors` adds every tensor group.
[[nodiscard]] Value view_params(const Model& m, const ViewStyle& s, bool tensors);
[[nodiscard]] Value view_report(const Report& r, const ViewStyle& s);
[[nodiscard]] Value view_fit(const Fit& f, const Solves& solves, const Gpu& gpu);
[[nodiscard]] Value view_sweep(const Sweep& sweep);
// The advisor's answer: the workload's total and fit, the ranked changes (options spelled for the
// front end, so a page applies one as knob values), the greedy combination, warnings, the card's
// capabilities and the weight formats' quality order.
[[nodiscard]] Value view_advisory(const Advisory& a, const Gpu& gpu, const ViewStyle& s);
[[nodiscard]] Value view_what_runs(const std::vector<RunsRow>& rows, const Gpu& gpu, std::string_view task, const ViewStyle& s);
[[nodiscard]] Value view_hf_table(const Model& m);
[[nodiscard]] Value view_safetensors(const StoredTensors& st, const Model& m, const ViewStyle& s);
// A GGUF file: its architecture, dimensions, tensor types and exact bytes by placement, and the
// config (with the exact bytes under "gguf") every estimate reads it from.
[[nodiscard]] Value view_gguf(const GgufModel& g, const std::string& config);
[[nodiscard]] Value view_url_state(const UrlState& u, const ViewStyle& s);
[[nodiscard]] Value view_gpu(const Gpu& g);
[[nodiscard]] Value view_gpu_caps(const GpuCaps& c);
[[nodiscard]] Value view_gpus();
[[nodiscard]] Value view_catalog_models();
// The option table for the page: every option of both estimates (id, type, range, step, choices,
// default, label, help, shown-when, link), the tabs (estimate, defaults, knobs), the default GPU
// and the size limits of inputs the page checks before handing them over.
[[nodiscard]] Value view_options(const ViewStyle& s);

}  // namespace vram

// Fuzz target: GGUF headers (read_gguf_header → gguf_model → gguf_config_json → load_model → a
// llama.cpp estimate). Checked: errors are named; a prefix asks for more bytes than it has, within
// the header limit; a header read whole says no more, its byte counts agree (Σ per type = Σ by
// placement = Σ tensors), and every prefix of it asks for more; the config it writes parses or is a
// named error; the estimate's invariants (fuzz_checks.hpp).
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_checks.hpp"
#include "vram/estimate/estimate.hpp"
#include "vram/model/gguf.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vram;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto r = read_gguf_header(bytes, "fuzz.gguf", size & 1 ? size : 0);
  fuzz::check_if_error(r);
  if (!r) return 0;
  if (r.value().need_bytes) {
    VRAM_FUZZ_CHECK(r.value().need_bytes > size);
    VRAM_FUZZ_CHECK(r.value().need_bytes <= GgufLimits::kMaxHeaderBytes);
    return 0;
  }
  const GgufHeader& h = r.value().header;
  VRAM_FUZZ_CHECK(h.header_bytes <= size);
  VRAM_FUZZ_CHECK(h.data_offset >= h.header_bytes && h.data_offset % h.alignment == 0);
  std::uint64_t tensor_bytes = 0;
  for (const auto& t : h.tensors) {
    VRAM_FUZZ_CHECK(t.n_dims <= 4 && t.name.size() <= GgufLimits::kMaxTensorNameBytes);
    VRAM_FUZZ_CHECK(t.offset % h.alignment == 0);
    tensor_bytes = fuzz::add(tensor_bytes, t.bytes);
  }
  // A prefix of a complete header is never complete (a few cut points: the property, not a sweep).
  for (std::uint64_t cut : {h.header_bytes / 2, h.header_bytes - (h.header_bytes > 0 ? 1 : 0)}) {
    if (cut >= h.header_bytes) continue;
    auto p = read_gguf_header(bytes.substr(0, cut), "fuzz.gguf");
    VRAM_FUZZ_CHECK(p.ok() && p.value().need_bytes > cut && p.value().need_bytes <= h.header_bytes);
  }
  auto g = gguf_model({h}, {"fuzz.gguf"});
  fuzz::check_if_error(g);
  if (!g) return 0;
  const GgufModel& m = g.value();
  VRAM_FUZZ_CHECK(m.bytes == tensor_bytes);
  std::uint64_t by_type = 0, placed = fuzz::add(fuzz::add(m.input_bytes, m.output_bytes), m.extra_layer_bytes);
  for (const auto& t : m.by_type) by_type = fuzz::add(by_type, t.bytes);
  for (auto b : m.layer_bytes) placed = fuzz::add(placed, b);
  VRAM_FUZZ_CHECK(by_type == m.bytes && placed == m.bytes);
  VRAM_FUZZ_CHECK(m.layer_bytes.size() == m.n_layer && m.n_head_kv.size() == m.n_layer);
  auto model = load_model(gguf_config_json(m));
  fuzz::check_if_error(model);
  if (!model) return 0;
  InferenceOptions o;
  o.runtime = Runtime::LlamaCpp;
  o.context = 1 + size % 8192;
  o.gpu_layers = static_cast<std::int64_t>(size % (m.n_layer + 3)) - 1;
  auto est = estimate_inference(model.value(), o);
  fuzz::check_if_error(est);
  if (est) fuzz::check_report(est.value());
  return 0;
}

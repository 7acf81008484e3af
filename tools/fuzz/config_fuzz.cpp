// Fuzz target: config.json text → ModelDescription → parameter inventory (parse_config, build_inventory,
// load_model), then one small inference and training estimate so the parsed spec is used the way
// the page uses a pasted config. Checked: errors name a field and say what is wrong, the inventory
// sums without wrapping, the reports keep their invariants (fuzz_checks.hpp).
#include <string_view>

#include "fuzz_checks.hpp"
#include "vram/estimate/estimate.hpp"
#include "vram/model/inventory.hpp"
#include "vram/model/model.hpp"
#include "vram/model/description.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vram;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // load_model is parse_config then build_inventory: each stage's errors come back unchanged.
  auto model = load_model(text);
  fuzz::check_if_error(model);
  if (!model) return 0;
  const Inventory& in = model.value().inventory;
  VRAM_FUZZ_CHECK(in.total_params < fuzz::kWrapped);
  VRAM_FUZZ_CHECK(in.active_params <= in.total_params + in.mtp_params);
  for (const auto& c : in.summary()) VRAM_FUZZ_CHECK(c.params < fuzz::kWrapped);

  InferenceOptions io;
  io.context = 512;
  auto r = estimate_inference(model.value(), io);
  fuzz::check_if_error(r);
  if (r) fuzz::check_report(r.value());
  TrainOptions to;
  to.seq = 256;
  auto t = estimate_training(model.value(), to);
  fuzz::check_if_error(t);
  if (t) fuzz::check_report(t.value());
  return 0;
}

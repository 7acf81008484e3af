// Fuzz target: the shared-link decoder (decode_url_state) on arbitrary fragments. Checked: only an
// oversized fragment fails as a whole; every dropped parameter is a named error; what survives is
// within its documented limits (GPU count, pasted config size, known tabs).
#include <string_view>

#include "fuzz_checks.hpp"
#include "vram/link/url_state.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vram;
  const std::string_view fragment(reinterpret_cast<const char*>(data), size);
  auto r = decode_url_state(fragment);
  fuzz::check_if_error(r);
  if (!r) {
    VRAM_FUZZ_CHECK(size > kMaxUrlStateBytes);
    return 0;
  }
  const UrlState& s = r.value();
  for (const auto& e : s.ignored) fuzz::check_error(e);
  VRAM_FUZZ_CHECK(s.gpus <= kMaxUrlGpus);
  VRAM_FUZZ_CHECK(s.config.size() <= kMaxUrlConfigBytes);
  auto is_tab = [](std::string_view t) { return t == "inference" || t == "serving" || t == "finetune" || t == "training"; };
  VRAM_FUZZ_CHECK(s.tab.empty() || is_tab(s.tab));
  for (const auto& k : s.knobs) {
    VRAM_FUZZ_CHECK(is_tab(k.tab));
    VRAM_FUZZ_CHECK(!k.key.empty());
  }
  return 0;
}

// Fuzz target: safetensors headers (read_safetensors_headers). The input is split into up to four
// header texts at 0xFF bytes (never valid inside JSON text), read against a small Llama-style spec
// whose quantisation bits and layer count come from the first bytes. Checked: named errors, per-dtype
// sums equal the totals, no wrapped (negative) counts.
#include <string>
#include <vector>

#include "fuzz_checks.hpp"
#include "vram/model/safetensors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vram;
  if (size < 2) return 0;
  ModelDescription spec;
  spec.model_type = "llama";
  spec.num_layers = data[0] % 8;
  spec.hidden_size = 64;
  static const QuantMethod kMethods[] = {QuantMethod::None, QuantMethod::Gptq, QuantMethod::Awq, QuantMethod::BnbNf4,
                                         QuantMethod::BnbInt8, QuantMethod::Fp8, QuantMethod::Mxfp4, QuantMethod::Compressed};
  spec.quant.method = kMethods[data[1] % 8];
  spec.quant.bits = static_cast<std::uint32_t>(data[1] >> 3);  // 0…31, zero included
  data += 2;
  size -= 2;

  std::vector<std::string> headers(1);
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0xFF && headers.size() < 4) {
      headers.emplace_back();
    } else {
      headers.back().push_back(static_cast<char>(data[i]));
    }
  }
  auto r = read_safetensors_headers(headers, spec);
  fuzz::check_if_error(r);
  if (!r) return 0;
  const StoredTensors& s = r.value();
  VRAM_FUZZ_CHECK(s.files == headers.size());
  std::uint64_t tensors = 0, bytes = 0;
  for (const auto& d : s.by_dtype) {
    VRAM_FUZZ_CHECK(!d.dtype.empty());
    tensors = fuzz::add(tensors, d.tensors);
    bytes = fuzz::add(bytes, d.bytes);
  }
  VRAM_FUZZ_CHECK(tensors == s.tensors);
  VRAM_FUZZ_CHECK(bytes == s.bytes);
  VRAM_FUZZ_CHECK(s.quant_metadata_bytes <= s.bytes);
  VRAM_FUZZ_CHECK(s.mtp_bytes <= s.bytes);
  VRAM_FUZZ_CHECK(s.logical_params < fuzz::kWrapped);
  return 0;
}

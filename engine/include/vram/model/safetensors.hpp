// Exact stored bytes from safetensors headers (the JSON at the start of each .safetensors file,
// which the browser reads with an HTTP Range request): per dtype, per tensor kind, and the logical
// parameter count with packed quantised tensors unpacked.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vram/model/description.hpp"

namespace vram {

struct StoredDtype {
  std::string dtype;        // safetensors name: "BF16", "F32", "I32", "U8", "F8_E4M3" …
  std::uint64_t tensors = 0;
  std::uint64_t elements = 0;
  std::uint64_t bytes = 0;
};

struct StoredTensors {
  std::uint64_t files = 0;
  std::uint64_t tensors = 0;
  std::uint64_t bytes = 0;            // Σ data_offsets spans: exactly what is on disk and loaded
  std::uint64_t logical_params = 0;   // elements, with GPTQ/AWQ int32-packed weights unpacked
  std::uint64_t quant_metadata_bytes = 0;  // scales, zeros, absmax, SCB, g_idx … (by tensor name)
  std::uint64_t mtp_bytes = 0;        // tensors of multi-token-prediction layers (model.layers.<L>)
  std::vector<StoredDtype> by_dtype;
  std::vector<Message> notes;
};

// Each element of `headers` is one file's header JSON text. `spec` supplies the quantisation bits
// (to unpack int32-packed weights) and num_layers (to recognise MTP layers); errors name the file.
[[nodiscard]] Result<StoredTensors> read_safetensors_headers(const std::vector<std::string>& headers, const ModelDescription& spec);

}  // namespace vram

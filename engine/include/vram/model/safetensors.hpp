// Exact stored bytes from safetensors headers (the JSON at the start of each .safetensors file,
// which the browser reads with an HTTP Range request): per dtype, per tensor kind, and the logical
// parameter count with packed quantised tensors unpacked.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vram/model/description.hpp"
#include "vram/model/model.hpp"

namespace vram {

// What a header set may hold in all. The largest published checkpoints stay far below: DeepSeek-V3
// (163 shards, ~92,000 tensors with its FP8 scales) has under 10 MB of headers, Kimi-K2 (1 T
// parameters, 61 layers × 384 experts × 3 weights + scales, ~140,000 tensors) about 15 MB. One
// header is at most 32 MiB (base/json_reader.hpp kMaxSafetensorsHeaderBytes).
inline constexpr std::size_t kMaxSafetensorsHeaders = 4096;
inline constexpr std::uint64_t kMaxSafetensorsTotalBytes = std::uint64_t{64} << 20;
inline constexpr std::uint64_t kMaxSafetensorsTensors = std::uint64_t{1} << 19;

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
  bool complete = true;               // the headers hold every parameter the config builds
};

// Each element of `headers` is one file's header JSON text. `spec` supplies the quantisation bits
// (to unpack int32-packed weights) and num_layers (to recognise MTP layers); errors name the file.
// Budgets: at most 4096 headers, 64 MiB of header text and 524,288 tensors in all; each header is
// parsed against the format's shape (an object of tensor entries, 3 levels, arrays of ≤ 64 entries).
[[nodiscard]] Result<StoredTensors> read_safetensors_headers(const std::vector<std::string>& headers, const ModelDescription& spec);
// The same, checked against the model the config builds: headers holding more than 1 % fewer
// parameters than the inventory are an error ("headers"); a smaller shortfall, or one where the
// count cannot be exact, is a note and `complete` is false.
[[nodiscard]] Result<StoredTensors> read_safetensors_headers(const std::vector<std::string>& headers, const Model& model);

}  // namespace vram

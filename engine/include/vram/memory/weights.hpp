// Weight storage: bytes of every parameter group in a given format (dense dtype, bitsandbytes,
// GPTQ/AWQ, FP8, MXFP4, GGUF), with the quantisation metadata separated and explained.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vram/base/formula.hpp"
#include "vram/model/model.hpp"
#include "vram/workload/workload.hpp"

namespace vram {

struct WeightBytes {
  WeightFormat format;                 // resolved (never Auto)
  DType compute_dtype = DType::BF16;   // dtype activations run in for this format
  DType dense_dtype = DType::BF16;     // dtype of the parts kept unquantised (embeddings, norms, lm_head …)
  std::uint64_t weights = 0;           // tensor payload bytes (quantised parts + kept dense parts)
  std::uint64_t quant_metadata = 0;    // scales, zero points, absmax, SCB, … (0 for dense)
  std::uint64_t quantized_params = 0;  // parameters stored quantised
  std::uint64_t dense_params = 0;      // parameters kept in a dense dtype (embeddings, norms, …)
  Q weights_formula;                   // = weights: Σ params × bytes per parameter, per storage kind
  Q metadata_formula;                  // = quant_metadata: Σ elements × bytes, per metadata tensor
  Message source;                      // convention followed ("bitsandbytes Linear8bitLt", …)
  bool approximate = false;
  std::vector<Message> notes;

  [[nodiscard]] std::uint64_t total() const { return weights + quant_metadata; }
};

// Weight bytes split by where they sit, for partial offload (llama.cpp -ngl, device_map) and
// pipeline/ZeRO-3 sharding. sum(layer_bytes) + input_bytes + output_bytes == weights + quant_metadata.
struct WeightLayout {
  std::vector<std::uint64_t> layer_bytes;  // per decoder layer (weights + metadata)
  std::uint64_t input_bytes = 0;           // embeddings and everything before the first layer (encoders, vision tower)
  std::uint64_t output_bytes = 0;          // final norm, lm_head, task heads
  std::uint64_t largest_layer_bytes = 0;
};

// Resolves "auto" to the checkpoint's own format (quantization_config, else torch_dtype).
[[nodiscard]] WeightFormat resolve_weight_format(const Model& model, const WeightFormat& requested);

[[nodiscard]] Result<WeightBytes> weight_bytes(const Model& model, const WeightFormat& format);
[[nodiscard]] Result<WeightLayout> weight_layout(const Model& model, const WeightFormat& format);

// Both at once, without copies: shared with the model's memo (valid as long as the handle lives).
struct Weights {
  WeightBytes bytes;
  WeightLayout layout;
};
[[nodiscard]] Result<std::shared_ptr<const Weights>> weights_of(const Model& model, const WeightFormat& format);


}  // namespace vram

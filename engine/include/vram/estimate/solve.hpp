// Inverse solves and sweeps over the estimate itself: the largest context or batch that fits, the
// fewest GPUs, the best weight format, and memory against context or sequence length.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vram/estimate/estimate.hpp"
#include "vram/estimate/fit.hpp"

namespace vram {

// Inverse solves over the engine itself (bisection on the real estimate, no separate formula).
struct Solves {
  std::uint64_t max_context = 0;   // inference: largest context for the batch (0 = none fits)
  std::uint64_t max_batch = 0;     // inference: largest batch for the context; training: micro-batch
  std::uint64_t max_seq = 0;       // training: largest sequence length for the micro-batch
  std::uint32_t min_gpus = 0;      // fewest GPUs of this kind (tensor parallel for inference,
                                   // data parallel with the chosen sharding for training; 0 = none ≤ 64)
  std::string best_weights;        // inference: best weight format that fits (empty = none)
  // llama.cpp: the largest -ngl that fits (n_layer + 1 = every layer and the output layer; 0 = not
  // one layer); -1 when the estimate is not llama.cpp's.
  std::int64_t max_gpu_layers = -1;
};
[[nodiscard]] Result<Solves> solve_inference(const Model& model, const InferenceOptions& options, const Gpu& gpu,
                                             std::uint32_t gpu_count);
[[nodiscard]] Result<Solves> solve_training(const Model& model, const TrainOptions& options, const Gpu& gpu,
                                            std::uint32_t gpu_count);

// Memory vs context (inference) or vs sequence length (training) at `points` evenly spaced values.
struct Sweep {
  std::vector<std::uint64_t> x;
  std::vector<std::uint64_t> total_bytes;
};
[[nodiscard]] Result<Sweep> sweep_context(const Model& model, const InferenceOptions& options, std::uint64_t from,
                                          std::uint64_t to, std::uint32_t points);
[[nodiscard]] Result<Sweep> sweep_seq(const Model& model, const TrainOptions& options, std::uint64_t from,
                                      std::uint64_t to, std::uint32_t points);
[[nodiscard]] Result<Sweep> sweep_batch(const Model& model, const InferenceOptions& options, std::uint64_t from,
                                        std::uint64_t to, std::uint32_t points);

}  // namespace vram

// The two entry points of the memory model. Each returns an itemised, explained Report.
#pragma once

#include "vram/model/model.hpp"
#include "vram/estimate/report.hpp"
#include "vram/workload/workload.hpp"

namespace vram {

// Inference and serving: weights, quantisation metadata, KV cache, prefill activations, logits,
// runtime overhead; vLLM pool capacity and llama.cpp buffers per runtime profile.
[[nodiscard]] Result<Report> estimate_inference(const Model& model, const InferenceOptions& options);

// Training and fine-tuning: weights, master copy, gradients, optimizer states, activations,
// logits, LoRA adapters; sharded per GPU by ZeRO/FSDP/TP/PP; offloaded parts in CPU RAM.
[[nodiscard]] Result<Report> estimate_training(const Model& model, const TrainOptions& options);

}  // namespace vram

// What every runtime profile of the inference estimate shares: the resolved options, the weights
// and their layout, the KV element and width, the layers this GPU holds and its share of the
// weights. inference.cpp builds it; one file per runtime (runtime_<name>.cpp) adds that runtime's
// items — its cache sizing, buffers and overheads.
#pragma once

#include <cstdint>
#include <memory>

#include "vram/estimate/report.hpp"
#include "vram/memory/kv_cache.hpp"
#include "vram/memory/runtime.hpp"
#include "vram/memory/weights.hpp"
#include "vram/model/model.hpp"
#include "vram/workload/workload.hpp"

namespace vram::detail {

struct InferenceContext {
  const Model& model;
  const ModelDescription& spec;
  InferenceOptions o;                     // with gpu_memory_bytes resolved from the chosen GPU
  const WeightBytes& wb;                  // the weights (or the checkpoint's exact stored bytes)
  const WeightLayout& layout;
  KvElement kv_elem;
  KvWidth width{};
  KvRequest kreq{};
  DType compute = DType::BF16;
  std::uint64_t prompt = 0;               // tokens of the prefill pass
  std::uint64_t layers = 0;
  bool encoder_only = false;
  std::uint64_t first_layer = 0, last_layer = 0;  // the layers on the reported GPU
  bool output_on_gpu = true;
  bool exact_layout = false;              // the weights are a GGUF file's exact bytes per layer (spec.stored)
  std::uint64_t duplicated_on_gpu = 0;    // a tied GGUF's token_embd loaded again as the GPU's output tensor
  Q weights{}, metadata{};                   // this GPU's share
  KvCacheBytes kv{};                       // the cache of the layers on this GPU
  Q kv_per_seq{};                          // … for one sequence
  ForwardShape prefill{};                  // the prefill forward on one GPU
};

// The layers and output layer llama.cpp puts on the GPU for -ngl (runtime_llama_cpp.cpp).
void llama_cpp_placement(InferenceContext& c, std::uint64_t& stage_weights);

void transformers_items(const InferenceContext& c, ReportBuilder& b);
void vllm_items(const InferenceContext& c, ReportBuilder& b);
void llama_cpp_items(const InferenceContext& c, ReportBuilder& b);

}  // namespace vram::detail

// Workload options from key → string pairs, validated once for every front end. The CLI looks keys
// up as --kebab-case flags, the bindings as camelCase properties, permalinks as query parameters;
// all of them name the offending key in their own spelling through `name_of`.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vram/workload/workload.hpp"

namespace vram {

using OptionLookup = std::function<std::optional<std::string>(std::string_view key)>;
using OptionName = std::function<std::string(std::string_view key)>;

// Keys (snake_case): dtype, kv_dtype, batch, context, prompt, runtime, attn, gpu_util, gpu_memory_bytes,
// cuda_graphs, max_batched_tokens, ngl, ubatch, n_batch, overhead_mib, tp, pp.
[[nodiscard]] Result<InferenceOptions> inference_options(const OptionLookup& get, const OptionName& name_of);

// Keys: method, optimizer, precision, state_bytes, batch, seq, grad_accum, checkpointing, attn, dropout,
// lora_rank, lora_targets, dora, adapter_dtype, dtype (frozen base for LoRA), gpus, zero, fsdp,
// offload_optimizer, offload_params, tp, pp, sp, overhead_mib.
[[nodiscard]] Result<TrainOptions> train_options(const OptionLookup& get, const OptionName& name_of);

// One option's value on its own, as a link or a widget attribute carries it: its type and range only
// (rules between options, such as prompt ≤ context, are the estimate's). Returns the value as read,
// a boolean spelled "true" / "false"; an unknown key is an UnknownName error.
[[nodiscard]] Result<std::string> check_inference_option(std::string_view key, std::string_view value, const OptionName& name_of);
[[nodiscard]] Result<std::string> check_train_option(std::string_view key, std::string_view value, const OptionName& name_of);

[[nodiscard]] const std::vector<std::string>& inference_option_keys();
[[nodiscard]] const std::vector<std::string>& train_option_keys();

}  // namespace vram

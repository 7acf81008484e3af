#include "vram/workload/option_table.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <type_traits>

#include "vram/base/format.hpp"
#include "vram/workload/gpus.hpp"

namespace vram {
namespace {

constexpr double kMaxTokens = 16777216;    // 2^24 tokens per sequence
constexpr double kMaxBatch = 1048576;      // 2^20 sequences / micro-batch
constexpr double kMaxGpus = 65536;
constexpr double kMaxParallel = 1024;      // TP / PP degree
constexpr double kMaxBytes = 1125899906842624;  // 2^50

using IO = InferenceOptions;
using TO = TrainOptions;

OptionValue uv(std::uint64_t v) {
  OptionValue x;
  x.u = v;
  x.text = std::to_string(v);
  return x;
}
OptionValue iv(std::int64_t v) {
  OptionValue x;
  x.i = v;
  x.text = std::to_string(v);
  return x;
}
OptionValue dv(double v) {
  OptionValue x;
  x.d = v;
  x.text = format_number(v);
  return x;
}
OptionValue bv(bool v) {
  OptionValue x;
  x.b = v;
  x.text = v ? "true" : "false";
  return x;
}
OptionValue tv(std::string_view v) {
  OptionValue x;
  x.text = std::string(v);
  return x;
}

std::vector<std::string> ids_of(std::string_view name) { return option_ids(name); }
std::vector<std::string> gpu_ids() {
  std::vector<std::string> out{""};
  for (const auto& g : gpus()) out.emplace_back(g.id);
  return out;
}
std::vector<std::string> adapter_dtypes() { return {"fp32", "bf16", "fp16"}; }
std::vector<std::string> lora_target_presets() { return {"q_proj,v_proj", "attention", "all-linear"}; }

// The MiB knob of the overhead override (-1 = the runtime profile's default).
std::int64_t overhead_mib(std::int64_t bytes) { return bytes < 0 ? -1 : bytes / 1048576; }
std::int64_t overhead_bytes(std::int64_t mib) { return mib < 0 ? -1 : mib * 1048576; }

Error rule_error(Msg m, std::string_view field, std::vector<Arg> args) {
  args.insert(args.begin(), Arg("field", OptionRef{field}));
  return make_error(ErrorCode::InvalidValue, std::string(field), {m, std::move(args)});
}

}  // namespace

const std::vector<OptionDef<InferenceOptions>>& inference_option_table() {
  static const std::vector<OptionDef<IO>> t{
      {.id = "dtype", .type = ValueType::WeightFormat, .choices = weight_format_ids, .label = Msg::option_dtype_label,
       .help = Msg::option_dtype_help, .set = [](IO& o, const OptionValue& v) { o.weights = parse_weight_format(v.text).value(); },
       .get = [](const IO& o) { return tv(o.weights.kind == WeightKind::Auto ? "auto" : o.weights.id); }},
      {.id = "kv_dtype", .type = ValueType::Choice, .choices = [] { return ids_of("kv_dtype"); }, .label = Msg::option_kv_dtype_label,
       .help = Msg::option_kv_dtype_help, .set = [](IO& o, const OptionValue& v) { o.kv = parse_kv_kind(v.text).value(); },
       .get = [](const IO& o) { return tv(kv_kind_id(o.kv)); }},
      {.id = "batch", .type = ValueType::UInt, .min = 1, .max = kMaxBatch, .label = Msg::option_batch_label, .help = Msg::option_batch_help,
       .set = [](IO& o, const OptionValue& v) { o.batch = v.u; }, .get = [](const IO& o) { return uv(o.batch); }},
      {.id = "context", .type = ValueType::UInt, .min = 1, .max = kMaxTokens, .label = Msg::option_context_label,
       .help = Msg::option_context_help, .set = [](IO& o, const OptionValue& v) { o.context = v.u; },
       .get = [](const IO& o) { return uv(o.context); }},
      {.id = "prompt", .type = ValueType::UInt, .min = 0, .max = kMaxTokens, .label = Msg::option_prompt_label,
       .help = Msg::option_prompt_help, .set = [](IO& o, const OptionValue& v) { o.prompt = v.u; },
       .get = [](const IO& o) { return uv(o.prompt); }},
      {.id = "runtime", .type = ValueType::Choice, .choices = [] { return ids_of("runtime"); }, .label = Msg::option_runtime_label,
       .help = Msg::option_runtime_help, .set = [](IO& o, const OptionValue& v) { o.runtime = parse_runtime(v.text, "runtime").value(); },
       .get = [](const IO& o) { return tv(to_id(o.runtime)); }},
      {.id = "attn", .type = ValueType::Choice, .choices = [] { return ids_of("attention"); }, .label = Msg::option_attn_label,
       .help = Msg::option_attn_help, .set = [](IO& o, const OptionValue& v) { o.attn = parse_attention(v.text, "attn").value(); },
       .get = [](const IO& o) { return tv(to_id(o.attn)); }},
      {.id = "gpu", .type = ValueType::Choice, .choices = gpu_ids, .label = Msg::option_gpu_label, .help = Msg::option_gpu_help,
       .set = [](IO& o, const OptionValue& v) { o.gpu = v.text; }, .get = [](const IO& o) { return tv(o.gpu); }},
      {.id = "gpu_util", .type = ValueType::Number, .min = 0.01, .max = 1, .step = 0.01, .label = Msg::option_gpu_util_label,
       .help = Msg::option_gpu_util_help, .set = [](IO& o, const OptionValue& v) { o.gpu_memory_utilization = v.d; },
       .get = [](const IO& o) { return dv(o.gpu_memory_utilization); }, .shown_when_option = "runtime", .shown_when_value = "vllm"},
      {.id = "gpu_memory_bytes", .type = ValueType::UInt, .min = 0, .max = kMaxBytes, .label = Msg::option_gpu_memory_bytes_label,
       .help = Msg::option_gpu_memory_bytes_help, .set = [](IO& o, const OptionValue& v) { o.gpu_memory_bytes = v.u; },
       .get = [](const IO& o) { return uv(o.gpu_memory_bytes); }},
      {.id = "cuda_graphs", .type = ValueType::Bool, .label = Msg::option_cuda_graphs_label, .help = Msg::option_cuda_graphs_help,
       .set = [](IO& o, const OptionValue& v) { o.cuda_graphs = v.b; }, .get = [](const IO& o) { return bv(o.cuda_graphs); },
       .shown_when_option = "runtime", .shown_when_value = "vllm"},
      {.id = "max_batched_tokens", .type = ValueType::UInt, .min = 0, .max = kMaxTokens, .label = Msg::option_max_batched_tokens_label,
       .help = Msg::option_max_batched_tokens_help, .set = [](IO& o, const OptionValue& v) { o.max_num_batched_tokens = v.u; },
       .get = [](const IO& o) { return uv(o.max_num_batched_tokens); }, .shown_when_option = "runtime", .shown_when_value = "vllm"},
      {.id = "ngl", .type = ValueType::Int, .min = -1, .max = 100000, .label = Msg::option_ngl_label, .help = Msg::option_ngl_help,
       .set = [](IO& o, const OptionValue& v) { o.gpu_layers = v.i; }, .get = [](const IO& o) { return iv(o.gpu_layers); },
       .shown_when_option = "runtime", .shown_when_value = "llama.cpp"},
      {.id = "ubatch", .type = ValueType::UInt, .min = 1, .max = kMaxTokens, .label = Msg::option_ubatch_label, .help = Msg::option_ubatch_help,
       .set = [](IO& o, const OptionValue& v) { o.ubatch = v.u; }, .get = [](const IO& o) { return uv(o.ubatch); },
       .shown_when_option = "runtime", .shown_when_value = "llama.cpp"},
      {.id = "n_batch", .type = ValueType::UInt, .min = 1, .max = kMaxTokens, .label = Msg::option_n_batch_label, .help = Msg::option_n_batch_help,
       .set = [](IO& o, const OptionValue& v) { o.n_batch = v.u; }, .get = [](const IO& o) { return uv(o.n_batch); },
       .shown_when_option = "runtime", .shown_when_value = "llama.cpp"},
      {.id = "overhead_mib", .type = ValueType::Int, .min = -1, .max = 1048576, .label = Msg::option_overhead_mib_label,
       .help = Msg::option_overhead_mib_help, .set = [](IO& o, const OptionValue& v) { o.overhead_bytes = overhead_bytes(v.i); },
       .get = [](const IO& o) { return iv(overhead_mib(o.overhead_bytes)); }},
      {.id = "tp", .type = ValueType::UInt, .min = 1, .max = kMaxParallel, .label = Msg::option_tp_label, .help = Msg::option_tp_help,
       .set = [](IO& o, const OptionValue& v) { o.tensor_parallel = static_cast<std::uint32_t>(v.u); },
       .get = [](const IO& o) { return uv(o.tensor_parallel); }},
      {.id = "pp", .type = ValueType::UInt, .min = 1, .max = kMaxParallel, .label = Msg::option_pp_label, .help = Msg::option_pp_help,
       .set = [](IO& o, const OptionValue& v) { o.pipeline_parallel = static_cast<std::uint32_t>(v.u); },
       .get = [](const IO& o) { return uv(o.pipeline_parallel); }},
      // Exact stored bytes the page reads from a Hub repo's safetensors headers: never from a link.
      {.id = "stored_weight_bytes", .type = ValueType::UInt, .min = 0, .max = kMaxBytes, .label = Msg::option_stored_weight_bytes_label,
       .help = Msg::option_stored_weight_bytes_help, .set = [](IO& o, const OptionValue& v) { o.stored_weight_bytes = v.u; },
       .get = [](const IO& o) { return uv(o.stored_weight_bytes); }, .link = false},
      {.id = "stored_quant_metadata_bytes", .type = ValueType::UInt, .min = 0, .max = kMaxBytes,
       .label = Msg::option_stored_quant_metadata_bytes_label, .help = Msg::option_stored_quant_metadata_bytes_help,
       .set = [](IO& o, const OptionValue& v) { o.stored_quant_metadata_bytes = v.u; },
       .get = [](const IO& o) { return uv(o.stored_quant_metadata_bytes); }, .link = false},
  };
  return t;
}

const std::vector<OptionDef<TrainOptions>>& train_option_table() {
  static const std::vector<OptionDef<TO>> t{
      {.id = "method", .type = ValueType::Choice, .choices = [] { return ids_of("method"); }, .label = Msg::option_method_label,
       .help = Msg::option_method_help, .set = [](TO& o, const OptionValue& v) { o.method = parse_method(v.text, "method").value(); },
       .get = [](const TO& o) { return tv(to_id(o.method)); }},
      {.id = "optimizer", .type = ValueType::Choice, .choices = [] { return ids_of("optimizer"); }, .label = Msg::option_optimizer_label,
       .help = Msg::option_optimizer_help, .set = [](TO& o, const OptionValue& v) { o.optimizer = parse_optimizer(v.text, "optimizer").value(); },
       .get = [](const TO& o) { return tv(to_id(o.optimizer)); }},
      {.id = "precision", .type = ValueType::Choice, .choices = [] { return ids_of("precision"); }, .label = Msg::option_precision_label,
       .help = Msg::option_precision_help, .set = [](TO& o, const OptionValue& v) { o.precision = parse_precision(v.text, "precision").value(); },
       .get = [](const TO& o) { return tv(to_id(o.precision)); }},
      {.id = "state_bytes", .type = ValueType::Number, .min = -1, .max = 16, .step = 0.5, .label = Msg::option_state_bytes_label,
       .help = Msg::option_state_bytes_help, .set = [](TO& o, const OptionValue& v) { o.state_bytes_override = v.d; },
       .get = [](const TO& o) { return dv(o.state_bytes_override); }},
      {.id = "batch", .type = ValueType::UInt, .min = 1, .max = kMaxBatch, .label = Msg::option_micro_batch_label,
       .help = Msg::option_micro_batch_help, .set = [](TO& o, const OptionValue& v) { o.micro_batch = v.u; },
       .get = [](const TO& o) { return uv(o.micro_batch); }},
      {.id = "seq", .type = ValueType::UInt, .min = 1, .max = kMaxTokens, .label = Msg::option_seq_label, .help = Msg::option_seq_help,
       .set = [](TO& o, const OptionValue& v) { o.seq = v.u; }, .get = [](const TO& o) { return uv(o.seq); }},
      {.id = "grad_accum", .type = ValueType::UInt, .min = 1, .max = kMaxBatch, .label = Msg::option_grad_accum_label,
       .help = Msg::option_grad_accum_help, .set = [](TO& o, const OptionValue& v) { o.grad_accum = v.u; },
       .get = [](const TO& o) { return uv(o.grad_accum); }},
      {.id = "checkpointing", .type = ValueType::Choice, .choices = [] { return ids_of("checkpointing"); },
       .label = Msg::option_checkpointing_label, .help = Msg::option_checkpointing_help,
       .set = [](TO& o, const OptionValue& v) { o.checkpointing = parse_checkpointing(v.text, "checkpointing").value(); },
       .get = [](const TO& o) { return tv(to_id(o.checkpointing)); }},
      {.id = "attn", .type = ValueType::Choice, .choices = [] { return ids_of("attention"); }, .label = Msg::option_attn_label,
       .help = Msg::option_attn_help, .set = [](TO& o, const OptionValue& v) { o.attn = parse_attention(v.text, "attn").value(); },
       .get = [](const TO& o) { return tv(to_id(o.attn)); }},
      {.id = "dropout", .type = ValueType::Bool, .label = Msg::option_dropout_label, .help = Msg::option_dropout_help,
       .set = [](TO& o, const OptionValue& v) { o.dropout = v.b; }, .get = [](const TO& o) { return bv(o.dropout); }},
      {.id = "lora_rank", .type = ValueType::UInt, .min = 1, .max = 65536, .label = Msg::option_lora_rank_label,
       .help = Msg::option_lora_rank_help, .set = [](TO& o, const OptionValue& v) { o.lora_rank = v.u; },
       .get = [](const TO& o) { return uv(o.lora_rank); }},
      {.id = "lora_targets", .type = ValueType::Text, .choices = lora_target_presets, .label = Msg::option_lora_targets_label,
       .help = Msg::option_lora_targets_help, .set = [](TO& o, const OptionValue& v) { o.lora_targets = v.text; },
       .get = [](const TO& o) { return tv(o.lora_targets); }},
      {.id = "dora", .type = ValueType::Bool, .label = Msg::option_dora_label, .help = Msg::option_dora_help,
       .set = [](TO& o, const OptionValue& v) { o.dora = v.b; }, .get = [](const TO& o) { return bv(o.dora); }},
      {.id = "adapter_dtype", .type = ValueType::Choice, .choices = adapter_dtypes, .label = Msg::option_adapter_dtype_label,
       .help = Msg::option_adapter_dtype_help, .set = [](TO& o, const OptionValue& v) { o.adapter_dtype = *parse_dtype(v.text); },
       .get = [](const TO& o) { return tv(dtype_name(o.adapter_dtype)); }},
      {.id = "dtype", .type = ValueType::WeightFormat, .choices = weight_format_ids, .label = Msg::option_base_dtype_label,
       .help = Msg::option_base_dtype_help, .set = [](TO& o, const OptionValue& v) { o.base_weights = parse_weight_format(v.text).value(); },
       .get = [](const TO& o) { return tv(o.base_weights.kind == WeightKind::Auto ? "auto" : o.base_weights.id); }},
      {.id = "gpu", .type = ValueType::Choice, .choices = gpu_ids, .label = Msg::option_gpu_label, .help = Msg::option_gpu_help,
       .set = [](TO& o, const OptionValue& v) { o.gpu = v.text; }, .get = [](const TO& o) { return tv(o.gpu); }},
      {.id = "gpus", .type = ValueType::UInt, .min = 1, .max = kMaxGpus, .label = Msg::option_gpus_label, .help = Msg::option_gpus_help,
       .set = [](TO& o, const OptionValue& v) { o.gpus = static_cast<std::uint32_t>(v.u); },
       .get = [](const TO& o) { return uv(o.gpus); }},
      {.id = "zero", .type = ValueType::UInt, .min = 0, .max = 3, .label = Msg::option_zero_label, .help = Msg::option_zero_help,
       .set = [](TO& o, const OptionValue& v) { o.zero = static_cast<std::uint32_t>(v.u); }, .get = [](const TO& o) { return uv(o.zero); }},
      {.id = "fsdp", .type = ValueType::Choice, .choices = [] { return ids_of("fsdp"); }, .label = Msg::option_fsdp_label,
       .help = Msg::option_fsdp_help, .set = [](TO& o, const OptionValue& v) { o.fsdp = parse_fsdp(v.text, "fsdp").value(); },
       .get = [](const TO& o) { return tv(to_id(o.fsdp)); }},
      {.id = "offload_optimizer", .type = ValueType::Choice, .choices = [] { return ids_of("offload"); },
       .label = Msg::option_offload_optimizer_label, .help = Msg::option_offload_optimizer_help,
       .set = [](TO& o, const OptionValue& v) { o.offload_optimizer = parse_offload(v.text, "offload_optimizer").value(); },
       .get = [](const TO& o) { return tv(to_id(o.offload_optimizer)); }},
      {.id = "offload_params", .type = ValueType::Choice, .choices = [] { return ids_of("offload"); },
       .label = Msg::option_offload_params_label, .help = Msg::option_offload_params_help,
       .set = [](TO& o, const OptionValue& v) { o.offload_params = parse_offload(v.text, "offload_params").value(); },
       .get = [](const TO& o) { return tv(to_id(o.offload_params)); }},
      {.id = "tp", .type = ValueType::UInt, .min = 1, .max = kMaxParallel, .label = Msg::option_tp_label, .help = Msg::option_tp_help,
       .set = [](TO& o, const OptionValue& v) { o.tensor_parallel = static_cast<std::uint32_t>(v.u); },
       .get = [](const TO& o) { return uv(o.tensor_parallel); }},
      {.id = "pp", .type = ValueType::UInt, .min = 1, .max = kMaxParallel, .label = Msg::option_pp_label, .help = Msg::option_pp_help,
       .set = [](TO& o, const OptionValue& v) { o.pipeline_parallel = static_cast<std::uint32_t>(v.u); },
       .get = [](const TO& o) { return uv(o.pipeline_parallel); }},
      {.id = "sp", .type = ValueType::Bool, .label = Msg::option_sp_label, .help = Msg::option_sp_help,
       .set = [](TO& o, const OptionValue& v) { o.sequence_parallel = v.b; }, .get = [](const TO& o) { return bv(o.sequence_parallel); }},
      {.id = "overhead_mib", .type = ValueType::Int, .min = -1, .max = 1048576, .label = Msg::option_overhead_mib_label,
       .help = Msg::option_overhead_mib_help, .set = [](TO& o, const OptionValue& v) { o.overhead_bytes = overhead_bytes(v.i); },
       .get = [](const TO& o) { return iv(overhead_mib(o.overhead_bytes)); }},
  };
  return t;
}

const std::vector<OptionRule<InferenceOptions>>& inference_option_rules() {
  static const std::vector<OptionRule<IO>> r{
      {"prompt_within_context",
       [](const IO& o, const ModelDescription*) -> std::optional<Error> {
         if (o.prompt <= o.context) return std::nullopt;
         return rule_error(Msg::error_rule_prompt_within_context, "prompt",
                           {{"context", OptionRef{"context"}}, {"value", std::to_string(o.context)}});
       }},
      {"vllm_needs_a_gpu",
       // Checked by the estimate (with the model): options alone may leave the GPU to be chosen.
       [](const IO& o, const ModelDescription* m) -> std::optional<Error> {
         if (!m || o.runtime != Runtime::Vllm || o.gpu_memory_bytes > 0 || !o.gpu.empty()) return std::nullopt;
         return make_error(ErrorCode::MissingField, "gpu", {Msg::error_rule_vllm_needs_gpu, {{"field", OptionRef{"gpu"}}}});
       }},
      {"llama_cpp_one_gpu",
       [](const IO& o, const ModelDescription*) -> std::optional<Error> {
         if (o.runtime != Runtime::LlamaCpp || (o.tensor_parallel == 1 && o.pipeline_parallel == 1)) return std::nullopt;
         return rule_error(Msg::error_rule_llama_cpp_one_gpu, o.tensor_parallel > 1 ? "tp" : "pp", {{"ngl", OptionRef{"ngl"}}});
       }},
      {"pp_at_most_layers",
       [](const IO& o, const ModelDescription* m) -> std::optional<Error> {
         if (!m || o.pipeline_parallel <= m->num_layers) return std::nullopt;
         return rule_error(Msg::error_rule_pp_at_most_layers, "pp",
                           {{"layers", std::to_string(m->num_layers)}, {"value", std::to_string(o.pipeline_parallel)}});
       }},
      {"tp_divides_heads",
       [](const IO& o, const ModelDescription* m) -> std::optional<Error> {
         if (!m) return std::nullopt;
         const std::uint64_t tp = o.tensor_parallel;
         if (m->num_heads % tp != 0)
           return rule_error(Msg::error_rule_tp_divides_heads, "tp",
                             {{"heads", std::to_string(m->num_heads)}, {"value", std::to_string(tp)}});
         if (!m->mla && m->num_kv_heads % tp != 0 && tp % m->num_kv_heads != 0)
           return rule_error(Msg::error_rule_tp_kv_heads, "tp",
                             {{"kv_heads", std::to_string(m->num_kv_heads)}, {"value", std::to_string(tp)}});
         return std::nullopt;
       }},
  };
  return r;
}

namespace {
bool is_dense(WeightKind k) { return k == WeightKind::Auto || k == WeightKind::F32 || k == WeightKind::F16 || k == WeightKind::BF16; }
}  // namespace

const std::vector<OptionRule<TrainOptions>>& train_option_rules() {
  static const std::vector<OptionRule<TO>> r{
      {"state_bytes_positive",
       [](const TO& o, const ModelDescription*) -> std::optional<Error> {
         if (o.state_bytes_override == -1 || o.state_bytes_override > 0) return std::nullopt;
         return rule_error(Msg::error_rule_state_bytes, "state_bytes", {});
       }},
      {"fsdp_or_zero",
       [](const TO& o, const ModelDescription*) -> std::optional<Error> {
         if (o.fsdp == Fsdp::None || o.zero == 0) return std::nullopt;
         return rule_error(Msg::error_rule_fsdp_or_zero, "fsdp", {{"other", OptionRef{"zero"}}});
       }},
      {"offload_params_needs_full_shard",
       [](const TO& o, const ModelDescription*) -> std::optional<Error> {
         if (o.offload_params == Offload::None || o.zero == 3 || o.fsdp == Fsdp::FullShard) return std::nullopt;
         return rule_error(Msg::error_rule_offload_params, "offload_params", {{"zero", OptionRef{"zero"}}, {"fsdp", OptionRef{"fsdp"}}});
       }},
      {"offload_optimizer_needs_sharding",
       [](const TO& o, const ModelDescription*) -> std::optional<Error> {
         if (o.offload_optimizer == Offload::None || o.zero > 0 || o.fsdp != Fsdp::None) return std::nullopt;
         return rule_error(Msg::error_rule_offload_optimizer, "offload_optimizer", {{"zero", OptionRef{"zero"}}, {"fsdp", OptionRef{"fsdp"}}});
       }},
      {"full_needs_dense_base",
       [](const TO& o, const ModelDescription*) -> std::optional<Error> {
         // A quantised checkpoint is dequantised into the training dtype on load; only an explicitly
         // requested quantised base is an error, since quantised weights cannot be updated.
         if (o.method != TrainMethod::Full || is_dense(o.base_weights.kind)) return std::nullopt;
         return rule_error(Msg::error_rule_full_quantized_base, "method", {{"value", o.base_weights.id}, {"dtype", OptionRef{"dtype"}}});
       }},
      {"lora_base_trainable",
       [](const TO& o, const ModelDescription*) -> std::optional<Error> {
         const WeightKind k = o.base_weights.kind;
         if (o.method != TrainMethod::Lora || is_dense(k) || k == WeightKind::BnbNf4 || k == WeightKind::BnbFp4 ||
             k == WeightKind::BnbInt8 || k == WeightKind::Gptq || k == WeightKind::Awq)
           return std::nullopt;
         return rule_error(Msg::error_rule_lora_base, "dtype", {{"value", o.base_weights.id}});
       }},
      {"tp_divides_heads",
       [](const TO& o, const ModelDescription* m) -> std::optional<Error> {
         if (!m || m->num_heads % o.tensor_parallel == 0) return std::nullopt;
         return rule_error(Msg::error_rule_tp_divides_heads, "tp",
                           {{"heads", std::to_string(m->num_heads)}, {"value", std::to_string(o.tensor_parallel)}});
       }},
      {"pp_at_most_layers",
       [](const TO& o, const ModelDescription* m) -> std::optional<Error> {
         if (!m || o.pipeline_parallel <= m->num_layers) return std::nullopt;
         return rule_error(Msg::error_rule_pp_at_most_layers, "pp",
                           {{"layers", std::to_string(m->num_layers)}, {"value", std::to_string(o.pipeline_parallel)}});
       }},
      {"gpus_multiple_of_tp_pp",
       [](const TO& o, const ModelDescription*) -> std::optional<Error> {
         const std::uint64_t mp = std::uint64_t{o.tensor_parallel} * o.pipeline_parallel;
         if (mp > 0 && o.gpus % mp == 0) return std::nullopt;
         return rule_error(Msg::error_rule_gpus_multiple, "gpus",
                           {{"tp", OptionRef{"tp"}}, {"pp", OptionRef{"pp"}}, {"product", std::to_string(mp)}, {"value", std::to_string(o.gpus)}});
       }},
  };
  return r;
}

const std::vector<TabDef>& tab_table() {
  static const std::vector<TabDef> t{
      {.id = "inference",
       .train = false,
       .overrides = {},
       .knobs = {"dtype", "kv_dtype", "batch", "context", "runtime", "attn", "gpu_util", "ngl", "ubatch", "tp"},
       .label = Msg::tab_inference},
      {.id = "serving",
       .train = false,
       .overrides = {{"runtime", "vllm"}},
       .knobs = {"dtype", "kv_dtype", "batch", "context", "runtime", "attn", "gpu_util", "ngl", "ubatch", "tp"},
       .label = Msg::tab_serving},
      {.id = "finetune",
       .train = true,
       .overrides = {{"method", "lora"}},
       .knobs = {"method", "dtype", "lora_rank", "lora_targets", "dora", "optimizer", "precision", "batch", "seq", "grad_accum",
                 "checkpointing", "attn", "zero", "fsdp", "offload_optimizer", "offload_params", "gpus", "tp", "pp"},
       .label = Msg::tab_finetune},
      {.id = "training",
       .train = true,
       .overrides = {},
       .knobs = {"optimizer", "precision", "batch", "seq", "grad_accum", "checkpointing", "attn", "zero", "fsdp",
                 "offload_optimizer", "offload_params", "gpus", "tp", "pp"},
       .label = Msg::tab_training},
  };
  return t;
}

const TabDef* find_tab(std::string_view id) {
  for (const auto& t : tab_table())
    if (t.id == id) return &t;
  return nullptr;
}

namespace {

// Decimal digits only (JavaScript's Number() and the CLI agree on what they mean).
bool digits(std::string_view s) { return !s.empty() && s.size() <= 19 && s.find_first_not_of("0123456789") == std::string_view::npos; }

std::string shown(std::string_view v) { return v.size() > 40 ? std::string(v.substr(0, 37)) + "..." : std::string(v); }

// A range bound as the messages print it: integers plainly ("1048576"), fractions shortest ("0.01").
std::string bound(double v) { return v == std::floor(v) ? std::to_string(static_cast<std::int64_t>(v)) : format_number(v); }

template <class Options>
Error range_error(const OptionDef<Options>& d, Msg m, std::string_view text) {
  return make_error(ErrorCode::InvalidValue, std::string(d.id),
                    {m, {{"field", OptionRef{d.id}}, {"min", bound(d.min)}, {"max", bound(d.max)}, {"value", shown(text)}}});
}

}  // namespace

template <class Options>
std::optional<Error> read_option(const OptionDef<Options>& d, std::string_view text, Options& o) {
  OptionValue v;
  v.text = std::string(text);
  switch (d.type) {
    case ValueType::UInt: {
      if (!digits(text)) return range_error(d, Msg::error_option_integer_text, text);
      v.u = std::strtoull(v.text.c_str(), nullptr, 10);
      if (static_cast<double>(v.u) < d.min || static_cast<double>(v.u) > d.max) return range_error(d, Msg::error_option_integer, text);
      break;
    }
    case ValueType::Int: {
      const bool neg = !text.empty() && text[0] == '-';
      const std::string_view mag = neg ? text.substr(1) : text;
      if (!digits(mag) || mag.size() > 18) return range_error(d, Msg::error_option_integer_text, text);
      v.i = static_cast<std::int64_t>(std::strtoull(std::string(mag).c_str(), nullptr, 10)) * (neg ? -1 : 1);
      if (static_cast<double>(v.i) < d.min || static_cast<double>(v.i) > d.max) return range_error(d, Msg::error_option_integer, text);
      break;
    }
    case ValueType::Number: {
      // Decimal notation only: strtod also reads hex floats and leading blanks, which JavaScript's
      // Number() (the page, links) does not.
      const bool decimal = !text.empty() && text.find_first_not_of("0123456789.eE+-") == std::string_view::npos;
      errno = 0;
      char* end = nullptr;
      v.d = decimal ? std::strtod(v.text.c_str(), &end) : 0;
      if (!decimal || *end != '\0' || errno != 0 || !std::isfinite(v.d) || v.d < d.min || v.d > d.max)
        return range_error(d, Msg::error_option_number, text);
      break;
    }
    case ValueType::Bool:
      if (text == "true" || text == "1" || text.empty()) v.b = true;
      else if (text == "false" || text == "0") v.b = false;
      else return make_error(ErrorCode::InvalidValue, std::string(d.id), {Msg::error_option_bool, {{"field", OptionRef{d.id}}, {"value", shown(text)}}});
      v.text = v.b ? "true" : "false";
      break;
    case ValueType::Choice: {
      // Enum choices parse case-insensitively through their own parsers; the GPU and adapter lists here.
      if (d.id == "gpu") {
        if (text.empty()) break;
        auto g = find_gpu(text);
        if (!g) return make_error(g.error().code, std::string(d.id), g.error().message);
        v.text = std::string(g.value().id);
        break;
      }
      bool found = false;
      std::string choices;
      for (const auto& c : d.choices()) {
        choices += (choices.empty() ? "" : ", ") + c;
        std::string lower(text);
        for (char& ch : lower) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
        if (c == lower) {
          found = true;
          v.text = c;
        }
      }
      if (!found)
        return make_error(ErrorCode::UnknownName, std::string(d.id),
                          {Msg::error_option_unknown_choice, {{"field", OptionRef{d.id}}, {"what", d.label}, {"value", shown(text)}, {"choices", choices}}});
      break;
    }
    case ValueType::Text:
      if (text.empty()) return make_error(ErrorCode::InvalidValue, std::string(d.id), {Msg::error_option_text_empty, {{"field", OptionRef{d.id}}}});
      break;
    case ValueType::WeightFormat: {
      auto f = parse_weight_format(text);
      if (!f) {
        Error e = f.error();
        e.field = std::string(d.id);
        return e;
      }
      break;
    }
  }
  d.set(o, v);
  return std::nullopt;
}

template <class Options>
std::string option_text(const OptionDef<Options>& d, const Options& o) {
  return d.get(o).text;
}

template <class Options>
std::optional<Error> check_options(const Options& o, const ModelDescription* model) {
  const std::vector<OptionDef<Options>>* table = nullptr;
  const std::vector<OptionRule<Options>>* rules = nullptr;
  if constexpr (std::is_same_v<Options, InferenceOptions>) {
    table = &inference_option_table();
    rules = &inference_option_rules();
  } else {
    table = &train_option_table();
    rules = &train_option_rules();
  }
  // Every number the struct holds must lie in its option's range (a struct built in code, not parsed,
  // is checked the same way; enum and format values are valid by construction), then the rules.
  for (const auto& d : *table) {
    if (d.type != ValueType::UInt && d.type != ValueType::Int && d.type != ValueType::Number) continue;
    const OptionValue v = d.get(o);
    const double x = d.type == ValueType::UInt ? static_cast<double>(v.u) : d.type == ValueType::Int ? static_cast<double>(v.i) : v.d;
    if (!(x >= d.min && x <= d.max))
      return range_error(d, d.type == ValueType::Number ? Msg::error_option_number : Msg::error_option_integer, v.text);
  }
  for (const auto& r : *rules)
    if (auto e = r.check(o, model)) return e;
  return std::nullopt;
}

template std::optional<Error> read_option(const OptionDef<InferenceOptions>&, std::string_view, InferenceOptions&);
template std::optional<Error> read_option(const OptionDef<TrainOptions>&, std::string_view, TrainOptions&);
template std::string option_text(const OptionDef<InferenceOptions>&, const InferenceOptions&);
template std::string option_text(const OptionDef<TrainOptions>&, const TrainOptions&);
template std::optional<Error> check_options(const InferenceOptions&, const ModelDescription*);
template std::optional<Error> check_options(const TrainOptions&, const ModelDescription*);

}  // namespace vram

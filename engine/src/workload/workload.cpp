#include "vram/workload/workload.hpp"

#include <array>
#include <cctype>

#include "base/text.hpp"
#include <utility>

namespace vram {
namespace {

using detail::lower;

template <class E, std::size_t N>
using Table = std::array<std::pair<std::string_view, E>, N>;

constexpr Table<Runtime, 3> kRuntimes{{{"transformers", Runtime::Transformers}, {"vllm", Runtime::Vllm}, {"llama.cpp", Runtime::LlamaCpp}}};
constexpr Table<AttentionImpl, 3> kAttention{{{"eager", AttentionImpl::Eager}, {"sdpa", AttentionImpl::Sdpa}, {"flash", AttentionImpl::Flash}}};
constexpr Table<TrainMethod, 3> kMethods{{{"full", TrainMethod::Full}, {"lora", TrainMethod::Lora}, {"qlora", TrainMethod::Qlora}}};
constexpr Table<Optimizer, 9> kOptimizers{{{"adamw", Optimizer::AdamW},
                                           {"adam", Optimizer::Adam},
                                           {"adamw8bit", Optimizer::AdamW8bit},
                                           {"paged_adamw", Optimizer::PagedAdamW},
                                           {"paged_adamw8bit", Optimizer::PagedAdamW8bit},
                                           {"sgd", Optimizer::Sgd},
                                           {"sgd_momentum", Optimizer::SgdMomentum},
                                           {"adafactor", Optimizer::Adafactor},
                                           {"lion", Optimizer::Lion}}};
constexpr Table<Precision, 6> kPrecisions{{{"fp32", Precision::Fp32},
                                           {"amp_bf16", Precision::AmpBf16},
                                           {"amp_fp16", Precision::AmpFp16},
                                           {"mixed_bf16", Precision::MixedBf16},
                                           {"mixed_fp16", Precision::MixedFp16},
                                           {"bf16", Precision::Bf16}}};
constexpr Table<Checkpointing, 3> kCheckpointing{{{"none", Checkpointing::None}, {"selective", Checkpointing::Selective}, {"full", Checkpointing::Full}}};
constexpr Table<Fsdp, 3> kFsdp{{{"none", Fsdp::None}, {"full_shard", Fsdp::FullShard}, {"shard_grad_op", Fsdp::ShardGradOp}}};
constexpr Table<Offload, 3> kOffload{{{"none", Offload::None}, {"cpu", Offload::Cpu}, {"nvme", Offload::Nvme}}};
constexpr Table<KvKind, 8> kKv{{{"auto", KvKind::Auto}, {"fp32", KvKind::F32}, {"fp16", KvKind::F16}, {"bf16", KvKind::BF16},
                               {"fp8", KvKind::Fp8}, {"int8", KvKind::Int8}, {"q8_0", KvKind::Q8_0}, {"q4_0", KvKind::Q4_0}}};

template <class E, std::size_t N>
std::string_view id_of(const Table<E, N>& t, E v) {
  for (const auto& [id, e] : t)
    if (e == v) return id;
  return t[0].first;
}

template <class E, std::size_t N>
std::string joined(const Table<E, N>& t) {
  std::string s;
  for (const auto& [id, e] : t) s += (s.empty() ? "" : ", ") + std::string(id);
  return s;
}

// A value shown in a message: cut at 40 characters.
std::string shown(std::string_view v) { return v.size() > 40 ? std::string(v.substr(0, 37)) + "..." : std::string(v); }

template <class E, std::size_t N>
Result<E> parse_in(const Table<E, N>& t, std::string_view id, std::string_view field, Msg what) {
  for (const auto& [name, e] : t)
    if (name == id) return e;
  return make_error(ErrorCode::UnknownName, std::string(field),
                    {Msg::error_option_unknown_choice,
                     {{"field", OptionRef{field}}, {"what", what}, {"value", shown(id)}, {"choices", joined(t)}}});
}

// GGUF tensor types and file recipes llama.cpp's quantize tool offers.
constexpr std::array<std::string_view, 31> kGgufTypes{
    "F32",    "F16",    "BF16",   "Q8_0",   "Q6_K",   "Q5_K_M", "Q5_K_S", "Q5_0",   "Q5_1",   "Q4_K_M", "Q4_K_S",
    "Q4_0",   "Q4_1",   "Q3_K_L", "Q3_K_M", "Q3_K_S", "Q2_K",   "Q2_K_S", "IQ4_XS", "IQ4_NL", "IQ3_M",  "IQ3_S",
    "IQ3_XS", "IQ3_XXS", "IQ2_M", "IQ2_S",  "IQ2_XS", "IQ2_XXS", "IQ1_M", "IQ1_S",  "MXFP4"};

}  // namespace

Result<WeightFormat> parse_weight_format(std::string_view raw) {
  WeightFormat f;
  f.id = std::string(raw);
  const std::string id = lower(raw);
  auto bad = [&] {
    return make_error(ErrorCode::UnknownName, "dtype",
                      {Msg::error_option_unknown_weight_format, {{"field", OptionRef{"dtype"}}, {"value", shown(raw)}}});
  };
  if (id == "auto") return f;
  if (id == "fp32" || id == "float32") { f.kind = WeightKind::F32; f.bits = 32; return f; }
  if (id == "fp16" || id == "float16") { f.kind = WeightKind::F16; return f; }
  if (id == "bf16" || id == "bfloat16") { f.kind = WeightKind::BF16; return f; }
  if (id == "fp8" || id == "fp8_e4m3" || id == "fp8_e5m2") { f.kind = WeightKind::Fp8; f.bits = 8; return f; }
  if (id == "int8" || id == "bnb-int8") { f.kind = WeightKind::BnbInt8; f.bits = 8; return f; }
  if (id == "nf4" || id == "int4" || id == "bnb-nf4") { f.kind = WeightKind::BnbNf4; f.bits = 4; f.group_size = 64; return f; }
  if (id == "nf4-dq" || id == "qlora") { f.kind = WeightKind::BnbNf4; f.bits = 4; f.group_size = 64; f.double_quant = true; return f; }
  if (id == "fp4" || id == "bnb-fp4") { f.kind = WeightKind::BnbFp4; f.bits = 4; f.group_size = 64; return f; }
  if (id == "mxfp4") { f.kind = WeightKind::Mxfp4; f.bits = 4; f.group_size = 32; return f; }
  if (id.rfind("gptq-", 0) == 0 || id.rfind("awq-", 0) == 0) {
    f.kind = id[0] == 'g' ? WeightKind::Gptq : WeightKind::Awq;
    std::string rest = id.substr(id.find('-') + 1);
    std::string bits = rest.substr(0, rest.find('-'));
    if (bits != "2" && bits != "3" && bits != "4" && bits != "8") return bad();
    f.bits = static_cast<std::uint32_t>(bits[0] - '0');
    if (auto g = rest.find("-g"); g != std::string::npos) {
      const std::string gs = rest.substr(g + 2);
      if (gs == "-1" || gs == "channel") {
        f.group_size = -1;
      } else if (!gs.empty() && gs.size() < 6 && gs.find_first_not_of("0123456789") == std::string::npos) {
        f.group_size = std::stoll(gs);
        if (f.group_size <= 0) return bad();
      } else {
        return bad();
      }
    }
    if (f.kind == WeightKind::Awq && f.bits != 4) return bad();
    return f;
  }
  if (id.rfind("gguf:", 0) == 0) {
    std::string type(raw.substr(5));
    for (char& c : type) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (auto t : kGgufTypes) {
      if (t == type) {
        f.kind = WeightKind::Gguf;
        f.gguf_type = type;
        return f;
      }
    }
    return bad();
  }
  return bad();
}

Result<KvKind> parse_kv_kind(std::string_view id) { return parse_in(kKv, lower(id), "kv_dtype", Msg::what_kv_dtype); }
std::string_view kv_kind_id(KvKind kind) { return id_of(kKv, kind); }

std::string_view to_id(Runtime v) { return id_of(kRuntimes, v); }
std::string_view to_id(AttentionImpl v) { return id_of(kAttention, v); }
std::string_view to_id(TrainMethod v) { return id_of(kMethods, v); }
std::string_view to_id(Optimizer v) { return id_of(kOptimizers, v); }
std::string_view to_id(Precision v) { return id_of(kPrecisions, v); }
std::string_view to_id(Checkpointing v) { return id_of(kCheckpointing, v); }
std::string_view to_id(Fsdp v) { return id_of(kFsdp, v); }
std::string_view to_id(Offload v) { return id_of(kOffload, v); }

Result<Runtime> parse_runtime(std::string_view id, std::string_view field) { return parse_in(kRuntimes, lower(id), field, Msg::what_runtime); }
Result<AttentionImpl> parse_attention(std::string_view id, std::string_view field) {
  return parse_in(kAttention, lower(id), field, Msg::what_attention);
}
Result<TrainMethod> parse_method(std::string_view id, std::string_view field) { return parse_in(kMethods, lower(id), field, Msg::what_method); }
Result<Optimizer> parse_optimizer(std::string_view id, std::string_view field) {
  return parse_in(kOptimizers, lower(id), field, Msg::what_optimizer);
}
Result<Precision> parse_precision(std::string_view id, std::string_view field) {
  return parse_in(kPrecisions, lower(id), field, Msg::what_precision);
}
Result<Checkpointing> parse_checkpointing(std::string_view id, std::string_view field) {
  return parse_in(kCheckpointing, lower(id), field, Msg::what_checkpointing);
}
Result<Fsdp> parse_fsdp(std::string_view id, std::string_view field) { return parse_in(kFsdp, lower(id), field, Msg::what_fsdp); }
Result<Offload> parse_offload(std::string_view id, std::string_view field) { return parse_in(kOffload, lower(id), field, Msg::what_offload); }

std::vector<std::string> weight_format_ids() {
  std::vector<std::string> ids{"auto",   "fp32",   "fp16",   "bf16",   "fp8",   "int8",  "nf4",   "nf4-dq",
                               "fp4",    "gptq-8", "gptq-4", "gptq-3", "gptq-2", "awq-4", "mxfp4"};
  for (auto t : kGgufTypes) ids.push_back(std::string("gguf:") + std::string(t));
  return ids;
}

std::vector<std::string> option_ids(std::string_view name) {
  std::vector<std::string> out;
  auto add = [&](const auto& table) {
    for (const auto& [id, e] : table) out.emplace_back(id);
  };
  if (name == "runtime") add(kRuntimes);
  else if (name == "attention") add(kAttention);
  else if (name == "method") add(kMethods);
  else if (name == "optimizer") add(kOptimizers);
  else if (name == "precision") add(kPrecisions);
  else if (name == "checkpointing") add(kCheckpointing);
  else if (name == "fsdp") add(kFsdp);
  else if (name == "offload") add(kOffload);
  else if (name == "kv_dtype") add(kKv);
  else if (name == "gguf") for (auto t : kGgufTypes) out.emplace_back(std::string("gguf:") + std::string(t));
  return out;
}

}  // namespace vram

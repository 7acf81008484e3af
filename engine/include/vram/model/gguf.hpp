// GGUF headers (llama.cpp's model files): the magic, version, metadata key/value table, tensor
// infos and alignment at the start of a .gguf file, read from its first bytes only (a page reads
// them with Blob slices or HTTP Range requests, the CLI with growing reads). Every count and length
// the file declares is checked against a hard limit, and against the bytes it would occupy, before
// anything is allocated from it. Format: ggml-org/ggml docs/gguf.md; the checks follow
// ggml/src/gguf.cpp gguf_init_from_file_impl.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vram/base/ggml_type.hpp"
#include "vram/base/result.hpp"

namespace vram {

// gguf_type (gguf.h); the numbers are the file's.
enum class GgufValueType : std::uint32_t {
  U8 = 0, I8 = 1, U16 = 2, I16 = 3, U32 = 4, I32 = 5, F32 = 6, Bool = 7, String = 8, Array = 9, U64 = 10, I64 = 11, F64 = 12,
};
[[nodiscard]] std::string_view gguf_value_type_name(GgufValueType t) noexcept;

// The hard limits (ggml's own where it has one; otherwise far above any real file).
struct GgufLimits {
  static constexpr std::uint64_t kMaxHeaderBytes = std::uint64_t{256} << 20;  // magic … end of tensor infos
  static constexpr std::uint64_t kMaxTensors = std::uint64_t{1} << 20;
  static constexpr std::uint64_t kMaxKeys = std::uint64_t{1} << 16;
  static constexpr std::uint64_t kMaxKeyBytes = 65535;               // docs/gguf.md: keys are at most 2^16 − 1 bytes
  static constexpr std::uint64_t kMaxStringBytes = std::uint64_t{1} << 24;
  static constexpr std::uint64_t kMaxArrayItems = std::uint64_t{1} << 26;
  static constexpr std::uint64_t kMaxArrayDepth = 8;                 // arrays of arrays of …
  static constexpr std::uint64_t kMaxTensorNameBytes = 63;           // GGML_MAX_NAME − 1
  static constexpr std::uint64_t kMaxDims = 4;                       // GGML_MAX_DIMS
  static constexpr std::uint64_t kMaxElements = std::uint64_t{1} << 50;  // per tensor
  static constexpr std::uint64_t kMaxDataBytes = std::uint64_t{1} << 52;  // the data section of one file
  static constexpr std::uint64_t kKeptArrayItems = 4096;             // items of a longer array are counted, not kept
};

struct GgufValue {
  GgufValueType type = GgufValueType::U8;
  std::uint64_t u = 0;       // unsigned integers and bool
  std::int64_t i = 0;        // signed integers
  double f = 0;              // F32 / F64
  std::string s;             // String
  // Array: the element type, the item count, and the items when count ≤ kKeptArrayItems.
  GgufValueType elem = GgufValueType::U8;
  std::uint64_t count = 0;
  std::vector<GgufValue> items;
  bool items_kept = false;

  [[nodiscard]] bool is_integer() const noexcept;
  // The value as an unsigned integer (a non-negative integer of any width, or a bool); nullopt otherwise.
  [[nodiscard]] std::optional<std::uint64_t> as_uint() const noexcept;
  [[nodiscard]] std::optional<double> as_number() const noexcept;
};

struct GgufKv {
  std::string key;
  GgufValue value;
};

struct GgufTensorInfo {
  std::string name;
  std::uint32_t n_dims = 0;
  std::array<std::uint64_t, 4> dims{1, 1, 1, 1};  // ne[0] (the row, contiguous) … ne[3]
  std::uint32_t type_id = 0;                      // ggml_type as written
  GgmlType type = GgmlType::F32;
  std::uint64_t offset = 0;                       // from the start of the data section
  std::uint64_t elements = 0;
  std::uint64_t bytes = 0;                        // ggml_nbytes: rows × ne[0] / block × block_bytes
};

struct GgufHeader {
  std::uint32_t version = 0;
  bool big_endian = false;            // v3 allows big-endian files (detected from the version's bytes)
  std::vector<GgufKv> kv;             // in file order; keys are unique
  std::vector<GgufTensorInfo> tensors;
  std::uint64_t alignment = 32;       // general.alignment (GGUF_DEFAULT_ALIGNMENT)
  std::uint64_t header_bytes = 0;     // magic through the last tensor info
  std::uint64_t data_offset = 0;      // header_bytes rounded up to the alignment
  std::uint64_t data_bytes = 0;       // the data section: Σ tensor bytes, each padded to the alignment

  [[nodiscard]] const GgufValue* find(std::string_view key) const noexcept;
};

// A prefix of the file is not an error: `need_bytes` > 0 says the header is longer than the bytes
// given, and that at least that many bytes (from the start) are needed; read more and call again.
struct GgufRead {
  std::uint64_t need_bytes = 0;
  GgufHeader header;
};

// `what` names the file in errors ("model-00001-of-00002.gguf"). `file_size`, when known (> 0),
// is checked against the data section's end.
[[nodiscard]] Result<GgufRead> read_gguf_header(std::string_view bytes, std::string_view what = "gguf",
                                                std::uint64_t file_size = 0);

// The model a GGUF file (or the parts of a split one) holds: its general.architecture's dimensions
// (the `<arch>.` keys of llama.cpp's src/llama-arch.cpp LLM_KV_NAMES) and the exact stored bytes of
// its tensors, by type and by where llama.cpp places them (src/llama-arch.cpp LLM_TENSOR_INFOS:
// token_embd and the other input tensors, blk.<i>.* repeating layers, output tensors).
struct GgufTypeCount {
  GgmlType type = GgmlType::F32;
  std::uint64_t tensors = 0, elements = 0, bytes = 0;
};

struct GgufModel {
  std::string architecture;        // general.architecture ("llama", "qwen3", "gemma3" …)
  std::string name;                // general.name
  std::string file_type;           // general.file_type as llama.cpp names it ("Q4_K_M"), "" if none
  std::uint64_t files = 0, tensors = 0;
  std::uint64_t bytes = 0;         // Σ tensor bytes: the weights llama.cpp loads
  std::uint64_t params = 0;        // Σ elements

  // <arch>.* (0 = absent).
  std::uint64_t n_layer = 0, n_embd = 0, n_ff = 0, n_head = 0, n_vocab = 0, n_ctx_train = 0;
  std::vector<std::uint64_t> n_head_kv;     // per layer (a scalar key repeated; 0 = a layer without KV)
  std::vector<std::uint64_t> n_ff_layer;    // per layer when feed_forward_length is an array
  std::uint64_t key_length = 0, value_length = 0;         // attention.key_length / value_length (head dims)
  std::uint64_t key_length_mla = 0, value_length_mla = 0; // deepseek2 with MLA stored decompressed per head
  std::uint64_t q_lora_rank = 0, kv_lora_rank = 0, rope_dims = 0;
  std::uint64_t sliding_window = 0;
  std::vector<bool> swa_layers;             // attention.sliding_window_pattern, per layer (true = sliding)
  std::uint64_t n_expert = 0, n_expert_used = 0, n_ff_exp = 0, n_expert_shared = 0, n_ff_shexp = 0;
  std::uint64_t n_layer_dense_lead = 0;
  std::uint64_t ssm_d_conv = 0, ssm_d_inner = 0, ssm_d_state = 0, ssm_dt_rank = 0, ssm_n_group = 0;
  double rope_freq_base = 0, norm_rms_eps = 0, norm_eps = 0;
  bool tied = false;                        // no output.weight: the output reuses token_embd

  // Exact stored bytes (each tensor's ggml_nbytes) by placement; sum = bytes.
  std::uint64_t input_bytes = 0;            // token_embd, token_embd_norm, token_types, position_embd, per_layer_token_embd
  std::uint64_t output_bytes = 0;           // output, output_norm, cls … (every other tensor outside blk.<i>)
  std::uint64_t token_embd_bytes = 0;
  std::vector<std::uint64_t> layer_bytes;   // blk.<i>.* for i < n_layer (rope_freqs joins layer 0, as llama.cpp loads it)
  std::uint64_t extra_layer_bytes = 0;      // blk.<i>.* for i ≥ n_layer (next-token-prediction layers)
  std::uint64_t quantized_params = 0, dense_params = 0;
  std::vector<GgufTypeCount> by_type;       // in ggml type order: llama_model_loader's "type q4_K: N tensors"
};

// `parts` are the headers of one file or of every part of a split file (split.no 0 first, in any
// order otherwise); `names` name them in errors.
[[nodiscard]] Result<GgufModel> gguf_model(const std::vector<GgufHeader>& parts, const std::vector<std::string>& names);

// A config.json the engine reads (model_type from the architecture table's GGUF name, the Hugging
// Face keys of the dimensions) with the exact stored bytes under "gguf" (ModelDescription::stored).
[[nodiscard]] std::string gguf_config_json(const GgufModel& m);

// llama_ftype (include/llama.h) → its name ("Q4_K_M"); "" for an unknown number.
[[nodiscard]] std::string_view gguf_file_type_name(std::uint64_t ftype) noexcept;

}  // namespace vram

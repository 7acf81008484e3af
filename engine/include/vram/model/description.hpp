// ModelDescription: an architecture-neutral description of a Hugging Face model, parsed from
// config.json by its architecture's reader (model/architecture.hpp). Everything downstream
// (parameter inventory, KV cache, activations) reads only this struct and its architecture's
// description — never a model_type string.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vram/base/dtype.hpp"
#include "vram/base/message.hpp"
#include "vram/base/result.hpp"

namespace vram {

enum class NormKind : std::uint8_t {
  RmsNorm,         // weight only
  LayerNorm,       // weight + bias
  LayerNormNoBias, // weight only (MPT no_bias, OLMo-2 style LayerNorm without bias)
  NonParametric,   // no parameters at all (OLMo-1 LayerNorm)
};

enum class MlpKind : std::uint8_t {
  Gated,  // gate, up, down (SwiGLU/GeGLU): three h×i matrices
  Plain,  // up, down (fc1/fc2): two h×i matrices
};

enum class AttentionKind : std::uint8_t { Full, Sliding };

// The token mixer of one decoder layer. Only attention layers hold a per-token KV cache; the others
// hold a state of constant size per sequence (state_bytes in kv_cache.hpp).
enum class LayerKind : std::uint8_t {
  Attention,        // softmax attention (full or sliding)
  LinearAttention,  // gated DeltaNet (Qwen3-Next, Qwen3.5): recurrent state + conv state
  Mamba2,           // Mamba2 mixer (Nemotron-H, Granite-4.0-H, Falcon-H1): SSM state + conv state
  ShortConv,        // LFM2 gated short convolution: conv state only
};

enum class QkNorm : std::uint8_t {
  None,
  PerHead,    // RMSNorm(head_dim) shared across heads (Qwen3, Gemma-3)
  FullWidth,  // RMSNorm(heads·head_dim) and RMSNorm(kv_heads·head_dim) (OLMo-2/3)
  LayerNormPerHead,  // LayerNorm(head_dim) with bias (Phi qk_layernorm)
};

// Block topology of one decoder layer.
enum class BlockStyle : std::uint8_t {
  PreNorm,         // x + attn(norm1(x)); x + mlp(norm2(x))            (Llama, GPT-2, OPT, BLOOM …)
  Parallel,        // x + attn(norm(x)) + mlp(norm(x))                 (GPT-J, Phi-2, Falcon-7B)
  ParallelTwoNorm, // x + attn(norm_a(x)) + mlp(norm_m(x))             (GPT-NeoX parallel residual, Falcon-40B)
  SandwichNorm,    // pre + post norms around attention and MLP       (Gemma-2/3: four norms)
  PostNormOnly,    // x + norm(attn(x)); x + norm(mlp(x))              (OLMo-2/3)
  PostLN,          // BERT: norm(x + attn(x)); norm(x + mlp(x))
};

struct LayerSpec {
  AttentionKind attention = AttentionKind::Full;
  std::uint64_t window = 0;  // tokens seen by a sliding-window layer
  bool moe = false;          // routed-expert MLP (else dense MLP)
  bool rope = true;          // false: a NoPE layer (SmolLM3 no_rope_layers, EXAONE-4 global layers)
  bool indexer = false;      // runs a DSA lightning indexer with its own K cache (DeepSeek-V3.2, GLM-5)
  LayerKind kind = LayerKind::Attention;
  // Falcon-H1: attention and a Mamba2 mixer side by side in every layer (both caches).
  bool parallel_mamba = false;
};

// Gated DeltaNet linear attention (transformers Qwen3NextGatedDeltaNet / Qwen3_5GatedDeltaNet):
// q, k of key_heads × key_head_dim, v of value_heads × value_head_dim, a depthwise causal conv over
// q‖k‖v of conv_kernel taps, per-value-head decay (A_log, dt_bias) and a gated RMSNorm(value_head_dim).
struct LinearAttentionSpec {
  std::uint64_t key_heads = 16;        // linear_num_key_heads
  std::uint64_t value_heads = 32;      // linear_num_value_heads
  std::uint64_t key_head_dim = 128;    // linear_key_head_dim
  std::uint64_t value_head_dim = 128;  // linear_value_head_dim
  std::uint64_t conv_kernel = 4;       // linear_conv_kernel_dim
  bool split_projections = false;      // Qwen3.5: in_proj_qkv, in_proj_z, in_proj_b, in_proj_a (Qwen3-Next: in_proj_qkvz, in_proj_ba)
  [[nodiscard]] std::uint64_t key_dim() const { return key_heads * key_head_dim; }
  [[nodiscard]] std::uint64_t value_dim() const { return value_heads * value_head_dim; }
  [[nodiscard]] std::uint64_t conv_dim() const { return 2 * key_dim() + value_dim(); }
};

// Mamba2 mixer (transformers NemotronHMamba2Mixer, GraniteMoeHybridMambaLayer, FalconH1Mixer):
// in_proj h → 2·inner + 2·groups·state + heads, a depthwise conv over x‖B‖C, A_log/D/dt_bias per
// head, a gated RMSNorm over inner, out_proj inner → h.
struct Mamba2Spec {
  std::uint64_t heads = 0;        // mamba_num_heads / mamba_n_heads
  std::uint64_t head_dim = 0;     // mamba_head_dim / mamba_d_head
  std::uint64_t state = 128;      // ssm_state_size / mamba_d_state
  std::uint64_t groups = 1;       // n_groups / mamba_n_groups
  std::uint64_t conv_kernel = 4;  // conv_kernel / mamba_d_conv
  std::uint64_t inner = 0;        // intermediate width (heads × head_dim, or mamba_expand × hidden)
  bool conv_bias = true;
  bool proj_bias = false;         // in_proj / out_proj bias
  bool gated_norm = true;         // a MambaRMSNormGated(inner) (Falcon-H1: mamba_rms_norm)
  [[nodiscard]] std::uint64_t conv_dim() const { return inner + 2 * groups * state; }
};

// LFM2 short convolution (Lfm2ShortConv): in_proj h → 3h, a depthwise conv of conv_L_cache taps over
// h channels, out_proj h → h.
struct ShortConvSpec {
  std::uint64_t kernel = 3;  // conv_L_cache
  bool bias = false;         // conv_bias
};

struct MoeSpec {
  std::uint64_t routed_experts = 0;
  std::uint64_t experts_per_token = 0;
  std::uint64_t shared_experts = 0;             // count of shared experts (DeepSeek); 1 for Qwen2-MoE
  std::uint64_t expert_intermediate = 0;        // moe_intermediate_size
  std::uint64_t shared_intermediate = 0;        // total width of the shared-expert MLP (0 = none)
  bool shared_expert_gate = false;              // Qwen2-MoE sigmoid gate (h → 1)
  bool router_bias = false;                     // gpt-oss router has a bias
  bool expert_bias = false;                     // gpt-oss experts carry biases
  bool score_correction_bias = false;           // DeepSeek-V3 e_score_correction_bias buffer (fp32)
  bool score_bias_in_block = false;             // that buffer sits on the MoE block, not the router (MiniMax-M2)
  bool score_bias_parameter = false;            // ERNIE-4.5 moe_statics.e_score_correction_bias: an nn.Parameter
  bool fused_gate_up = false;                   // stored as one gate_up_proj tensor (gpt-oss)
  std::uint64_t dense_first = 0;                // first_k_dense_replace
  std::uint64_t layer_freq = 1;                 // moe_layer_freq / decoder_sparse_step
};

struct MlaSpec {
  std::uint64_t q_lora_rank = 0;  // 0 = no query compression (q_lora_rank null)
  std::uint64_t kv_lora_rank = 0;
  std::uint64_t qk_nope_head_dim = 0;
  std::uint64_t qk_rope_head_dim = 0;
  std::uint64_t v_head_dim = 0;
};

// DeepSeek Sparse Attention's lightning indexer (DeepseekV32Indexer): per layer wq_b (q_lora_rank →
// n_heads·head_dim), wk (hidden → head_dim), k_norm (LayerNorm(head_dim) with bias), weights_proj
// (hidden → n_heads); it caches one head_dim key per token (transformers update_indexer; vLLM
// DeepseekV32IndexerCache).
struct DsaIndexerSpec {
  std::uint64_t n_heads = 0;   // index_n_heads
  std::uint64_t head_dim = 0;  // index_head_dim
  std::uint64_t topk = 0;      // index_topk: keys each query attends to
};

// SigLIP vision tower of a multimodal Gemma-3 (Gemma3ForConditionalGeneration) and its projector.
struct VisionSpec {
  std::uint64_t hidden_size = 768;
  std::uint64_t intermediate_size = 3072;
  std::uint64_t num_layers = 12;
  std::uint64_t num_channels = 3;
  std::uint64_t image_size = 224;
  std::uint64_t patch_size = 16;
  bool use_head = true;  // SiglipMultiheadAttentionPoolingHead unless vision_use_head is false
  // Qwen3-VL-style towers (Qwen3.5): a Conv3d patch embed over temporal_patch_size frames, a learned
  // position table, a patch merger of spatial_merge_size² patches into out_hidden_size.
  std::uint64_t heads = 0;  // attention heads (the rotary table's head_dim); 0 when unused
  std::uint64_t temporal_patch_size = 1;
  std::uint64_t spatial_merge_size = 1;
  std::uint64_t out_hidden_size = 0;
  std::uint64_t position_embeddings = 0;
  std::uint64_t deepstack_mergers = 0;
};

struct EncoderDecoderSpec {      // T5
  std::uint64_t encoder_layers = 0;
  std::uint64_t decoder_layers = 0;
  std::uint64_t relative_attention_num_buckets = 32;
};

enum class QuantMethod : std::uint8_t {
  None,
  BnbInt8,      // bitsandbytes LLM.int8()
  BnbNf4,       // bitsandbytes 4-bit, quant_type nf4
  BnbFp4,       // bitsandbytes 4-bit, quant_type fp4
  Gptq,
  Awq,
  Fp8,          // fp8 (e4m3) weights with per-tensor or block scales
  Mxfp4,        // OCP microscaling 4-bit (gpt-oss)
  Compressed,   // compressed-tensors (recorded, sized by its bits)
  Other,
};

struct QuantSpec {
  QuantMethod method = QuantMethod::None;
  std::string method_name;                      // as written in quant_method
  std::uint32_t bits = 16;
  std::int64_t group_size = -1;                 // -1 = per output channel
  bool zero_point = true;                       // AWQ zero_point / GPTQ sym=false
  bool double_quant = false;                    // bnb_4bit_use_double_quant
  DType compute_dtype = DType::BF16;            // bnb_4bit_compute_dtype
  std::vector<std::string> modules_not_converted;
  std::vector<std::uint64_t> weight_block_size; // fp8 block scales, e.g. [128,128]
};

struct Architecture;  // model/architecture.hpp

// The exact stored bytes of a GGUF file's tensors by where llama.cpp places them (written into the
// config gguf_config_json makes, key "gguf"; model/gguf.hpp): replaces the config-based weight
// sizes when the checkpoint's own format ("auto") is asked for.
struct StoredLayout {
  std::string file_type;                 // "Q4_K_M" (general.file_type), or "" when not one of llama.cpp's
  std::uint64_t input_bytes = 0;         // token_embd and the other input tensors (llama.cpp keeps them on the CPU)
  std::uint64_t output_bytes = 0;        // output_norm, output (a tied model's duplicated token_embd) and other output tensors
  std::vector<std::uint64_t> layer_bytes;  // blk.<i>.*, one per layer
  std::uint64_t quantized_params = 0;    // elements of tensors stored in a quantised ggml type
  std::uint64_t dense_params = 0;        // elements stored as f32/f16/bf16/integers
  // A model without output.weight: llama.cpp loads token_embd a second time as the output tensor,
  // into the output layer's buffer (llama-model-loader.cpp: a TENSOR_DUPLICATED token_embd is
  // treated as LLM_TENSOR_OUTPUT); these are its bytes, not part of the sum above.
  std::uint64_t tied_output_bytes = 0;
};

// What sits on top of the base model in the checkpoint's class (architectures[0]).
enum class HeadKind : std::uint8_t {
  CausalLm,     // …ForCausalLM: lm_head over the vocabulary
  Seq2Seq,      // T5ForConditionalGeneration
  MaskedLm,     // BertForMaskedLM
  Pretraining,  // BertForPreTraining: MLM + next-sentence head
  SeqCls,       // …ForSequenceClassification / MultipleChoice: pooled classifier
  TokenCls,     // …ForTokenClassification
  Qa,           // …ForQuestionAnswering
  Base,         // the bare base model (…Model)
};

// An integer field as the config wrote it: overflow errors name the key the user wrote, alias and
// nesting included ("text_config.n_embd").
struct ReadKey {
  std::string path;
  std::uint64_t value = 0;
};

struct ModelDescription {
  std::string model_type;       // as in config.json (after text_config unwrapping)
  std::string architecture;     // architectures[0] (the full checkpoint class)
  std::string outer_model_type; // model_type of a multimodal wrapper (gemma3), else empty
  const Architecture* arch = nullptr;        // the description of model_type; null for the generic path
  const Architecture* outer_arch = nullptr;  // the multimodal wrapper's description, if modelled
  bool generic = false;         // unknown model_type estimated through the generic decoder path

  std::uint64_t vocab_size = 0;
  std::uint64_t hidden_size = 0;
  std::uint64_t num_layers = 0;
  std::uint64_t num_heads = 0;
  std::uint64_t num_kv_heads = 0;
  std::uint64_t head_dim = 0;
  std::uint64_t intermediate_size = 0;
  std::uint64_t max_position_embeddings = 0;
  // The config's rope_scaling, as declared (read, never applied: the advisor warns with it).
  std::string rope_scaling_type;               // rope_type / type: "llama3", "yarn", "linear", "dynamic" …
  double rope_scaling_factor = 0;              // factor (0 = none given)
  std::uint64_t rope_original_max_positions = 0;  // original_max_position_embeddings (0 = none given)

  MlpKind mlp = MlpKind::Gated;
  std::string activation = "silu";
  NormKind norm = NormKind::RmsNorm;
  BlockStyle block = BlockStyle::PreNorm;
  QkNorm qk_norm = QkNorm::None;

  bool attn_qkv_bias = false;   // bias on q, k, v projections
  bool attn_out_bias = false;   // bias on the output projection
  bool mlp_bias = false;        // bias on MLP projections
  bool fused_qkv = false;       // stored as one qkv matrix (naming and LoRA targets only)
  bool fused_gate_up = false;   // Phi-3 gate_up_proj
  bool tie_word_embeddings = false;
  bool lm_head_bias = false;
  bool final_norm = true;
  bool attention_sinks = false; // gpt-oss per-head sink logits

  std::uint64_t learned_positions = 0;     // rows of a learned position table (0 = none)
  std::uint64_t token_types = 0;           // BERT type_vocab_size
  bool embedding_norm = false;             // BLOOM word_embeddings_layernorm, BERT embeddings.LayerNorm
  std::uint64_t embedding_dim = 0;         // OPT word_embed_proj_dim when ≠ hidden (project_in/out)
  std::uint64_t rotary_dim = 0;            // rotated dims per head (0 = no RoPE)
  std::uint64_t rope_theta_count = 0;      // number of rotary modules at model level (Gemma-3: 2)
  bool rotary_per_layer = false;           // a rotary module inside every attention (Qwen2-MoE in 4.57)
  std::uint64_t causal_mask_positions = 0; // GPT-2/BigCode registered bool causal mask (n×n)
  bool causal_mask_per_layer = false;      // GPT-2: one mask per block (+ masked_bias scalar)
  bool embed_scale_buffer = false;         // Gemma-3 scaled embedding stores its scale as a buffer
  bool bert_position_buffers = false;      // BERT position_ids + token_type_ids (int64)
  bool pooler = false;                     // BertModel pooler (AutoModel view only)
  HeadKind head = HeadKind::CausalLm;      // the full checkpoint class's head (architectures[0])
  std::uint64_t num_labels = 2;

  std::vector<LayerSpec> layers;           // one per decoder layer
  std::optional<MoeSpec> moe;
  std::optional<MlaSpec> mla;
  std::optional<EncoderDecoderSpec> encoder_decoder;
  std::optional<VisionSpec> vision;        // multimodal Gemma-3
  std::uint64_t mtp_layers = 0;            // num_nextn_predict_layers / mtp_num_hidden_layers: stored, not built by transformers
  bool attn_output_gate = false;           // Qwen3-Next / Qwen3.5: q_proj also produces a sigmoid output gate (2× rows)
  std::optional<LinearAttentionSpec> linear_attention;
  std::optional<Mamba2Spec> mamba;
  std::optional<ShortConvSpec> short_conv;
  // dtype of the recurrent (SSM / DeltaNet) state; the conv state uses the KV element type.
  // mamba_ssm_dtype in the config (vLLM MambaDType "auto" = model dtype); transformers and llama.cpp
  // keep their own (see state_bytes in kv_cache.hpp).
  std::optional<DType> ssm_state_dtype;
  std::optional<DsaIndexerSpec> dsa_indexer;  // DeepSeek-V3.2 / GLM-5 sparse attention (layers[i].indexer)

  DType torch_dtype = DType::F32;          // checkpoint dtype from torch_dtype/dtype (F32 if absent)
  bool torch_dtype_given = false;
  QuantSpec quant;
  std::optional<StoredLayout> stored;      // exact bytes of a GGUF file (the config's "gguf" key)

  bool hf_view_uses_full_class = false;    // config auto_map names an AutoModelFor* class
  bool approximate = false;
  std::vector<Message> warnings;
  std::vector<ReadKey> read_keys;          // every integer field read, in reading order

  // The config key that holds `value` (the first read), else the key of the largest value read:
  // what an overflow of a product of config dimensions is blamed on.
  [[nodiscard]] std::string key_for(std::uint64_t value) const;
  [[nodiscard]] bool encoder_only() const;

  [[nodiscard]] std::uint64_t q_dim() const { return num_heads * head_dim; }
  [[nodiscard]] std::uint64_t kv_dim() const { return num_kv_heads * head_dim; }
};

// Parses config.json text. Errors name the field (`num_attention_heads`) and, for malformed JSON,
// the line and column.
[[nodiscard]] Result<ModelDescription> parse_config(std::string_view json_text);

// The model types with an architecture description (model/arch/), sorted.
[[nodiscard]] std::vector<std::string> supported_model_types();

}  // namespace vram

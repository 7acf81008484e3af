// Builds an Inventory tensor group by tensor group, with every shape product checked: a product
// above 2^62 (or a model above the 10^16-parameter ceiling) becomes an Overflow error naming the
// config key that caused it. The generic decoder builder (inventory.cpp) and the hooks of the
// architecture descriptions (arch/*.cpp: T5, BERT heads, vision towers) share this API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vram/model/architecture.hpp"
#include "vram/model/inventory.hpp"

namespace vram::detail {

// The leaf of a dotted module path, as PEFT's target_modules match it ("self.query" → "query").
[[nodiscard]] std::string leaf(std::string_view path);

class InventoryBuilder {
 public:
  explicit InventoryBuilder(const ModelDescription& spec);

  [[nodiscard]] const ModelDescription& spec() const { return s_; }
  [[nodiscard]] const ModuleNames& names() const { return n_; }
  [[nodiscard]] Inventory& inventory() { return inv_; }

  // A repeated block of `count` instances whose first is `name` (prefixed), returning its index.
  int add_block(std::string name, std::uint64_t count, std::uint64_t first, bool moe, bool encoder = false);
  // `rows × cols` elements under `name` (prefixed) in `block` (-1 = top level).
  ParamGroup& add(std::string name, std::string module, Role role, std::uint64_t rows, std::uint64_t cols, int block,
                  std::string unit = {});
  // A Linear (out × in) with an optional bias, registered under module path `path`.
  void linear(const std::string& path, Role role, std::uint64_t out, std::uint64_t in, bool with_bias, int block,
              std::uint64_t experts = 1, const std::string& unit = {});
  void norm(const std::string& path, std::uint64_t width, int block, NormKind kind, const std::string& unit = {});
  void norm(const std::string& path, std::uint64_t width, int block) { norm(path, width, block, s_.norm); }
  void buffer(const std::string& path, std::uint64_t numel, std::uint8_t elem_bytes, int block, const std::string& unit = {});
  // A registered bool causal mask of causal_mask_positions² (GPT-2, GPTBigCode).
  void causal_mask(const std::string& path, int block, const std::string& unit);
  // inv_freq = 1 / base^(arange(0, dim, 2) / dim): ceil(rotary_dim / 2) float32 values.
  void rotary_buffer(const std::string& path, int block);

  // Module path prefix of what is added next ("language_model." inside a multimodal wrapper).
  void set_prefix(std::string prefix) { prefix_ = std::move(prefix); }
  // Direct parameters of a non-leaf module are no accelerate no-split unit.
  void suppress_units(bool on) { unit_suppressed_ = on; }

  // The generic parts (inventory.cpp): one decoder layer, attention, MLPs, the decoder stack, heads.
  void decoder_layer(int block, const LayerSpec& layer);
  void attention(const std::string& prefix, int block, bool indexer = false);
  // The token mixers of hybrid layers (description.hpp: LinearAttentionSpec, Mamba2Spec, ShortConvSpec).
  void linear_attention(const std::string& prefix, int block);
  void mamba2_mixer(const std::string& prefix, int block);
  void short_conv(const std::string& prefix, int block);
  void dense_mlp(const std::string& prefix, int block, std::uint64_t width, Role role);
  void moe_mlp(const std::string& prefix, int block);
  void decoder_stack();
  void causal_lm_head();

  // The first overflow met, as an error naming the config key; checked by build_inventory.
  [[nodiscard]] const std::optional<Error>& overflow() const { return overflow_; }
  // Records an overflow of a product whose largest factor is `largest` (the blamed key's value).
  void note_overflow(std::uint64_t largest);
  // a × b and a + b, checked against 2^62 (saturate and record the overflow, blamed on the config
  // key of the larger operand). Every product or sum of config-derived numbers in the inventory goes
  // through these, so nothing wraps and every overflow names a key.
  std::uint64_t mul(std::uint64_t a, std::uint64_t b);
  std::uint64_t plus(std::uint64_t a, std::uint64_t b);
  // A group's elements over all its instances (rows × cols × experts × block count), checked.
  std::uint64_t group_total(const ParamGroup& g);
  // The config key a number came from: a key the config wrote with that value, or the key of the
  // larger factor of the product (or sum) that made it, else the largest key read.
  [[nodiscard]] std::string key_of(std::uint64_t value) const;
  // Records that `result` was made from a and b outside mul/plus (a reader's product, a quotient):
  // an overflow involving it is blamed on the key of the larger of a and b.
  void derived(std::uint64_t result, std::uint64_t a, std::uint64_t b);

 private:
  const ModelDescription& s_;
  ModuleNames n_;
  Inventory inv_;
  std::string prefix_;
  bool unit_suppressed_ = false;
  std::optional<Error> overflow_;
  // Numbers made by mul/plus → the key blamed for them (bounded: only shapes are recorded).
  static constexpr std::size_t kMaxDerived = 256;
  std::vector<std::pair<std::uint64_t, std::string>> derived_;
};

}  // namespace vram::detail

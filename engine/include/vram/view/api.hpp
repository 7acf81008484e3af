// The entry points a front end calls with what its user gave (config text, options by id, a GPU
// id): each parses, runs the engine and returns the result as a Value (views.hpp) or an error. The
// WebAssembly bindings are this API made callable from JS; the rules that decide what an entry point
// does (which count a fit's GPU count sets, which card vLLM sizes itself from) live here, once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vram/base/message.hpp"
#include "vram/base/result.hpp"
#include "vram/model/model.hpp"
#include "vram/view/value.hpp"
#include "vram/workload/options.hpp"

namespace vram {

class Session {
 public:
  Session(Catalog catalog, Spelling spelling) : catalog_(std::move(catalog)), spelling_(spelling) {}

  // Messages render in this catalog from now on (the page passes its language's).
  void set_catalog(Catalog c) { catalog_ = std::move(c); }
  [[nodiscard]] const Catalog& catalog() const { return catalog_; }
  [[nodiscard]] Spelling spelling() const { return spelling_; }

  // The model of a config text: the last one is kept while the text is unchanged (the page
  // re-estimates the same config on every knob change, and its weight plans are memoised in it).
  [[nodiscard]] Result<std::shared_ptr<const Model>> model(const std::string& config);

  [[nodiscard]] Result<Value> params(const std::string& config);
  [[nodiscard]] Result<Value> inference(const std::string& config, const OptionLookup& options);
  [[nodiscard]] Result<Value> train(const std::string& config, const OptionLookup& options);
  // Does the workload fit on `count` of the GPU `gpu_id`: the count is the tensor-parallel degree
  // of an inference (tp) and the GPUs of a training run (gpus); the card is the workload's GPU.
  [[nodiscard]] Result<Value> fit(const std::string& config, std::string_view mode, const OptionLookup& options,
                                  const std::string& gpu_id, std::uint32_t count);
  // The make-it-fit advisor (estimate/advise.hpp) for the workload on `count` of `gpu_id`, the count
  // set as fit() sets it (tp of an inference, gpus of a training run).
  [[nodiscard]] Result<Value> advise(const std::string& config, std::string_view mode, const OptionLookup& options,
                                     const std::string& gpu_id, std::uint32_t count);
  // Memory against context (inference), sequence length (train) or batch (inference), at `points`
  // evenly spaced values from `from` to `to` (0 = the model's maximum context).
  [[nodiscard]] Result<Value> sweep(const std::string& config, std::string_view axis, const OptionLookup& options,
                                    std::uint64_t from, std::uint64_t to, std::uint32_t points);
  [[nodiscard]] Result<Value> hf_table(const std::string& config);
  [[nodiscard]] Result<Value> safetensors(const std::string& config, const std::vector<std::string>& headers);
  // GGUF headers: `parts` are the first bytes of one file or of every part of a split file (names
  // for errors). A part shorter than its header gives {"need_bytes": N, "part": i}: read at least N
  // bytes of that part and call again. Otherwise view_gguf, whose "config" the other entry points take.
  [[nodiscard]] Result<Value> gguf(const std::vector<std::string>& parts, const std::vector<std::string>& names);
  [[nodiscard]] Result<Value> decode_url_state(std::string_view fragment);
  // The config.json text of the manual form's fields (link/url_state.hpp manual_config).
  [[nodiscard]] Result<Value> manual_config(const std::string& fields_json);
  [[nodiscard]] Result<Value> catalog_config(std::string_view id);
  [[nodiscard]] Value options() const;
  [[nodiscard]] Value error(const Error& e) const;

 private:
  Catalog catalog_;
  Spelling spelling_;
  std::string last_config_;
  std::shared_ptr<const Model> last_model_;
};

}  // namespace vram

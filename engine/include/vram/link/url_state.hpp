// The calculator's state as a shared link carries it: the page's URL fragment
// ("#model=…&tab=training&training.gradAccum=4&units=GB"), and the widget's attributes, which the
// widget turns into the same fragment. Links come from strangers, so they are decoded and checked
// here, once, for every front end: a damaged or hostile link can only lose its bad parts, and each
// part it loses is reported with the parameter's name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vram/base/result.hpp"

namespace vram {

// One workload knob of one tab, e.g. {"training", "gradAccum", "4"}. `key` is spelled as in the
// link (camelCase, the bindings' spelling of an option key); `value` has passed that option's own
// validation (options.hpp), so the estimate will accept it on its own.
struct UrlKnob {
  std::string tab;    // inference | serving | finetune | training
  std::string key;
  std::string value;
};

struct UrlState {
  std::string source;            // catalog | hub | paste | manual; "" when the link names no model
  std::string model;             // catalog id (source == "catalog")
  std::string hub;               // Hub repo id, "org/name" or "name" (source == "hub")
  std::string config;            // pasted config.json text, base64url-decoded (source == "paste")
  std::string manual;            // manual-form fields as one JSON object text (source == "manual")
  std::string tab;               // one of the four tabs; "" when absent
  std::vector<UrlKnob> knobs;    // in link order; a later duplicate replaces an earlier one
  std::string gpu;               // an id of the GPU table (gpus.hpp); "" when absent
  std::uint32_t gpus = 0;        // GPU count, 1…kMaxUrlGpus; 0 when absent
  std::string units;             // as given; the page checks it against its own list
  std::string lang;              // as given; likewise
  std::vector<Error> ignored;    // every parameter dropped, `field` = its name in the link
};

// Where a model comes from, as a link names it (`source`): catalog, hub, paste, manual.
[[nodiscard]] const std::vector<std::string_view>& model_sources();

// The manual form's dimension fields (config.json names of a Llama-style decoder), in form order;
// a link's "manual" parameter may hold only these (and tie_word_embeddings).
[[nodiscard]] const std::vector<std::string_view>& manual_form_fields();
// The config.json text the manual form's fields stand for (a JSON object of manual_form_fields
// values — numbers, digit strings or "" for a field left empty — and tie_word_embeddings): the
// fields given, read as the architecture the form stands for (model/architecture.hpp).
[[nodiscard]] Result<std::string> manual_config(const std::string& fields_json);

inline constexpr std::size_t kMaxUrlStateBytes = 64 * 1024;  // a fragment longer than this is refused
inline constexpr std::size_t kMaxUrlConfigBytes = 8000;       // decoded pasted config carried in a link
inline constexpr std::uint32_t kMaxUrlGpus = 4096;

// Decodes an application/x-www-form-urlencoded fragment (an optional leading '#' or '?' is skipped),
// as the browser's URLSearchParams would, then validates every parameter. Fails only when the
// fragment as a whole is unusable (longer than kMaxUrlStateBytes); anything else is a value with
// the bad parameters listed in `ignored`.
[[nodiscard]] Result<UrlState> decode_url_state(std::string_view fragment);

}  // namespace vram

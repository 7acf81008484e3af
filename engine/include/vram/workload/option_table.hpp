// The option table: every workload knob once — its id, type, range, choices, label and help (message
// ids), how it reads into and out of the options struct (whose member initialisers are the
// defaults), and the rules between knobs. The CLI's flags and --help, the bindings' option lookup,
// the link decoder and the page's knobs (ranges, defaults, lists, labels) all read this table; none
// re-declares a limit. Spellings are derived from the id in one place (base/message.hpp
// spell_option): snake_case in the engine and CLI JSON, --kebab-case in the CLI, camelCase in JS and
// in links ("<tab>.<camelCase>").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vram/base/message.hpp"
#include "vram/base/result.hpp"
#include "vram/model/description.hpp"
#include "vram/workload/workload.hpp"

namespace vram {

enum class ValueType : std::uint8_t {
  UInt,          // non-negative integer in [min, max]
  Int,           // signed integer in [min, max]
  Number,        // decimal number in [min, max]
  Bool,          // true / false (CLI: a switch)
  Choice,        // one of `choices` ids
  Text,          // free text (lora_targets), non-empty
  WeightFormat,  // a weight format id (parse_weight_format)
};

// A value as the parser read it.
struct OptionValue {
  std::uint64_t u = 0;
  std::int64_t i = 0;
  double d = 0;
  bool b = false;
  std::string text;  // Choice / Text / WeightFormat (and the canonical spelling of any value)
};

template <class Options>
struct OptionDef {
  std::string_view id = {};
  ValueType type = ValueType::UInt;
  double min = 0, max = 0;                          // UInt / Int / Number (inclusive)
  double step = 1;                                  // the page's input step
  std::vector<std::string> (*choices)() = nullptr;  // Choice ids (and WeightFormat's list for the page)
  Msg label = Msg::none;
  Msg help = Msg::none;
  void (*set)(Options&, const OptionValue&) = nullptr;
  OptionValue (*get)(const Options&) = nullptr;
  bool link = true;       // may come from a shared link / widget attribute (not the safetensors byte overrides)
  bool knob = true;       // shown as a knob on the page (hidden ones are set by the page itself)
  // The page shows the knob only while another option has this value (runtime = vllm …).
  std::string_view shown_when_option = {};
  std::string_view shown_when_value = {};
};

// A rule between options (and the model, when one is given; rules that need it skip otherwise).
template <class Options>
struct OptionRule {
  std::string_view id = {};
  std::optional<Error> (*check)(const Options&, const ModelDescription* model) = nullptr;
};

[[nodiscard]] const std::vector<OptionDef<InferenceOptions>>& inference_option_table();
[[nodiscard]] const std::vector<OptionDef<TrainOptions>>& train_option_table();
[[nodiscard]] const std::vector<OptionRule<InferenceOptions>>& inference_option_rules();
[[nodiscard]] const std::vector<OptionRule<TrainOptions>>& train_option_rules();

// The page's tabs: which estimate each runs, the defaults it changes, the knobs it shows in order.
struct TabDef {
  std::string_view id = {};                 // inference | serving | finetune | training
  bool train = false;                       // runs the training estimate (else inference)
  std::vector<std::pair<std::string_view, std::string_view>> overrides = {};  // option id → value
  std::vector<std::string_view> knobs = {};  // option ids, in display order
  Msg label = Msg::none;
};
[[nodiscard]] const std::vector<TabDef>& tab_table();
[[nodiscard]] const TabDef* find_tab(std::string_view id);

// Reads one option's text into `o` with the table's type and range checks; an error names the option id.
template <class Options>
[[nodiscard]] std::optional<Error> read_option(const OptionDef<Options>& def, std::string_view text, Options& o);
// Checks every option's value against its range and every rule (model-dependent ones when `model`).
template <class Options>
[[nodiscard]] std::optional<Error> check_options(const Options& o, const ModelDescription* model);
// The option's value in `o` as text (the canonical spelling the parser accepts).
template <class Options>
[[nodiscard]] std::string option_text(const OptionDef<Options>& def, const Options& o);

}  // namespace vram

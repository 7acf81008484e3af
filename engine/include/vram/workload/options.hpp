// Workload options from id → text pairs, read through the option table (option_table.hpp) for every
// front end: the CLI looks ids up as --kebab-case flags, the bindings as camelCase properties, links
// as "<tab>.<camelCase>" parameters. Errors carry the option id; each front end spells it its own way
// when it renders the message.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vram/workload/option_table.hpp"
#include "vram/workload/workload.hpp"

namespace vram {

// Returns the text given for an option id, or nullopt when it was not given.
using OptionLookup = std::function<std::optional<std::string>(std::string_view id)>;

// Every option of the table the lookup gives, type- and range-checked, then the rules between
// options that need no model (the estimate checks the rest).
[[nodiscard]] Result<InferenceOptions> inference_options(const OptionLookup& get);
[[nodiscard]] Result<TrainOptions> train_options(const OptionLookup& get);

// One option's value on its own, as a link or a widget attribute carries it: its type and range only.
// Returns the value in its canonical spelling (a boolean as "true" / "false"); an unknown id, or one
// that links may not set, is an UnknownName error.
[[nodiscard]] Result<std::string> check_inference_option(std::string_view id, std::string_view value);
[[nodiscard]] Result<std::string> check_train_option(std::string_view id, std::string_view value);

// The option ids, in table order.
[[nodiscard]] std::vector<std::string> inference_option_keys();
[[nodiscard]] std::vector<std::string> train_option_keys();

// A tab's defaults: the options struct's defaults with the tab's overrides (TabDef::overrides).
[[nodiscard]] InferenceOptions inference_defaults(const TabDef& tab);
[[nodiscard]] TrainOptions train_defaults(const TabDef& tab);

}  // namespace vram

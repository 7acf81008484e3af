#include "vram/workload/options.hpp"

namespace vram {
namespace {

template <class Options>
Result<Options> read_all(const std::vector<OptionDef<Options>>& table, const std::vector<OptionRule<Options>>& rules,
                         const OptionLookup& get) {
  Options o;
  for (const auto& d : table) {
    auto v = get(d.id);
    if (!v) continue;
    if (auto e = read_option(d, *v, o)) return *e;
  }
  for (const auto& r : rules)
    if (auto e = r.check(o, nullptr)) return *e;
  return o;
}

template <class Options>
Result<std::string> check_one(const std::vector<OptionDef<Options>>& table, std::string_view id, std::string_view value) {
  for (const auto& d : table) {
    if (d.id != id || !d.link) continue;
    Options o;
    if (auto e = read_option(d, value, o)) return *e;
    return option_text(d, o);
  }
  return make_error(ErrorCode::UnknownName, std::string(id), {Msg::error_option_unknown, {{"field", OptionRef{id}}}});
}

template <class Options>
std::vector<std::string> keys_of(const std::vector<OptionDef<Options>>& table) {
  std::vector<std::string> out;
  for (const auto& d : table) out.emplace_back(d.id);
  return out;
}

template <class Options>
Options defaults_of(const std::vector<OptionDef<Options>>& table, const TabDef& tab) {
  Options o;
  for (const auto& [id, value] : tab.overrides)
    for (const auto& d : table)
      if (d.id == id) (void)read_option(d, value, o);
  return o;
}

}  // namespace

Result<InferenceOptions> inference_options(const OptionLookup& get) {
  return read_all(inference_option_table(), inference_option_rules(), get);
}
Result<TrainOptions> train_options(const OptionLookup& get) { return read_all(train_option_table(), train_option_rules(), get); }

Result<std::string> check_inference_option(std::string_view id, std::string_view value) {
  return check_one(inference_option_table(), id, value);
}
Result<std::string> check_train_option(std::string_view id, std::string_view value) {
  return check_one(train_option_table(), id, value);
}

std::vector<std::string> inference_option_keys() { return keys_of(inference_option_table()); }
std::vector<std::string> train_option_keys() { return keys_of(train_option_table()); }

InferenceOptions inference_defaults(const TabDef& tab) { return defaults_of(inference_option_table(), tab); }
TrainOptions train_defaults(const TabDef& tab) { return defaults_of(train_option_table(), tab); }

}  // namespace vram

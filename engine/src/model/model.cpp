#include "vram/model/model.hpp"

namespace vram {

Result<Model> load_model(std::string_view config_json) {
  auto spec = parse_config(config_json);
  if (!spec) return spec.error();
  auto inv = build_inventory(spec.value());
  if (!inv) return inv.error();
  return Model{std::move(spec).value(), std::move(inv).value(), nullptr};
}

}  // namespace vram

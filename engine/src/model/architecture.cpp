#include "vram/model/architecture.hpp"

namespace vram {
namespace detail {
extern const ArchitectureFamily* const kArchitectureFamilies[];
extern const std::size_t kArchitectureFamilyCount;
}  // namespace detail

const std::vector<const Architecture*>& architectures() {
  static const std::vector<const Architecture*> all = [] {
    std::vector<const Architecture*> v;
    for (std::size_t i = 0; i < detail::kArchitectureFamilyCount; ++i)
      for (const Architecture& a : *detail::kArchitectureFamilies[i]) v.push_back(&a);
    return v;
  }();
  return all;
}

const Architecture* find_architecture(std::string_view model_type) {
  for (const Architecture* a : architectures()) {
    if (a->model_type == model_type) return a;
    for (auto alias : a->aliases)
      if (alias == model_type) return a;
  }
  return nullptr;
}

const Architecture& manual_form_architecture() {
  static const Architecture& form = [] () -> const Architecture& {
    for (const Architecture* a : architectures())
      if (a->manual_form) return *a;
    return *architectures().front();  // unreachable while arch/llama.cpp sets it (tests/model/architecture_test.cpp)
  }();
  return form;
}

}  // namespace vram

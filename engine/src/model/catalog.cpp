#include "vram/model/catalog.hpp"

#include <cctype>

#include "base/text.hpp"

#include "base/catalog_data.hpp"

namespace vram {
namespace {

using detail::lower;

CatalogModel to_model(const detail::CatalogModelRow& r) {
  return CatalogModel{r.id, r.name, r.family, r.published_params, r.config_json};
}

}  // namespace

std::vector<CatalogModel> catalog_models() {
  std::vector<CatalogModel> out;
  out.reserve(detail::kCatalogModelCount);
  for (std::size_t i = 0; i < detail::kCatalogModelCount; ++i) out.push_back(to_model(detail::kCatalogModels[i]));
  return out;
}

std::string normalize_model_id(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  for (std::string_view host : {"https://huggingface.co/", "http://huggingface.co/", "huggingface.co/", "hf.co/",
                                "https://hf.co/"}) {
    if (s.substr(0, host.size()) == host) {
      s.remove_prefix(host.size());
      break;
    }
  }
  // org/name is the first two path segments.
  const auto slash = s.find('/');
  if (slash == std::string_view::npos || slash == 0) return {};
  const auto end = s.find_first_of("/?#", slash + 1);
  const std::string_view id = s.substr(0, end);
  if (id.size() == slash + 1) return {};
  return std::string(id);
}

Result<CatalogModel> find_catalog_model(std::string_view id_or_url) {
  const std::string id = lower(normalize_model_id(id_or_url));
  for (std::size_t i = 0; i < detail::kCatalogModelCount; ++i) {
    const auto& row = detail::kCatalogModels[i];
    if (lower(row.id) == id && !id.empty()) return to_model(row);
  }
  return make_error(ErrorCode::UnknownName, "model",
                    "model \"" + std::string(id_or_url) + "\" is not in the built-in catalog (use a config.json file instead)");
}

}  // namespace vram

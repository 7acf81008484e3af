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

namespace {

bool valid_repo_part(std::string_view p) {
  if (p.empty() || p.size() > 96) return false;
  const auto word = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; };
  for (char c : p)
    if (!word(c) && c != '.' && c != '-') return false;
  if (!word(p.front()) || !word(p.back())) return false;
  if (p.find("--") != std::string_view::npos || p.find("..") != std::string_view::npos) return false;
  return true;
}

}  // namespace

bool valid_repo_id(std::string_view id) {
  if (id.size() >= 4 && id.substr(id.size() - 4) == ".git") return false;
  const std::size_t slash = id.find('/');
  if (slash == std::string_view::npos) return valid_repo_part(id);
  return valid_repo_part(id.substr(0, slash)) && valid_repo_part(id.substr(slash + 1));
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
  const std::string shown = id_or_url.size() > 80 ? std::string(id_or_url.substr(0, 77)) + "..." : std::string(id_or_url);
  return make_error(ErrorCode::UnknownName, "model", {Msg::error_catalog_unknown_model, {{"value", shown}}});
}

}  // namespace vram

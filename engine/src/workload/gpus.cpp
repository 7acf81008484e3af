#include "vram/workload/gpus.hpp"

#include <cctype>

#include "base/text.hpp"

#include "base/catalog_data.hpp"

namespace vram {
namespace {

using detail::lower;

std::string shown(std::string_view v) { return v.size() > 40 ? std::string(v.substr(0, 37)) + "..." : std::string(v); }

Gpu to_gpu(const detail::GpuRow& r) {
  return Gpu{r.id, r.name, r.vendor, r.segment, r.memory_bytes, r.reported_bytes, r.usable_fraction, r.bandwidth_gbps};
}

}  // namespace

std::uint64_t Gpu::usable_bytes() const {
  const std::uint64_t total = reported_bytes ? reported_bytes : memory_bytes;
  return static_cast<std::uint64_t>(static_cast<double>(total) * usable_fraction);
}

std::string_view default_gpu_id() { return "rtx-4090"; }

std::vector<Gpu> gpus() {
  std::vector<Gpu> out;
  out.reserve(detail::kGpuCount);
  for (std::size_t i = 0; i < detail::kGpuCount; ++i) out.push_back(to_gpu(detail::kGpus[i]));
  return out;
}

Result<Gpu> find_gpu(std::string_view query) {
  const std::string q = lower(query);
  if (q.empty()) return make_error(ErrorCode::MissingField, "gpu", {Msg::error_gpu_required, {{"field", OptionRef{"gpu"}}}});
  const Gpu* partial = nullptr;
  int partial_count = 0;
  const auto all = gpus();
  for (const auto& g : all) {
    if (lower(g.id) == q || lower(g.name) == q) return g;
  }
  std::string candidates;
  for (const auto& g : all) {
    if (lower(g.id).find(q) != std::string::npos || lower(g.name).find(q) != std::string::npos) {
      partial = &g;
      ++partial_count;
      if (partial_count <= 6) candidates += (candidates.empty() ? "" : ", ") + std::string(g.id);
    }
  }
  if (partial_count == 1) return *partial;
  if (partial_count > 1)
    return make_error(ErrorCode::UnknownName, "gpu",
                      {Msg::error_gpu_ambiguous,
                       {{"field", OptionRef{"gpu"}}, {"value", shown(query)}, {"candidates", candidates + (partial_count > 6 ? ", …" : "")}}});
  return make_error(ErrorCode::UnknownName, "gpu", {Msg::error_gpu_unknown, {{"field", OptionRef{"gpu"}}, {"value", shown(query)}}});
}

}  // namespace vram

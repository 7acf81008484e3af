#include "vram/workload/gpus.hpp"

#include <cctype>

#include "base/text.hpp"

#include "base/catalog_data.hpp"

namespace vram {
namespace {

using detail::lower;

std::string shown(std::string_view v) { return v.size() > 40 ? std::string(v.substr(0, 37)) + "..." : std::string(v); }

Gpu to_gpu(const detail::GpuRow& r) {
  return Gpu{r.id, r.name, r.vendor, r.segment, r.arch, r.compute_capability, r.memory_bytes, r.reported_bytes, r.usable_fraction, r.bandwidth_gbps};
}

}  // namespace

std::uint64_t Gpu::usable_bytes() const {
  const std::uint64_t total = reported_bytes ? reported_bytes : memory_bytes;
  return static_cast<std::uint64_t>(static_cast<double>(total) * usable_fraction);
}

// Sources, per column:
//  - architecture and compute capability: NVIDIA's CUDA GPUs table (developer.nvidia.com/cuda-gpus:
//    Maxwell 5.2, Pascal 6.1, Volta 7.0, Turing 7.5, Ampere 8.0/8.6, Ada 8.9, Hopper 9.0, Blackwell
//    10.0 / 12.0); AMD's ROCm hardware table (MI250 gfx90a CDNA2, MI300X/MI325X gfx942 CDNA3,
//    RX 7900 XTX gfx1100 RDNA3).
//  - bf16: CUDA's __nv_bfloat16 tensor-core math starts at sm_80 (Ampere), none on Pascal/Volta/Turing;
//    CDNA2/CDNA3 and RDNA3 (WMMA) have bf16; Apple GPUs from M2 (Metal 3.1 bfloat, PyTorch MPS bf16);
//    Intel Xe-HPG/Xe2 XMX engines take bf16.
//  - fp8: tensor cores with FP8 from Ada (sm_89) and Hopper (sm_90) on (NVIDIA Transformer Engine
//    requires compute capability 8.9+); AMD CDNA3 (MI300 ISA); no FP8 on RDNA3, Apple or Intel Arc.
//  - fp4: NVIDIA Blackwell's fifth-generation tensor cores (NVFP4 / MXFP4), none before.
//  - flash_attn2: the FlashAttention README ("FlashAttention-2 currently supports Ampere, Ada, or
//    Hopper GPUs … please use FlashAttention 1.x for Turing"; its setup.py adds sm_100 / sm_120 for
//    Blackwell with CUDA 12.8); the ROCm build supports MI200 / MI300 (CDNA2/3). Not on Apple or Intel.
GpuCaps gpu_caps(std::string_view vendor, std::string_view arch) {
  GpuCaps c;
  c.cuda = vendor == "nvidia";
  c.rocm = vendor == "amd";
  const bool ampere_plus = arch == "ampere" || arch == "ada" || arch == "hopper" || arch == "blackwell";
  c.bf16 = ampere_plus || arch == "cdna2" || arch == "cdna3" || arch == "rdna3" || arch == "apple-m2" || arch == "apple-m3" ||
           arch == "apple-m4" || arch == "xe-hpg" || arch == "xe2-hpg";
  c.fp8 = arch == "ada" || arch == "hopper" || arch == "blackwell" || arch == "cdna3";
  c.fp4 = arch == "blackwell";
  c.flash_attn2 = ampere_plus || arch == "cdna2" || arch == "cdna3";
  return c;
}

GpuCaps Gpu::caps() const { return gpu_caps(vendor, arch); }

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

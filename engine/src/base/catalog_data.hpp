// Rows of the embedded catalogs (generated into the build tree from engine/catalog/*.json).
#pragma once

#include <cstddef>
#include <cstdint>

namespace vram::detail {

struct CatalogModelRow {
  const char* id;
  const char* name;
  const char* family;
  std::uint64_t published_params;  // 0 = none published
  const char* config_json;
};

struct GpuRow {
  const char* id;
  const char* name;
  const char* vendor;
  const char* segment;
  const char* arch;                // architecture generation: pascal, ampere, ada, cdna3, apple-m2, xe-hpg …
  const char* compute_capability;  // NVIDIA sm version ("8.9"), AMD LLVM target ("gfx942"), "" = none
  std::uint64_t memory_bytes;
  std::uint64_t reported_bytes;  // total the driver reports (nvidia-smi), 0 = unknown
  double usable_fraction;
  double bandwidth_gbps;
};

extern const CatalogModelRow kCatalogModels[];
extern const std::size_t kCatalogModelCount;
extern const GpuRow kGpus[];
extern const std::size_t kGpuCount;

}  // namespace vram::detail

// The accelerator catalog: the cards an estimate can be checked against.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "vram/base/result.hpp"

namespace vram {

struct Gpu {
  std::string_view id;       // "rtx-4090"
  std::string_view name;     // "NVIDIA GeForce RTX 4090"
  std::string_view vendor;   // nvidia, amd, apple, intel
  std::string_view segment;  // consumer, workstation, datacenter, apple
  std::uint64_t memory_bytes = 0;    // marketed capacity (24 GB card = 24 GiB)
  std::uint64_t reported_bytes = 0;  // what the driver reports as total (0 = unknown)
  double usable_fraction = 1.0;      // < 1 where the platform reserves memory (Apple unified memory)
  double bandwidth_gbps = 0;

  // Bytes an application can allocate: the driver's total (else the marketed one) × usable fraction.
  [[nodiscard]] std::uint64_t usable_bytes() const;
};

[[nodiscard]] std::vector<Gpu> gpus();
// The card the page and the widget start with (and the embed snippet leaves out when unchanged).
[[nodiscard]] std::string_view default_gpu_id();
// By id ("h100-sxm"), exact name, or a unique case-insensitive fragment ("4090", "H200 NVL").
[[nodiscard]] Result<Gpu> find_gpu(std::string_view query);

}  // namespace vram

// The accelerator catalog: the cards an estimate can be checked against.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "vram/base/result.hpp"

namespace vram {

// What an architecture generation runs natively, which decides what the advisor may offer
// (workload/gpus.cpp gpu_caps names the source of each column).
struct GpuCaps {
  bool bf16 = false;         // bfloat16 arithmetic (else fp16 is the 16-bit compute dtype)
  bool fp8 = false;          // FP8 (e4m3/e5m2) tensor math: NVIDIA Ada/Hopper/Blackwell, AMD CDNA3
  bool fp4 = false;          // native FP4 tensor math: NVIDIA Blackwell
  bool flash_attn2 = false;  // the FlashAttention-2 package (Dao-AILab/flash-attention) runs
  bool cuda = false;         // an NVIDIA CUDA device (bitsandbytes, GPTQ/AWQ kernels, DeepSpeed)
  bool rocm = false;         // an AMD ROCm device (vLLM, bitsandbytes and DeepSpeed have ROCm builds)
};

struct Gpu {
  std::string_view id;       // "rtx-4090"
  std::string_view name;     // "NVIDIA GeForce RTX 4090"
  std::string_view vendor;   // nvidia, amd, apple, intel
  std::string_view segment;  // consumer, workstation, datacenter, apple
  std::string_view arch;     // maxwell, pascal, volta, turing, ampere, ada, hopper, blackwell, cdna2, cdna3,
                             // rdna3, apple-m2, apple-m3, apple-m4, xe-hpg, xe2-hpg
  std::string_view compute_capability;  // NVIDIA "8.9", AMD LLVM target "gfx942", "" (Apple, Intel)
  std::uint64_t memory_bytes = 0;    // marketed capacity (24 GB card = 24 GiB)
  std::uint64_t reported_bytes = 0;  // what the driver reports as total (0 = unknown)
  double usable_fraction = 1.0;      // < 1 where the platform reserves memory (Apple unified memory)
  double bandwidth_gbps = 0;

  // Bytes an application can allocate: the driver's total (else the marketed one) × usable fraction.
  [[nodiscard]] std::uint64_t usable_bytes() const;
  [[nodiscard]] GpuCaps caps() const;
};

// The capabilities of an architecture generation (all false for an unknown one).
[[nodiscard]] GpuCaps gpu_caps(std::string_view vendor, std::string_view arch);

[[nodiscard]] std::vector<Gpu> gpus();
// The card the page and the widget start with (and the embed snippet leaves out when unchanged).
[[nodiscard]] std::string_view default_gpu_id();
// By id ("h100-sxm"), exact name, or a unique case-insensitive fragment ("4090", "H200 NVL").
[[nodiscard]] Result<Gpu> find_gpu(std::string_view query);

}  // namespace vram

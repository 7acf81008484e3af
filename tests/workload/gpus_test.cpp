// gpus.cpp: the accelerator catalog and lookups. Oracle for capacities: vendor specifications and
// driver-reported totals recorded in engine/catalog/gpus.json (sources per entry).
#include <catch2/catch.hpp>

#include "test_support.hpp"

#include "vram/estimate/solve.hpp"
#include "vram/workload/gpus.hpp"

TEST_CASE("the catalog covers the required range of accelerators", "[gpus]") {
  const auto all = vram::gpus();
  CHECK(all.size() >= 40);
  for (const char* id : {"gtx-960-4gb", "rtx-5090", "rtx-a4000", "rtx-pro-6000-blackwell", "t4", "v100-16gb", "v100-32gb", "a10",
                         "a10g", "l4", "l40s", "a100-40gb", "a100-80gb-sxm", "h100-sxm", "h200-sxm", "b200", "rx-7900-xtx",
                         "mi250", "mi300x", "mi325x", "m3-max-128gb", "arc-a770-16gb"}) {
    INFO(id);
    CHECK(vram::find_gpu(id).ok());
  }
  for (const auto& g : all) {
    INFO(g.id);
    CHECK(g.memory_bytes >= (std::uint64_t{4} << 30));
    CHECK(g.usable_fraction > 0.5);
    CHECK(g.usable_fraction <= 1.0);
    CHECK(g.bandwidth_gbps > 50);
  }
}

TEST_CASE("usable bytes: driver total when known, unified memory fraction on Apple", "[gpus]") {
  // nvidia-smi reports 24564 MiB total on an RTX 4090 (entry's reported_bytes).
  CHECK(vram::find_gpu("rtx-4090").value().usable_bytes() == 24564ull * 1048576);
  const auto m = vram::find_gpu("m3-max-128gb").value();
  CHECK(m.usable_bytes() < m.memory_bytes);
}

TEST_CASE("lookup by id, name or unique fragment; ambiguity and unknowns are named errors", "[gpus][errors]") {
  CHECK(vram::find_gpu("RTX 4090").value().id == "rtx-4090");
  CHECK(vram::find_gpu("NVIDIA GeForce RTX 4090").value().id == "rtx-4090");
  auto amb = vram::find_gpu("h100");
  REQUIRE_FALSE(amb.ok());
  CHECK_THAT(vram::test::english(amb.error()), Catch::Contains("matches several GPUs"));
  auto none = vram::find_gpu("voodoo 2");
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().field == "gpu");
}

TEST_CASE("capabilities follow the architecture generation", "[gpus][caps]") {
  // Oracle: NVIDIA's CUDA GPUs compute-capability table (GTX 1060 6.1, RTX 2080 Ti / T4 7.5, V100 7.0,
  // RTX 3060 8.6, A100 8.0, RTX 4090 8.9, H100 9.0, B200 10.0, RTX 5090 12.0); the FlashAttention
  // README (FlashAttention-2 on Ampere, Ada, Hopper; Turing needs FlashAttention 1.x); FP8 tensor
  // cores from Ada / Hopper; FP4 on Blackwell; AMD CDNA3 FP8; no FP8 on Apple, Intel Arc or RDNA3.
  struct Row {
    const char* id;
    const char* arch;
    const char* cc;
    bool bf16, fp8, fp4, fa2;
  };
  for (const Row& r : {Row{"gtx-960-4gb", "maxwell", "5.2", false, false, false, false},
                       Row{"gtx-1060-6gb", "pascal", "6.1", false, false, false, false},
                       Row{"v100-16gb", "volta", "7.0", false, false, false, false},
                       Row{"t4", "turing", "7.5", false, false, false, false},
                       Row{"rtx-2080-ti", "turing", "7.5", false, false, false, false},
                       Row{"rtx-3060-12gb", "ampere", "8.6", true, false, false, true},
                       Row{"a100-80gb-sxm", "ampere", "8.0", true, false, false, true},
                       Row{"rtx-4090", "ada", "8.9", true, true, false, true},
                       Row{"l4", "ada", "8.9", true, true, false, true},
                       Row{"h100-sxm", "hopper", "9.0", true, true, false, true},
                       Row{"b200", "blackwell", "10.0", true, true, true, true},
                       Row{"rtx-5090", "blackwell", "12.0", true, true, true, true},
                       Row{"mi250", "cdna2", "gfx90a", true, false, false, true},
                       Row{"mi300x", "cdna3", "gfx942", true, true, false, true},
                       Row{"rx-7900-xtx", "rdna3", "gfx1100", true, false, false, false},
                       Row{"m2-pro-16gb", "apple-m2", "", true, false, false, false},
                       Row{"m4-max-128gb", "apple-m4", "", true, false, false, false},
                       Row{"arc-a770-16gb", "xe-hpg", "", true, false, false, false},
                       Row{"arc-b580", "xe2-hpg", "", true, false, false, false}}) {
    INFO(r.id);
    const auto g = vram::find_gpu(r.id).value();
    CHECK(g.arch == r.arch);
    CHECK(g.compute_capability == r.cc);
    const auto c = g.caps();
    CHECK(c.bf16 == r.bf16);
    CHECK(c.fp8 == r.fp8);
    CHECK(c.fp4 == r.fp4);
    CHECK(c.flash_attn2 == r.fa2);
  }
  for (const auto& g : vram::gpus()) {
    INFO(g.id);
    CHECK_FALSE(g.arch.empty());
    CHECK(g.compute_capability.empty() == (g.vendor == "apple" || g.vendor == "intel"));
    if (g.caps().fp8) CHECK(g.caps().bf16);  // every FP8 generation also has bf16
  }
}

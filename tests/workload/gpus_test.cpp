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

// hub_plan.cpp: which Hub files to read and how much. Oracle: web/src/lib/hub.js (LIMITS, SHARD_NAME,
// readSafetensorsHeaders), the page's loader these rules were moved from.
#include <catch2/catch.hpp>

#include <string>

#include "vram/model/hub_plan.hpp"

TEST_CASE("the index names each shard once, in order", "[hub]") {
  auto r = vram::hub_shards_from_index(R"({"metadata":{},"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors","c":"model-00001-of-00002.safetensors"}})");
  REQUIRE(r.ok());
  REQUIRE(r.value() == std::vector<std::string>{"model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"});
}

TEST_CASE("hostile indexes are errors naming the index", "[hub]") {
  for (const char* bad : {R"({"weight_map":{"a":"../x.safetensors"}})", R"({"weight_map":{"a":"/etc/x.safetensors"}})", R"({"weight_map":{"a":"x.bin"}})",
                          R"({"weight_map":{"a":1}})", R"({"weight_map":[]})", R"([])", "{", ""}) {
    auto r = vram::hub_shards_from_index(bad);
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.error().field == "model.safetensors.index.json");
  }
  std::string many = R"({"weight_map":{)";
  for (int i = 0; i < 257; ++i) {
    const std::string n = std::to_string(i);
    if (i) many += ',';
    many += "\"t";
    many += n;
    many += "\":\"s";
    many += n;
    many += ".safetensors\"";
  }
  REQUIRE_FALSE(vram::hub_shards_from_index(many + "}}").ok());
}

TEST_CASE("a header length is checked against the page's limits", "[hub]") {
  const std::string len100("\x64\0\0\0\0\0\0\0", 8);
  REQUIRE(vram::hub_safetensors_header_length(len100, "model.safetensors", 0).value() == 100);
  const std::string huge("\0\0\0\0\0\x01\0\0", 8);  // 2^40
  REQUIRE_FALSE(vram::hub_safetensors_header_length(huge, "model.safetensors", 0).ok());
  REQUIRE_FALSE(vram::hub_safetensors_header_length("abc", "model.safetensors", 0).ok());
  // The budget across shards: 64 MiB in all.
  REQUIRE_FALSE(vram::hub_safetensors_header_length(len100, "s.safetensors", vram::kHubLimits.headers - 50).ok());
  STATIC_REQUIRE(vram::kHubLimits.config == 5'000'000);
  STATIC_REQUIRE(vram::kHubLimits.header == 25'000'000);
}

TEST_CASE("GGUF chunks grow and stop at the cap", "[hub]") {
  REQUIRE(vram::hub_gguf_next_chunk(0, 24, "x.gguf").value() == vram::kHubLimits.gguf_first_chunk);
  REQUIRE(vram::hub_gguf_next_chunk(std::uint64_t{2} << 20, (std::uint64_t{2} << 20) + 1, "x.gguf").value() == std::uint64_t{4} << 20);
  REQUIRE_FALSE(vram::hub_gguf_next_chunk(1, vram::kHubLimits.gguf_max + 1, "x.gguf").ok());
}

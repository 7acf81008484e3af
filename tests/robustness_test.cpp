// Bad input never crashes: every catalog config with each numeric field replaced by hostile values
// goes through parse → inventory → inference → training. Each call must return a value or a named
// error (run under ASan + UBSan by tools/test.sh). Oracle: the engine's contract (errors are
// values naming the field), not a number.
#include <catch2/catch.hpp>

#include "test_support.hpp"

#include <nlohmann/json.hpp>

#include "vram/model/catalog.hpp"
#include "vram/estimate/estimate.hpp"

TEST_CASE("hostile values in every numeric config field give a value or a named error", "[robustness]") {
  const std::vector<nlohmann::json> hostile{0, -1, 1e30, 2147483648.0, 3.5, "x", nullptr, nlohmann::json::array(),
                                            nlohmann::json::object(), true, 18446744073709551615ull};
  std::size_t runs = 0, errors = 0;
  const auto models = vram::catalog_models();
  for (std::size_t mi = 0; mi < models.size(); mi += 3) {  // every third model keeps the run short
    const auto base = nlohmann::json::parse(models[mi].config_json);
    for (const auto& [key, value] : base.items()) {
      if (!value.is_number()) continue;
      for (const auto& h : hostile) {
        nlohmann::json cfg = base;
        cfg[key] = h;
        const std::string text = cfg.dump();
        INFO(models[mi].id << ": " << key << " = " << h.dump());
        auto m = vram::load_model(text);
        ++runs;
        if (!m) {
          ++errors;
          CHECK_FALSE(vram::test::english(m.error()).empty());
          CHECK_FALSE(m.error().field.empty());
          continue;
        }
        vram::InferenceOptions io;
        io.context = 4096;
        auto inf = vram::estimate_inference(m.value(), io);
        if (inf) CHECK(inf.value().total_bytes > 0);
        else CHECK_FALSE(inf.error().field.empty());
        auto tr = vram::estimate_training(m.value(), vram::TrainOptions{});
        if (tr) CHECK(tr.value().total_bytes > 0);
        else CHECK_FALSE(tr.error().field.empty());
      }
    }
  }
  CHECK(runs > 1000);
  CHECK(errors > 0);
}

TEST_CASE("truncated and garbage texts are JSON errors, never crashes", "[robustness]") {
  const std::string text(vram::find_catalog_model("openai/gpt-oss-120b").value().config_json);
  for (std::size_t cut = 0; cut < text.size(); cut += 37) {
    auto m = vram::load_model(text.substr(0, cut));
    if (!m) CHECK(m.error().code == vram::ErrorCode::InvalidJson);
  }
  for (const char* g : {"\xff\xfe", "{\"model_type\": \"llama\"", "[[[[[[[[[[", "{\"a\":1e99999}", "\"llama\"", "nan"}) {
    auto m = vram::load_model(g);
    CHECK_FALSE(m.ok());
  }
}

// Issue 17, class 1: no dimension can wrap. Every integer key the engine reads from a catalog config
// (spec.read_keys: aliases and nested text_config / vision_config / quantization_config keys
// included, even those read at their class defaults) is set to values at and past the readers'
// limits, alone and in pairs with the next key read. Oracle: the engine contract — a model whose
// inventory and estimates are all below 2^62 (the quantity limit) with every item below it, or a
// named error; an overflow of the model names the key that was changed (or a key the hostile
// config wrote with that same value), never a flag or "config.json".
TEST_CASE("hostile dimensions: every item < 2^62 and overflow errors name the config key", "[robustness][overflow]") {
  constexpr std::uint64_t kLimit = std::uint64_t{1} << 62;
  const std::vector<std::uint64_t> values{1ull << 16, (1ull << 20) - 1, 1ull << 20, 1ull << 31, 1ull << 32, (1ull << 32) - 1,
                                          1ull << 40, 1'000'000'000'000ull};
  const auto pointer = [](std::string path) {
    for (auto& c : path)
      if (c == '.') c = '/';
    return nlohmann::json::json_pointer("/" + path);
  };
  std::size_t runs = 0, refused = 0;
  const auto models = vram::catalog_models();
  for (std::size_t mi = 0; mi < models.size(); mi += 2) {
    const auto base = nlohmann::json::parse(models[mi].config_json);
    auto m0 = vram::load_model(models[mi].config_json);
    REQUIRE(m0.ok());
    std::vector<std::string> keys;
    for (const auto& k : m0.value().spec.read_keys) keys.push_back(k.path);
    for (std::size_t ki = 0; ki < keys.size(); ++ki) {
      for (const auto v : values) {
        for (int pair = 0; pair < 2; ++pair) {
          if (pair && ki + 1 >= keys.size()) continue;
          nlohmann::json cfg = base;
          cfg[pointer(keys[ki])] = v;
          if (pair) cfg[pointer(keys[ki + 1])] = v;
          INFO(models[mi].id << ": " << keys[ki] << (pair ? " and " + keys[ki + 1] : std::string()) << " = " << v);
          ++runs;
          auto m = vram::load_model(cfg.dump());
          if (!m) {
            ++refused;
            const vram::Error& e = m.error();
            CHECK_FALSE(e.field.empty());
            if (e.code == vram::ErrorCode::Overflow) {
              INFO("blamed " << e.field << ": " << vram::test::english(e));
              const bool named = e.field == keys[ki] || (pair && e.field == keys[ki + 1]) ||
                                 (cfg.contains(pointer(e.field)) && cfg[pointer(e.field)] == v);
              CHECK(named);
            }
            continue;
          }
          const vram::Inventory& inv = m.value().inventory;
          CHECK(inv.total_params < kLimit);
          CHECK(inv.buffer_bytes < kLimit);
          CHECK(inv.hf.total_bytes_fp32 < kLimit);
          for (int mode = 0; mode < 2; ++mode) {
            auto r = mode == 0 ? vram::estimate_inference(m.value(), vram::InferenceOptions{})
                               : vram::estimate_training(m.value(), vram::TrainOptions{});
            if (!r) {
              INFO("estimate error " << r.error().field << ": " << vram::test::english(r.error()));
              CHECK_FALSE(r.error().field.empty());
              CHECK(r.error().field != "config.json");
              continue;
            }
            CHECK(r.value().total_bytes < kLimit);
            for (const auto& item : r.value().items) {
              INFO("item " << item.id);
              CHECK(item.bytes < kLimit);
            }
          }
        }
      }
    }
  }
  CHECK(runs > 4000);
  CHECK(refused > 0);
}

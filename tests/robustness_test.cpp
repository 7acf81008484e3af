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

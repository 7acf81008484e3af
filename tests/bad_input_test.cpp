// The bad-input corpus (tests/data/bad/cases.json): every case must give exactly the expected
// error (code, field, message substring) or a sane result (finite, non-negative, below an exabyte,
// `approximate` and the warning when the case says so) — never a crash, abort, hang or NaN. The
// same manifest is run through the WebAssembly bindings by web/test/bad-input.test.mjs, which
// must see the same code and field. Oracle: the engine contract (errors are values naming the
// field), and for the overflow bait the arithmetic stated in each case's description.
#include <catch2/catch.hpp>

#include "vram/view/api.hpp"

#include <ctime>
#include <cctype>
#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/json_reader.hpp"
#include "test_support.hpp"
#include "vram/model/catalog.hpp"
#include "vram/estimate/estimate.hpp"
#include "vram/workload/options.hpp"
#include "vram/model/safetensors.hpp"

namespace {

using nlohmann::json;

// The engine refuses (Overflow) any term it bounds above 1e18 B and any model over 1e16 parameters,
// so an item or total above 2^62 B (4.6e18) can only be a wrapped or runaway product.
constexpr std::uint64_t kAbsurdBytes = std::uint64_t{1} << 62;

std::string catalog_config(const std::string& id) {
  auto m = vram::find_catalog_model(id);
  REQUIRE(m.ok());
  return std::string(m.value().config_json);
}

// Inputs too big or too deep to commit; web/test/bad-input.test.mjs builds the same bytes.
std::string generate(const json& g) {
  const std::string name = g.at("name");
  if (name == "open_brackets") return std::string(g.at("depth").get<std::size_t>(), '[');
  if (name == "nested_objects") {
    const auto d = g.at("depth").get<std::size_t>();
    std::string s;
    s.reserve(d * 6 + 1);
    for (std::size_t i = 0; i < d; ++i) s += "{\"a\":";
    s += '1';
    s.append(d, '}');
    return s;
  }
  if (name == "padded_config") {  // {"_padding":"xxx…", <the base config's members>} of exactly `bytes`
    const std::string base = catalog_config(g.at("base"));
    const std::string head = "{\"_padding\":\"";
    const auto total = g.at("bytes").get<std::size_t>();
    const std::size_t pad = total - head.size() - 2 - (base.size() - 1);
    std::string s = head;
    s.append(pad, 'x');
    s += "\",";
    s.append(base, 1, std::string::npos);
    REQUIRE(s.size() == total);
    return s;
  }
  if (name == "config_with_nested_field") {  // {"_deep":[[…]], <the base config's members>}
    const std::string base = catalog_config(g.at("base"));
    const auto d = g.at("depth").get<std::size_t>();
    std::string s = "{\"_deep\":";
    s.append(d, '[');
    s.append(d, ']');
    s += ',';
    s.append(base, 1, std::string::npos);
    return s;
  }
  if (name == "flat_array") {  // [0,0,…,0] of n = (bytes − 1) / 2 zeros: 2n + 1 ≤ bytes
    const auto n = (g.at("bytes").get<std::size_t>() - 1) / 2;
    std::string s = "[";
    s.reserve(2 * n + 1);
    for (std::size_t i = 1; i < n; ++i) s += "0,";
    s += "0]";
    return s;
  }
  if (name == "padded_header") {  // {"__metadata__":{"p":"xxx…"}} of exactly `bytes`
    const std::string head = "{\"__metadata__\":{\"p\":\"", tail = "\"}}";
    const auto total = g.at("bytes").get<std::size_t>();
    std::string s = head;
    s.append(total - head.size() - tail.size(), 'x');
    s += tail;
    return s;
  }
  FAIL("unknown generator " << name);
  return {};
}

std::string camel(std::string_view snake_key) {
  std::string out;
  bool up = false;
  for (char c : snake_key) {
    if (c == '_') {
      up = true;
    } else {
      out += up ? static_cast<char>(c - 'a' + 'A') : c;
      up = false;
    }
  }
  return out;
}

// The outcome in one shape for every kind of case.
struct Outcome {
  std::optional<vram::Error> error;
  bool approximate = false;
  std::vector<std::string> warnings;
};

void check_report(const vram::Report& r, Outcome& out) {
  CHECK(r.total_bytes > 0);
  CHECK(r.total_bytes < kAbsurdBytes);
  CHECK(r.cpu_bytes < kAbsurdBytes);
  for (const auto& i : r.items) {
    INFO("item " << i.id);
    CHECK(i.bytes < kAbsurdBytes);
    const std::string explain = vram::test::explanation(i.formula);
    CHECK(explain.find("nan") == std::string::npos);
    CHECK(explain.find("inf") == std::string::npos);
  }
  for (const auto& p : r.phases) CHECK(p.bytes <= r.total_bytes + r.cpu_bytes);
  for (const auto& f : r.facts) {
    INFO("fact " << f.id);
    CHECK(std::isfinite(f.value));
  }
  out.approximate = r.approximate;
  out.warnings = vram::test::english(r.warnings);
  const auto reasons = vram::test::english(r.approximate_reasons);
  out.warnings.insert(out.warnings.end(), reasons.begin(), reasons.end());
}

Outcome run_case(const json& c) {
  Outcome out;
  const std::string kind = c.at("kind");
  if (kind == "gguf") {  // the header bytes of each part, as the page's binding gguf() gets them
    std::vector<std::string> parts, names;
    for (const auto& f : c.at("parts")) {
      parts.push_back(vram::test::read_repo_file("tests/data/bad/" + f.get<std::string>()));
      names.push_back(f.get<std::string>());
    }
    vram::Session session(vram::english_catalog(), vram::Spelling::Js);
    auto v = session.gguf(parts, names);
    if (!v) {
      out.error = v.error();
      return out;
    }
    if (v.value().find("need_bytes")) {
      out.warnings.push_back("need_bytes");
      return out;
    }
    auto model = vram::load_model(v.value().find("config")->string());
    if (!model) {
      out.error = model.error();
      return out;
    }
    vram::InferenceOptions o;
    o.runtime = vram::Runtime::LlamaCpp;
    auto r = vram::estimate_inference(model.value(), o);
    if (!r) out.error = r.error();
    else check_report(r.value(), out);
    return out;
  }
  std::string config;
  if (c.contains("config")) config = vram::test::read_repo_file("tests/data/bad/" + c.at("config").get<std::string>());
  else if (kind != "safetensors" && c.contains("generator")) config = generate(c.at("generator"));
  else config = catalog_config(c.at("model"));

  auto model = vram::load_model(config);
  if (!model) {
    out.error = model.error();
    return out;
  }
  if (kind == "safetensors") {
    std::vector<std::string> headers;
    if (c.contains("generator")) headers.push_back(generate(c.at("generator")));
    for (const auto& h : c.value("headers", json::array()))
      headers.push_back(vram::test::read_repo_file("tests/data/bad/" + h.get<std::string>()));
    auto st = vram::read_safetensors_headers(headers, model.value());
    if (!st) {
      out.error = st.error();
      return out;
    }
    CHECK(st.value().bytes < kAbsurdBytes);
    CHECK(st.value().logical_params < kAbsurdBytes);
    out.warnings = vram::test::english(st.value().notes);
    return out;
  }
  const std::string mode = c.value("mode", "inference");
  if (mode == "params") {
    out.approximate = model.value().spec.approximate;
    out.warnings = vram::test::english(model.value().spec.warnings);
    return out;
  }
  const json opts = c.value("options", json::object());
  const vram::OptionLookup get = [&](std::string_view key) -> std::optional<std::string> {
    auto it = opts.find(camel(key));
    if (it == opts.end()) return std::nullopt;
    return it->get<std::string>();
  };
  if (mode == "inference") {
    auto o = vram::inference_options(get);
    if (!o) {
      out.error = o.error();
      return out;
    }
    auto r = vram::estimate_inference(model.value(), o.value());
    if (!r) out.error = r.error();
    else check_report(r.value(), out);
  } else {
    REQUIRE(mode == "train");
    auto o = vram::train_options(get);
    if (!o) {
      out.error = o.error();
      return out;
    }
    auto r = vram::estimate_training(model.value(), o.value());
    if (!r) out.error = r.error();
    else check_report(r.value(), out);
  }
  return out;
}

}  // namespace

TEST_CASE("bad-input corpus: every case gives its expected error or a flagged, sane result", "[bad_input]") {
  const json manifest = json::parse(vram::test::read_repo_file("tests/data/bad/cases.json"));
  const json& cases = manifest.at("cases");
  CHECK(cases.size() >= 60);
  std::set<std::string> ids;
  for (const auto& c : cases) {
    const std::string id = c.at("id");
    INFO("case " << id << ": " << c.value("description", ""));
    CHECK(ids.insert(id).second);
    // A guard against hangs and runaway work, not a performance target (those are measured by
    // tools/bench.sh and reported): CPU time, generous enough for a loaded 2-core machine under ASan.
    const std::clock_t t0 = std::clock();
    const Outcome out = run_case(c);
    const double seconds = static_cast<double>(std::clock() - t0) / CLOCKS_PER_SEC;
    INFO(seconds << " s of CPU");
    CHECK(seconds < 20.0);
    const json& expect = c.at("expect");
    if (expect.contains("error")) {
      const json& e = expect.at("error");
      if (!out.error) {
        FAIL_CHECK("expected " << e.dump() << ", got a result");
        continue;
      }
      const std::string message = vram::test::english(*out.error);
      INFO("got " << vram::to_string(out.error->code) << " [" << out.error->field << "] " << message);
      CHECK(vram::to_string(out.error->code) == e.at("code").get<std::string>());
      CHECK(out.error->field == e.at("field").get<std::string>());
      CHECK_THAT(message, Catch::Contains(e.at("message").get<std::string>()));
      CHECK(message.size() < 600);  // one line, not an echo of the input
    } else {
      if (out.error) FAIL_CHECK("unexpected error " << vram::to_string(out.error->code) << " [" << out.error->field << "] "
                                                   << vram::test::english(*out.error));
      const json& ok = expect.at("ok");
      if (ok.contains("approximate")) CHECK(out.approximate == ok.at("approximate").get<bool>());
      if (ok.contains("warning")) {
        const std::string w = ok.at("warning");
        bool found = false;
        for (const auto& x : out.warnings) found = found || x.find(w) != std::string::npos;
        INFO("warning \"" << w << "\" among " << out.warnings.size());
        CHECK(found);
      }
    }
  }
}

// The engine must accept whatever the browser's Hub loader lets through (web/src/lib/hub.js
// LIMITS), or a legal download would end in a "too large" error. Parsing a 25 MB header takes ~4 s
// under ASan, so the limits are compared here rather than exercised in the corpus.
TEST_CASE("the engine's size limits are at least the Hub loader's", "[bad_input]") {
  const std::string hub = vram::test::read_repo_file("web/src/lib/hub.js");
  auto limit = [&](const std::string& key) {
    const auto at = hub.find("  " + key + ": ");
    REQUIRE(at != std::string::npos);
    std::string digits;
    for (std::size_t i = at + key.size() + 4; i < hub.size() && (std::isdigit(static_cast<unsigned char>(hub[i])) || hub[i] == '_'); ++i)
      if (hub[i] != '_') digits += hub[i];
    REQUIRE_FALSE(digits.empty());
    return std::stoull(digits);
  };
  CHECK(limit("config") <= vram::detail::kMaxConfigBytes);
  CHECK(limit("header") <= vram::detail::kMaxSafetensorsHeaderBytes);
  CHECK(limit("headers") <= vram::kMaxSafetensorsTotalBytes);
  CHECK(limit("shards") <= vram::kMaxSafetensorsHeaders);
}

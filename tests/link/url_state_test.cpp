// Shared links (permalink fragment, widget attributes) decoded by the engine.
// Oracles: the WHATWG URL standard's application/x-www-form-urlencoded parser
// (https://url.spec.whatwg.org/#urlencoded-parsing) with the expectations of the web-platform-tests
// file url/urlencoded-parser.any.js, and the fragments web/src/lib/permalink.js serialize() writes
// (URLSearchParams.toString(): ' ' → '+', '/' → %2F, '{' → %7B, …; see web/e2e for real ones).
#include <catch2/catch.hpp>

#include "test_support.hpp"

#include <string>
#include <utility>
#include <vector>

#include "link/form_urlencoded.hpp"
#include "vram/link/url_state.hpp"
#include "vram/model/model.hpp"

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs parse(std::string_view s) {
  Pairs out;
  for (auto& p : vram::detail::parse_form_urlencoded(s)) out.emplace_back(p.name, p.value);
  return out;
}

vram::UrlState decode(std::string_view s) {
  auto r = vram::decode_url_state(s);
  REQUIRE(r.ok());
  return r.value();
}

std::vector<std::string> ignored_fields(const vram::UrlState& s) {
  std::vector<std::string> out;
  for (const auto& e : s.ignored) out.push_back(e.field);
  return out;
}

// The one field a link dropped, and that its message names it.
void require_ignored(std::string_view fragment, const std::string& field) {
  const auto s = decode(fragment);
  INFO(fragment);
  REQUIRE(ignored_fields(s) == std::vector<std::string>{field});
  CHECK(vram::test::english(s.ignored[0]).find(field) != std::string::npos);
}

const vram::UrlKnob* knob(const vram::UrlState& s, std::string_view tab, std::string_view key) {
  for (const auto& k : s.knobs)
    if (k.tab == tab && k.key == key) return &k;
  return nullptr;
}

}  // namespace

TEST_CASE("form-urlencoded: the WHATWG parser, as in wpt url/urlencoded-parser.any.js", "[url_state]") {
  CHECK(parse("test") == Pairs{{"test", ""}});
  CHECK(parse("\xEF\xBB\xBFtest=\xEF\xBB\xBF") == Pairs{{"\xEF\xBB\xBFtest", "\xEF\xBB\xBF"}});
  CHECK(parse("%EF%BB%BFtest=%EF%BB%BF") == Pairs{{"\xEF\xBB\xBFtest", "\xEF\xBB\xBF"}});
  CHECK(parse("\xE2\x80\xA0&\xE2\x80\xA0=x") == Pairs{{"\xE2\x80\xA0", ""}, {"\xE2\x80\xA0", "x"}});
  CHECK(parse("").empty());
  CHECK(parse("a") == Pairs{{"a", ""}});
  CHECK(parse("a=b") == Pairs{{"a", "b"}});
  CHECK(parse("a=") == Pairs{{"a", ""}});
  CHECK(parse("=b") == Pairs{{"", "b"}});
  CHECK(parse("&").empty());
  CHECK(parse("&a") == Pairs{{"a", ""}});
  CHECK(parse("a&") == Pairs{{"a", ""}});
  CHECK(parse("a&a") == Pairs{{"a", ""}, {"a", ""}});
  CHECK(parse("a&b&c") == Pairs{{"a", ""}, {"b", ""}, {"c", ""}});
  CHECK(parse("a=b&c=d") == Pairs{{"a", "b"}, {"c", "d"}});
  CHECK(parse("a=b&c=d&") == Pairs{{"a", "b"}, {"c", "d"}});
  CHECK(parse("&&&a=b&&&&c=d&") == Pairs{{"a", "b"}, {"c", "d"}});
  CHECK(parse("a=a&a=b&a=c") == Pairs{{"a", "a"}, {"a", "b"}, {"a", "c"}});
  CHECK(parse("a==a") == Pairs{{"a", "=a"}});
  CHECK(parse("a=a+b+c+d") == Pairs{{"a", "a b c d"}});
  CHECK(parse("%=a") == Pairs{{"%", "a"}});
  CHECK(parse("%a=a") == Pairs{{"%a", "a"}});
  CHECK(parse("%a_=a") == Pairs{{"%a_", "a"}});
  CHECK(parse("%61=a") == Pairs{{"a", "a"}});
  CHECK(parse("%61+%4d%4D=") == Pairs{{"a MM", ""}});
  CHECK(parse("id=0&value=%") == Pairs{{"id", "0"}, {"value", "%"}});
  CHECK(parse("b=%2sf%2a") == Pairs{{"b", "%2sf*"}});
  CHECK(parse("b=%2%2af%2a") == Pairs{{"b", "%2*f*"}});
  CHECK(parse("b=%%2a") == Pairs{{"b", "%*"}});
  // wpt: "%FE%FF" → U+FFFD U+FFFD and "%C2x" → U+FFFD x in the browser: the bytes are decoded, and
  // valid_utf8 flags them (url_state ignores such a parameter instead of showing U+FFFD).
  CHECK(parse("%FE%FF") == Pairs{{"\xFE\xFF", ""}});
  CHECK(parse("%C2x") == Pairs{{"\xC2x", ""}});
  CHECK_FALSE(vram::detail::valid_utf8("\xFE\xFF"));
  CHECK_FALSE(vram::detail::valid_utf8("\xC2x"));
  CHECK_FALSE(vram::detail::valid_utf8("\xC2"));
  CHECK_FALSE(vram::detail::valid_utf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(vram::detail::valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
  CHECK_FALSE(vram::detail::valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK(vram::detail::valid_utf8("\xF0\x9F\x98\x80"));        // U+1F600
  CHECK(vram::detail::valid_utf8("\xE4\xB8\xAD\xE6\x96\x87"));  // 中文
}

TEST_CASE("url_state: links the page writes round-trip", "[url_state]") {
  // serialize() of a catalog model on the Training tab with two knobs (e2e: accuracy.mjs, widget.mjs).
  auto s = decode("#model=meta-llama%2FLlama-3.1-8B&tab=training&training.gradAccum=4&training.zero=3"
                  "&training.dora=true&gpu=h100-sxm&gpus=8&units=GB&lang=zh-CN");
  CHECK(s.ignored.empty());
  CHECK(s.source == "catalog");
  CHECK(s.model == "meta-llama/Llama-3.1-8B");
  CHECK(s.tab == "training");
  REQUIRE(s.knobs.size() == 3);
  CHECK((s.knobs[0].tab == "training" && s.knobs[0].key == "gradAccum" && s.knobs[0].value == "4"));
  CHECK(knob(s, "training", "zero")->value == "3");
  CHECK(knob(s, "training", "dora")->value == "true");
  CHECK(s.gpu == "h100-sxm");
  CHECK(s.gpus == 8);
  CHECK(s.units == "GB");
  CHECK(s.lang == "zh-CN");

  s = decode("model=meta-llama%2FLlama-3.1-8B&tab=inference&inference.dtype=int4&inference.context=8192&units=GiB&lang=en");
  CHECK(s.ignored.empty());
  CHECK(knob(s, "inference", "dtype")->value == "int4");
  CHECK(knob(s, "inference", "context")->value == "8192");

  // Serving: inference options, with the page's vLLM spelling and a fraction.
  s = decode("?model=Qwen%2FQwen2.5-7B&tab=serving&serving.runtime=vllm&serving.gpuUtil=0.85&serving.kvDtype=fp8");
  CHECK(s.ignored.empty());
  CHECK(s.knobs.size() == 3);
  CHECK(knob(s, "serving", "gpuUtil")->value == "0.85");

  // Fine-tune: LoRA targets with a comma (%2C) and a bare boolean.
  s = decode("tab=finetune&finetune.method=qlora&finetune.loraTargets=q_proj%2Cv_proj&finetune.loraRank=64");
  CHECK(s.ignored.empty());
  CHECK(knob(s, "finetune", "loraTargets")->value == "q_proj,v_proj");
  CHECK(s.source.empty());

  // Manual dimensions: JSON.stringify(app.manual.value) through URLSearchParams.
  s = decode("manual=%7B%22hidden_size%22%3A4096%2C%22num_hidden_layers%22%3A%2216%22%2C%22head_dim%22%3A%22%22"
             "%2C%22tie_word_embeddings%22%3Afalse%7D&tab=inference");
  CHECK(s.ignored.empty());
  CHECK(s.source == "manual");
  // (re-serialised with the keys in nlohmann's std::map order)
  CHECK(s.manual == R"({"head_dim":"","hidden_size":4096,"num_hidden_layers":"16","tie_word_embeddings":false})");

  // Pasted config: base64url without padding ({"model_type":"llama"} → eyJtb2RlbF90eXBlIjoibGxhbWEifQ).
  s = decode("config=eyJtb2RlbF90eXBlIjoibGxhbWEifQ&tab=inference");
  CHECK(s.ignored.empty());
  CHECK(s.source == "paste");
  CHECK(s.config == R"({"model_type":"llama"})");
  // '-' and '_' of base64url: "~~~" = 7E 7E 7E → "fn5-"; "~~" DEL = 7E 7E 7F → "fn5_".
  CHECK(decode("config=fn5-").config == "~~~");
  CHECK(decode("config=fn5_").config == "~~\x7F");
  CHECK(decode("config=fn5%2D").config == "~~~");  // percent-encoded by a mail client
  CHECK(decode("config=YQ%3D%3D").config == "a");   // with padding
  // Other sources by name, and a Hub id.
  CHECK(decode("source=paste").source == "paste");
  s = decode("hub=google%2Fgemma-3-1b-it&tab=inference");
  CHECK((s.source == "hub" && s.hub == "google/gemma-3-1b-it" && s.ignored.empty()));
  CHECK(decode("hub=gpt2").hub == "gpt2");
}

TEST_CASE("url_state: model precedence as the page's apply()", "[url_state]") {
  // model > hub > manual > config > source; later ones are not read once one is good.
  auto s = decode("source=paste&config=YQ&hub=a%2Fb&model=Qwen%2FQwen2.5-7B");
  CHECK((s.source == "catalog" && s.hub.empty() && s.config.empty() && s.ignored.empty()));
  s = decode("source=paste&config=YQ&hub=a%2Fb");
  CHECK((s.source == "hub" && s.hub == "a/b" && s.config.empty()));
  s = decode("source=hub&config=YQ");
  CHECK((s.source == "paste" && s.config == "a"));
  // A bad one is reported and the next one is tried.
  s = decode("model=x%2Fy&config=%25%25%25&source=manual");
  CHECK(ignored_fields(s) == std::vector<std::string>{"model", "config"});
  CHECK(s.source == "manual");
  // Catalog ids are matched as find_catalog_model does (case, Hub URL) and come back canonical.
  CHECK(decode("model=qwen%2Fqwen2.5-7b").model == "Qwen/Qwen2.5-7B");
}

TEST_CASE("url_state: every bad parameter is dropped and named", "[url_state]") {
  require_ignored("model=x%2Fy", "model");
  require_ignored("model=", "model");
  require_ignored("hub=a%2Fb%2Fc", "hub");
  require_ignored("hub=a%20b", "hub");
  require_ignored("hub=%2Fb", "hub");
  require_ignored("hub=" + std::string(300, 'a'), "hub");
  require_ignored("manual=%7Bnope", "manual");                                 // not JSON
  require_ignored("manual=%5B1%5D", "manual");                                 // not an object
  require_ignored("manual=%7B%22foo%22%3A1%7D", "manual");                     // not a form field
  require_ignored("manual=%7B%22hidden_size%22%3A-1%7D", "manual");            // negative
  require_ignored("manual=%7B%22hidden_size%22%3A1.5%7D", "manual");           // fraction
  require_ignored("manual=%7B%22hidden_size%22%3A1e300%7D", "manual");         // huge
  require_ignored("manual=%7B%22hidden_size%22%3A%2212a%22%7D", "manual");     // not digits
  require_ignored("manual=%7B%22hidden_size%22%3A%5B%5D%7D", "manual");        // array
  require_ignored("manual=%7B%22tie_word_embeddings%22%3A1%7D", "manual");     // not a boolean
  require_ignored("manual=" + std::string(3000, ' ') + "%7B%7D", "manual");    // too long
  require_ignored("config=%25%25%25", "config");                               // "%%%": not base64
  require_ignored("config=YQ%3D%3D%3D", "config");                             // atob("YQ===") throws
  require_ignored("config=YQ%3D", "config");                                   // atob("YQ=") throws
  require_ignored("config=Y", "config");                                       // length ≡ 1 (mod 4)
  require_ignored("config=_w", "config");                                      // 0xFF: not UTF-8
  require_ignored("config=" + std::string(10668, 'A'), "config");              // 8001 bytes decoded
  CHECK(decode("config=" + std::string(10667, 'A')).config.size() == 8000);   // the limit itself
  require_ignored("source=cloud", "source");
  require_ignored("tab=nope", "tab");
  require_ignored("tab=Training", "tab");
  require_ignored("gpu=4090", "gpu");  // ids only, no fuzzy match
  require_ignored("gpus=0", "gpus");
  require_ignored("gpus=-1", "gpus");
  require_ignored("gpus=4097", "gpus");
  require_ignored("gpus=1e3", "gpus");
  require_ignored("gpus=", "gpus");
  CHECK(decode("gpus=4096").gpus == 4096);
  require_ignored("units=G%20B", "units");
  require_ignored("units=", "units");
  require_ignored("lang=" + std::string(17, 'a'), "lang");
  require_ignored("lang=%3Cscript%3E", "lang");
  // Invalid UTF-8 after percent-decoding: the parameter, by its name.
  require_ignored("units=%FF", "units");
  require_ignored("training.loraTargets=%C3%28", "training.loraTargets");
  auto s = decode("units=%FF&units=GB&tab=training&tab=%FF");  // the first one counts, even a bad one
  CHECK(ignored_fields(s) == std::vector<std::string>{"units"});
  CHECK((s.units.empty() && s.tab == "training"));
  // Unknown names are skipped silently (links from newer versions), also when not UTF-8.
  CHECK(decode("future=1&other.knob=2&%FF=1&x=%FF&=&&").ignored.empty());
}

TEST_CASE("url_state: knobs are checked by their own option parser, alone", "[url_state]") {
  require_ignored("inference.context=abc", "inference.context");
  require_ignored("inference.context=0", "inference.context");
  require_ignored("inference.batch=-1", "inference.batch");
  require_ignored("inference.gpuUtil=1.5", "inference.gpuUtil");
  require_ignored("serving.gpuUtil=0x1p-1", "serving.gpuUtil");  // strtod reads it, Number() does not
  require_ignored("serving.gpuUtil=%200.5", "serving.gpuUtil");
  require_ignored("inference.dtype=int3", "inference.dtype");
  require_ignored("inference.runtime=nope", "inference.runtime");
  require_ignored("inference.cudaGraphs=maybe", "inference.cudaGraphs");
  require_ignored("training.gradAccum=0", "training.gradAccum");
  require_ignored("training.zero=4", "training.zero");
  require_ignored("training.loraTargets=", "training.loraTargets");
  require_ignored("training.loraTargets=" + std::string(257, 'q'), "training.loraTargets");
  require_ignored("finetune.adapterDtype=int8", "finetune.adapterDtype");
  // Keys: of the tab's mode, in the bindings' camelCase spelling.
  require_ignored("training.context=8", "training.context");          // an inference option
  require_ignored("inference.gradAccum=8", "inference.gradAccum");    // a training option
  require_ignored("training.grad_accum=8", "training.grad_accum");    // snake_case
  require_ignored("training.GradAccum=8", "training.GradAccum");
  require_ignored("training.=8", "training.");
  require_ignored("inference.storedWeightBytes=1", "inference.storedWeightBytes");  // the checkpoint's own
  // Alone means alone: a prompt longer than the default context is the estimate's to judge.
  CHECK(decode("inference.prompt=100000").ignored.empty());
  // Booleans come back as the page reads them ("1" and a bare key mean true).
  CHECK(knob(decode("inference.cudaGraphs=1"), "inference", "cudaGraphs")->value == "true");
  CHECK(knob(decode("inference.cudaGraphs"), "inference", "cudaGraphs")->value == "true");
  CHECK(knob(decode("training.dora=0"), "training", "dora")->value == "false");
  // A later duplicate replaces an earlier one; a bad later one leaves the earlier one.
  auto s = decode("training.batch=2&training.seq=512&training.batch=8&training.batch=x");
  REQUIRE(s.knobs.size() == 2);
  CHECK(s.knobs[0].value == "8");
  CHECK(ignored_fields(s) == std::vector<std::string>{"training.batch"});
  // Scalars: the first occurrence counts (URLSearchParams.get).
  CHECK(decode("tab=serving&tab=training").tab == "serving");
}

TEST_CASE("url_state: the hostile link of the e2e test", "[url_state]") {
  const auto s = decode("#tab=nope&inference.context=abc&gpus=-1&config=%%%&model=x/y");
  CHECK(ignored_fields(s) == std::vector<std::string>{"model", "config", "tab", "gpus", "inference.context"});
  CHECK(s.source.empty());
  CHECK(s.tab.empty());
  CHECK(s.knobs.empty());
  for (const auto& e : s.ignored) CHECK(!e.message.empty());
}

TEST_CASE("url_state: only an oversized fragment fails as a whole", "[url_state]") {
  std::string big = "units=GB&x=" + std::string(vram::kMaxUrlStateBytes, 'a');
  auto r = vram::decode_url_state(big);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().field == "fragment");
  big.resize(vram::kMaxUrlStateBytes);
  CHECK(vram::decode_url_state(big).ok());
  // The worst case inside the limit: every parameter a bad knob. Bounded work, one entry each.
  std::string many;
  while (many.size() + 24 < vram::kMaxUrlStateBytes) many += "training.seq=x&";
  r = vram::decode_url_state(many);
  REQUIRE(r.ok());
  CHECK(r.value().ignored.size() == many.size() / 15);
  // Messages quote a value briefly, cut on a UTF-8 boundary.
  const auto s = decode("model=" + std::string(39, 'a') + "%E4%B8%AD%E6%96%87");
  REQUIRE(s.ignored.size() == 1);
  CHECK(vram::test::english(s.ignored[0]).find("aaa\"") == std::string::npos);
  CHECK(vram::test::english(s.ignored[0]).size() < 120);
}

TEST_CASE("manual_config: the form's fields become a config of the form's architecture", "[url_state]") {
  // Oracle: Llama-3.1-8B's config.json dimensions give transformers' 8,030,261,248 parameters
  // (tests/data/reference_params.json); the form's empty fields are left to the config's defaults.
  auto c = vram::manual_config(R"({"hidden_size":4096,"num_hidden_layers":"32","num_attention_heads":32,"num_key_value_heads":8,)"
                               R"("intermediate_size":14336,"vocab_size":128256,"max_position_embeddings":131072,"head_dim":"","tie_word_embeddings":false})");
  REQUIRE(c.ok());
  auto m = vram::load_model(c.value());
  REQUIRE(m.ok());
  CHECK(m.value().inventory.total_params == 8030261248ULL);
  CHECK(c.value().find("head_dim") == std::string::npos);

  auto unknown = vram::manual_config(R"({"hidden_size":64,"rope_theta":1})");
  REQUIRE(!unknown.ok());
  CHECK(unknown.error().field == "manual");
  auto negative = vram::manual_config(R"({"hidden_size":-1})");
  REQUIRE(!negative.ok());
  CHECK(!vram::manual_config("[1]").ok());
}

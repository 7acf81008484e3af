#include "accuracy.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "base/json_reader.hpp"
#include "vram/estimate/estimate.hpp"
#include "vram/base/format.hpp"
#include "vram/workload/options.hpp"

namespace vram {
namespace {

// An error of the engine about one case, prefixed with the case (the tool speaks English).
Error prefixed(const Error& e, const std::string& prefix) {
  return make_error(e.code, prefix, {Msg::error_prefixed, {{"prefix", prefix}, {"message", render(e, english_catalog(), Spelling::Engine)}}});
}


using detail::Json;

std::optional<std::string> knob(const Json& c, std::string_view key) {
  auto it = c.find(std::string(key));
  if (it == c.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_boolean()) return std::string(it->get<bool>() ? "true" : "false");
  if (it->is_number_unsigned()) return std::to_string(it->get<std::uint64_t>());
  if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
  if (it->is_number_float()) return format_number(it->get<double>());
  return std::nullopt;
}

std::uint64_t result_field(const Json& result, const char* key) {
  auto it = result.find(key);
  if (it == result.end() || !it->is_number()) return 0;
  const double v = it->get<double>();
  return v > 0 ? static_cast<std::uint64_t>(v) : 0;
}

// What torch's allocator can see excludes the CUDA context / framework overhead item.
std::uint64_t torch_visible(const Report& r) {
  std::uint64_t overhead = 0;
  for (const auto& i : r.items)
    if (!i.cpu && i.id.rfind("runtime_overhead", 0) == 0) overhead += i.bytes;
  return r.total_bytes > overhead ? r.total_bytes - overhead : 0;
}

// Non-throwing integer read (std::stoull would abort the WebAssembly build on bad input).
std::uint64_t to_u64(const std::optional<std::string>& s, std::uint64_t fallback) {
  if (!s || s->empty() || s->size() > 19 || s->find_first_not_of("0123456789") != std::string::npos) return fallback;
  return std::strtoull(s->c_str(), nullptr, 10);
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

Result<AccuracyTable> compare_measurements(const std::vector<std::pair<std::string, std::string>>& files, const ReadFile& read) {
  AccuracyTable out;
  for (const auto& [name, text] : files) {
    auto doc = detail::parse_json(text, name);
    if (!doc) return doc.error();
    const Json& d = doc.value();
    if (!d.is_object() || !d.contains("cases") || !d["cases"].is_array())
      return make_error(ErrorCode::InvalidValue, name, {Msg::error_accuracy_schema, {{"file", name}}});
    for (const Json& c : d["cases"]) {
      if (!c.is_object()) continue;
      const std::string id = knob(c, "id").value_or("?");
      const Json* result = c.contains("result") && c["result"].is_object() ? &c["result"] : nullptr;
      if (!result || knob(*result, "status").value_or("") != "ok") {
        out.skipped.push_back(id + ": status " + (result ? knob(*result, "status").value_or("missing") : "missing"));
        continue;
      }
      const auto cfg_path = knob(c, "config_file");
      if (!cfg_path) {
        out.skipped.push_back(id + ": no config_file");
        continue;
      }
      auto cfg = read(*cfg_path);
      if (!cfg) return cfg.error();
      auto model = load_model(cfg.value());
      if (!model) return prefixed(model.error(), *cfg_path);

      AccuracyRow row;
      row.id = id;
      row.file = name;
      row.model = knob(c, "model").value_or("");
      row.category = knob(c, "mode").value_or("inference");
      row.source = knob(c, "source").value_or(name);
      Result<Report> report = make_error(ErrorCode::InvalidValue, "mode", Msg::none);
      if (row.category == "inference") {
        // Measured generation holds context + new_tokens in the KV cache; the prompt is the prefill.
        const std::uint64_t prompt = to_u64(knob(c, "context"), 1);
        const std::uint64_t total = to_u64(knob(c, "total_tokens"), prompt);
        const OptionLookup get = [&](std::string_view key) -> std::optional<std::string> {
          if (key == "context") return std::to_string(total);
          if (key == "prompt") return std::to_string(prompt);
          return knob(c, key);
        };
        auto o = inference_options(get);
        if (!o) return prefixed(o.error(), id);
        report = estimate_inference(model.value(), o.value());
        row.knobs = knob(c, "dtype").value_or("auto") + " b" + knob(c, "batch").value_or("1") + " prompt " + std::to_string(prompt) +
                    " → " + std::to_string(total) + " tokens, " + knob(c, "attn").value_or("sdpa");
      } else {
        const OptionLookup get = [&](std::string_view key) -> std::optional<std::string> {
          if (key == "method" && row.category == "lora") return knob(c, "method").value_or("lora");
          return knob(c, key);
        };
        auto o = train_options(get);
        if (!o) return prefixed(o.error(), id);
        report = estimate_training(model.value(), o.value());
        row.knobs = knob(c, "precision").value_or("") + " " + knob(c, "optimizer").value_or("") + " b" + knob(c, "batch").value_or("1") +
                    " s" + knob(c, "seq").value_or("") + " ckpt " + knob(c, "checkpointing").value_or("none");
        if (row.category == "lora") row.knobs += " r" + knob(c, "lora_rank").value_or("") + " " + knob(c, "lora_targets").value_or("");
      }
      if (!report) return prefixed(report.error(), id);

      std::string metric = knob(c, "metric").value_or("");
      if (metric.empty()) metric = result_field(*result, "nvml_process_bytes") ? "nvml_total" : "peak_reserved";
      row.metric = metric;
      if (metric == "nvml_total") {
        row.measured = result_field(*result, "nvml_process_bytes");
        row.estimated = report.value().total_bytes;
      } else if (metric == "peak_allocated") {
        row.measured = result_field(*result, "peak_allocated");
        row.estimated = torch_visible(report.value());
      } else {
        row.measured = result_field(*result, "peak_reserved");
        row.estimated = torch_visible(report.value());
      }
      if (row.measured == 0) {
        out.skipped.push_back(id + ": no " + metric + " value");
        continue;
      }
      row.error_pct = (static_cast<double>(row.estimated) - static_cast<double>(row.measured)) / static_cast<double>(row.measured) * 100.0;
      out.rows.push_back(std::move(row));
    }
  }
  std::vector<std::string> cats;
  for (const auto& r : out.rows)
    if (std::find(cats.begin(), cats.end(), r.category) == cats.end()) cats.push_back(r.category);
  cats.push_back("all");
  for (const auto& cat : cats) {
    std::vector<double> abs_err;
    double sum = 0;
    for (const auto& r : out.rows) {
      if (cat != "all" && r.category != cat) continue;
      abs_err.push_back(std::fabs(r.error_pct));
      sum += r.error_pct;
    }
    if (abs_err.empty()) continue;
    AccuracySummary s;
    s.category = cat;
    s.cases = abs_err.size();
    s.median_abs_pct = median(abs_err);
    s.max_abs_pct = *std::max_element(abs_err.begin(), abs_err.end());
    s.mean_pct = sum / static_cast<double>(abs_err.size());
    out.summaries.push_back(s);
  }
  return out;
}

std::string accuracy_markdown(const AccuracyTable& t) {
  auto pct = [](double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%+.1f %%", v);
    return std::string(b);
  };
  auto abs_pct = [](double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.1f %%", v);
    return std::string(b);
  };
  std::string s = "| category | cases | median abs. error | max abs. error | mean (signed) |\n|---|---:|---:|---:|---:|\n";
  for (const auto& x : t.summaries)
    s += "| " + x.category + " | " + std::to_string(x.cases) + " | " + abs_pct(x.median_abs_pct) + " | " + abs_pct(x.max_abs_pct) +
         " | " + pct(x.mean_pct) + " |\n";
  s += "\n| case | model | knobs | metric | measured | estimated | error |\n|---|---|---|---|---:|---:|---:|\n";
  for (const auto& r : t.rows)
    s += "| " + r.id + " | " + r.model + " | " + r.knobs + " | " + r.metric + " | " + format_bytes(r.measured) + " | " +
         format_bytes(r.estimated) + " | " + pct(r.error_pct) + " |\n";
  if (!t.skipped.empty()) {
    s += "\nSkipped: ";
    for (std::size_t i = 0; i < t.skipped.size(); ++i) s += (i ? "; " : "") + t.skipped[i];
    s += "\n";
  }
  return s;
}

}  // namespace vram

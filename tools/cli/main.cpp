// vramcalc: the command-line face of the engine. Human tables by default, one JSON object with
// --json. Exit codes: 0 ok, 2 bad input (one line on stderr naming the file, field or flag).
#include <cstdio>
#include <fstream>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <set>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "args.hpp"
#include "accuracy.hpp"
#include "vram/model/catalog.hpp"
#include "vram/estimate/estimate.hpp"
#include "vram/base/explain.hpp"
#include "vram/estimate/solve.hpp"
#include "vram/model/hf_table.hpp"
#include "vram/model/inventory.hpp"
#include "vram/model/model_spec.hpp"
#include "vram/workload/options.hpp"

namespace {

using nlohmann::ordered_json;
using vram::cli::Args;

constexpr int kBadInput = 2;

int fail(const std::string& message) {
  std::cerr << "vramcalc: " << message << "\n";
  return kBadInput;
}

// A loaded model: where it came from, its spec and its inventory.
struct Loaded {
  std::string source;
  vram::ModelSpec spec;
  vram::Inventory inventory;
};

// --config FILE or --model ID; errors are prefixed with the file name.
vram::Result<Loaded> load_model(const Args& args) {
  std::string text, source;
  if (auto file = args.get("config")) {
    std::ifstream in(*file, std::ios::binary);
    if (!in) return vram::make_error(vram::ErrorCode::InvalidValue, "--config", *file + ": cannot read the file");
    std::ostringstream ss;
    ss << in.rdbuf();
    text = ss.str();
    source = *file;
  } else if (auto id = args.get("model")) {
    auto m = vram::find_catalog_model(*id);
    if (!m) return m.error();
    text = std::string(m.value().config_json);
    source = std::string(m.value().id);
  } else {
    return vram::make_error(vram::ErrorCode::MissingField, "--config", "give --config FILE or --model ID");
  }
  auto spec = vram::parse_config(text);
  if (!spec) {
    auto e = spec.error();
    e.message = source + ": " + e.message;
    return e;
  }
  auto inv = vram::build_inventory(spec.value());
  if (!inv) {
    auto e = inv.error();
    e.message = source + ": " + e.message;
    return e;
  }
  return Loaded{source, std::move(spec).value(), std::move(inv).value()};
}

std::string with_commas(std::uint64_t n) { return vram::format_count(n); }

std::string gib(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
  return buf;
}

ordered_json warnings_json(const vram::ModelSpec& spec) {
  ordered_json w = ordered_json::array();
  for (const auto& s : spec.warnings) w.push_back(s);
  return w;
}

int cmd_params(const std::vector<std::string>& argv) {
  auto args = Args::parse(argv, {"config", "model"}, {"json"});
  if (!args) return fail(args.error().message);
  auto loaded = load_model(args.value());
  if (!loaded) return fail(loaded.error().message);
  const auto& [source, spec, inv] = loaded.value();

  if (args.value().flag("json")) {
    ordered_json j;
    j["source"] = source;
    j["model_type"] = spec.model_type;
    j["architecture"] = spec.architecture;
    j["total_params"] = inv.total_params;
    j["active_params"] = inv.active_params;
    j["embedding_params"] = inv.embedding_params;
    j["buffer_bytes"] = inv.buffer_bytes;
    if (inv.mtp_params) j["mtp_params_not_instantiated"] = inv.mtp_params;
    ordered_json groups = ordered_json::array();
    for (const auto& g : inv.summary()) groups.push_back({{"name", g.name}, {"params", g.params}});
    j["groups"] = groups;
    ordered_json tensors = ordered_json::array();
    for (const auto& g : inv.groups) {
      if (!g.in_full) continue;
      tensors.push_back({{"name", g.name},
                         {"role", vram::to_string(g.role)},
                         {"shape", g.experts > 1 ? ordered_json{g.experts, g.rows, g.cols} : ordered_json{g.rows, g.cols}},
                         {"instances", inv.block_count(g.block)},
                         {g.is_buffer() ? "buffer_bytes" : "params", g.is_buffer() ? inv.group_total(g) * g.buffer_elem_bytes
                                                                                  : inv.group_total(g)}});
    }
    j["tensors"] = tensors;
    j["hf_calculator"] = {{"class", inv.hf.class_name},
                          {"params", inv.hf.params},
                          {"buffer_bytes", inv.hf.buffer_bytes},
                          {"total_bytes", inv.hf.total_bytes_fp32},
                          {"largest_layer_bytes", inv.hf.largest_layer_bytes_fp32},
                          {"largest_layer_name", inv.hf.largest_layer_name},
                          {"dtype", "float32"}};
    j["approximate"] = spec.approximate;
    j["warnings"] = warnings_json(spec);
    std::cout << j.dump(2) << "\n";
    return 0;
  }

  std::cout << source << "  (" << spec.model_type << (spec.architecture.empty() ? "" : ", " + spec.architecture) << ")\n\n";
  std::printf("  %-24s %22s\n", "component", "parameters");
  for (const auto& g : inv.summary()) std::printf("  %-24s %22s\n", g.name.c_str(), with_commas(g.params).c_str());
  std::printf("  %-24s %22s\n", "total", with_commas(inv.total_params).c_str());
  if (inv.active_params != inv.total_params)
    std::printf("  %-24s %22s\n", "active per token", with_commas(inv.active_params).c_str());
  if (inv.mtp_params)
    std::printf("  %-24s %22s  (in the checkpoint, not built by transformers)\n", "MTP layers", with_commas(inv.mtp_params).c_str());
  std::printf("\n  Hugging Face calculator view (%s, float32):\n", inv.hf.class_name.c_str());
  std::printf("    total size     %s (%s bytes)\n", gib(inv.hf.total_bytes_fp32).c_str(), with_commas(inv.hf.total_bytes_fp32).c_str());
  std::printf("    largest layer  %s (%s bytes, %s)\n", gib(inv.hf.largest_layer_bytes_fp32).c_str(),
              with_commas(inv.hf.largest_layer_bytes_fp32).c_str(), inv.hf.largest_layer_name.c_str());
  for (const auto& w : spec.warnings) std::cout << "  warning: " << w << "\n";
  return 0;
}

int cmd_models(const std::vector<std::string>& argv) {
  auto args = Args::parse(argv, {}, {"json"});
  if (!args) return fail(args.error().message);
  ordered_json list = ordered_json::array();
  for (const auto& m : vram::catalog_models()) {
    if (args.value().flag("json")) {
      list.push_back({{"id", m.id}, {"name", m.name}, {"family", m.family}, {"published_params", m.published_params}});
    } else {
      std::printf("  %-48s %s\n", std::string(m.id).c_str(), std::string(m.family).c_str());
    }
  }
  if (args.value().flag("json")) std::cout << list.dump(2) << "\n";
  return 0;
}

// ---- estimates -------------------------------------------------------------------------------

std::string flag_of(std::string_view key) {
  std::string f = "--";
  for (char c : key) f.push_back(c == '_' ? '-' : c);
  return f;
}

std::set<std::string> flags_for(const std::vector<std::string>& keys, std::initializer_list<const char*> extra) {
  std::set<std::string> out{"config", "model"};
  for (const auto& k : keys) {
    std::string f = flag_of(k).substr(2);
    out.insert(f);
  }
  for (const char* e : extra) out.insert(e);
  return out;
}

vram::OptionLookup lookup_in(const Args& args) {
  return [&args](std::string_view key) { return args.flag(flag_of(key).substr(2)) ? std::optional<std::string>("true")
                                                                                    : args.get(flag_of(key).substr(2)); };
}

const vram::OptionName kFlagName = [](std::string_view key) { return flag_of(key); };

ordered_json report_json(const std::string& source, const vram::Report& r) {
  ordered_json j;
  j["source"] = source;
  j["total_bytes"] = r.total_bytes;
  j["peak_phase"] = vram::to_string(r.peak_phase);
  j["gpus"] = r.gpus;
  j["per_gpu_bytes"] = r.total_bytes;
  j["cpu_bytes"] = r.cpu_bytes;
  ordered_json phases = ordered_json::array();
  for (const auto& p : r.phases) phases.push_back({{"id", vram::to_string(p.phase)}, {"bytes", p.bytes}});
  j["phases"] = phases;
  ordered_json items = ordered_json::array();
  for (const auto& i : r.items) {
    ordered_json ph = ordered_json::array();
    for (auto p : i.phases) ph.push_back(vram::to_string(p));
    items.push_back({{"id", i.id},
                     {"label", i.label_key},
                     {"bytes", i.bytes},
                     {"explain", i.explain},
                     {"source", i.source},
                     {"phases", ph},
                     {"approximate", i.approximate},
                     {"cpu", i.cpu}});
  }
  j["items"] = items;
  ordered_json facts = ordered_json::array();
  for (const auto& f : r.facts) facts.push_back({{"id", f.id}, {"value", f.value}, {"explain", f.explain}});
  j["facts"] = facts;
  j["approximate"] = r.approximate;
  j["approximate_reasons"] = r.approximate_reasons;
  j["warnings"] = r.warnings;
  return j;
}

void print_report(const std::string& title, const vram::Report& r) {
  std::cout << title << "\n\n";
  for (const auto& i : r.items) {
    std::printf("  %-26s %12s%s\n", i.id.c_str(), vram::format_bytes(i.bytes).c_str(), i.cpu ? "  (CPU RAM)" : "");
    if (!i.explain.empty()) std::printf("  %-26s   %s\n", "", i.explain.c_str());
  }
  std::printf("\n  per phase:");
  for (const auto& p : r.phases) std::printf("  %s %s", vram::to_string(p.phase), vram::format_bytes(p.bytes).c_str());
  std::printf("\n  peak (%s)%s: %s (%s bytes)\n", vram::to_string(r.peak_phase),
              r.gpus > 1 ? (" per GPU × " + std::to_string(r.gpus)).c_str() : "", vram::format_bytes(r.total_bytes).c_str(),
              with_commas(r.total_bytes).c_str());
  if (r.cpu_bytes) std::printf("  CPU RAM: %s\n", vram::format_bytes(r.cpu_bytes).c_str());
  for (const auto& f : r.facts) std::printf("  %s: %s  (%s)\n", f.id.c_str(), vram::format_number(f.value).c_str(), f.explain.c_str());
  for (const auto& w : r.warnings) std::cout << "  warning: " << w << "\n";
  if (r.approximate)
    for (const auto& a : r.approximate_reasons) std::cout << "  approximate: " << a << "\n";
}

// --gpu NAME gives vLLM its card size when --gpu-memory-bytes is absent.
vram::Result<vram::InferenceOptions> inference_from(const Args& args) {
  auto o = vram::inference_options(lookup_in(args), kFlagName);
  if (!o) return o;
  if (auto g = args.get("gpu"); g && o.value().gpu_memory_bytes == 0) {
    auto gpu = vram::find_gpu(*g);
    if (!gpu) return vram::make_error(gpu.error().code, "--gpu", "--gpu: " + gpu.error().message.substr(5));
    o.value().gpu_memory_bytes = gpu.value().usable_bytes();
  }
  return o;
}

int cmd_inference(const std::vector<std::string>& argv) {
  auto args = Args::parse(argv, flags_for(vram::inference_option_keys(), {"gpu"}), {"json", "cuda-graphs"});
  if (!args) return fail(args.error().message);
  auto loaded = load_model(args.value());
  if (!loaded) return fail(loaded.error().message);
  auto opts = inference_from(args.value());
  if (!opts) return fail(opts.error().message);
  const vram::Model model{loaded.value().spec, loaded.value().inventory, nullptr};
  auto r = vram::estimate_inference(model, opts.value());
  if (!r) return fail(r.error().message);
  if (args.value().flag("json")) {
    std::cout << report_json(loaded.value().source, r.value()).dump(2) << "\n";
  } else {
    print_report(loaded.value().source + ": inference", r.value());
  }
  return 0;
}

int cmd_train(const std::vector<std::string>& argv) {
  auto args = Args::parse(argv, flags_for(vram::train_option_keys(), {}), {"json", "dora", "dropout", "sp"});
  if (!args) return fail(args.error().message);
  auto loaded = load_model(args.value());
  if (!loaded) return fail(loaded.error().message);
  auto opts = vram::train_options(lookup_in(args.value()), kFlagName);
  if (!opts) return fail(opts.error().message);
  const vram::Model model{loaded.value().spec, loaded.value().inventory, nullptr};
  auto r = vram::estimate_training(model, opts.value());
  if (!r) return fail(r.error().message);
  if (args.value().flag("json")) {
    std::cout << report_json(loaded.value().source, r.value()).dump(2) << "\n";
  } else {
    print_report(loaded.value().source + ": training", r.value());
  }
  return 0;
}

int cmd_fit(const std::vector<std::string>& argv) {
  std::set<std::string> flags = flags_for(vram::inference_option_keys(), {"gpu", "mode"});
  for (const auto& f : flags_for(vram::train_option_keys(), {})) flags.insert(f);
  auto args = Args::parse(argv, flags, {"json", "cuda-graphs", "dora", "dropout", "sp"});
  if (!args) return fail(args.error().message);
  const Args& a = args.value();
  if (!a.get("gpu")) return fail("--gpu: a GPU name is required (see `vramcalc gpus`)");
  auto gpu = vram::find_gpu(*a.get("gpu"));
  if (!gpu) return fail("--gpu: " + gpu.error().message.substr(5));
  auto loaded = load_model(a);
  if (!loaded) return fail(loaded.error().message);
  const vram::Model model{loaded.value().spec, loaded.value().inventory, nullptr};
  const std::string mode = a.get("mode").value_or("inference");
  vram::Result<vram::Report> report = vram::make_error(vram::ErrorCode::InvalidValue, "--mode", "");
  vram::Result<vram::Solves> solves = vram::make_error(vram::ErrorCode::InvalidValue, "--mode", "");
  std::uint32_t count = 1;
  if (mode == "inference") {
    auto o = inference_from(a);
    if (!o) return fail(o.error().message);
    count = o.value().tensor_parallel;
    report = vram::estimate_inference(model, o.value());
    if (report) solves = vram::solve_inference(model, o.value(), gpu.value(), count);
  } else if (mode == "train") {
    auto o = vram::train_options(lookup_in(a), kFlagName);
    if (!o) return fail(o.error().message);
    count = o.value().gpus;
    report = vram::estimate_training(model, o.value());
    if (report) solves = vram::solve_training(model, o.value(), gpu.value(), count);
  } else {
    return fail("--mode: must be inference or train, got \"" + mode + "\"");
  }
  if (!report) return fail(report.error().message);
  if (!solves) return fail(solves.error().message);
  const vram::Fit f = vram::fit(report.value(), gpu.value());
  const vram::Solves& s = solves.value();
  if (a.flag("json")) {
    ordered_json j = report_json(loaded.value().source, report.value());
    j["gpu"] = {{"id", gpu.value().id}, {"name", gpu.value().name}, {"usable_bytes", f.usable_bytes}, {"count", f.gpus}};
    j["fits"] = f.fits;
    j["headroom_bytes"] = f.headroom_bytes;
    j["solves"] = {{"max_context", s.max_context}, {"max_seq", s.max_seq}, {"max_batch", s.max_batch},
                   {"min_gpus", s.min_gpus}, {"best_weights", s.best_weights}};
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  print_report(loaded.value().source + ": " + mode + " on " + std::string(gpu.value().name), report.value());
  std::printf("\n  %s on %u × %s (%s usable each): %s, headroom %s%s\n", f.fits ? "FITS" : "DOES NOT FIT", f.gpus,
              std::string(gpu.value().name).c_str(), vram::format_bytes(f.usable_bytes).c_str(), f.fits ? "yes" : "no",
              f.headroom_bytes < 0 ? "-" : "", vram::format_bytes(static_cast<std::uint64_t>(std::llabs(f.headroom_bytes))).c_str());
  if (mode == "inference") {
    std::printf("  largest context that fits: %s tokens; largest batch: %s; fewest GPUs: %u; best weights that fit: %s\n",
                with_commas(s.max_context).c_str(), with_commas(s.max_batch).c_str(), s.min_gpus,
                s.best_weights.empty() ? "none" : s.best_weights.c_str());
  } else {
    std::printf("  largest sequence that fits: %s; largest micro-batch: %s; fewest GPUs: %u\n", with_commas(s.max_seq).c_str(),
                with_commas(s.max_batch).c_str(), s.min_gpus);
  }
  return 0;
}

int cmd_hf_table(const std::vector<std::string>& argv) {
  auto args = Args::parse(argv, {"config", "model"}, {"json"});
  if (!args) return fail(args.error().message);
  auto loaded = load_model(args.value());
  if (!loaded) return fail(loaded.error().message);
  const vram::Model model{loaded.value().spec, loaded.value().inventory, nullptr};
  const auto rows = vram::hf_table(model);
  if (args.value().flag("json")) {
    ordered_json list = ordered_json::array();
    for (const auto& r : rows) {
      ordered_json row{{"dtype", r.dtype}, {"largest_layer_bytes", r.largest_layer_bytes}, {"total_bytes", r.total_bytes},
                       {"training_available", r.training_available}};
      if (r.training_available)
        row["training"] = {{"peak_bytes", r.training_peak_bytes}, {"model", r.stage_model}, {"gradients", r.stage_gradients},
                           {"optimizer", r.stage_optimizer}, {"step", r.stage_step}};
      list.push_back(row);
    }
    ordered_json j{{"source", loaded.value().source}, {"class", model.inventory.hf.class_name}, {"rows", list}};
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << loaded.value().source << ": Hugging Face Model Memory Calculator (" << model.inventory.hf.class_name
            << "; units as the calculator prints them: KB/MB/GB are binary)\n\n";
  std::printf("  %-18s %-34s %-14s %s\n", "dtype", "Largest Layer or Residual Group", "Total Size", "Training using Adam (Peak vRAM)");
  for (const auto& r : rows)
    std::printf("  %-18s %-34s %-14s %s\n", r.dtype.c_str(), vram::hf_convert_bytes(r.largest_layer_bytes_exact).c_str(),
                vram::hf_convert_bytes(r.total_bytes_exact).c_str(),
                r.training_available ? vram::hf_convert_bytes(static_cast<double>(r.training_peak_bytes)).c_str() : "N/A");
  return 0;
}

int cmd_gpus(const std::vector<std::string>& argv) {
  auto args = Args::parse(argv, {}, {"json"});
  if (!args) return fail(args.error().message);
  ordered_json list = ordered_json::array();
  for (const auto& g : vram::gpus()) {
    if (args.value().flag("json")) {
      list.push_back({{"id", g.id}, {"name", g.name}, {"vendor", g.vendor}, {"segment", g.segment},
                      {"memory_bytes", g.memory_bytes}, {"usable_bytes", g.usable_bytes()}, {"bandwidth_gbps", g.bandwidth_gbps}});
    } else {
      std::printf("  %-24s %-40s %10s  %6.0f GB/s\n", std::string(g.id).c_str(), std::string(g.name).c_str(),
                  vram::format_bytes(g.usable_bytes()).c_str(), g.bandwidth_gbps);
    }
  }
  if (args.value().flag("json")) std::cout << list.dump(2) << "\n";
  return 0;
}

// ---- accuracy ---------------------------------------------------------------------------------

vram::Result<std::string> read_text(std::string_view path) {
  std::ifstream in{std::string(path), std::ios::binary};
  if (!in) return vram::make_error(vram::ErrorCode::InvalidValue, std::string(path), std::string(path) + ": cannot read the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int cmd_accuracy(const std::vector<std::string>& argv) {
  auto args = Args::parse(argv, {"data", "markdown"}, {"json"});
  if (!args) return fail(args.error().message);
  const std::string dir = args.value().get("data").value_or("tests/data/measured");
  std::vector<std::pair<std::string, std::string>> files;
  std::error_code ec;
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.path().extension() == ".json") paths.push_back(e.path());
  if (ec) return fail("--data: " + dir + ": " + ec.message());
  std::sort(paths.begin(), paths.end());
  for (const auto& p : paths) {
    auto t = read_text(p.string());
    if (!t) return fail(t.error().message);
    files.emplace_back(p.filename().string(), t.value());
  }
  auto table = vram::compare_measurements(files, read_text);
  if (!table) return fail(table.error().message);
  const std::string md = vram::accuracy_markdown(table.value());
  if (auto out = args.value().get("markdown")) {
    std::ofstream f(*out);
    f << md;
    if (!f) return fail("--markdown: cannot write " + *out);
  }
  if (args.value().flag("json")) {
    ordered_json j;
    ordered_json rows = ordered_json::array();
    for (const auto& r : table.value().rows)
      rows.push_back({{"id", r.id}, {"model", r.model}, {"category", r.category}, {"metric", r.metric}, {"measured", r.measured},
                      {"estimated", r.estimated}, {"error_pct", r.error_pct}, {"knobs", r.knobs}, {"source", r.source}});
    ordered_json sums = ordered_json::array();
    for (const auto& x : table.value().summaries)
      sums.push_back({{"category", x.category}, {"cases", x.cases}, {"median_abs_pct", x.median_abs_pct},
                      {"max_abs_pct", x.max_abs_pct}, {"mean_pct", x.mean_pct}});
    j["summaries"] = sums;
    j["rows"] = rows;
    j["skipped"] = table.value().skipped;
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << md;
  }
  return 0;
}

void usage() {
  std::cout << "usage: vramcalc <command> [options]\n\n"
               "commands:\n"
               "  params     parameter inventory and the Hugging Face calculator view\n"
               "  inference  memory to run or serve (--dtype --kv-dtype --batch --context --runtime --attn …)\n"
               "  train      memory to train or fine-tune (--method --optimizer --precision --batch --seq …)\n"
               "  fit        does it fit on --gpu NAME [--tp N | --gpus N], and the inverse solves\n"
               "  hf-table   the Hugging Face Model Memory Calculator table, reproduced\n"
               "  gpus       the built-in accelerator catalog\n"
               "  models     the built-in model catalog\n"
               "  accuracy   measured vs estimated over tests/data/measured (--data DIR, --markdown FILE)\n\n"
               "model input (every command): --config FILE | --model ID, and --json for one JSON object\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> rest(argv + (argc > 1 ? 2 : 1), argv + argc);
  const std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd.empty() || cmd == "help" || cmd == "--help" || cmd == "-h") {
    usage();
    return cmd.empty() ? kBadInput : 0;
  }
  const std::vector<std::pair<std::string, std::function<int(const std::vector<std::string>&)>>> commands{
      {"params", cmd_params},   {"inference", cmd_inference}, {"train", cmd_train}, {"fit", cmd_fit},
      {"gpus", cmd_gpus},       {"models", cmd_models},       {"accuracy", cmd_accuracy}, {"hf-table", cmd_hf_table},
  };
  for (const auto& [name, fn] : commands)
    if (name == cmd) return fn(rest);
  return fail("unknown command \"" + cmd + "\" (try: vramcalc help)");
}

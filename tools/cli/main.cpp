// vramcalc: the command-line face of the engine. Human tables by default, one JSON object with
// --json (the engine's views, view/views.hpp: the same field lists the WebAssembly bindings use).
// Exit codes: 0 ok, 2 bad input (one line on stderr naming the file, field or flag).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "accuracy.hpp"
#include "args.hpp"
#include "hub.hpp"
#include "vram/base/format.hpp"
#include "vram/estimate/advise.hpp"
#include "vram/estimate/estimate.hpp"
#include "vram/estimate/solve.hpp"
#include "vram/model/catalog.hpp"
#include "vram/model/gguf.hpp"
#include "vram/model/hf_table.hpp"
#include "vram/model/safetensors.hpp"
#include "vram/view/views.hpp"
#include "vram/workload/option_table.hpp"
#include "vram/workload/options.hpp"

namespace {

using vram::cli::Args;

constexpr int kBadInput = 2;
constexpr std::size_t kMaxFileBytes = std::size_t{8} << 20;  // as the engine's config limit

const vram::ViewStyle kStyle{vram::english_catalog(), vram::Spelling::Cli};

int fail(const std::string& message) {
  std::cerr << "vramcalc: " << message << "\n";
  return kBadInput;
}
int fail(const vram::Error& e, const std::string& prefix = {}) {
  return fail((prefix.empty() ? "" : prefix + ": ") + kStyle.text(e.message));
}

// A file's text, read with the limit while reading: regular files only (a FIFO would block,
// /dev/zero never ends, a directory is no file), or standard input for "-". The file is opened
// first (non-blocking, so opening a FIFO cannot hang) and the opened descriptor is checked, so
// what is read is what was checked; at most kMaxFileBytes + 1 bytes are ever read.
std::optional<std::string> read_fd(int fd, const std::string& name, std::string& error) {
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = name + ": cannot read the file";
      return std::nullopt;
    }
    if (n == 0) return out;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > kMaxFileBytes) {
      error = name + ": larger than " + std::to_string(kMaxFileBytes) + " bytes (not a config.json)";
      return std::nullopt;
    }
  }
}

std::optional<std::string> read_text(const std::string& path, std::string& error) {
  if (path == "-") return read_fd(STDIN_FILENO, "-: standard input", error);
  const std::string name = vram::cli::shown(path);
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    error = name + ": cannot read the file" + (errno == ENOENT ? " (no such file)" : "");
    return std::nullopt;
  }
  struct stat st {};
  std::optional<std::string> text;
  if (::fstat(fd, &st) != 0) {
    error = name + ": cannot read the file";
  } else if (!S_ISREG(st.st_mode)) {
    error = name + ": not a regular file" + (S_ISDIR(st.st_mode) ? " (a directory)" : "");
  } else if (st.st_size > static_cast<off_t>(kMaxFileBytes)) {
    error = name + ": larger than " + std::to_string(kMaxFileBytes) + " bytes (not a config.json)";
  } else {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    text = read_fd(fd, name, error);
  }
  ::close(fd);
  return text;
}

// The header of a .gguf file, read in growing chunks (never the tensor data): regular files only.
constexpr std::uint64_t kFirstGgufRead = std::uint64_t{1} << 20;

std::optional<vram::GgufHeader> read_gguf_file(const std::string& path, std::string& error) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    error = vram::cli::shown(path) + (::stat(path.c_str(), &st) != 0 ? ": cannot read the file" : ": not a regular file");
    return std::nullopt;
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = vram::cli::shown(path) + ": cannot read the file";
    return std::nullopt;
  }
  std::string buf;
  std::uint64_t want = std::min(size, kFirstGgufRead);
  const std::string name = std::filesystem::path(path).filename().string();
  for (;;) {
    const std::uint64_t have = buf.size();
    buf.resize(want);
    in.read(buf.data() + have, static_cast<std::streamsize>(want - have));
    buf.resize(have + static_cast<std::uint64_t>(in.gcount()));
    auto r = vram::read_gguf_header(buf, name, size);
    if (!r) {
      error = kStyle.text(r.error().message);
      return std::nullopt;
    }
    if (r.value().need_bytes == 0) return std::move(r.value().header);
    // The engine bounds need_bytes by its header limit; the file must hold that many bytes.
    if (r.value().need_bytes > size || buf.size() < want) {
      error = name + ": the file ends at byte " + std::to_string(size) + ", before its GGUF header does (needs " +
              std::to_string(r.value().need_bytes) + " bytes)";
      return std::nullopt;
    }
    want = std::min(size, std::max(r.value().need_bytes, 2 * buf.size()));
  }
}

// The parts of a split file: "<stem>-00001-of-00003.gguf" names three files side by side.
std::vector<std::string> gguf_parts(const std::string& path) {
  const std::string tail = "-00001-of-00000.gguf";
  if (path.size() < tail.size()) return {path};
  const std::string end = path.substr(path.size() - tail.size());
  const auto digits = [&](std::size_t at) {
    for (std::size_t i = at; i < at + 5; ++i)
      if (end[i] < '0' || end[i] > '9') return false;
    return true;
  };
  if (end[0] != '-' || !digits(1) || end.compare(6, 4, "-of-") != 0 || !digits(10) || end.compare(15, 5, ".gguf") != 0) return {path};
  const int count = std::stoi(end.substr(10, 5));
  if (count < 1 || count > 4096) return {path};
  std::vector<std::string> out;
  char num[16];
  for (int i = 1; i <= count; ++i) {
    std::snprintf(num, sizeof num, "%05d", i);
    out.push_back(path.substr(0, path.size() - tail.size()) + "-" + num + end.substr(6));
  }
  return out;
}

// --gguf FILE: the model (and its exact bytes) from the header of one file or of every part.
std::optional<vram::GgufModel> read_gguf_model(const std::string& path, std::string& error) {
  std::vector<vram::GgufHeader> headers;
  std::vector<std::string> names;
  for (const auto& part : gguf_parts(path)) {
    auto h = read_gguf_file(part, error);
    if (!h) return std::nullopt;
    headers.push_back(std::move(*h));
    names.push_back(std::filesystem::path(part).filename().string());
  }
  auto g = vram::gguf_model(headers, names);
  if (!g) {
    error = kStyle.text(g.error().message);
    return std::nullopt;
  }
  return std::move(g).value();
}

// A loaded model and where it came from.
struct Loaded {
  std::string source;
  vram::Model model;
  std::optional<vram::StoredTensors> stored;  // from the Hub's safetensors headers
};

// --config FILE, --model ID or --gguf FILE (one of them); errors are prefixed with the file name.
std::optional<Loaded> load_model(const Args& args, int& rc) {
  const auto file = args.get("config");
  const auto id = args.get("model");
  const auto gguf = args.get("gguf");
  if ((file ? 1 : 0) + (id ? 1 : 0) + (gguf ? 1 : 0) > 1) {
    rc = fail("give one of --config FILE, --model ID, --gguf FILE (not both)");
    return std::nullopt;
  }
  std::string text, source;
  if (gguf) {
    std::string error;
    auto g = read_gguf_model(*gguf, error);
    if (!g) {
      rc = fail(error);
      return std::nullopt;
    }
    text = vram::gguf_config_json(*g);
    source = *gguf;
  } else if (file) {
    std::string error;
    auto t = read_text(*file, error);
    if (!t) {
      rc = fail(error);
      return std::nullopt;
    }
    text = std::move(*t);
    source = *file;
  } else if (id) {
    auto m = vram::find_catalog_model(*id);
    const std::string repo = vram::normalize_model_id(*id);
    if (m && !vram::cli::hub_requested(args)) {
      text = std::string(m.value().config_json);
      source = std::string(m.value().id);
    } else if (!repo.empty() && vram::valid_repo_id(repo)) {
      // Not in the catalog (or --endpoint/--revision/--token-file given): the Hub.
      std::string error;
      auto s = vram::cli::hub_settings(args, error);
      auto files = s ? vram::cli::hub_load(repo, *s, error) : std::nullopt;
      if (!files) {
        rc = fail(error);
        return std::nullopt;
      }
      auto model = vram::load_model(files->config_text);
      if (!model) {
        rc = fail(model.error(), repo + "/config.json");
        return std::nullopt;
      }
      Loaded out{repo, std::move(model).value(), std::nullopt};
      if (!files->headers.empty()) {
        auto st = vram::read_safetensors_headers(files->headers, out.model);
        if (!st) {
          rc = fail(st.error(), repo);
          return std::nullopt;
        }
        out.stored = std::move(st).value();
      }
      return out;
    } else {
      rc = fail(m.error());
      return std::nullopt;
    }
  } else {
    rc = fail("give --config FILE or --model ID (or --gguf FILE)");
    return std::nullopt;
  }
  auto m = vram::load_model(text);
  if (!m) {
    rc = fail(m.error(), vram::cli::shown(source));
    return std::nullopt;
  }
  return Loaded{source, std::move(m).value(), std::nullopt};
}

std::string gib(std::uint64_t bytes) { return vram::format_bytes(bytes); }

// ---- the option table as flags -----------------------------------------------------------------

std::string flag_of(std::string_view id) { return vram::spell_option(id, vram::Spelling::Cli).substr(2); }

// The model-input flags every model command takes (the Hub ones: tools/cli/hub.hpp).
struct Flags {
  std::set<std::string> values{"config", "model", "gguf", "revision", "endpoint", "token-file"};
  std::set<std::string> switches{"json", "help", "offline"};
};

template <class Options>
void add_flags(Flags& f, const std::vector<vram::OptionDef<Options>>& table) {
  for (const auto& d : table) (d.type == vram::ValueType::Bool ? f.switches : f.values).insert(flag_of(d.id));
}

// Options read from the flags; a switch (--dora) is "true".
template <class Options>
vram::OptionLookup lookup_in(const Args& args, const std::vector<vram::OptionDef<Options>>& table) {
  return [&args, &table](std::string_view id) -> std::optional<std::string> {
    const std::string f = flag_of(id);
    for (const auto& d : table)
      if (d.id == id && d.type == vram::ValueType::Bool) return args.flag(f) ? std::optional<std::string>("true") : std::nullopt;
    return args.get(f);
  };
}

template <class Options>
void print_option_help(const std::vector<vram::OptionDef<Options>>& table) {
  const Options defaults;
  for (const auto& d : table) {
    std::string left = vram::spell_option(d.id, vram::Spelling::Cli);
    if (d.type != vram::ValueType::Bool) left += " VALUE";
    std::string range;
    switch (d.type) {
      case vram::ValueType::UInt:
      case vram::ValueType::Int:
      case vram::ValueType::Number:
        range = "[" + vram::format_number(d.min) + " … " + vram::format_number(d.max) + "]";
        break;
      case vram::ValueType::Choice:
      case vram::ValueType::WeightFormat:
      case vram::ValueType::Text:
        if (d.choices && d.id != "gpu") {
          std::string list;
          for (const auto& c : d.choices()) list += (list.empty() ? "" : ", ") + c;
          range = list.size() > 70 ? "one of: " + list.substr(0, 67) + "…" : "one of: " + list;
        }
        if (d.id == "gpu") range = "a GPU id (vramcalc gpus)";
        break;
      case vram::ValueType::Bool: range = "switch"; break;
    }
    const std::string def = vram::option_text(d, defaults);
    std::printf("  %-34s %s\n", left.c_str(), kStyle.text(d.help).c_str());
    std::printf("  %-34s default %s; %s\n", "", def.empty() ? "none" : def.c_str(), range.c_str());
  }
}

// ---- output --------------------------------------------------------------------------------------

// {"source": …, <the view's fields>}
vram::Value with_source(const std::string& source, vram::Value v) {
  vram::Value o = vram::Value::object();
  o.set("source", source);
  for (const auto& [k, x] : v.fields()) o.set(k, x);
  return o;
}

void print_json(const vram::Value& v) { std::cout << vram::to_json(v) << "\n"; }

void print_report(const std::string& title, const vram::Report& r) {
  std::cout << title << "\n\n";
  for (const auto& i : r.items) {
    std::printf("  %-26s %12s%s\n", i.id.c_str(), vram::format_bytes(i.bytes).c_str(), i.cpu ? "  (CPU RAM)" : "");
    if (i.formula.node()) std::printf("  %-26s   %s\n", "", vram::explain(i.formula, kStyle.catalog, kStyle.spelling).text().c_str());
  }
  std::printf("\n  per phase:");
  for (const auto& p : r.phases) std::printf("  %s %s", vram::to_string(p.phase), vram::format_bytes(p.bytes).c_str());
  std::printf("\n  peak (%s)%s: %s (%s bytes)\n", vram::to_string(r.peak_phase),
              r.gpus > 1 ? (" per GPU × " + std::to_string(r.gpus)).c_str() : "", vram::format_bytes(r.total_bytes).c_str(),
              vram::format_count(r.total_bytes).c_str());
  if (r.cpu_bytes) std::printf("  CPU RAM: %s\n", vram::format_bytes(r.cpu_bytes).c_str());
  for (const auto& f : r.facts) {
    const std::string how = f.formula.node() ? vram::explain(f.formula, kStyle.catalog, kStyle.spelling).text() : kStyle.text(f.note);
    std::printf("  %s: %s  (%s)\n", f.id.c_str(), f.bytes ? gib(static_cast<std::uint64_t>(f.value)).c_str() : vram::format_number(f.value).c_str(),
                how.c_str());
  }
  for (const auto& w : r.warnings) std::cout << "  warning: " << kStyle.text(w) << "\n";
  if (r.approximate)
    for (const auto& a : r.approximate_reasons) std::cout << "  approximate: " << kStyle.text(a) << "\n";
}

// ---- commands ------------------------------------------------------------------------------------

void usage() {
  std::cout << "usage: vramcalc <command> [options]      (vramcalc <command> --help lists a command's options)\n\n"
               "commands:\n"
               "  params     parameter inventory and the Hugging Face calculator view\n"
               "  inference  memory to run or serve a model\n"
               "  train      memory to train or fine-tune a model\n"
               "  fit        does it fit on --gpu NAME [--tp N | --gpus N], and the inverse solves\n"
               "  advise     how to make it fit on --gpu NAME: ranked changes with their savings, and a combination that fits\n"
               "  what-runs  the catalog models that fit on --gpu NAME for --task chat|serve|lora|qlora|train, largest first\n"
               "  hf-table   the Hugging Face Model Memory Calculator table, reproduced\n"
               "  gguf       a .gguf file's header: tensor types and exact bytes (--gguf FILE)\n"
               "  gpus       the built-in accelerator catalog\n"
               "  models     the built-in model catalog\n"
               "  accuracy   measured vs estimated over tests/data/measured (--data DIR, --markdown FILE)\n\n"
               "model input: --config FILE (or - for standard input) | --model ID (a catalog id, or org/name read from the Hub) | --gguf FILE; --json for one JSON object\n"
               "Hub: --revision REV, --endpoint URL (or HF_ENDPOINT), --token-file FILE (or HF_TOKEN, or $HF_HOME/token), --offline (catalog and cache only)\n";
}

void model_help(const char* what) {
  std::printf("usage: vramcalc %s (--config FILE | --model ID | --gguf FILE) [--json]\n\n", what);
  std::printf("  %-34s %s\n  %-34s %s\n  %-34s %s\n  %-34s %s\n", "--config FILE", "a config.json (- reads standard input)", "--model ID",
              "a catalog id or Hub URL (vramcalc models)", "--gguf FILE",
              "a .gguf file (its header only; every part of a -00001-of-0000N split)", "--json", "one JSON object on standard output");
  std::printf("  %-34s %s\n  %-34s %s\n  %-34s %s\n  %-34s %s\n", "--revision REV", "the Hub branch, tag or commit (default main)", "--endpoint URL",
              "a Hub mirror (default HF_ENDPOINT, else https://huggingface.co)", "--token-file FILE",
              "the Hub token (else HF_TOKEN, else $HF_HOME/token or ~/.cache/huggingface/token)", "--offline",
              "no network: the catalog and the cache ($XDG_CACHE_HOME/vramcalc) only");
}

int cmd_params(const std::vector<std::string>& argv) {
  std::string error;
  const Flags flags;
  auto args = Args::parse(argv, flags.values, flags.switches, error);
  if (!args) return fail(error);
  if (args->flag("help")) {
    model_help("params");
    return 0;
  }
  int rc = 0;
  auto loaded = load_model(*args, rc);
  if (!loaded) return rc;
  const vram::Model& m = loaded->model;
  const vram::Inventory& inv = m.inventory;
  if (args->flag("json")) {
    auto v = with_source(loaded->source, vram::view_params(m, kStyle, true));
    if (loaded->stored) v.set("safetensors", vram::view_safetensors(*loaded->stored, m, kStyle));
    print_json(v);
    return 0;
  }
  std::cout << loaded->source << "  (" << m.spec.model_type << (m.spec.architecture.empty() ? "" : ", " + m.spec.architecture) << ")\n\n";
  std::printf("  %-24s %22s\n", "component", "parameters");
  for (const auto& g : inv.summary()) std::printf("  %-24s %22s\n", g.name.c_str(), vram::format_count(g.params).c_str());
  std::printf("  %-24s %22s\n", "total", vram::format_count(inv.total_params).c_str());
  if (inv.active_params != inv.total_params)
    std::printf("  %-24s %22s\n", "active per token", vram::format_count(inv.active_params).c_str());
  if (inv.mtp_params)
    std::printf("  %-24s %22s  (in the checkpoint, not built by transformers)\n", "MTP layers", vram::format_count(inv.mtp_params).c_str());
  if (inv.checkpoint_params != inv.total_params)
    std::printf("  %-24s %22s  (stored elements: parameters, persistent buffers, MTP layers)\n", "checkpoint tensors",
                vram::format_count(inv.checkpoint_params).c_str());
  if (loaded->stored)
    std::printf("  %-24s %22s  (%s bytes in %s safetensors files, from their headers)\n", "stored tensors", vram::format_count(loaded->stored->tensors).c_str(),
                vram::format_count(loaded->stored->bytes).c_str(), vram::format_count(loaded->stored->files).c_str());
  std::printf("\n  Hugging Face calculator view (%s, float32):\n", inv.hf.class_name.c_str());
  std::printf("    total size     %s (%s bytes)\n", gib(inv.hf.total_bytes_fp32).c_str(), vram::format_count(inv.hf.total_bytes_fp32).c_str());
  std::printf("    largest layer  %s (%s bytes, %s)\n", gib(inv.hf.largest_layer_bytes_fp32).c_str(),
              vram::format_count(inv.hf.largest_layer_bytes_fp32).c_str(), inv.hf.largest_layer_name.c_str());
  for (const auto& w : m.spec.warnings) std::cout << "  warning: " << kStyle.text(w) << "\n";
  return 0;
}

int cmd_models(const std::vector<std::string>& argv) {
  std::string error;
  auto args = Args::parse(argv, {}, {"json", "help"}, error);
  if (!args) return fail(error);
  if (args->flag("help")) {
    std::puts("usage: vramcalc models [--json]\n\n  the model configs compiled into vramcalc (ids for --model)");
    return 0;
  }
  if (args->flag("json")) {
    print_json(vram::view_catalog_models());
    return 0;
  }
  for (const auto& m : vram::catalog_models()) std::printf("  %-48s %s\n", std::string(m.id).c_str(), std::string(m.family).c_str());
  return 0;
}

int cmd_gpus(const std::vector<std::string>& argv) {
  std::string error;
  auto args = Args::parse(argv, {}, {"json", "help"}, error);
  if (!args) return fail(error);
  if (args->flag("help")) {
    std::puts("usage: vramcalc gpus [--json]\n\n  the accelerators vramcalc knows (ids for --gpu), with their usable memory");
    return 0;
  }
  if (args->flag("json")) {
    print_json(vram::view_gpus());
    return 0;
  }
  for (const auto& g : vram::gpus())
    std::printf("  %-24s %-40s %10s  %6.0f GB/s\n", std::string(g.id).c_str(), std::string(g.name).c_str(),
                vram::format_bytes(g.usable_bytes()).c_str(), g.bandwidth_gbps);
  return 0;
}

int cmd_inference(const std::vector<std::string>& argv) {
  Flags flags;
  add_flags(flags, vram::inference_option_table());
  std::string error;
  auto args = Args::parse(argv, flags.values, flags.switches, error);
  if (!args) return fail(error);
  if (args->flag("help")) {
    model_help("inference");
    std::puts("\noptions (from the engine's option table):");
    print_option_help(vram::inference_option_table());
    return 0;
  }
  int rc = 0;
  auto loaded = load_model(*args, rc);
  if (!loaded) return rc;
  auto opts = vram::inference_options(lookup_in(*args, vram::inference_option_table()));
  if (!opts) return fail(opts.error());
  auto r = vram::estimate_inference(loaded->model, opts.value());
  if (!r) return fail(r.error());
  if (args->flag("json")) print_json(with_source(loaded->source, vram::view_report(r.value(), kStyle)));
  else print_report(loaded->source + ": inference", r.value());
  return 0;
}

int cmd_train(const std::vector<std::string>& argv) {
  Flags flags;
  add_flags(flags, vram::train_option_table());
  std::string error;
  auto args = Args::parse(argv, flags.values, flags.switches, error);
  if (!args) return fail(error);
  if (args->flag("help")) {
    model_help("train");
    std::puts("\noptions (from the engine's option table):");
    print_option_help(vram::train_option_table());
    return 0;
  }
  int rc = 0;
  auto loaded = load_model(*args, rc);
  if (!loaded) return rc;
  auto opts = vram::train_options(lookup_in(*args, vram::train_option_table()));
  if (!opts) return fail(opts.error());
  auto r = vram::estimate_training(loaded->model, opts.value());
  if (!r) return fail(r.error());
  if (args->flag("json")) print_json(with_source(loaded->source, vram::view_report(r.value(), kStyle)));
  else print_report(loaded->source + ": training", r.value());
  return 0;
}

int cmd_fit(const std::vector<std::string>& argv) {
  Flags flags;
  add_flags(flags, vram::inference_option_table());
  add_flags(flags, vram::train_option_table());
  flags.values.insert("mode");
  std::string error;
  auto args = Args::parse(argv, flags.values, flags.switches, error);
  if (!args) return fail(error);
  const Args& a = *args;
  if (a.flag("help")) {
    model_help("fit --gpu GPU [--mode inference|train]");
    std::puts("\n  the inference options (vramcalc inference --help) or, with --mode train, the training ones");
    return 0;
  }
  const std::string mode = a.get("mode").value_or("inference");
  if (mode != "inference" && mode != "train") return fail("--mode: must be inference or train, got \"" + vram::cli::shown(mode) + "\"");
  if (!a.get("gpu")) return fail("--gpu: a GPU name is required (see `vramcalc gpus`)");
  auto gpu = vram::find_gpu(*a.get("gpu"));
  if (!gpu) return fail(gpu.error());
  int rc = 0;
  auto loaded = load_model(a, rc);
  if (!loaded) return rc;
  const vram::Model& model = loaded->model;
  vram::Result<vram::Report> report = vram::make_error(vram::ErrorCode::InvalidValue, "mode", vram::Msg::none);
  vram::Result<vram::Solves> solves = vram::make_error(vram::ErrorCode::InvalidValue, "mode", vram::Msg::none);
  if (mode == "inference") {
    auto o = vram::inference_options(lookup_in(a, vram::inference_option_table()));
    if (!o) return fail(o.error());
    report = vram::estimate_inference(model, o.value());
    if (report) solves = vram::solve_inference(model, o.value(), gpu.value(), o.value().tensor_parallel);
  } else {
    auto o = vram::train_options(lookup_in(a, vram::train_option_table()));
    if (!o) return fail(o.error());
    report = vram::estimate_training(model, o.value());
    if (report) solves = vram::solve_training(model, o.value(), gpu.value(), o.value().gpus);
  }
  if (!report) return fail(report.error());
  if (!solves) return fail(solves.error());
  const vram::Fit f = vram::fit(report.value(), gpu.value());
  const vram::Solves& s = solves.value();
  if (a.flag("json")) {
    vram::Value j = with_source(loaded->source, vram::view_report(report.value(), kStyle));
    vram::Value fitv = vram::view_fit(f, s, gpu.value());
    for (const auto& [k, x] : fitv.fields()) j.set(k, x);
    print_json(j);
    return 0;
  }
  print_report(loaded->source + ": " + mode + " on " + std::string(gpu.value().name), report.value());
  std::printf("\n  %s on %u × %s (%s usable each), headroom %s%s\n", f.fits ? "FITS" : "DOES NOT FIT", f.gpus,
              std::string(gpu.value().name).c_str(), vram::format_bytes(f.usable_bytes).c_str(), f.headroom_bytes < 0 ? "-" : "",
              vram::format_bytes(static_cast<std::uint64_t>(std::llabs(f.headroom_bytes))).c_str());
  const auto count = [](std::uint64_t n) { return n ? vram::format_count(n) : std::string("none fits"); };
  if (mode == "inference") {
    std::printf("  largest context that fits: %s; largest batch: %s; fewest GPUs: %s; best weights that fit: %s\n",
                count(s.max_context).c_str(), count(s.max_batch).c_str(), s.min_gpus ? std::to_string(s.min_gpus).c_str() : "more than 64",
                s.best_weights.empty() ? "none fits" : s.best_weights.c_str());
  } else {
    std::printf("  largest sequence that fits: %s; largest micro-batch: %s; fewest GPUs: %s\n", count(s.max_seq).c_str(),
                count(s.max_batch).c_str(), s.min_gpus ? std::to_string(s.min_gpus).c_str() : "more than 64");
  }
  return 0;
}

// vramcalc gguf --gguf FILE: what the header says (types, exact bytes by placement, dimensions),
// the same view the WebAssembly binding gguf() returns.
int cmd_gguf(const std::vector<std::string>& argv) {
  std::string error;
  auto args = Args::parse(argv, {"gguf"}, {"json", "help"}, error);
  if (!args) return fail(error);
  if (args->flag("help") || !args->get("gguf")) {
    std::puts("usage: vramcalc gguf --gguf FILE [--json]\n\n  a .gguf file's header: tensor types, exact bytes per layer, dimensions");
    return args->flag("help") ? 0 : kBadInput;
  }
  auto g = read_gguf_model(*args->get("gguf"), error);
  if (!g) return fail(error);
  const vram::Value v = vram::view_gguf(*g, vram::gguf_config_json(*g));
  if (args->flag("json")) {
    print_json(with_source(*args->get("gguf"), v));
    return 0;
  }
  std::printf("%s  (%s%s%s, %s tensors in %s file%s)\n\n", args->get("gguf")->c_str(), g->architecture.c_str(),
              g->file_type.empty() ? "" : ", ", g->file_type.c_str(), vram::format_count(g->tensors).c_str(),
              vram::format_count(g->files).c_str(), g->files == 1 ? "" : "s");
  for (const auto& t : g->by_type)
    std::printf("  type %-8s %6s tensors %12s\n", std::string(vram::ggml_traits(t.type).name).c_str(), vram::format_count(t.tensors).c_str(),
                vram::format_bytes(t.bytes).c_str());
  std::printf("\n  weights %s (%s bytes), %s parameters\n", vram::format_bytes(g->bytes).c_str(), vram::format_count(g->bytes).c_str(),
              vram::format_count(g->params).c_str());
  std::printf("  input (token_embd, stays in RAM) %s, output %s%s, %s layers\n", vram::format_bytes(g->input_bytes).c_str(),
              vram::format_bytes(g->output_bytes).c_str(), g->tied ? " (tied: token_embd again on the GPU)" : "",
              vram::format_count(g->n_layer).c_str());
  return 0;
}

std::string changes_text(const std::vector<vram::OptionChange>& ch) {
  std::string out;
  for (const auto& c : ch) {
    if (!out.empty()) out += ' ';
    out += vram::spell_option(c.option, vram::Spelling::Cli);
    out += ' ';
    out += c.value;
  }
  return out;
}

int cmd_advise(const std::vector<std::string>& argv) {
  Flags flags;
  add_flags(flags, vram::inference_option_table());
  add_flags(flags, vram::train_option_table());
  flags.values.insert("mode");
  std::string error;
  auto args = Args::parse(argv, flags.values, flags.switches, error);
  if (!args) return fail(error);
  const Args& a = *args;
  if (a.flag("help")) {
    model_help("advise --gpu GPU [--mode inference|train]");
    std::puts("\n  the inference options (vramcalc inference --help) or, with --mode train, the training ones;"
              "\n  the GPU count is --tp (inference; --gpus N sets it too) or --gpus (train)");
    return 0;
  }
  const std::string mode = a.get("mode").value_or("inference");
  if (mode != "inference" && mode != "train") return fail("--mode: must be inference or train, got \"" + vram::cli::shown(mode) + "\"");
  if (!a.get("gpu")) return fail("--gpu: a GPU name is required (see `vramcalc gpus`)");
  auto gpu = vram::find_gpu(*a.get("gpu"));
  if (!gpu) return fail(gpu.error());
  int rc = 0;
  auto loaded = load_model(a, rc);
  if (!loaded) return rc;
  vram::Result<vram::Advisory> adv = vram::make_error(vram::ErrorCode::InvalidValue, "mode", vram::Msg::none);
  if (mode == "inference") {
    auto o = vram::inference_options(lookup_in(a, vram::inference_option_table()));
    if (!o) return fail(o.error());
    if (a.get("gpus") && !a.get("tp")) {
      auto t = vram::train_options(lookup_in(a, vram::train_option_table()));
      if (!t) return fail(t.error());
      o.value().tensor_parallel = t.value().gpus;
    }
    adv = vram::advise_inference(loaded->model, o.value(), gpu.value());
  } else {
    auto o = vram::train_options(lookup_in(a, vram::train_option_table()));
    if (!o) return fail(o.error());
    adv = vram::advise_training(loaded->model, o.value(), gpu.value());
  }
  if (!adv) return fail(adv.error());
  const vram::Advisory& v = adv.value();
  if (a.flag("json")) {
    print_json(with_source(loaded->source, vram::view_advisory(v, gpu.value(), kStyle)));
    return 0;
  }
  std::printf("%s: %s on %u × %s (%s usable each)\n", loaded->source.c_str(), mode.c_str(), v.gpus, std::string(gpu.value().name).c_str(),
              vram::format_bytes(v.usable_bytes).c_str());
  std::printf("  as given: %s per GPU, %s\n", vram::format_bytes(v.total_bytes).c_str(), v.fits ? "FITS" : "DOES NOT FIT");
  for (const auto& w : v.warnings) std::cout << "  warning: " << kStyle.text(w) << "\n";
  const auto row = [](const vram::Advice& x) {
    std::printf("  %-4s %-10s %11s saved → %11s%s  %s\n      %s\n", x.fits ? "fits" : "", vram::to_string(x.cost),
                vram::format_bytes(static_cast<std::uint64_t>(std::max<std::int64_t>(x.saved_bytes, 0))).c_str(),
                vram::format_bytes(x.total_bytes).c_str(), x.cpu_bytes ? (" (+" + vram::format_bytes(x.cpu_bytes) + " CPU RAM)").c_str() : "",
                kStyle.text(x.what).c_str(), changes_text(x.changes).c_str());
  };
  std::puts("\n  single changes, ranked (those that fit first, then the order of practice, then the saving):");
  if (v.changes.empty()) std::puts("  none saves memory");
  for (const auto& x : v.changes) row(x);
  if (!v.fits) {
    std::printf("\n  a combination (greedy over the ranked changes, not guaranteed cheapest): %s\n",
                v.combination_fits ? "fits" : "none found that fits");
    for (const auto& x : v.combination) row(x);
  }
  std::string order;
  for (auto f : vram::weight_quality_order()) order += (order.empty() ? "" : " > ") + std::string(f);
  std::cout << "\n  " << kStyle.text({vram::Msg::advice_quality_order, {{"order", order}}}) << "\n";
  return 0;
}

int cmd_what_runs(const std::vector<std::string>& argv) {
  std::string error;
  auto args = Args::parse(argv, {"gpu", "task", "gpus"}, {"json", "help"}, error);
  if (!args) return fail(error);
  if (args->flag("help")) {
    std::puts("usage: vramcalc what-runs --gpu GPU [--task chat|serve|lora|qlora|train] [--gpus N] [--json]\n\n"
              "  the catalog models that fit, largest first, with the settings that make each fit");
    return 0;
  }
  if (!args->get("gpu")) return fail("--gpu: a GPU name is required (see `vramcalc gpus`)");
  auto gpu = vram::find_gpu(*args->get("gpu"));
  if (!gpu) return fail(gpu.error());
  const std::string task = args->get("task").value_or("chat");
  const std::string n = args->get("gpus").value_or("1");
  if (n.empty() || n.size() > 4 || n.find_first_not_of("0123456789") != std::string::npos)
    return fail("--gpus must be an integer in [1, 1024], got \"" + vram::cli::shown(n) + "\"");
  auto rows = vram::what_runs(gpu.value(), task, static_cast<std::uint32_t>(std::stoul(n)));
  if (!rows) return fail(rows.error());
  if (args->flag("json")) {
    print_json(vram::view_what_runs(rows.value(), gpu.value(), task, kStyle));
    return 0;
  }
  std::printf("%s on %s × %s (%s usable each): %zu catalog models fit, largest first\n\n", task.c_str(), n.c_str(),
              std::string(gpu.value().name).c_str(), vram::format_bytes(gpu.value().usable_bytes()).c_str(), rows.value().size());
  for (const auto& r : rows.value()) {
    std::string how;
    for (const auto& x : r.settings) {
      if (!how.empty()) how += ' ';
      how += changes_text(x.changes);
    }
    std::printf("  %-44s %16s params  %11s  %s\n", r.model.c_str(), vram::format_count(r.params).c_str(), vram::format_bytes(r.total_bytes).c_str(),
                r.as_given ? "as given" : how.c_str());
  }
  return 0;
}

int cmd_hf_table(const std::vector<std::string>& argv) {
  std::string error;
  const Flags flags;
  auto args = Args::parse(argv, flags.values, flags.switches, error);
  if (!args) return fail(error);
  if (args->flag("help")) {
    model_help("hf-table");
    return 0;
  }
  int rc = 0;
  auto loaded = load_model(*args, rc);
  if (!loaded) return rc;
  const vram::Model& model = loaded->model;
  if (args->flag("json")) {
    print_json(with_source(loaded->source, vram::view_hf_table(model)));
    return 0;
  }
  std::cout << loaded->source << ": Hugging Face Model Memory Calculator (" << model.inventory.hf.class_name
            << "; units as the calculator prints them: KB/MB/GB are binary)\n\n";
  std::printf("  %-18s %-34s %-14s %s\n", "dtype", "Largest Layer or Residual Group", "Total Size", "Training using Adam (Peak vRAM)");
  for (const auto& r : vram::hf_table(model))
    std::printf("  %-18s %-34s %-14s %s\n", r.dtype.c_str(), vram::hf_convert_bytes(r.largest_layer_bytes_exact).c_str(),
                vram::hf_convert_bytes(r.total_bytes_exact).c_str(),
                r.training_available ? vram::hf_convert_bytes(static_cast<double>(r.training_peak_bytes)).c_str() : "N/A");
  return 0;
}

int cmd_accuracy(const std::vector<std::string>& argv) {
  std::string error;
  auto args = Args::parse(argv, {"data", "markdown"}, {"json", "help"}, error);
  if (!args) return fail(error);
  if (args->flag("help")) {
    std::puts("usage: vramcalc accuracy [--data DIR] [--markdown FILE] [--json]\n\n  replays every measured case of DIR (default tests/data/measured)");
    return 0;
  }
  const std::string dir = args->get("data").value_or("tests/data/measured");
  std::vector<std::pair<std::string, std::string>> files;
  std::error_code ec;
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.path().extension() == ".json") paths.push_back(e.path());
  if (ec) return fail("--data: " + dir + ": " + ec.message());
  std::sort(paths.begin(), paths.end());
  const vram::ReadFile read = [](std::string_view path) -> vram::Result<std::string> {
    std::string err;
    auto t = read_text(std::string(path), err);
    if (!t) return vram::make_error(vram::ErrorCode::InvalidValue, std::string(path), {vram::Msg::error_prefixed, {{"prefix", "file"}, {"message", err}}});
    return *t;
  };
  for (const auto& p : paths) {
    std::string err;
    auto t = read_text(p.string(), err);
    if (!t) return fail(err);
    files.emplace_back(p.filename().string(), std::move(*t));
  }
  auto table = vram::compare_measurements(files, read);
  if (!table) return fail(table.error());
  const std::string md = vram::accuracy_markdown(table.value());
  if (auto out = args->get("markdown")) {
    std::ofstream f(*out);
    f << md;
    if (!f) return fail("--markdown: cannot write " + *out);
  }
  if (args->flag("json")) {
    vram::Value j = vram::Value::object();
    j.set("summaries", vram::Value::array_of(table.value().summaries, [](const vram::AccuracySummary& x) {
      return vram::Value::object()
          .set("category", x.category)
          .set("cases", static_cast<std::uint64_t>(x.cases))
          .set("median_abs_pct", x.median_abs_pct)
          .set("max_abs_pct", x.max_abs_pct)
          .set("mean_pct", x.mean_pct);
    }));
    j.set("rows", vram::Value::array_of(table.value().rows, [](const vram::AccuracyRow& r) {
      return vram::Value::object()
          .set("id", r.id)
          .set("model", r.model)
          .set("category", r.category)
          .set("metric", r.metric)
          .set("measured", r.measured)
          .set("estimated", r.estimated)
          .set("error_pct", r.error_pct)
          .set("knobs", r.knobs)
          .set("source", r.source);
    }));
    j.set("skipped", vram::Value::array_of(table.value().skipped, [](const std::string& s) { return vram::Value(s); }));
    print_json(j);
  } else {
    std::cout << md;
  }
  return 0;
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
      {"params", cmd_params}, {"inference", cmd_inference}, {"train", cmd_train}, {"fit", cmd_fit},  {"advise", cmd_advise}, {"what-runs", cmd_what_runs},
      {"gpus", cmd_gpus},     {"models", cmd_models},       {"accuracy", cmd_accuracy}, {"hf-table", cmd_hf_table}, {"gguf", cmd_gguf},
  };
  for (const auto& [name, fn] : commands)
    if (name == cmd) return fn(rest);
  std::vector<std::string> names;
  for (const auto& c : commands) names.push_back(c.first);
  const std::string near = vram::cli::closest(cmd, names);
  return fail("unknown command \"" + vram::cli::shown(cmd) + "\"" + (near.empty() ? "" : " (did you mean " + near + "?)") +
              " (try: vramcalc help)");
}

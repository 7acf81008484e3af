#include "vram/workload/options.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace vram {
namespace {

// Reads typed values; the first problem becomes the error, named the caller's way.
class Reader {
 public:
  Reader(const OptionLookup& get, const OptionName& name_of) : get_(get), name_of_(name_of) {}

  [[nodiscard]] bool failed() const { return error_.has_value(); }
  [[nodiscard]] Error error() const { return *error_; }

  std::optional<std::string> raw(std::string_view key) { return get_(key); }

  std::uint64_t uint(std::string_view key, std::uint64_t fallback, std::uint64_t min, std::uint64_t max) {
    auto v = get_(key);
    if (!v) return fallback;
    const std::string& s = *v;
    if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos) {
      fail(key, "must be an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "], got \"" + s + "\"");
      return fallback;
    }
    const std::uint64_t n = std::strtoull(s.c_str(), nullptr, 10);
    if (n < min || n > max) {
      fail(key, "must be an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "], got " + s);
      return fallback;
    }
    return n;
  }

  std::int64_t sint(std::string_view key, std::int64_t fallback, std::int64_t min, std::int64_t max) {
    auto v = get_(key);
    if (!v) return fallback;
    const std::string& s = *v;
    const bool neg = !s.empty() && s[0] == '-';
    const std::string digits = neg ? s.substr(1) : s;
    if (digits.empty() || digits.size() > 18 || digits.find_first_not_of("0123456789") != std::string::npos) {
      fail(key, "must be an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "], got \"" + s + "\"");
      return fallback;
    }
    const std::int64_t n = (neg ? -1 : 1) * static_cast<std::int64_t>(std::strtoull(digits.c_str(), nullptr, 10));
    if (n < min || n > max) {
      fail(key, "must be an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "], got " + s);
      return fallback;
    }
    return n;
  }

  double number(std::string_view key, double fallback, double min, double max) {
    auto v = get_(key);
    if (!v) return fallback;
    errno = 0;
    char* end = nullptr;
    const double d = std::strtod(v->c_str(), &end);
    // Decimal notation only: strtod also reads hex floats and leading blanks, which JavaScript's
    // Number() (the page, links) does not.
    const bool decimal = !v->empty() && v->find_first_not_of("0123456789.eE+-") == std::string::npos;
    if (!decimal || *end != '\0' || errno != 0 || !std::isfinite(d) || d < min || d > max) {
      fail(key, "must be a number in [" + trim(min) + ", " + trim(max) + "], got \"" + *v + "\"");
      return fallback;
    }
    return d;
  }

  bool boolean(std::string_view key, bool fallback) {
    auto v = get_(key);
    if (!v) return fallback;
    if (*v == "true" || *v == "1" || v->empty()) return note_bool(key, true);
    if (*v == "false" || *v == "0") return note_bool(key, false);
    fail(key, "must be true or false, got \"" + *v + "\"");
    return fallback;
  }

  // `parse` is called directly (a lambda), never through a function pointer: taking the address of
  // a function returning a not-yet-instantiated class template makes wasm-ld emit a signature-
  // mismatch trap in the WebAssembly build.
  template <class T, class Parse>
  T parsed(std::string_view key, T fallback, Parse&& parse) {
    auto v = get_(key);
    if (!v) return fallback;
    Result<T> r = parse(*v, name_of_(key));
    if (!r) {
      if (!error_) error_ = Error{r.error().code, name_of_(key), r.error().message};
      return fallback;
    }
    return r.value();
  }

  WeightFormat weights(std::string_view key) {
    auto v = get_(key);
    if (!v) return WeightFormat{};
    auto r = parse_weight_format(*v);
    if (!r) {
      fail(key, r.error().message.substr(r.error().message.find(':') + 2));
      return WeightFormat{};
    }
    return r.value();
  }

  KvKind kv(std::string_view key) {
    auto v = get_(key);
    if (!v) return KvKind::Auto;
    auto r = parse_kv_kind(*v);
    if (!r) {
      fail(key, r.error().message.substr(r.error().message.find(':') + 2));
      return KvKind::Auto;
    }
    return r.value();
  }

  // The spelling a boolean was read as, "true" / "false" (check_*_option reports it).
  [[nodiscard]] const std::string& read_bool() const { return read_bool_; }

  void fail(std::string_view key, const std::string& what) {
    if (!error_) error_ = Error{ErrorCode::InvalidValue, name_of_(key), name_of_(key) + " " + what};
  }

 private:
  static std::string trim(double d) {
    std::string s = std::to_string(d);
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }
  bool note_bool(std::string_view, bool b) {
    read_bool_ = b ? "true" : "false";
    return b;
  }
  const OptionLookup& get_;
  const OptionName& name_of_;
  std::optional<Error> error_;
  std::string read_bool_;
};

constexpr std::uint64_t kMaxTokens = std::uint64_t{1} << 24;  // 16M tokens per sequence
constexpr std::uint64_t kMaxBatch = std::uint64_t{1} << 20;
constexpr std::uint64_t kMaxGpus = 65536;

// `cross`: also the rules between options (prompt ≤ context); off when one option is checked alone.
InferenceOptions read_inference(Reader& r, bool cross) {
  InferenceOptions o;
  o.weights = r.weights("dtype");
  o.kv = r.kv("kv_dtype");
  o.batch = r.uint("batch", o.batch, 1, kMaxBatch);
  o.context = r.uint("context", o.context, 1, kMaxTokens);
  o.prompt = r.uint("prompt", 0, 0, kMaxTokens);
  o.runtime = r.parsed("runtime", o.runtime, [](std::string_view v, std::string_view f) { return parse_runtime(v, f); });
  o.attn = r.parsed("attn", o.attn, [](std::string_view v, std::string_view f) { return parse_attention(v, f); });
  o.gpu_memory_utilization = r.number("gpu_util", o.gpu_memory_utilization, 0.01, 1.0);
  o.gpu_memory_bytes = r.uint("gpu_memory_bytes", 0, 0, std::uint64_t{1} << 50);
  o.cuda_graphs = r.boolean("cuda_graphs", o.cuda_graphs);
  o.max_num_batched_tokens = r.uint("max_batched_tokens", 0, 0, kMaxTokens);
  o.gpu_layers = r.sint("ngl", o.gpu_layers, -1, 100000);
  o.ubatch = r.uint("ubatch", o.ubatch, 1, kMaxTokens);
  o.n_batch = r.uint("n_batch", o.n_batch, 1, kMaxTokens);
  const std::int64_t overhead_mib = r.sint("overhead_mib", -1, -1, 1 << 20);
  o.overhead_bytes = overhead_mib < 0 ? -1 : overhead_mib * 1048576;
  o.tensor_parallel = static_cast<std::uint32_t>(r.uint("tp", 1, 1, 1024));
  o.pipeline_parallel = static_cast<std::uint32_t>(r.uint("pp", 1, 1, 1024));
  o.stored_weight_bytes = r.uint("stored_weight_bytes", 0, 0, std::uint64_t{1} << 50);
  o.stored_quant_metadata_bytes = r.uint("stored_quant_metadata_bytes", 0, 0, std::uint64_t{1} << 50);
  if (cross && !r.failed() && o.prompt > o.context) r.fail("prompt", "must be ≤ the context (" + std::to_string(o.context) + ")");
  return o;
}

TrainOptions read_train(Reader& r) {
  TrainOptions o;
  o.method = r.parsed("method", o.method, [](std::string_view v, std::string_view f) { return parse_method(v, f); });
  o.optimizer = r.parsed("optimizer", o.optimizer, [](std::string_view v, std::string_view f) { return parse_optimizer(v, f); });
  o.precision = r.parsed("precision", o.precision, [](std::string_view v, std::string_view f) { return parse_precision(v, f); });
  o.state_bytes_override = r.number("state_bytes", -1, -1, 16);
  o.micro_batch = r.uint("batch", o.micro_batch, 1, kMaxBatch);
  o.seq = r.uint("seq", o.seq, 1, kMaxTokens);
  o.grad_accum = r.uint("grad_accum", o.grad_accum, 1, 1u << 20);
  o.checkpointing = r.parsed("checkpointing", o.checkpointing, [](std::string_view v, std::string_view f) { return parse_checkpointing(v, f); });
  o.attn = r.parsed("attn", o.attn, [](std::string_view v, std::string_view f) { return parse_attention(v, f); });
  o.dropout = r.boolean("dropout", o.dropout);
  o.lora_rank = r.uint("lora_rank", o.lora_rank, 1, 1u << 16);
  if (auto t = r.raw("lora_targets")) {
    if (t->empty()) r.fail("lora_targets", "must name at least one module (or attention / all-linear)");
    o.lora_targets = *t;
  }
  o.dora = r.boolean("dora", o.dora);
  if (auto a = r.raw("adapter_dtype")) {
    auto d = parse_dtype(*a);
    if (!d || (*d != DType::F32 && *d != DType::BF16 && *d != DType::F16)) {
      r.fail("adapter_dtype", "must be fp32, bf16 or fp16, got \"" + *a + "\"");
    } else {
      o.adapter_dtype = *d;
    }
  }
  o.base_weights = r.weights("dtype");
  o.gpus = static_cast<std::uint32_t>(r.uint("gpus", 1, 1, kMaxGpus));
  o.zero = static_cast<std::uint32_t>(r.uint("zero", 0, 0, 3));
  o.fsdp = r.parsed("fsdp", o.fsdp, [](std::string_view v, std::string_view f) { return parse_fsdp(v, f); });
  o.offload_optimizer = r.parsed("offload_optimizer", o.offload_optimizer, [](std::string_view v, std::string_view f) { return parse_offload(v, f); });
  o.offload_params = r.parsed("offload_params", o.offload_params, [](std::string_view v, std::string_view f) { return parse_offload(v, f); });
  o.tensor_parallel = static_cast<std::uint32_t>(r.uint("tp", 1, 1, 1024));
  o.pipeline_parallel = static_cast<std::uint32_t>(r.uint("pp", 1, 1, 1024));
  o.sequence_parallel = r.boolean("sp", false);
  const std::int64_t overhead_mib = r.sint("overhead_mib", -1, -1, 1 << 20);
  o.overhead_bytes = overhead_mib < 0 ? -1 : overhead_mib * 1048576;
  return o;
}

// `read` is a plain function pointer, not a template parameter: one copy of this function (and of
// its std::function for `get`) serves both tabs, which keeps the WebAssembly module smaller.
Result<std::string> check_one(const std::vector<std::string>& keys, std::string_view key, std::string_view value,
                              const OptionName& name_of, void (*read)(Reader&)) {
  bool known = false;
  for (const auto& k : keys) known = known || k == key;
  if (!known) return make_error(ErrorCode::UnknownName, name_of(key), name_of(key) + " is not an option");
  const OptionLookup get = [&](std::string_view k) -> std::optional<std::string> {
    if (k == key) return std::string(value);
    return std::nullopt;
  };
  Reader r(get, name_of);
  read(r);
  if (r.failed()) return r.error();
  return r.read_bool().empty() ? std::string(value) : r.read_bool();
}

}  // namespace

Result<InferenceOptions> inference_options(const OptionLookup& get, const OptionName& name_of) {
  Reader r(get, name_of);
  InferenceOptions o = read_inference(r, true);
  if (r.failed()) return r.error();
  return o;
}

Result<TrainOptions> train_options(const OptionLookup& get, const OptionName& name_of) {
  Reader r(get, name_of);
  TrainOptions o = read_train(r);
  if (r.failed()) return r.error();
  return o;
}

Result<std::string> check_inference_option(std::string_view key, std::string_view value, const OptionName& name_of) {
  return check_one(inference_option_keys(), key, value, name_of, [](Reader& r) { (void)read_inference(r, false); });
}

Result<std::string> check_train_option(std::string_view key, std::string_view value, const OptionName& name_of) {
  return check_one(train_option_keys(), key, value, name_of, [](Reader& r) { (void)read_train(r); });
}

const std::vector<std::string>& inference_option_keys() {
  static const std::vector<std::string> k{"dtype", "kv_dtype", "batch", "context", "prompt", "runtime", "attn", "gpu_util",
                                          "gpu_memory_bytes", "cuda_graphs", "max_batched_tokens", "ngl", "ubatch",
                                          "n_batch", "overhead_mib", "tp", "pp", "stored_weight_bytes",
                                          "stored_quant_metadata_bytes"};
  return k;
}

const std::vector<std::string>& train_option_keys() {
  static const std::vector<std::string> k{"method", "optimizer", "precision", "state_bytes", "batch", "seq", "grad_accum",
                                          "checkpointing", "attn", "dropout", "lora_rank", "lora_targets", "dora",
                                          "adapter_dtype", "dtype", "gpus", "zero", "fsdp", "offload_optimizer",
                                          "offload_params", "tp", "pp", "sp", "overhead_mib"};
  return k;
}

}  // namespace vram

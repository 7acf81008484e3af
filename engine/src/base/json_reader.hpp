// Safe reading of untrusted JSON. nlohmann/json aborts on a type error when exceptions are off
// (the WebAssembly build), so every access here checks the type first, and the first problem is
// kept as an Error that names the field.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "vram/base/result.hpp"

namespace vram::detail {

using Json = nlohmann::json;

// Limits on untrusted JSON, checked before and while the DOM is built: the DOM of a hostile text
// costs far more memory than the text (50 MB of '[' would need gigabytes, and an out-of-memory in
// WebAssembly aborts the module), so texts are refused by size first and by depth while parsing.
//  - config.json: real configs are < 100 KB (the largest, with big id2label maps, < 1 MB) and the
//    browser's Hub loader refuses responses over 5 MB; 8 MiB passes all of them.
//  - safetensors headers: the format allows up to 100,000,000 bytes (huggingface/safetensors
//    MAX_HEADER_SIZE) but real headers are < 2 MB (~120 B per tensor; DeepSeek-V3's whole index of
//    ~92,000 tensors is under 10 MB). The browser's Hub loader fetches headers up to 25 MB
//    (web/src/lib/hub.js LIMITS.header); 32 MiB passes all of those and keeps the DOM of the worst
//    text (a flat array of 16M numbers, ~0.5 GB while its vector grows) inside a 2 GB wasm heap.
//  - depth: config.json nests ≤ 5 levels (quantization_config.config_groups.group_0.weights),
//    safetensors headers 3; 64 leaves ample room.
inline constexpr std::size_t kMaxConfigBytes = std::size_t{8} << 20;
inline constexpr std::size_t kMaxSafetensorsHeaderBytes = std::size_t{32} << 20;
inline constexpr std::size_t kMaxJsonDepth = 64;

// The shape a text must have, checked while it is parsed: the parse stops at the first value that
// breaks it, so a hostile text costs no more than its bytes up to there (a 16 M-entry array where
// a 2-entry one belongs is refused at its 65th entry, not after building a 0.5 GB DOM). Each stop
// is an InvalidValue error naming `what`, with the caller's message.
struct JsonShape {
  std::size_t max_depth = kMaxJsonDepth;
  std::size_t max_array = static_cast<std::size_t>(-1);         // entries of any array
  std::size_t max_root_members = static_cast<std::size_t>(-1);  // members of the top-level object
  bool object_root = false;                                     // the top level must be an object
  Message not_object, array_too_long, too_many_members;         // the error of each stop
};

// Parses text; a syntax error reports "<what>: invalid JSON at line L, column C: <reason>". A text
// over `max_bytes` is refused before parsing (InvalidValue), nesting deeper than kMaxJsonDepth
// while parsing (InvalidJson); both errors name `what`. `shape`, when given, is checked while parsing.
[[nodiscard]] Result<Json> parse_json(std::string_view text, std::string_view what, std::size_t max_bytes = kMaxConfigBytes,
                                      const JsonShape* shape = nullptr);

// Reads fields of one JSON object. Getters never fail loudly: they record the first error and
// return a neutral value, so a parser reads every field and checks `failed()` once at the end.
class FieldReader {
 public:
  // `log`, when given, receives every integer field read (its full path and value).
  struct Logged {
    std::string path;
    std::uint64_t value;
  };
  FieldReader(const Json& object, std::string prefix = {}, std::vector<Logged>* log = nullptr)
      : obj_(object), prefix_(std::move(prefix)), log_(log) {}
  // A reader of a nested object (`key` of this one) that shares this reader's log.
  [[nodiscard]] FieldReader nested(const Json& object, std::string_view key) const {
    return FieldReader(object, path(key) + ".", log_);
  }

  [[nodiscard]] bool failed() const { return error_.has_value(); }
  [[nodiscard]] const Error& error() const { return *error_; }
  void fail(ErrorCode code, std::string_view key, Message message);
  // Records an error of a nested reader as it is (its field already carries the full path).
  void fail_with(const Error& e) {
    if (!error_) error_ = e;
  }

  // Present and not null.
  [[nodiscard]] bool has(std::string_view key) const;
  // The first of several alias keys that is present (transformers attribute_map), or "" if none.
  [[nodiscard]] std::string_view first_present(std::initializer_list<std::string_view> keys) const;

  // Non-negative integer (an integral float such as 4096.0 is accepted); nullopt if absent/null.
  std::optional<std::uint64_t> opt_uint(std::string_view key, std::uint64_t max = kMaxDim);
  // Required integer > 0, looked up under any of the alias keys.
  std::uint64_t positive(std::initializer_list<std::string_view> keys, std::uint64_t max = kMaxDim);
  std::uint64_t positive(std::string_view key, std::uint64_t max = kMaxDim) { return positive({key}, max); }
  // Optional integer > 0 with a default used when absent or null.
  std::uint64_t positive_or(std::string_view key, std::uint64_t fallback, std::uint64_t max = kMaxDim);
  std::optional<double> opt_number(std::string_view key);
  double number_or(std::string_view key, double fallback) { return opt_number(key).value_or(fallback); }
  bool bool_or(std::string_view key, bool fallback);
  std::string string_or(std::string_view key, std::string fallback);
  // Object member, or nullptr when absent/null; records an error when present but not an object.
  const Json* object(std::string_view key);
  const Json* array(std::string_view key);

  [[nodiscard]] std::string path(std::string_view key) const { return prefix_ + std::string(key); }
  // The key as a message argument "{key}" (its full path: text_config.hidden_size).
  [[nodiscard]] Arg key_arg(std::string_view key) const { return Arg("key", ConfigKey{path(key)}); }
  [[nodiscard]] const Json& json() const { return obj_; }

  static constexpr std::uint64_t kMaxDim = std::uint64_t{1} << 40;

 private:
  const Json* find(std::string_view key) const;
  const Json& obj_;
  std::string prefix_;
  std::vector<Logged>* log_ = nullptr;
  std::optional<Error> error_;
};

// A JSON value, briefly, as a message argument: a scalar as written ("0", "\"abc\"", cut at 40
// characters), a container by its kind ("an array", "an object", in the catalog's language).
[[nodiscard]] Arg describe(std::string_view name, const Json& value);

}  // namespace vram::detail

// Errors as values: nothing in the engine throws across its API (a throw inside WebAssembly built
// without exception support aborts the module), so every fallible call returns a Result.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace vram {

enum class ErrorCode {
  InvalidJson,       // the text is not JSON (message carries line and column)
  MissingField,      // a required field is absent
  InvalidValue,      // present but of the wrong type or out of range
  Unsupported,       // understood but not modelled (e.g. a model_type without decoder fields)
  UnknownName,       // a catalog id, GPU name, dtype or option that does not exist
  Overflow,          // a product of user inputs does not fit in 64 bits
};

[[nodiscard]] const char* to_string(ErrorCode code) noexcept;

struct Error {
  ErrorCode code = ErrorCode::InvalidValue;
  std::string field;    // the config field or option at fault ("num_attention_heads", "--batch")
  std::string message;  // one line, names the field and what was expected
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  [[nodiscard]] const T& value() const& { return *std::get_if<0>(&v_); }
  [[nodiscard]] T& value() & { return *std::get_if<0>(&v_); }
  [[nodiscard]] T&& value() && { return std::move(*std::get_if<0>(&v_)); }
  [[nodiscard]] const Error& error() const { return *std::get_if<1>(&v_); }

 private:
  std::variant<T, Error> v_;
};

[[nodiscard]] inline Error make_error(ErrorCode code, std::string field, std::string message) {
  return Error{code, std::move(field), std::move(message)};
}

}  // namespace vram

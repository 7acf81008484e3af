// Errors as values: nothing in the engine throws across its API (a throw inside WebAssembly built
// without exception support aborts the module), so every fallible call returns a Result.
#pragma once

#include <string>
#include <utility>
#include <variant>

#include "vram/base/message.hpp"

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
  // What the user wrote that is at fault: an option id ("batch", spelled by each front end its own
  // way), a config key path as written ("text_config.num_kv_heads"), a file or header name.
  std::string field;
  Message message;  // one line naming the field and what was expected (render() in a language)
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

[[nodiscard]] inline Error make_error(ErrorCode code, std::string field, Message message) {
  return Error{code, std::move(field), std::move(message)};
}

// The error's message in a language, option ids in a front end's spelling.
[[nodiscard]] inline std::string render(const Error& e, const Catalog& catalog, Spelling spelling = Spelling::Engine) {
  return render(e.message, catalog, spelling);
}

}  // namespace vram

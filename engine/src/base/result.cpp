#include "vram/base/result.hpp"

namespace vram {

const char* to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::InvalidJson: return "invalid_json";
    case ErrorCode::MissingField: return "missing_field";
    case ErrorCode::InvalidValue: return "invalid_value";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::UnknownName: return "unknown_name";
    case ErrorCode::Overflow: return "overflow";
  }
  return "error";
}

}  // namespace vram

// The WHATWG application/x-www-form-urlencoded parser (https://url.spec.whatwg.org/#urlencoded-parsing),
// the one URLSearchParams uses, on bytes: the decoded names and values are returned as bytes, and
// valid_utf8 says whether the browser would see them unchanged (it replaces ill-formed sequences
// with U+FFFD; url_state.cpp ignores such parameters instead).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vram::detail {

struct FormPair {
  std::string name;
  std::string value;
};

// Splits on '&', skips empty sequences, splits each at its first '=', replaces '+' by a space and
// percent-decodes ('%' not followed by two hex digits stays as it is).
[[nodiscard]] std::vector<FormPair> parse_form_urlencoded(std::string_view input);

// Well-formed UTF-8 as the Encoding standard's decoder accepts it (no overlong forms, surrogates or
// code points above U+10FFFF).
[[nodiscard]] bool valid_utf8(std::string_view s);

}  // namespace vram::detail

#include "base/json_reader.hpp"

#include <cmath>
#include <cstdio>

namespace vram::detail {
namespace {

// Builds the DOM like Json::parse(…, allow_exceptions=false) and records where the parse failed,
// in one pass (one parser instantiation instead of three: parse's callback and plain DOM parsers plus
// a second, virtual SAX pass to locate the error). The parser calls parse_error on this static type.
class LocatingDomParser final : public nlohmann::detail::json_sax_dom_parser<Json> {
 public:
  using Base = nlohmann::detail::json_sax_dom_parser<Json>;
  LocatingDomParser(Json& result, const JsonShape* shape) : json_sax_dom_parser(result, /*allow_exceptions=*/false), shape_(shape) {}
  // Depth and shape limits: returning false stops the parse (nlohmann's parser keeps its own state
  // on the heap, so only the DOM's size is at stake, not the C++ stack).
  bool start_object(std::size_t len) { return value(kObject) && enter(false) && Base::start_object(len); }
  bool start_array(std::size_t len) { return value(kArray) && enter(true) && Base::start_array(len); }
  bool end_object() {
    leave();
    return Base::end_object();
  }
  bool end_array() {
    leave();
    return Base::end_array();
  }
  bool key(string_t& k) {
    if (shape_ && depth_ == 1 && ++members_ > shape_->max_root_members) return stop(Stop::Members);
    return Base::key(k);
  }
  bool null() { return value(kScalar) && Base::null(); }
  bool boolean(bool v) { return value(kScalar) && Base::boolean(v); }
  bool number_integer(number_integer_t v) { return value(kScalar) && Base::number_integer(v); }
  bool number_unsigned(number_unsigned_t v) { return value(kScalar) && Base::number_unsigned(v); }
  bool number_float(number_float_t v, const string_t& s) { return value(kScalar) && Base::number_float(v, s); }
  bool string(string_t& v) { return value(kScalar) && Base::string(v); }
  bool binary(binary_t& v) { return value(kScalar) && Base::binary(v); }
  bool parse_error(std::size_t position, const std::string& last_token, const nlohmann::detail::exception& ex) {
    if (!failed_) {  // the first error, as a separate SAX pass would see it
      failed_ = true;
      position_ = position;
      token_ = last_token;
      reason_ = ex.what();
    }
    return false;
  }
  enum class Stop : std::uint8_t { None, Root, Array, Members };
  bool stop(Stop why) {
    stop_ = why;
    return false;
  }
  // A value arrives: the root must be an object when the shape says so; an array counts it.
  enum Kind : std::uint8_t { kScalar, kObject, kArray };
  bool value(Kind kind) {
    if (!shape_) return true;
    // A root that is no object stops at its first scalar (nesting is still depth-checked first, so a
    // text of '[' alone reads as too deep, as without a shape).
    if (depth_ == 0) {
      root_not_object_ = shape_->object_root && kind != kObject;
      if (root_not_object_ && kind == kScalar) return stop(Stop::Root);
      return true;
    }
    if (root_not_object_ && kind == kScalar) return stop(Stop::Root);
    if (in_array_ & (std::uint64_t{1} << (depth_ - 1)) && ++counts_[depth_ - 1] > shape_->max_array) return stop(Stop::Array);
    return true;
  }
  bool enter(bool is_array) {
    const std::size_t max_depth = shape_ && shape_->max_depth < kMaxJsonDepth ? shape_->max_depth : kMaxJsonDepth;
    if (++depth_ > max_depth) {
      too_deep_ = true;
      return false;
    }
    if (shape_) {  // depth ≤ 64: one bit and one counter per level
      const std::uint64_t bit = std::uint64_t{1} << (depth_ - 1);
      in_array_ = is_array ? in_array_ | bit : in_array_ & ~bit;
      counts_[depth_ - 1] = 0;
    }
    return true;
  }
  void leave() { --depth_; }
  const JsonShape* shape_ = nullptr;
  std::uint64_t in_array_ = 0;
  std::size_t counts_[kMaxJsonDepth] = {};
  std::size_t members_ = 0;
  bool root_not_object_ = false;
  Stop stop_ = Stop::None;
  std::size_t depth_ = 0;
  bool too_deep_ = false;
  bool failed_ = false;
  std::size_t position_ = 0;
  std::string token_;
  std::string reason_;
};

std::string short_reason(const std::string& what) {
  // nlohmann messages look like "[json.exception.parse_error.101] parse error at line 1, column 2:
  // syntax error while parsing value - invalid literal; last read: 'x'". Keep the part after
  // "syntax error" to avoid repeating the position.
  auto pos = what.find("syntax error");
  if (pos != std::string::npos) return what.substr(pos);
  pos = what.find(": ");
  return pos == std::string::npos ? what : what.substr(pos + 2);
}

// value.dump() for a number or a string, without linking nlohmann's serializer (4 KB of wasm): the
// same text, as serializer::dump_float (grisu2 via detail::to_chars, "null" if not finite),
// dump_integer and dump_escaped (ensure_ascii = false; the parser has already validated the UTF-8,
// so escaping byte by byte is escaping code point by code point).
std::string dump_scalar(const Json& value) {
  if (value.is_number_unsigned()) return std::to_string(value.get<std::uint64_t>());
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (!std::isfinite(d)) return "null";
    char buf[64];
    return std::string(buf, nlohmann::detail::to_chars(buf, buf + sizeof buf, d));
  }
  std::string out = "\"";
  for (const char ch : value.get_ref<const std::string&>()) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += "0123456789abcdef"[c >> 4];
          out += "0123456789abcdef"[c & 15];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return out;
}

}  // namespace

Result<Json> parse_json(std::string_view text, std::string_view what, std::size_t max_bytes, const JsonShape* shape) {
  if (text.size() > max_bytes)
    return make_error(ErrorCode::InvalidValue, std::string(what),
                      {Msg::error_json_too_large, {{"what", what}, {"size", std::to_string(text.size())}, {"max", std::to_string(max_bytes)}}});
  Json j;
  LocatingDomParser locator(j, shape);
  Json::sax_parse(text.begin(), text.end(), &locator, nlohmann::json::input_format_t::json, /*strict=*/true);
  if (locator.too_deep_)
    return make_error(ErrorCode::InvalidJson, std::string(what),
                      {Msg::error_json_too_deep, {{"what", what}, {"depth", std::to_string(shape ? shape->max_depth : kMaxJsonDepth)}}});
  switch (locator.stop_) {
    case LocatingDomParser::Stop::None: break;
    case LocatingDomParser::Stop::Root: return make_error(ErrorCode::InvalidValue, std::string(what), shape->not_object);
    case LocatingDomParser::Stop::Array: return make_error(ErrorCode::InvalidValue, std::string(what), shape->array_too_long);
    case LocatingDomParser::Stop::Members: return make_error(ErrorCode::InvalidValue, std::string(what), shape->too_many_members);
  }
  if (!locator.failed_) return j;
  std::size_t line = 1, column = 1;
  const std::size_t end = std::min(locator.position_ == 0 ? 0 : locator.position_ - 1, text.size());
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return make_error(ErrorCode::InvalidJson, std::string(what), {Msg::error_json_empty, {{"what", what}}});
  // The parser's own description of the error (nlohmann/json's English) is passed on verbatim.
  return make_error(ErrorCode::InvalidJson, std::string(what),
                    {Msg::error_json_syntax, {{"what", what}, {"line", std::to_string(line)}, {"column", std::to_string(column)},
                                              {"reason", short_reason(locator.reason_)}}});
}

Arg describe(std::string_view name, const Json& value) {
  if (value.is_null()) return Arg(name, "null");
  if (value.is_boolean()) return Arg(name, value.get<bool>() ? "true" : "false");
  if (value.is_number() || value.is_string()) {
    std::string s = dump_scalar(value);
    if (s.size() > 40) s = s.substr(0, 37) + "...";
    return Arg(name, std::move(s));
  }
  return Arg(name, value.is_array() ? Msg::json_an_array : Msg::json_an_object);
}

void FieldReader::fail(ErrorCode code, std::string_view key, Message message) {
  if (!error_) error_ = Error{code, path(key), std::move(message)};
}

const Json* FieldReader::find(std::string_view key) const {
  if (!obj_.is_object()) return nullptr;
  auto it = obj_.find(std::string(key));
  if (it == obj_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool FieldReader::has(std::string_view key) const { return find(key) != nullptr; }

std::string_view FieldReader::first_present(std::initializer_list<std::string_view> keys) const {
  for (auto k : keys)
    if (has(k)) return k;
  return {};
}

std::optional<std::uint64_t> FieldReader::opt_uint(std::string_view key, std::uint64_t max) {
  const Json* v = find(key);
  if (!v) return std::nullopt;
  std::uint64_t out = 0;
  if (v->is_number_unsigned()) {
    out = v->get<std::uint64_t>();
  } else if (v->is_number_integer()) {
    const auto s = v->get<std::int64_t>();
    if (s < 0) {
      fail(ErrorCode::InvalidValue, key, {Msg::error_config_non_negative, {key_arg(key), describe("value", *v)}});
      return std::nullopt;
    }
    out = static_cast<std::uint64_t>(s);
  } else if (v->is_number_float()) {
    const double d = v->get<double>();
    if (!std::isfinite(d) || d < 0 || d != std::floor(d) || d > 1e15) {
      fail(ErrorCode::InvalidValue, key, {Msg::error_config_non_negative, {key_arg(key), describe("value", *v)}});
      return std::nullopt;
    }
    out = static_cast<std::uint64_t>(d);
  } else {
    fail(ErrorCode::InvalidValue, key, {Msg::error_config_type, {key_arg(key), {"expected", Msg::json_an_integer}, describe("value", *v)}});
    return std::nullopt;
  }
  if (out > max) {
    fail(ErrorCode::InvalidValue, key,
         {Msg::error_config_at_most, {key_arg(key), {"value", std::to_string(out)}, {"max", std::to_string(max)}}});
    return std::nullopt;
  }
  if (log_) log_->push_back({path(key), out});
  return out;
}

std::uint64_t FieldReader::positive(std::initializer_list<std::string_view> keys, std::uint64_t max) {
  std::string_view key = first_present(keys);
  if (key.empty()) {
    std::string names;
    for (auto k : keys) names += (names.empty() ? "`" : " / `") + path(k) + "`";
    fail(ErrorCode::MissingField, *keys.begin(), {Msg::error_config_missing_positive, {{"keys", names}}});
    return 1;
  }
  auto v = opt_uint(key, max);
  if (!v) return 1;
  if (*v == 0) {
    fail(ErrorCode::InvalidValue, key, {Msg::error_config_positive, {key_arg(key)}});
    return 1;
  }
  return *v;
}

std::uint64_t FieldReader::positive_or(std::string_view key, std::uint64_t fallback, std::uint64_t max) {
  if (!has(key)) return fallback;
  auto v = opt_uint(key, max);
  if (!v) return fallback;
  if (*v == 0) {
    fail(ErrorCode::InvalidValue, key, {Msg::error_config_positive, {key_arg(key)}});
    return fallback;
  }
  return *v;
}

std::optional<double> FieldReader::opt_number(std::string_view key) {
  const Json* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    fail(ErrorCode::InvalidValue, key, {Msg::error_config_type, {key_arg(key), {"expected", Msg::json_a_number}, describe("value", *v)}});
    return std::nullopt;
  }
  const double d = v->get<double>();
  if (!std::isfinite(d)) {
    fail(ErrorCode::InvalidValue, key, {Msg::error_config_finite, {key_arg(key)}});
    return std::nullopt;
  }
  return d;
}

bool FieldReader::bool_or(std::string_view key, bool fallback) {
  const Json* v = find(key);
  if (!v) return fallback;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_number_integer() || v->is_number_unsigned()) return v->get<std::int64_t>() != 0;
  fail(ErrorCode::InvalidValue, key, {Msg::error_config_type, {key_arg(key), {"expected", Msg::json_a_boolean}, describe("value", *v)}});
  return fallback;
}

std::string FieldReader::string_or(std::string_view key, std::string fallback) {
  const Json* v = find(key);
  if (!v) return fallback;
  if (v->is_string()) return v->get<std::string>();
  fail(ErrorCode::InvalidValue, key, {Msg::error_config_type, {key_arg(key), {"expected", Msg::json_a_string}, describe("value", *v)}});
  return fallback;
}

const Json* FieldReader::object(std::string_view key) {
  const Json* v = find(key);
  if (!v) return nullptr;
  if (!v->is_object()) {
    fail(ErrorCode::InvalidValue, key, {Msg::error_config_type, {key_arg(key), {"expected", Msg::json_an_object}, describe("value", *v)}});
    return nullptr;
  }
  return v;
}

const Json* FieldReader::array(std::string_view key) {
  const Json* v = find(key);
  if (!v) return nullptr;
  if (!v->is_array()) {
    fail(ErrorCode::InvalidValue, key, {Msg::error_config_type, {key_arg(key), {"expected", Msg::json_an_array}, describe("value", *v)}});
    return nullptr;
  }
  return v;
}

}  // namespace vram::detail

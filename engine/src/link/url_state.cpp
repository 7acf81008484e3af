#include "vram/link/url_state.hpp"

#include <array>
#include <optional>
#include <utility>

#include "link/form_urlencoded.hpp"
#include "base/json_reader.hpp"
#include "vram/model/architecture.hpp"
#include "vram/model/catalog.hpp"
#include "vram/workload/gpus.hpp"
#include "vram/workload/option_table.hpp"
#include "vram/workload/options.hpp"

namespace vram {
namespace detail {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// WHATWG URL "percent-decode" of a byte sequence, after "+" → space (the form-urlencoded parser,
// https://url.spec.whatwg.org/#urlencoded-parsing): a '%' not followed by two hex digits stays.
std::string form_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return false;
    }
    i += n + 1;
  }
  return true;
}

std::vector<FormPair> parse_form_urlencoded(std::string_view input) {
  std::vector<FormPair> out;
  std::size_t start = 0;
  while (start <= input.size()) {
    std::size_t end = input.find('&', start);
    if (end == std::string_view::npos) end = input.size();
    const std::string_view seq = input.substr(start, end - start);
    if (!seq.empty()) {
      const std::size_t eq = seq.find('=');
      out.push_back({form_decode(seq.substr(0, eq)), eq == std::string_view::npos ? std::string() : form_decode(seq.substr(eq + 1))});
    }
    start = end + 1;
  }
  return out;
}

}  // namespace detail

namespace {

using detail::valid_utf8;

// A decoded parameter; `bad_utf8` when its name or value is not UTF-8 (the browser would show U+FFFD).
struct RawPair {
  std::string name;
  std::string value;
  bool bad_utf8 = false;
};

constexpr std::size_t kMaxKnobValueBytes = 256;  // the longest knob value, lora_targets, is ~60
constexpr std::size_t kMaxShortBytes = 16;           // units, lang

// A value for a message: short, and cut on a UTF-8 boundary.
std::string shown(std::string_view v) {
  constexpr std::size_t kMax = 40;
  std::size_t n = v.size();
  if (n > kMax) {
    n = kMax;
    while (n > 0 && (static_cast<unsigned char>(v[n]) & 0xC0) == 0x80) --n;
  }
  std::string out = "\"";
  out.append(v.substr(0, n));
  if (n < v.size()) out += "…";
  out += '"';
  return out;
}

// A dropped parameter: `field` is its name in the link, as written.
Error bad(ErrorCode code, const std::string& field, Msg m, std::vector<Arg> args = {}) {
  args.insert(args.begin(), Arg("field", ConfigKey{field}));
  return Error{code, field, {m, std::move(args)}};
}

Error bad_value(ErrorCode code, const std::string& field, Msg m, const std::string& value) {
  return bad(code, field, m, {{"value", shown(value)}});
}

// A parameter name for a message: short (names come from strangers' links).
std::string shown_name(const std::string& n) { return n.size() > 64 ? n.substr(0, 61) + "..." : n; }

bool only(std::string_view s, bool (*allowed)(char)) {
  for (char c : s)
    if (!allowed(c)) return false;
  return true;
}
bool short_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-'; }
bool digit(char c) { return c >= '0' && c <= '9'; }


// RFC 4648 §5 base64url (also the standard alphabet), padding optional, as atob() after the page's
// '-'→'+', '_'→'/' mapping accepts it (WHATWG forgiving-base64 decode: padding only to a multiple
// of 4, a length ≡ 1 mod 4 is invalid).
std::optional<std::string> base64url_decode(std::string_view s) {
  if (s.size() % 4 == 0)
    for (int k = 0; k < 2 && !s.empty() && s.back() == '='; ++k) s.remove_suffix(1);
  if (s.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(s.size() / 4 * 3 + 2);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '-' || c == '+') v = 62;
    else if (c == '_' || c == '/') v = 63;
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}


constexpr std::size_t kMaxManualBytes = 2048;  // nine short fields take ~300
constexpr std::uint64_t kMaxManualValue = std::uint64_t{1} << 40;  // as the config reader's kMaxDim

// The manual form's fields as a JSON object: numbers (non-negative integers), digit strings and
// "" for the dimensions, a boolean for tie_word_embeddings. Returns the object re-serialised.
Result<std::string> manual_fields(const std::string& text, const std::string& field) {
  if (text.size() > kMaxManualBytes) return bad(ErrorCode::InvalidValue, field, Msg::error_link_too_long, {{"max", std::to_string(kMaxManualBytes)}});
  auto parsed = detail::parse_json(text, field);
  if (!parsed) return parsed.error();
  const detail::Json& j = parsed.value();
  if (!j.is_object()) return bad(ErrorCode::InvalidValue, field, Msg::error_link_not_object);
  std::string out = "{";
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    const detail::Json& v = it.value();
    std::string text_value;
    if (key == "tie_word_embeddings") {
      if (!v.is_boolean()) return bad(ErrorCode::InvalidValue, field, Msg::error_link_manual_tie);
      text_value = v.get<bool>() ? "true" : "false";
    } else {
      bool known = false;
      for (auto f : manual_form_fields()) known = known || f == key;
      if (!known) return bad_value(ErrorCode::UnknownName, field, Msg::error_link_manual_unknown_field, key);
      if (v.is_number_unsigned() || v.is_number_integer() || v.is_number_float()) {
        const double d = v.get<double>();
        if (!(d >= 0 && d <= static_cast<double>(kMaxManualValue)) || d != static_cast<double>(static_cast<std::uint64_t>(d)))
          return bad(ErrorCode::InvalidValue, field, Msg::error_link_manual_integer, {{"key", key}, detail::describe("value", v)});
        text_value = std::to_string(static_cast<std::uint64_t>(d));
      } else if (v.is_string()) {
        const std::string& s = v.get_ref<const std::string&>();
        if (s.size() > 13 || !only(s, digit))
          return bad(ErrorCode::InvalidValue, field, Msg::error_link_manual_number, {{"key", key}, {"value", shown(s)}});
        text_value = "\"" + s + "\"";
      } else {
        return bad(ErrorCode::InvalidValue, field, Msg::error_link_manual_number, {{"key", key}, detail::describe("value", v)});
      }
    }
    if (out.size() > 1) out += ',';
    out += "\"" + key + "\":" + text_value;
  }
  return out + "}";
}

// "gradAccum" → "grad_accum"; "" when the name is not a camelCase option spelling.
std::string snake(std::string_view camel) {
  std::string out;
  for (char c : camel) {
    if (c >= 'A' && c <= 'Z') {
      if (out.empty()) return {};
      out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || digit(c)) {
      out += c;
    } else {
      return {};
    }
  }
  return out;
}

constexpr std::array<std::string_view, 4> kSources{"catalog", "hub", "paste", "manual"};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& set, std::string_view v) {
  for (auto s : set)
    if (s == v) return true;
  return false;
}

// One knob "<tab>.<camelKey>" = value: the value as the option's own parser reads it (options that
// links may not set — the checkpoint's stored bytes — are no knobs here), or the error naming the
// link parameter as written.
Result<std::string> knob(const TabDef& tab, std::string_view key, const std::string& value, const std::string& field) {
  const std::string k = snake(key);
  if (k.empty()) return bad(ErrorCode::UnknownName, field, Msg::error_link_not_a_knob, {{"tab", tab.label}});
  if (value.size() > kMaxKnobValueBytes) return bad(ErrorCode::InvalidValue, field, Msg::error_link_too_long, {{"max", std::to_string(kMaxKnobValueBytes)}});
  auto r = tab.train ? check_train_option(k, value) : check_inference_option(k, value);
  if (r) return r;
  if (r.error().code == ErrorCode::UnknownName && r.error().field == k)
    return bad(ErrorCode::UnknownName, field, Msg::error_link_not_a_knob, {{"tab", tab.label}});
  // The option's own message, naming the link parameter as written.
  Error e = r.error();
  e.field = field;
  for (Arg& a : e.message.args)
    if (a.name == "field") a = Arg("field", ConfigKey{field});
  return e;
}

// The model, in the page's order of precedence: model > hub > manual > config > source. A bad
// parameter is reported and the next one is tried; the ones after the first good one are not read.
void read_model(const std::vector<const RawPair*>& first, UrlState& s) {
  auto get = [&first](std::string_view name) -> const RawPair* {
    for (const RawPair* p : first)
      if (p->name == name) return p;
    return nullptr;
  };
  if (const RawPair* p = get("model")) {
    auto m = find_catalog_model(p->value);
    if (m && !p->value.empty()) {
      s.source = "catalog";
      s.model = std::string(m.value().id);
      return;
    }
    s.ignored.push_back(bad_value(ErrorCode::UnknownName, "model", Msg::error_link_not_catalog_model, p->value));
  }
  if (const RawPair* p = get("hub")) {
    if (valid_repo_id(p->value)) {
      s.source = "hub";
      s.hub = p->value;
      return;
    }
    s.ignored.push_back(bad_value(ErrorCode::InvalidValue, "hub", Msg::error_link_hub_id, p->value));
  }
  if (const RawPair* p = get("manual")) {
    auto m = manual_fields(p->value, "manual");
    if (m) {
      s.source = "manual";
      s.manual = std::move(m).value();
      return;
    }
    s.ignored.push_back(m.error());
  }
  if (const RawPair* p = get("config")) {
    auto text = base64url_decode(p->value);
    if (!text) {
      s.ignored.push_back(bad(ErrorCode::InvalidValue, "config", Msg::error_link_base64));
    } else if (text->size() > kMaxUrlConfigBytes) {
      s.ignored.push_back(bad(ErrorCode::InvalidValue, "config", Msg::error_link_config_too_long, {{"max", std::to_string(kMaxUrlConfigBytes)}}));
    } else if (!valid_utf8(*text)) {
      s.ignored.push_back(bad(ErrorCode::InvalidValue, "config", Msg::error_link_config_utf8));
    } else {
      s.source = "paste";
      s.config = std::move(*text);
      return;
    }
  }
  if (const RawPair* p = get("source")) {
    if (one_of(kSources, p->value)) {
      s.source = p->value;
      return;
    }
    s.ignored.push_back(bad_value(ErrorCode::InvalidValue, "source", Msg::error_link_source, p->value));
  }
}

}  // namespace

const std::vector<std::string_view>& model_sources() {
  static const std::vector<std::string_view> v(kSources.begin(), kSources.end());
  return v;
}

const std::vector<std::string_view>& manual_form_fields() {
  static const std::vector<std::string_view> f{"hidden_size",       "num_hidden_layers", "num_attention_heads",
                                               "num_key_value_heads", "intermediate_size", "vocab_size",
                                               "max_position_embeddings", "head_dim"};
  return f;
}

Result<std::string> manual_config(const std::string& fields_json) {
  auto checked = manual_fields(fields_json, "manual");
  if (!checked) return checked.error();
  const detail::Json fields = detail::Json::parse(checked.value());
  detail::Json cfg = detail::Json::object();
  cfg["model_type"] = std::string(manual_form_architecture().model_type);
  for (auto it = fields.begin(); it != fields.end(); ++it) {
    const detail::Json& v = it.value();
    if (v.is_string()) {
      const std::string& digits = v.get_ref<const std::string&>();
      if (!digits.empty()) cfg[it.key()] = std::stoull(digits);  // ≤ 13 digits (manual_fields)
    } else {
      cfg[it.key()] = v;
    }
  }
  return cfg.dump();
}

Result<UrlState> decode_url_state(std::string_view fragment) {
  if (fragment.size() > kMaxUrlStateBytes)
    return make_error(ErrorCode::InvalidValue, "fragment",
                      {Msg::error_link_fragment_too_long, {{"max", std::to_string(kMaxUrlStateBytes)}, {"size", std::to_string(fragment.size())}}});
  if (!fragment.empty() && (fragment.front() == '#' || fragment.front() == '?')) fragment.remove_prefix(1);

  UrlState s;
  std::vector<RawPair> pairs;
  for (detail::FormPair& p : detail::parse_form_urlencoded(fragment)) {
    const bool bad_utf8 = !valid_utf8(p.name) || !valid_utf8(p.value);
    pairs.push_back({std::move(p.name), std::move(p.value), bad_utf8});
  }
  // Scalar parameters: the first occurrence counts (URLSearchParams.get), as the page read them.
  std::vector<const RawPair*> first;
  static constexpr std::array<std::string_view, 10> kScalars{"model", "hub", "manual", "config", "source", "tab", "gpu", "gpus", "units", "lang"};
  // A name that is not UTF-8 cannot be one of ours: skipped like any unknown name; a value that is
  // not makes the parameter (knob or the first of a scalar) an ignored one.
  const auto not_utf8 = [&s](const RawPair& p) { s.ignored.push_back(bad(ErrorCode::InvalidValue, shown_name(p.name), Msg::error_link_not_utf8)); };
  for (const RawPair& p : pairs) {
    if (!one_of(kScalars, p.name)) continue;
    bool seen = false;
    for (const RawPair* q : first) seen = seen || q->name == p.name;
    if (seen) continue;
    first.push_back(&p);
    if (p.bad_utf8) not_utf8(p);
  }
  std::vector<const RawPair*> good;
  for (const RawPair* p : first)
    if (!p->bad_utf8) good.push_back(p);
  read_model(good, s);

  for (const RawPair* p : good) {
    const std::string& v = p->value;
    if (p->name == "tab") {
      if (find_tab(v)) s.tab = v;
      else s.ignored.push_back(bad_value(ErrorCode::InvalidValue, "tab", Msg::error_link_tab, v));
    } else if (p->name == "gpu") {
      bool found = false;
      for (const Gpu& g : gpus()) found = found || g.id == v;
      if (found) s.gpu = v;
      else s.ignored.push_back(bad_value(ErrorCode::UnknownName, "gpu", Msg::error_link_gpu, v));
    } else if (p->name == "gpus") {
      std::uint32_t n = 0;
      const bool digits = !v.empty() && v.size() <= 4 && only(v, digit);
      for (char c : v) n = digits ? n * 10 + static_cast<std::uint32_t>(c - '0') : 0;
      if (digits && n >= 1 && n <= kMaxUrlGpus) s.gpus = n;
      else s.ignored.push_back(bad(ErrorCode::InvalidValue, "gpus", Msg::error_link_gpus, {{"max", std::to_string(kMaxUrlGpus)}, {"value", shown(v)}}));
    } else if (p->name == "units" || p->name == "lang") {
      if (!v.empty() && v.size() <= kMaxShortBytes && only(v, short_char)) (p->name == "units" ? s.units : s.lang) = v;
      else s.ignored.push_back(bad_value(ErrorCode::InvalidValue, p->name, Msg::error_link_short_name, v));
    }
  }

  // Knobs "<tab>.<camelKey>", in link order; a later valid one replaces an earlier one.
  for (const RawPair& p : pairs) {
    const std::size_t dot = p.name.find('.');
    if (dot == std::string::npos) continue;
    const TabDef* tab = find_tab(std::string_view(p.name).substr(0, dot));
    if (!tab || !valid_utf8(p.name)) continue;
    if (p.bad_utf8) {
      not_utf8(p);
      continue;
    }
    const std::string_view key = std::string_view(p.name).substr(dot + 1);
    auto r = knob(*tab, key, p.value, shown_name(p.name));
    if (!r) {
      s.ignored.push_back(r.error());
      continue;
    }
    UrlKnob k{std::string(tab->id), std::string(key), std::move(r).value()};
    bool replaced = false;
    for (UrlKnob& e : s.knobs) {
      if (e.tab == k.tab && e.key == k.key) {
        e.value = k.value;
        replaced = true;
      }
    }
    if (!replaced) s.knobs.push_back(std::move(k));
  }
  return s;
}

}  // namespace vram

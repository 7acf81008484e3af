// Builds GGUF headers byte by byte in the tests (the layout of ggml-org/ggml docs/gguf.md, written
// as gguf-py's GGUFWriter writes it: little-endian, v3, keys in the order added, tensor data offsets
// laid end to end, each padded to the alignment).
#pragma once

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace vram::test {

class GgufWriter {
 public:
  // Raw little-endian pieces (for hand-made broken headers).
  template <class T>
  static void put(std::string& s, T v) {
    char raw[sizeof(T)];
    std::memcpy(raw, &v, sizeof(T));
    s.append(raw, sizeof(T));
  }
  static void put_string(std::string& s, std::string_view v) {
    put<std::uint64_t>(s, v.size());
    s.append(v.data(), v.size());
  }

  // One key of each kind; `type` is the gguf_type number.
  GgufWriter& u8(std::string_view k, std::uint8_t v) { return scalar(k, 0, v); }
  GgufWriter& i8(std::string_view k, std::int8_t v) { return scalar(k, 1, v); }
  GgufWriter& u16(std::string_view k, std::uint16_t v) { return scalar(k, 2, v); }
  GgufWriter& i16(std::string_view k, std::int16_t v) { return scalar(k, 3, v); }
  GgufWriter& u32(std::string_view k, std::uint32_t v) { return scalar(k, 4, v); }
  GgufWriter& i32(std::string_view k, std::int32_t v) { return scalar(k, 5, v); }
  GgufWriter& f32(std::string_view k, float v) { return scalar(k, 6, v); }
  GgufWriter& boolean(std::string_view k, bool v) { return scalar(k, 7, static_cast<std::uint8_t>(v)); }
  GgufWriter& u64(std::string_view k, std::uint64_t v) { return scalar(k, 10, v); }
  GgufWriter& i64(std::string_view k, std::int64_t v) { return scalar(k, 11, v); }
  GgufWriter& f64(std::string_view k, double v) { return scalar(k, 12, v); }
  GgufWriter& str(std::string_view k, std::string_view v) {
    key(k, 8);
    put_string(kv_, v);
    return *this;
  }
  GgufWriter& u32_array(std::string_view k, std::initializer_list<std::uint32_t> v) {
    return u32_array(k, std::vector<std::uint32_t>(v));
  }
  GgufWriter& u32_array(std::string_view k, const std::vector<std::uint32_t>& v) {
    key(k, 9);
    put<std::uint32_t>(kv_, 4);
    put<std::uint64_t>(kv_, v.size());
    for (auto x : v) put(kv_, x);
    return *this;
  }
  GgufWriter& i32_array(std::string_view k, const std::vector<std::int32_t>& v) {
    key(k, 9);
    put<std::uint32_t>(kv_, 5);
    put<std::uint64_t>(kv_, v.size());
    for (auto x : v) put(kv_, x);
    return *this;
  }
  GgufWriter& bool_array(std::string_view k, const std::vector<bool>& v) {
    key(k, 9);
    put<std::uint32_t>(kv_, 7);
    put<std::uint64_t>(kv_, v.size());
    for (bool x : v) put<std::uint8_t>(kv_, x ? 1 : 0);
    return *this;
  }
  GgufWriter& str_array(std::string_view k, const std::vector<std::string>& v) {
    key(k, 9);
    put<std::uint32_t>(kv_, 8);
    put<std::uint64_t>(kv_, v.size());
    for (const auto& x : v) put_string(kv_, x);
    return *this;
  }
  // A key whose value bytes (after the type) are written by hand.
  GgufWriter& raw(std::string_view k, std::uint32_t type, const std::string& value_bytes) {
    key(k, type);
    kv_ += value_bytes;
    return *this;
  }

  // A tensor of ggml type `type` (its number) and block (elements, bytes); dims ne[0] first.
  GgufWriter& tensor(std::string_view name, std::vector<std::uint64_t> dims, std::uint32_t type, std::uint64_t block,
                     std::uint64_t block_bytes) {
    put_string(ti_, name);
    put<std::uint32_t>(ti_, static_cast<std::uint32_t>(dims.size()));
    std::uint64_t n = 1;
    for (auto d : dims) {
      put<std::uint64_t>(ti_, d);
      n *= d;
    }
    put<std::uint32_t>(ti_, type);
    put<std::uint64_t>(ti_, offset_);
    const std::uint64_t bytes = n / block * block_bytes;
    offset_ += (bytes + alignment_ - 1) / alignment_ * alignment_;
    ++tensors_;
    return *this;
  }
  GgufWriter& f32_tensor(std::string_view name, std::vector<std::uint64_t> dims) { return tensor(name, std::move(dims), 0, 1, 4); }
  GgufWriter& f16_tensor(std::string_view name, std::vector<std::uint64_t> dims) { return tensor(name, std::move(dims), 1, 1, 2); }
  GgufWriter& q4_k_tensor(std::string_view name, std::vector<std::uint64_t> dims) { return tensor(name, std::move(dims), 12, 256, 144); }
  GgufWriter& q6_k_tensor(std::string_view name, std::vector<std::uint64_t> dims) { return tensor(name, std::move(dims), 14, 256, 210); }
  GgufWriter& q8_0_tensor(std::string_view name, std::vector<std::uint64_t> dims) { return tensor(name, std::move(dims), 8, 32, 34); }

  GgufWriter& alignment(std::uint32_t a) {
    alignment_ = a;
    return u32("general.alignment", a);
  }
  GgufWriter& version(std::uint32_t v) {
    version_ = v;
    return *this;
  }

  // The header: magic … last tensor info (no padding, no data).
  [[nodiscard]] std::string bytes() const {
    std::string s = "GGUF";
    put<std::uint32_t>(s, version_);
    put<std::uint64_t>(s, tensors_);
    put<std::uint64_t>(s, keys_);
    return s + kv_ + ti_;
  }
  [[nodiscard]] std::uint64_t data_bytes() const { return offset_; }

 private:
  void key(std::string_view k, std::uint32_t type) {
    put_string(kv_, k);
    put<std::uint32_t>(kv_, type);
    ++keys_;
  }
  template <class T>
  GgufWriter& scalar(std::string_view k, std::uint32_t type, T v) {
    key(k, type);
    put(kv_, v);
    return *this;
  }

  std::string kv_, ti_;
  std::uint64_t keys_ = 0, tensors_ = 0, offset_ = 0, alignment_ = 32;
  std::uint32_t version_ = 3;
};

}  // namespace vram::test

// gguf.cpp: the GGUF header reader. Oracle: the format's own definition (ggml-org/ggml
// docs/gguf.md) and the checks of ggml/src/gguf.cpp, on headers built byte by byte in the test
// (tests/gguf_writer.hpp); tensor bytes from the block structs of ggml-common.h (Q4_K: 144 bytes per
// 256 elements, Q6_K: 210, Q8_0: 34 per 32).
#include <catch2/catch.hpp>

#include "gguf_writer.hpp"
#include "test_support.hpp"
#include "vram/base/format.hpp"
#include "vram/model/gguf.hpp"

using vram::GgufValueType;
using vram::test::GgufWriter;

namespace {

vram::GgufHeader read_ok(const std::string& bytes) {
  auto r = vram::read_gguf_header(bytes, "t.gguf");
  if (!r) FAIL(vram::test::english(r.error()));
  REQUIRE(r.value().need_bytes == 0);
  return r.value().header;
}

std::string error_of(const std::string& bytes, std::uint64_t file_size = 0) {
  auto r = vram::read_gguf_header(bytes, "t.gguf", file_size);
  if (r) return r.value().need_bytes ? "need " + std::to_string(r.value().need_bytes) : "ok";
  CHECK(r.error().field == "t.gguf");
  return vram::test::english(r.error());
}

}  // namespace

TEST_CASE("every metadata value type is read", "[gguf]") {
  GgufWriter w;
  w.u8("a.u8", 200).i8("a.i8", -100).u16("a.u16", 60000).i16("a.i16", -30000).u32("a.u32", 4000000000u)
      .i32("a.i32", -2000000000).f32("a.f32", 0.5f).boolean("a.bool", true).str("a.str", "hello")
      .u64("a.u64", 18000000000000000000ull).i64("a.i64", -9000000000000000000ll).f64("a.f64", 1e-300)
      .u32_array("a.arr", {1, 2, 3}).str_array("a.strs", {"x", "", "yz"}).bool_array("a.bools", {true, false});
  const auto h = read_ok(w.bytes());
  CHECK(h.version == 3);
  REQUIRE(h.kv.size() == 15);
  CHECK(h.find("a.u8")->u == 200);
  CHECK(h.find("a.i8")->i == -100);
  CHECK(h.find("a.u16")->u == 60000);
  CHECK(h.find("a.i16")->i == -30000);
  CHECK(h.find("a.u32")->as_uint() == 4000000000u);
  CHECK(h.find("a.i32")->i == -2000000000);
  CHECK_FALSE(h.find("a.i32")->as_uint());
  CHECK(h.find("a.f32")->f == 0.5);
  CHECK(h.find("a.bool")->type == GgufValueType::Bool);
  CHECK(h.find("a.bool")->u == 1);
  CHECK(h.find("a.str")->s == "hello");
  CHECK(h.find("a.u64")->u == 18000000000000000000ull);
  CHECK(h.find("a.i64")->i == -9000000000000000000ll);
  CHECK(h.find("a.f64")->f == 1e-300);
  const auto* arr = h.find("a.arr");
  CHECK(arr->type == GgufValueType::Array);
  CHECK(arr->elem == GgufValueType::U32);
  CHECK(arr->count == 3);
  REQUIRE(arr->items.size() == 3);
  CHECK(arr->items[2].u == 3);
  CHECK(h.find("a.strs")->items[2].s == "yz");
  CHECK(h.find("a.bools")->items[1].u == 0);
  CHECK(h.kv[0].key == "a.u8");  // file order
  CHECK(h.tensors.empty());
  CHECK(h.header_bytes == w.bytes().size());
  CHECK(h.data_offset == (h.header_bytes + 31) / 32 * 32);
}

TEST_CASE("arrays of arrays, empty arrays and long arrays", "[gguf]") {
  std::string nested;  // [[1, 2], [], [3]] of i32, as u32 type, u64 count, items
  GgufWriter::put<std::uint32_t>(nested, 9);
  GgufWriter::put<std::uint64_t>(nested, 3);
  for (std::vector<std::int32_t> inner : {std::vector<std::int32_t>{1, 2}, std::vector<std::int32_t>{}, std::vector<std::int32_t>{3}}) {
    GgufWriter::put<std::uint32_t>(nested, 5);
    GgufWriter::put<std::uint64_t>(nested, inner.size());
    for (auto v : inner) GgufWriter::put(nested, v);
  }
  std::vector<std::string> tokens(5000, "tok");  // > kKeptArrayItems: counted, not kept
  GgufWriter w;
  w.raw("n.nested", 9, nested).u32_array("n.empty", std::vector<std::uint32_t>{}).str_array("tokenizer.ggml.tokens", tokens);
  const auto h = read_ok(w.bytes());
  const auto* n = h.find("n.nested");
  REQUIRE(n->items.size() == 3);
  CHECK(n->elem == GgufValueType::Array);
  CHECK(n->items[0].elem == GgufValueType::I32);
  CHECK(n->items[0].items[1].i == 2);
  CHECK(n->items[1].count == 0);
  CHECK(n->items[2].items[0].i == 3);
  CHECK(h.find("n.empty")->count == 0);
  const auto* t = h.find("tokenizer.ggml.tokens");
  CHECK(t->count == 5000);
  CHECK_FALSE(t->items_kept);
  CHECK(t->items.empty());
}

TEST_CASE("tensor infos: dims, types, offsets and exact bytes", "[gguf]") {
  GgufWriter w;
  w.str("general.architecture", "llama");
  w.q4_k_tensor("blk.0.attn_q.weight", {4096, 4096})       // 4096·4096/256·144 = 9,437,184
      .q6_k_tensor("blk.0.ffn_down.weight", {14336, 4096})  // 14336·4096/256·210 = 48,168,960
      .f32_tensor("blk.0.attn_norm.weight", {4096})         // 16,384
      .q8_0_tensor("output.weight", {4096, 128256});        // 4096·128256/32·34 = 558,170,112
  const auto h = read_ok(w.bytes());
  REQUIRE(h.tensors.size() == 4);
  CHECK(h.tensors[0].name == "blk.0.attn_q.weight");
  CHECK(h.tensors[0].type == vram::GgmlType::Q4_K);
  CHECK(h.tensors[0].type_id == 12);
  CHECK(h.tensors[0].n_dims == 2);
  CHECK(h.tensors[0].bytes == 9437184);
  CHECK(h.tensors[1].bytes == 48168960);
  CHECK(h.tensors[1].offset == 9437184);
  CHECK(h.tensors[2].bytes == 16384);
  CHECK(h.tensors[2].elements == 4096);
  CHECK(h.tensors[3].type == vram::GgmlType::Q8_0);
  CHECK(h.tensors[3].bytes == 558170112);
  CHECK(h.tensors[3].offset == 9437184 + 48168960 + 16384);
  CHECK(h.data_bytes == 9437184ull + 48168960 + 16384 + 558170112);
  CHECK(h.alignment == 32);
}

TEST_CASE("alignment pads every tensor and the data section", "[gguf]") {
  GgufWriter w;
  w.alignment(64).f32_tensor("a", {3}).f32_tensor("b", {5});  // 12 bytes → next at 64
  const auto h = read_ok(w.bytes());
  CHECK(h.alignment == 64);
  CHECK(h.tensors[1].offset == 64);
  CHECK(h.data_offset % 64 == 0);
  CHECK(h.data_offset >= h.header_bytes);
  CHECK(h.data_bytes == 64 + 20);
}

TEST_CASE("every ggml type the file may name has its block size", "[gguf]") {
  // ggml.h enum ggml_type numbers and ggml-common.h block structs.
  struct T { std::uint32_t id; std::uint64_t block, bytes; };
  for (const T t : {T{0, 1, 4}, T{1, 1, 2}, T{2, 32, 18}, T{3, 32, 20}, T{6, 32, 22}, T{7, 32, 24}, T{8, 32, 34}, T{9, 32, 36},
                    T{10, 256, 84}, T{11, 256, 110}, T{12, 256, 144}, T{13, 256, 176}, T{14, 256, 210}, T{15, 256, 292},
                    T{16, 256, 66}, T{17, 256, 74}, T{18, 256, 98}, T{19, 256, 50}, T{20, 32, 18}, T{21, 256, 110},
                    T{22, 256, 82}, T{23, 256, 136}, T{24, 1, 1}, T{25, 1, 2}, T{26, 1, 4}, T{27, 1, 8}, T{28, 1, 8},
                    T{29, 256, 56}, T{30, 1, 2}, T{34, 256, 54}, T{35, 256, 66}, T{39, 32, 17}, T{40, 64, 36}, T{41, 128, 18}}) {
    GgufWriter w;
    w.tensor("x", {512, 3}, t.id, t.block, t.bytes);
    const auto h = read_ok(w.bytes());
    CHECK(vram::ggml_type_id(h.tensors[0].type) == t.id);
    CHECK(h.tensors[0].bytes == 512 / t.block * t.bytes * 3);
  }
  for (std::uint32_t removed : {4u, 5u, 31u, 33u, 36u, 38u, 99u}) {
    GgufWriter w;
    w.tensor("x", {512}, removed, 1, 1);
    CHECK(error_of(w.bytes()) == "t.gguf: tensor \"x\": unknown ggml type " + vram::format_count(removed));
  }
}

TEST_CASE("v2 and big-endian v3 files", "[gguf]") {
  GgufWriter w;
  w.version(2).u32("k", 7).f32_tensor("t", {8});
  CHECK(read_ok(w.bytes()).version == 2);
  // The same header with every number big-endian (GGUF v3 allows it).
  std::string be = "GGUF";
  const auto put_be = [&](std::uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) be.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  };
  put_be(3, 4), put_be(1, 8), put_be(1, 8);
  put_be(1, 8), be += "k", put_be(4, 4), put_be(7, 4);                     // k: u32 7
  put_be(1, 8), be += "t", put_be(1, 4), put_be(8, 8), put_be(0, 4), put_be(0, 8);  // t: f32 [8] at 0
  const auto h = read_ok(be);
  CHECK(h.big_endian);
  CHECK(h.find("k")->u == 7);
  CHECK(h.tensors[0].dims[0] == 8);
  CHECK(h.tensors[0].bytes == 32);
}

TEST_CASE("a prefix of the header asks for more bytes, exactly as far as it can tell", "[gguf]") {
  GgufWriter w;
  w.str("general.architecture", "llama").u32_array("llama.attention.head_count_kv", {8, 8, 0, 8}).f32_tensor("a", {4096});
  const std::string full = w.bytes();
  const auto h = read_ok(full);
  for (std::size_t n = 0; n < full.size(); ++n) {
    auto r = vram::read_gguf_header(std::string_view(full).substr(0, n), "t.gguf");
    REQUIRE(r.ok());
    INFO(n);
    CHECK(r.value().need_bytes > n);
    CHECK(r.value().need_bytes <= full.size());
  }
  // Growing reads reach the full header in a few steps.
  std::size_t have = 16, steps = 0;
  for (;;) {
    auto r = vram::read_gguf_header(std::string_view(full).substr(0, std::min(have, full.size())), "t.gguf");
    REQUIRE(r.ok());
    if (r.value().need_bytes == 0) break;
    have = r.value().need_bytes;
    ++steps;
  }
  CHECK(steps < 20);
  // A fixed-size array asks for all of it at once: after the array's count, the whole array.
  const std::size_t count_end = full.find("head_count_kv") + 13 + 4 + 4 + 8;
  auto r = vram::read_gguf_header(std::string_view(full).substr(0, count_end), "t.gguf");
  CHECK(r.value().need_bytes == count_end + 16);
  CHECK(h.header_bytes == full.size());
}

TEST_CASE("bad headers are named errors", "[gguf][bad]") {
  CHECK(error_of("GGML\x03\0\0\0") == "t.gguf: not a GGUF file (it does not start with the bytes \"GGUF\")");
  CHECK(error_of(GgufWriter().version(1).bytes()) == "t.gguf: GGUF version 1 is not supported (versions 2 and 3 are)");
  CHECK(error_of(GgufWriter().version(4).bytes()) == "t.gguf: GGUF version 4 is not supported (versions 2 and 3 are)");

  std::string counts = "GGUF";
  GgufWriter::put<std::uint32_t>(counts, 3);
  GgufWriter::put<std::uint64_t>(counts, std::uint64_t{1} << 40);
  GgufWriter::put<std::uint64_t>(counts, 0);
  CHECK(error_of(counts) == "t.gguf: tensor_count 1,099,511,627,776 is over the limit of 1,048,576");
  counts = "GGUF";
  GgufWriter::put<std::uint32_t>(counts, 3);
  GgufWriter::put<std::uint64_t>(counts, 0);
  GgufWriter::put<std::uint64_t>(counts, ~std::uint64_t{0});
  CHECK(error_of(counts) == "t.gguf: metadata_kv_count 18,446,744,073,709,551,615 is over the limit of 65,536");

  // A key length of 2^64 − 1: refused before anything is allocated or awaited.
  std::string key = GgufWriter().u32("k", 1).bytes();
  std::memset(key.data() + 24, 0xFF, 8);
  CHECK(error_of(key) == "t.gguf: metadata key 0 is 18,446,744,073,709,551,615 bytes long (at most 65,535)");

  std::string vlen;
  GgufWriter::put<std::uint64_t>(vlen, std::uint64_t{1} << 30);
  CHECK(error_of(GgufWriter().raw("s", 8, vlen).bytes()) == "t.gguf: key \"s\": a string of 1,073,741,824 bytes (at most 16,777,216)");
  CHECK(error_of(GgufWriter().raw("v", 13, "").bytes()) == "t.gguf: key \"v\": unknown value type 13 (0 to 12)");
  std::string arr;
  GgufWriter::put<std::uint32_t>(arr, 4);
  GgufWriter::put<std::uint64_t>(arr, std::uint64_t{1} << 62);
  CHECK(error_of(GgufWriter().raw("a", 9, arr).bytes()) == "t.gguf: key \"a\": an array of 4,611,686,018,427,387,904 items (at most 67,108,864)");
  arr.clear();
  GgufWriter::put<std::uint32_t>(arr, 99);
  GgufWriter::put<std::uint64_t>(arr, 1);
  CHECK(error_of(GgufWriter().raw("a", 9, arr).bytes()) == "t.gguf: key \"a\": unknown value type 99 (0 to 12)");
  // An array of u64 whose items would pass the header limit.
  arr.clear();
  GgufWriter::put<std::uint32_t>(arr, 10);
  GgufWriter::put<std::uint64_t>(arr, std::uint64_t{1} << 26);
  CHECK(error_of(GgufWriter().raw("a", 9, arr).bytes()) == "t.gguf: the GGUF header is larger than 256.0 MiB");
  std::string deep;
  for (int i = 0; i < 9; ++i) {
    GgufWriter::put<std::uint32_t>(deep, 9);
    GgufWriter::put<std::uint64_t>(deep, 1);
  }
  CHECK(error_of(GgufWriter().raw("d", 9, deep).bytes()) == "t.gguf: key \"d\": arrays nested more than 8 deep");
  CHECK(error_of(GgufWriter().raw("b", 7, "\x02").bytes()) == "t.gguf: key \"b\": a bool must be 0 or 1, got 2");
  CHECK(error_of(GgufWriter().u32("k", 1).u8("j", 1).u32("k", 2).bytes()) == "t.gguf: metadata key \"k\" appears more than once");
  CHECK(error_of(GgufWriter().u32("general.alignment", 48).bytes()) == "t.gguf: general.alignment must be a u32 power of two, got 48 (u32)");
  CHECK(error_of(GgufWriter().u32("general.alignment", 0).bytes()) == "t.gguf: general.alignment must be a u32 power of two, got 0 (u32)");
  CHECK(error_of(GgufWriter().u64("general.alignment", 32).bytes()) == "t.gguf: general.alignment must be a u32 power of two, got 32 (u64)");

  CHECK(error_of(GgufWriter().f32_tensor(std::string(64, 'n'), {1}).bytes()) == "t.gguf: tensor 0: a name of 64 bytes (at most 63)");
  CHECK(error_of(GgufWriter().f32_tensor("t", {1, 1, 1, 1, 1}).bytes()) == "t.gguf: tensor \"t\": 5 dimensions (at most 4)");
  CHECK(error_of(GgufWriter().tensor("t", {1ull << 30, 1ull << 30}, 0, 1, 4).bytes()) ==
        "t.gguf: tensor \"t\": dimension 1,073,741,824 makes the shape too large (over 2^50 elements)");
  CHECK(error_of(GgufWriter().tensor("t", {~0ull}, 0, 1, 4).bytes()) ==
        "t.gguf: tensor \"t\": dimension 18,446,744,073,709,551,615 makes the shape too large (over 2^50 elements)");
  CHECK(error_of(GgufWriter().tensor("t", {100, 2}, 12, 256, 144).bytes()) ==
        "t.gguf: tensor \"t\": a row of 100 elements is not a whole number of Q4_K blocks of 256");
  CHECK(error_of(GgufWriter().f32_tensor("t", {8}).f32_tensor("t", {8}).bytes()) == "t.gguf: tensor \"t\" appears more than once");
  // A tensor whose offset leaves a gap.
  std::string gap = GgufWriter().f32_tensor("a", {8}).f32_tensor("b", {8}).bytes();
  gap[gap.size() - 8] = 64;
  CHECK(error_of(gap) == "t.gguf: tensor \"b\" is at data offset 64 where 32 was expected (each tensor follows the previous one, padded to 32 bytes)");
  // The data section against the file's size.
  GgufWriter sized;
  sized.f32_tensor("a", {1024});
  const std::string sh = sized.bytes();
  const std::uint64_t end = (sh.size() + 31) / 32 * 32 + 4096;
  CHECK(error_of(sh, end) == "ok");
  CHECK(error_of(sh, end - 1) == "t.gguf: the tensor data ends at byte " + vram::format_count(end) + ", past the end of the file (" +
                                    vram::format_count(end - 1) + " bytes)");
}

TEST_CASE("garbage never reads out of bounds and answers a value or a named error", "[gguf][bad]") {
  // Every single-byte corruption of a small valid header (the fuzz target does this at scale).
  GgufWriter w;
  w.str("general.architecture", "llama").u32_array("llama.x", {1, 2}).bool_array("b", {true}).f32_tensor("a", {8}).q8_0_tensor("q", {64});
  const std::string good = w.bytes();
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (int v : {0x00, 0x01, 0x7F, 0x80, 0xFF}) {
      std::string bad = good;
      bad[i] = static_cast<char>(v);
      auto r = vram::read_gguf_header(bad, "t.gguf");
      if (!r) CHECK_FALSE(vram::test::english(r.error()).empty());
    }
  }
}

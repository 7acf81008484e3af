// The engine is laid out by stage: base → model → workload → memory → estimate → link → view
// (engine/src/<stage>/, engine/include/vram/<stage>/). Data walks one way, so no file may include a
// header of a later stage. Oracle: the #include lines of the files themselves.
#include <catch2/catch.hpp>

#include <array>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

namespace {

constexpr std::array<const char*, 7> kStages{"base", "model", "workload", "memory", "estimate", "link", "view"};

int stage_rank(const std::string& stage) {
  for (std::size_t i = 0; i < kStages.size(); ++i)
    if (stage == kStages[i]) return static_cast<int>(i);
  return -1;
}

}  // namespace

TEST_CASE("no engine file includes a header of a later stage", "[layering]") {
  namespace fs = std::filesystem;
  const fs::path root = VRAM_SOURCE_DIR;
  // "vram/<stage>/x.hpp" (public) or "<stage>/x.hpp" (private, engine/src).
  const std::regex include(R"re(#include\s+"(?:vram/)?([a-z_]+)/[a-z_0-9]+\.hpp")re");
  int files = 0;
  for (const char* top : {"engine/src", "engine/include/vram"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
      if (!entry.is_regular_file()) continue;
      const fs::path rel = fs::relative(entry.path(), root / top);
      const std::string stage = rel.begin()->string();
      const int rank = stage_rank(stage);
      INFO(entry.path().string());
      REQUIRE(rank >= 0);  // every engine file sits in a stage folder
      ++files;
      std::ifstream in(entry.path());
      std::string line;
      while (std::getline(in, line)) {
        std::smatch m;
        if (!std::regex_search(line, m, include)) continue;
        const int included = stage_rank(m[1].str());
        if (included < 0) continue;  // not an engine stage (e.g. nlohmann/json.hpp)
        INFO(line);
        CHECK(included <= rank);
      }
    }
  }
  CHECK(files > 40);
}

// --model org/name from the Hugging Face Hub (or a mirror): config.json, then the safetensors
// headers by HTTP Range reads, following the engine's plan (vram/model/hub_plan.hpp), which the page
// follows too. libcurl; HTTPS to Hub hosts only (http://127.0.0.1 only for an explicit --endpoint);
// the token only to the endpoint's own host; a cache under $XDG_CACHE_HOME/vramcalc so a second run
// works with --offline. Every failure is one line (no token in it) and exit 2.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "args.hpp"

namespace vram::cli {

struct HubSettings {
  std::string endpoint = "https://huggingface.co";
  bool explicit_endpoint = false;  // --endpoint or HF_ENDPOINT
  std::string revision = "main";
  std::string token;               // never printed
  bool offline = false;
  std::string cache_dir;
  long timeout_ms = 20000;
};

struct HubFiles {
  std::string config_text;
  std::vector<std::string> headers;  // empty: no safetensors weights
};

// The settings from --endpoint/--revision/--token-file/--offline and the environment.
[[nodiscard]] std::optional<HubSettings> hub_settings(const Args& args, std::string& error);
// True when the flags ask for the Hub even if the id is a catalog id.
[[nodiscard]] bool hub_requested(const Args& args);
[[nodiscard]] std::optional<HubFiles> hub_load(const std::string& repo, const HubSettings& s, std::string& error);

}  // namespace vram::cli

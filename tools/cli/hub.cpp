#include "hub.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "vram/base/message.hpp"
#include "vram/model/hub_plan.hpp"

namespace vram::cli {
namespace fs = std::filesystem;
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

std::optional<std::string> slurp(const fs::path& p, std::size_t max) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return std::nullopt;
  std::ifstream f(p, std::ios::binary);
  if (!f) return std::nullopt;
  std::string out(max + 1, '\0');
  f.read(out.data(), static_cast<std::streamsize>(out.size()));
  out.resize(static_cast<std::size_t>(f.gcount()));
  if (out.size() > max) return std::nullopt;
  return out;
}

struct Url {
  std::string scheme, host, port;
};
std::optional<Url> split_url(const std::string& u) {
  const auto sep = u.find("://");
  if (sep == std::string::npos) return std::nullopt;
  Url r;
  r.scheme = u.substr(0, sep);
  std::transform(r.scheme.begin(), r.scheme.end(), r.scheme.begin(), [](unsigned char c) { return std::tolower(c); });
  const std::string rest = u.substr(sep + 3);
  std::string auth = rest.substr(0, rest.find_first_of("/?#"));
  if (auth.find('@') != std::string::npos || auth.empty()) return std::nullopt;
  if (const auto c = auth.rfind(':'); c != std::string::npos) {
    r.port = auth.substr(c + 1);
    auth = auth.substr(0, c);
  }
  std::transform(auth.begin(), auth.end(), auth.begin(), [](unsigned char c) { return std::tolower(c); });
  r.host = auth;
  return r;
}
std::string text(const Error& e) { return render(e.message, english_catalog(), Spelling::Cli); }
bool ends_with(const std::string& s, const std::string& t) { return s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0; }

// The hosts a request may reach (web/src/lib/hub.js isHubHost): https huggingface.co, its
// subdomains and *.hf.co (the CDN its resolve/ URLs redirect to), default port; plus the explicit
// endpoint's own origin (a mirror, or http://127.0.0.1:PORT for a loopback mock).
bool allowed(const Url& u, const HubSettings& s) {
  if (s.explicit_endpoint) {
    if (auto e = split_url(s.endpoint); e && e->scheme == u.scheme && e->host == u.host && e->port == u.port) return true;
  }
  if (u.scheme != "https" || !u.port.empty()) return false;
  return u.host == "huggingface.co" || ends_with(u.host, ".huggingface.co") || ends_with(u.host, ".hf.co");
}
bool same_origin(const Url& a, const Url& b) { return a.scheme == b.scheme && a.host == b.host && a.port == b.port; }

struct Response {
  long status = 0;
  std::string body, etag, location, retry_after;
  bool too_large = false, enough = false;
  std::size_t limit = 0, want = 0, from = 0;  // want: the Range's length (from byte `from`)
};

std::size_t on_body(char* p, std::size_t size, std::size_t n, void* ud) {
  auto* r = static_cast<Response*>(ud);
  const std::size_t len = size * n;
  if (r->status == 0 || r->status >= 300) {  // an error page or a redirect: keep a little, never much
    if (r->body.size() < 4096) r->body.append(p, std::min(len, 4096 - r->body.size()));
    return len;
  }
  // A 206 holds the range; a 200 (Range ignored) the whole file: stop once the range is in.
  const std::size_t target = r->status == 206 ? r->want : r->from + r->want;
  if (r->want && r->body.size() + len >= target) {
    r->body.append(p, target - r->body.size());
    r->enough = true;
    return 0;  // stop the transfer: we have the bytes we asked for
  }
  if (r->body.size() + len > r->limit) {
    r->too_large = true;
    return 0;
  }
  r->body.append(p, len);
  return len;
}

std::size_t on_header(char* p, std::size_t size, std::size_t n, void* ud) {
  auto* r = static_cast<Response*>(ud);
  std::string line(p, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    r->status = 0;
    if (const auto sp = line.find(' '); sp != std::string::npos) r->status = std::strtol(line.c_str() + sp + 1, nullptr, 10);
    return size * n;
  }
  const auto colon = line.find(':');
  if (colon == std::string::npos) return size * n;
  std::string key = line.substr(0, colon);
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
  const std::string value = trim(line.substr(colon + 1));
  if (key == "etag" || key == "x-linked-etag") r->etag = value;
  if (key == "location") r->location = value;
  if (key == "retry-after") r->retry_after = value.substr(0, 32);
  if (key == "content-length" && r->status >= 200 && r->status < 300 && !r->want) {
    if (std::strtoull(value.c_str(), nullptr, 10) > r->limit) {
      r->too_large = true;
      return 0;
    }
  }
  return size * n;
}

std::string resolve_location(const std::string& base, const std::string& loc) {
  if (loc.find("://") != std::string::npos) return loc;
  auto b = split_url(base);
  if (!b) return loc;
  const std::string origin = b->scheme + "://" + b->host + (b->port.empty() ? "" : ":" + b->port);
  return loc.rfind("/", 0) == 0 ? origin + loc : origin + "/" + loc;
}

// One GET (optionally the byte range [from, from + count)), following at most 5 redirects, each to
// an allowed host, with the token only on requests to the endpoint's origin.
enum class Fetch { Ok, Missing };
std::optional<Fetch> get(const HubSettings& s, std::string url, const std::string& file, std::size_t limit, std::uint64_t from,
                         std::uint64_t count, Response& r, std::string& error) {
  const auto endpoint = split_url(s.endpoint);
  for (int hop = 0; hop <= 5; ++hop) {
    const auto u = split_url(url);
    if (!u || !allowed(*u, s)) {
      error = file + ": refused to contact " + (u ? u->host : std::string("an invalid URL")) + " (not a Hub host)";
      return std::nullopt;
    }
    CURL* c = curl_easy_init();
    if (!c) {
      error = file + ": could not start an HTTP request";
      return std::nullopt;
    }
    r = Response{};
    r.limit = limit;
    r.want = count ? static_cast<std::size_t>(count) : 0;
    r.from = static_cast<std::size_t>(from);
    curl_slist* hdrs = nullptr;
    std::string auth;
    if (!s.token.empty() && endpoint && same_origin(*u, *endpoint)) {
      auth = "Authorization: Bearer " + s.token;
      hdrs = curl_slist_append(hdrs, auth.c_str());
    }
    std::string range;
    if (count) {
      range = "Range: bytes=" + std::to_string(from) + "-" + std::to_string(from + count - 1);
      hdrs = curl_slist_append(hdrs, range.c_str());
    }
    hdrs = curl_slist_append(hdrs, "Accept-Encoding: identity");
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, s.timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, s.timeout_ms);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "vramcalc");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
    const CURLcode rc = curl_easy_perform(c);
    curl_easy_cleanup(c);
    curl_slist_free_all(hdrs);
    std::fill(auth.begin(), auth.end(), '\0');
    if (r.too_large) {
      error = file + ": more than " + std::to_string(limit) + " bytes (the limit for this file)";
      return std::nullopt;
    }
    if (rc == CURLE_OPERATION_TIMEDOUT) {
      error = file + ": the Hub did not answer within " + std::to_string(static_cast<double>(s.timeout_ms) / 1000.0).substr(0, 4) + " s (timeout)";
      return std::nullopt;
    }
    if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && r.enough)) {
      error = file + ": cannot reach " + u->host + " (" + curl_easy_strerror(rc) + "); use --offline for cached files";
      return std::nullopt;
    }
    if (r.status >= 300 && r.status < 400 && !r.location.empty()) {
      url = resolve_location(url, r.location);
      continue;
    }
    if (r.status == 401 || r.status == 403) {
      error = file + ": access denied (HTTP " + std::to_string(r.status) + "): the repo is gated or private; accept its terms on the Hub and give a token (--token-file, HF_TOKEN)";
      return std::nullopt;
    }
    if (r.status == 404) return Fetch::Missing;
    if (r.status == 429) {
      error = file + ": rate-limited by the Hub (HTTP 429)" + (r.retry_after.empty() ? "" : "; retry after " + r.retry_after + " s");
      return std::nullopt;
    }
    if (r.status < 200 || r.status >= 300) {
      error = file + ": the Hub answered HTTP " + std::to_string(r.status);
      return std::nullopt;
    }
    return Fetch::Ok;
  }
  error = file + ": too many redirects";
  return std::nullopt;
}

// The cache: <dir>/<org>--<name>/<revision>/<key>, each entry an "etag" line then the bytes.
struct Cache {
  fs::path dir;
  fs::path at(const std::string& key) const {
    std::string k;
    for (char c : key) k += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') ? c : '_';
    return dir / k;
  }
  std::optional<std::string> read(const std::string& key, std::size_t max) const {
    auto t = slurp(at(key), max + 512);
    if (!t) return std::nullopt;
    const auto nl = t->find('\n');
    if (nl == std::string::npos) return std::nullopt;
    return t->substr(nl + 1);
  }
  void write(const std::string& key, const std::string& etag, const std::string& bytes) const {
    std::error_code ec;
    fs::create_directories(dir, ec);
    const fs::path p = at(key), tmp = p.string() + ".tmp";
    {
      std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
      if (!f) return;
      f << etag.substr(0, 200) << "\n" << bytes;
    }
    fs::rename(tmp, p, ec);
  }
};

std::string cache_root() {
  if (auto x = env("XDG_CACHE_HOME"); !x.empty()) return x + "/vramcalc";
  if (auto h = env("HOME"); !h.empty()) return h + "/.cache/vramcalc";
  return "";
}

struct Loader {
  const HubSettings& s;
  std::string repo;
  Cache cache;
  std::string error;

  std::string url(const std::string& path) const { return s.endpoint + "/" + repo + "/resolve/" + s.revision + "/" + path; }

  // The bytes of `path` (all of it up to `limit`, or `count` bytes from `from`), from the cache
  // when offline; nullopt + empty error when the file does not exist.
  std::optional<std::string> read(const std::string& path, std::size_t limit, std::uint64_t from = 0, std::uint64_t count = 0) {
    const std::string key = path + (count ? "@" + std::to_string(from) + "+" + std::to_string(count) : "");
    if (s.offline) {
      if (auto c = cache.read(key, count ? count : limit)) return c;
      if (auto c = cache.read(key + ".missing", 0)) return std::nullopt;
      error = path + ": not in the cache (" + cache.dir.string() + ") and --offline is set";
      return std::nullopt;
    }
    Response r;
    auto f = get(s, url(path), path, limit, from, count, r, error);
    if (!f) return std::nullopt;
    if (*f == Fetch::Missing) {
      cache.write(key + ".missing", "", "");
      return std::nullopt;
    }
    // A server without Range support sends the whole file from byte 0: cut out what was asked.
    std::string bytes = std::move(r.body);
    if (count && r.status == 200 && from) bytes = bytes.size() > from ? bytes.substr(static_cast<std::size_t>(from)) : std::string();
    if (count && bytes.size() > count) bytes.resize(static_cast<std::size_t>(count));
    cache.write(key, r.etag, bytes);
    return bytes;
  }
};

}  // namespace

bool hub_requested(const Args& args) { return args.has("endpoint") || args.has("revision") || args.has("token-file"); }

std::optional<HubSettings> hub_settings(const Args& args, std::string& error) {
  HubSettings s;
  std::string ep = args.get("endpoint").value_or(env("HF_ENDPOINT"));
  if (!ep.empty()) {
    while (!ep.empty() && ep.back() == '/') ep.pop_back();
    const auto u = split_url(ep);
    const bool loopback = u && u->scheme == "http" && u->host == "127.0.0.1";
    if (!u || (u->scheme != "https" && !loopback) || ep.find_first_of("?# ") != std::string::npos ||
        ep.find('/', ep.find("://") + 3) != std::string::npos) {
      error = "--endpoint must be https://HOST[:PORT] (or http://127.0.0.1:PORT), got " + shown(ep);
      return std::nullopt;
    }
    s.endpoint = ep;
    s.explicit_endpoint = true;
  }
  if (auto r = args.get("revision")) {
    const bool ok = !r->empty() && r->size() <= 200 && r->find("..") == std::string::npos && r->front() != '/' &&
                    std::all_of(r->begin(), r->end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '/'; });
    if (!ok) {
      error = "--revision must be a branch, tag or commit (A-Z a-z 0-9 - _ . /), got " + shown(*r);
      return std::nullopt;
    }
    // A branch name with "/" is sent encoded, as the Hub expects.
    s.revision.clear();
    for (char c : *r) s.revision += c == '/' ? std::string("%2F") : std::string(1, c);
  }
  s.offline = args.flag("offline") || env("HF_HUB_OFFLINE") == "1";
  if (auto t = env("VRAMCALC_HUB_TIMEOUT_MS"); !t.empty()) {  // tests only: shorter, never longer
    const long ms = std::strtol(t.c_str(), nullptr, 10);
    if (ms > 0 && ms < s.timeout_ms) s.timeout_ms = ms;
  }
  // The token: --token-file, HF_TOKEN, then the Hugging Face CLI's file ($HF_HOME/token or
  // ~/.cache/huggingface/token).
  if (auto tf = args.get("token-file")) {
    auto t = slurp(*tf, 4096);
    if (!t) {
      error = "--token-file: cannot read " + shown(*tf) + " (a regular file of at most 4 KB)";
      return std::nullopt;
    }
    s.token = trim(*t);
  } else if (auto t = env("HF_TOKEN"); !t.empty()) {
    s.token = trim(t);
  } else {
    const std::string home = env("HF_HOME").empty() ? (env("HOME").empty() ? "" : env("HOME") + "/.cache/huggingface") : env("HF_HOME");
    if (!home.empty())
      if (auto f = slurp(home + "/token", 4096)) s.token = trim(*f);
  }
  if (s.token.find_first_of("\r\n") != std::string::npos) {
    error = "the Hub token holds a line break: it must be one line";
    return std::nullopt;
  }
  s.cache_dir = cache_root();
  return s;
}

std::optional<HubFiles> hub_load(const std::string& repo, const HubSettings& s, std::string& error) {
  static const bool init = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!init) {
    error = "could not start libcurl";
    return std::nullopt;
  }
  std::string key = repo;
  std::replace(key.begin(), key.end(), '/', '-');
  auto ep = split_url(s.endpoint);
  Loader L{s, repo, Cache{fs::path(s.cache_dir) / ((ep ? ep->host + (ep->port.empty() ? "" : "_" + ep->port) : "hub")) / key / s.revision}, {}};
  const auto& lim = kHubLimits;
  HubFiles out;
  auto config = L.read(std::string(kHubConfig), static_cast<std::size_t>(lim.config));
  if (!config) {
    error = L.error.empty() ? repo + ": no config.json (is it a model repo, and the right revision?)" : repo + ": " + L.error;
    return std::nullopt;
  }
  out.config_text = std::move(*config);
  // The safetensors headers: the index's shards, or the one model.safetensors.
  std::vector<std::string> files{std::string(kHubSingleShard)};
  auto index = L.read(std::string(kHubIndex), static_cast<std::size_t>(lim.index));
  if (!L.error.empty()) {
    error = repo + ": " + L.error;
    return std::nullopt;
  }
  if (index) {
    auto shards = hub_shards_from_index(*index);
    if (!shards) {
      error = repo + ": " + text(shards.error());
      return std::nullopt;
    }
    files = shards.value();
  }
  std::uint64_t used = 0;
  for (const auto& f : files) {
    auto first = L.read(f, 8, 0, 8);
    if (!first) {
      if (!L.error.empty()) {
        error = repo + ": " + L.error;
        return std::nullopt;
      }
      if (index) {
        error = repo + ": " + f + " is named in " + std::string(kHubIndex) + " but missing";
        return std::nullopt;
      }
      out.headers.clear();
      return out;  // no safetensors weights: the config alone
    }
    auto n = hub_safetensors_header_length(*first, f, used);
    if (!n) {
      error = repo + ": " + text(n.error());
      return std::nullopt;
    }
    used += n.value();
    auto h = L.read(f, static_cast<std::size_t>(n.value()), 8, n.value());
    if (!h || h->size() != n.value()) {
      error = repo + ": " + (L.error.empty() ? f + ": the header is shorter than its length says" : L.error);
      return std::nullopt;
    }
    out.headers.push_back(std::move(*h));
  }
  return out;
}

}  // namespace vram::cli

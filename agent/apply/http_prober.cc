#include <fmt/format.h>

#include <set>
#include <thread>

#include "agent/apply/edge_prober.h"
#include "agent/config/agent_config.h"
#include "common/http/http_client.h"

namespace vantus::agent {
namespace {

class HttpProber final : public EdgeProber {
 public:
  explicit HttpProber(const AgentConfig& config)
      : status_url_("http://" + config.status_listen),
        probe_url_("http://" + config.probe_address),
        expected_(config.probe_expected_status),
        probe_timeout_(config.probe_timeout) {}

  Result<void> confirmVersion(std::uint64_t version, std::chrono::milliseconds timeout) override {
    VANTUS_TRY(std::unique_ptr<http::HttpClient> client,
               http::HttpClient::make(
                   {.base_url = status_url_, .connect_timeout = std::chrono::milliseconds(500)}));
    const std::string wanted = std::to_string(version) + "\n";
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string last = "no answer";
    while (true) {
      // A fresh connection each time: a kept-alive one may belong to an old worker.
      auto answer = client->get("/.vantus/version", {{"Connection", "close"}},
                                std::chrono::milliseconds(1000));
      if (answer && answer->status == 200 && answer->body == wanted) {
        return ok();
      }
      last = answer ? fmt::format("HTTP {} {:?}", answer->status, answer->body)
                    : answer.error().message;
      if (std::chrono::steady_clock::now() >= deadline) {
        return fail(ErrorCode::kUnavailable,
                    fmt::format("nginx did not answer version {} at {}/.vantus/version within "
                                "{} ms (last: {})",
                                version, status_url_, timeout.count(), last));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  Result<void> probeNames(const std::vector<std::string>& names) override {
    VANTUS_TRY(
        std::unique_ptr<http::HttpClient> client,
        http::HttpClient::make(
            {.base_url = probe_url_, .allow_plain_http = true, .connect_timeout = probe_timeout_}));
    for (const std::string& name : names) {
      auto answer =
          client->get("/", {{"Host", name}, {"User-Agent", "vantus-agent-probe"}}, probe_timeout_);
      if (!answer) {
        return fail(ErrorCode::kUnavailable, fmt::format("probe of {} via {} failed: {}", name,
                                                         probe_url_, answer.error().message));
      }
      if (!expected_.contains(answer->status)) {
        return fail(ErrorCode::kUnavailable,
                    fmt::format("probe of {} via {} answered HTTP {}, outside the expected "
                                "statuses",
                                name, probe_url_, answer->status));
      }
    }
    return ok();
  }

 private:
  std::string status_url_;
  std::string probe_url_;
  StatusRanges expected_;
  std::chrono::milliseconds probe_timeout_;
};

}  // namespace

std::unique_ptr<EdgeProber> makeHttpProber(const AgentConfig& config) {
  return std::make_unique<HttpProber>(config);
}

std::vector<std::string> probeNamesOf(
    const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (const auto& [path, content] : files) {
    if (!path.starts_with("tenants/") || !path.ends_with(".conf")) {
      continue;
    }
    constexpr std::string_view kDirective = "server_name";
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    for (size_t at = content.find(kDirective); at != std::string::npos;
         at = content.find(kDirective, at + 1)) {
      const size_t after = at + kDirective.size();
      if ((at > 0 && !blank(content[at - 1]) && content[at - 1] != ';' && content[at - 1] != '{') ||
          after >= content.size() || !blank(content[after])) {
        continue;
      }
      const size_t end = content.find(';', after);
      if (end == std::string::npos) {
        break;
      }
      size_t cursor = after;
      while (cursor < end) {
        while (cursor < end && blank(content[cursor])) {
          ++cursor;
        }
        size_t stop = cursor;
        while (stop < end && !blank(content[stop])) {
          ++stop;
        }
        std::string name = content.substr(cursor, stop - cursor);
        cursor = stop;
        if (name.empty() || name == "_" || name.front() == '~') {
          continue;
        }
        if (name.starts_with("*.")) {
          name = "vantus-probe" + name.substr(1);
        }
        if (seen.insert(name).second) {
          names.push_back(name);
        }
      }
    }
  }
  return names;
}

}  // namespace vantus::agent

// The table must cover every /api/v1 route: those the code registers (read from
// controller/api/*.cc, constants resolved) and those schema/openapi.yaml documents.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "tests/integration/api_rbac/route_table.h"

namespace vantus::testing::rbac {
namespace {

namespace fs = std::filesystem;

// Public, outside the RBAC matrix (no token is looked at).
const std::set<std::string> kPublic = {"GET /api/v1/openapi.yaml"};

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool isIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Reads the C++ string literal at `at` (plain or raw); advances `at` past it.
std::string literalAt(const std::string& text, std::size_t& at) {
  if (text.compare(at, 2, "R\"") == 0) {
    const std::size_t open = text.find('(', at);
    const std::string delimiter = ")" + text.substr(at + 2, open - at - 2) + "\"";
    const std::size_t close = text.find(delimiter, open);
    std::string value = text.substr(open + 1, close - open - 1);
    at = close + delimiter.size();
    return value;
  }
  std::string value;
  for (++at; at < text.size() && text[at] != '"'; ++at) {
    if (text[at] == '\\' && at + 1 < text.size()) {
      ++at;
    }
    value += text[at];
  }
  ++at;
  return value;
}

// The string an expression of literals, constants, `+` and std::string(...) evaluates to;
// "" with `error` set when it names something else.
std::string evaluate(const std::string& expression,
                     const std::map<std::string, std::string>& consts, std::string& error,
                     int depth = 0) {
  std::string value;
  for (std::size_t at = 0; at < expression.size();) {
    const char c = expression[at];
    if (c == '"' || expression.compare(at, 2, "R\"") == 0) {
      value += literalAt(expression, at);
    } else if (isIdentChar(c)) {
      std::size_t end = at;
      while (end < expression.size() && (isIdentChar(expression[end]) || expression[end] == ':')) {
        ++end;
      }
      const std::string name = expression.substr(at, end - at);
      at = end;
      if (name == "std::string" || name == "std::string_view") {
        continue;
      }
      auto found = consts.find(name);
      if (found == consts.end() || depth > 8) {
        error = "cannot resolve \"" + name + "\" in: " + expression;
        return "";
      }
      value += evaluate(found->second, consts, error, depth + 1);
    } else {
      ++at;  // whitespace, '+', '(' and ')'
    }
  }
  return value;
}

// The text from `at` to the first `stop` character outside parentheses and literals.
std::string untilTopLevel(const std::string& text, std::size_t at, const std::string& stops) {
  std::string out;
  int depth = 0;
  while (at < text.size()) {
    const char c = text[at];
    if (c == '"' || text.compare(at, 2, "R\"") == 0) {
      const std::size_t start = at;
      literalAt(text, at);
      out += text.substr(start, at - start);
      continue;
    }
    if (depth == 0 && stops.find(c) != std::string::npos) {
      break;
    }
    if (c == '(') {
      ++depth;
    }
    if (c == ')') {
      --depth;
    }
    out += c;
    ++at;
  }
  return out;
}

// "kName = <expression>;" definitions of the file.
std::map<std::string, std::string> constantsOf(const std::string& text) {
  std::map<std::string, std::string> consts;
  for (std::size_t at = 0; (at = text.find(" k", at)) != std::string::npos;) {
    std::size_t end = at + 1;
    while (end < text.size() && isIdentChar(text[end])) {
      ++end;
    }
    std::size_t eq = end;
    while (eq < text.size() && text[eq] == ' ') {
      ++eq;
    }
    if (eq < text.size() && text[eq] == '=' && text[eq + 1] != '=') {
      consts[text.substr(at + 1, end - at - 1)] = untilTopLevel(text, eq + 1, ";");
    }
    at = end;
  }
  return consts;
}

struct Registered {
  std::set<std::string> routes;  // "METHOD /api/v1/tenants/{}"
  std::vector<std::string> errors;
};

Registered registeredRoutes() {
  Registered out;
  const fs::path dir = fs::path(VANTUS_SOURCE_DIR) / "controller" / "api";
  const std::map<std::string, std::string> methods = {
      {"Get", "GET"}, {"Post", "POST"}, {"Put", "PUT"}, {"Patch", "PATCH"}, {"Delete", "DELETE"}};
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".cc") {
      continue;
    }
    const std::string text = readText(entry.path());
    const auto consts = constantsOf(text);
    for (std::size_t at = 0; (at = text.find("server.", at)) != std::string::npos;) {
      at += 7;
      std::size_t paren = text.find('(', at);
      auto method = methods.find(text.substr(at, paren - at));
      if (method == methods.end()) {
        continue;
      }
      const std::string expression = untilTopLevel(text, paren + 1, ",)");
      std::string error;
      const std::string pattern = evaluate(expression, consts, error);
      if (!error.empty()) {
        out.errors.push_back(entry.path().filename().string() + ": " + error);
      } else if (pattern.starts_with("/api/v1")) {
        out.routes.insert(method->second + " " + normalizedPattern(pattern));
      }
    }
  }
  return out;
}

// "METHOD /path" of every /api/v1 operation in schema/openapi.yaml.
std::set<std::string> documentedRoutes() {
  std::set<std::string> routes;
  std::istringstream lines(readText(fs::path(VANTUS_SOURCE_DIR) / "schema" / "openapi.yaml"));
  std::string line;
  std::string path;
  bool in_paths = false;
  while (std::getline(lines, line)) {
    if (!line.empty() && line[0] != ' ') {
      in_paths = line.starts_with("paths:");
      path.clear();
      continue;
    }
    if (!in_paths) {
      continue;
    }
    if (line.starts_with("  /") && line.ends_with(":")) {
      path = line.substr(2, line.size() - 3);
      continue;
    }
    for (const char* method : {"get", "post", "put", "patch", "delete"}) {
      if (line == std::string("    ") + method + ":" && path.starts_with("/api/v1")) {
        std::string upper = method;
        std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
        routes.insert(upper + " " + normalizedPattern(path));
      }
    }
  }
  return routes;
}

std::set<std::string> tableRoutes() {
  std::set<std::string> routes;
  for (const RouteCase& route : everyRoute()) {
    routes.insert(route.method + " " + normalizedPattern(route.pattern));
  }
  return routes;
}

std::string listed(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    out += "\n  " + item;
  }
  return out;
}

std::vector<std::string> missingFrom(const std::set<std::string>& wanted,
                                     const std::set<std::string>& have) {
  std::vector<std::string> missing;
  for (const std::string& route : wanted) {
    if (!have.contains(route) && !kPublic.contains(route)) {
      missing.push_back(route);
    }
  }
  return missing;
}

TEST_CASE("the route table covers every /api/v1 route the code registers, and only those") {
  Registered code = registeredRoutes();
  CHECK_MESSAGE(code.errors.empty(),
                "route registrations the scan could not read:" << listed(code.errors));
  REQUIRE(code.routes.size() > 20);  // the scan found the API at all
  const std::set<std::string> table = tableRoutes();
  const auto untested = missingFrom(code.routes, table);
  CHECK_MESSAGE(untested.empty(),
                "registered in controller/api but missing from the table:" << listed(untested));
  const auto unregistered = missingFrom(table, code.routes);
  CHECK_MESSAGE(unregistered.empty(),
                "in the table but not registered by controller/api:" << listed(unregistered));
}

TEST_CASE("the route table covers every /api/v1 operation schema/openapi.yaml documents") {
  const std::set<std::string> documented = documentedRoutes();
  REQUIRE(documented.size() > 20);
  const std::set<std::string> table = tableRoutes();
  const auto untested = missingFrom(documented, table);
  CHECK_MESSAGE(untested.empty(), "documented but missing from the table:" << listed(untested));
  const auto undocumented = missingFrom(table, documented);
  CHECK_MESSAGE(undocumented.empty(),
                "in the table but not in schema/openapi.yaml:" << listed(undocumented));
}

}  // namespace
}  // namespace vantus::testing::rbac

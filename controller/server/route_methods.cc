#include "controller/server/route_methods.h"

#include <httplib.h>

#include <regex>
#include <utility>

namespace vantus::controller {
namespace {

// cpp-httplib 0.11.4 keeps its route tables private and has no call that lists them, while
// every route module registers through a plain httplib::Server&. An explicit template
// instantiation may name a private member ([temp.spec.general]/6), which gives a read-only
// pointer to each table here; nothing is ever written through it. The check below makes an
// httplib upgrade revisit this instead of reading a changed layout.
static_assert(std::string_view(CPPHTTPLIB_VERSION) == "0.11.4",
              "route_methods.cc reads httplib 0.11.4's route tables; check them again");

using Plain = std::vector<std::pair<std::regex, httplib::Server::Handler>>;

template <typename Table, int kIndex>
struct TableTag {
  using Member = Table httplib::Server::*;
  friend Member tableOf(TableTag);
};

template <typename Tag, typename Tag::Member kMember>
struct TableAccess {
  friend typename Tag::Member tableOf(Tag) { return kMember; }
};

using GetTag = TableTag<Plain, 0>;
using PostTag = TableTag<Plain, 1>;
using PutTag = TableTag<Plain, 2>;
using PatchTag = TableTag<Plain, 3>;
using DeleteTag = TableTag<Plain, 4>;
using OptionsTag = TableTag<Plain, 5>;

template struct TableAccess<GetTag, &httplib::Server::get_handlers_>;
template struct TableAccess<PostTag, &httplib::Server::post_handlers_>;
template struct TableAccess<PutTag, &httplib::Server::put_handlers_>;
template struct TableAccess<PatchTag, &httplib::Server::patch_handlers_>;
template struct TableAccess<DeleteTag, &httplib::Server::delete_handlers_>;
template struct TableAccess<OptionsTag, &httplib::Server::options_handlers_>;

template <typename Table>
bool anyMatches(const Table& table, const std::string& path) {
  for (const auto& [pattern, handler] : table) {
    if (std::regex_match(path, pattern)) {
      return true;
    }
  }
  return false;
}

const Plain* bodyTable(const httplib::Server& server, const std::string& method) {
  if (method == "POST") {
    return &(server.*tableOf(PostTag{}));
  }
  if (method == "PUT") {
    return &(server.*tableOf(PutTag{}));
  }
  if (method == "PATCH") {
    return &(server.*tableOf(PatchTag{}));
  }
  if (method == "DELETE") {
    return &(server.*tableOf(DeleteTag{}));
  }
  return nullptr;
}

}  // namespace

const httplib::Server::Handler* bodyRouteFor(const httplib::Server& server,
                                             const std::string& method, httplib::Request& request) {
  const Plain* table = bodyTable(server, method);
  if (table == nullptr) {
    return nullptr;
  }
  for (const auto& [pattern, handler] : *table) {
    if (std::regex_match(request.path, request.matches, pattern)) {
      return &handler;
    }
  }
  return nullptr;
}

std::vector<std::string> methodsMatching(const httplib::Server& server, const std::string& path) {
  std::vector<std::string> methods;
  if (anyMatches(server.*tableOf(GetTag{}), path)) {
    methods.push_back("GET");
    methods.push_back("HEAD");
  }
  if (anyMatches(server.*tableOf(PostTag{}), path)) {
    methods.push_back("POST");
  }
  if (anyMatches(server.*tableOf(PutTag{}), path)) {
    methods.push_back("PUT");
  }
  if (anyMatches(server.*tableOf(PatchTag{}), path)) {
    methods.push_back("PATCH");
  }
  if (anyMatches(server.*tableOf(DeleteTag{}), path)) {
    methods.push_back("DELETE");
  }
  if (anyMatches(server.*tableOf(OptionsTag{}), path)) {
    methods.push_back("OPTIONS");
  }
  return methods;
}

}  // namespace vantus::controller

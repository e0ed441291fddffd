#pragma once
// Which methods the routes registered on an httplib::Server answer for a path: the `Allow`
// header of a 405. Internal to controller/server.
#include <string>
#include <vector>

namespace httplib {
class Server;
}

namespace vantus::controller {

// In the order GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS; HEAD whenever GET matches
// (httplib serves HEAD from the GET routes). Empty when no route matches `path`.
// Reads the route tables only: call it once routes are no longer being added (that is,
// after HttpServer::start()); then any thread may.
std::vector<std::string> methodsMatching(const httplib::Server& server, const std::string& path);

}  // namespace vantus::controller

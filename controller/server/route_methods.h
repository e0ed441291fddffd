#pragma once
// The plain routes (Get/Post/Put/Patch/Delete/Options with a Handler) registered on an
// httplib::Server: which methods a path has (the `Allow` header of a 405) and the handler
// for a request, so that HttpServer can read bodies itself. Content-reader routes are not
// looked at: HttpServer's own body reader is the only one. Internal to controller/server.
#include <httplib.h>

#include <string>
#include <vector>

namespace vantus::controller {

// In the order GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS; HEAD whenever GET matches
// (httplib serves HEAD from the GET routes). Empty when no route matches `path`.
// Reads the route tables only: call it once routes are no longer being added (that is,
// after HttpServer::start()); then any thread may.
std::vector<std::string> methodsMatching(const httplib::Server& server, const std::string& path);

// The first plain route of `method` ("POST", "PUT", "PATCH" or "DELETE") whose pattern
// matches `request.path`, with `request.matches` set as httplib sets them; nullptr if none.
const httplib::Server::Handler* bodyRouteFor(const httplib::Server& server,
                                             const std::string& method, httplib::Request& request);

}  // namespace vantus::controller

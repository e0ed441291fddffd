#pragma once
// Repository handles for readers. A libgit2 repository handle is not to be used by two
// threads at once, so each read borrows an idle handle (or opens one) and gives it back.
// Thread-safe.
#include <git2.h>

#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "common/core/result.h"
#include "controller/history/git_handles.h"

namespace vantus::controller {

Result<git::Repository> openBareRepository(const std::filesystem::path& path);

class RepositoryPool {
 public:
  class Lease {
   public:
    Lease(RepositoryPool& pool, git::Repository repository)
        : pool_(&pool), repository_(std::move(repository)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    git_repository* get() const { return repository_.get(); }

   private:
    RepositoryPool* pool_;
    git::Repository repository_;
  };

  explicit RepositoryPool(std::filesystem::path path) : path_(std::move(path)) {}
  Result<Lease> acquire();

 private:
  static constexpr size_t kMaxIdle = 8;
  void release(git::Repository repository);

  const std::filesystem::path path_;
  std::mutex mutex_;
  std::vector<git::Repository> idle_;
};

}  // namespace vantus::controller

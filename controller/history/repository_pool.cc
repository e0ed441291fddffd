#include "controller/history/repository_pool.h"

namespace vantus::controller {

Result<git::Repository> openBareRepository(const std::filesystem::path& path) {
  git::ensureInitialized();
  git_repository* raw = nullptr;
  if (int rc = git_repository_open_bare(&raw, path.c_str()); rc < 0) {
    return git::failure(rc, "opening repository " + path.string());
  }
  return git::Repository(raw);
}

RepositoryPool::Lease::~Lease() {
  if (repository_) {
    pool_->release(std::move(repository_));
  }
}

Result<RepositoryPool::Lease> RepositoryPool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      git::Repository repository = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(repository));
    }
  }
  VANTUS_TRY(git::Repository repository, openBareRepository(path_));
  return Lease(*this, std::move(repository));
}

void RepositoryPool::release(git::Repository repository) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdle) {
    idle_.push_back(std::move(repository));
  }
}

}  // namespace vantus::controller

#include "controller/store/generation_cache.h"

#include <doctest/doctest.h>

#include <thread>

#include "tests/unit/controller/store/store_fixture.h"

namespace vantus::controller {
namespace {

TEST_CASE("a committed write moves the generation; a failed one does not") {
  StoreFixture f;
  const std::uint64_t before = f.store->writeGeneration();
  f.addTenant("acme");
  CHECK(f.store->writeGeneration() == before + 1);
  Result<void> refused = f.store->write(
      [](Transaction&) -> Result<void> { return fail(ErrorCode::kInvalidInput, "no"); });
  CHECK_FALSE(refused);
  CHECK(f.store->writeGeneration() == before + 1);
}

TEST_CASE("a cached value lives until the next write") {
  StoreFixture f;
  GenerationCache<std::string> cache(*f.store, 8, std::chrono::minutes(1));
  cache.put("k", cache.generation(), "v");
  CHECK(cache.find("k") == std::optional<std::string>("v"));
  CHECK_FALSE(cache.find("other"));
  f.addTenant("acme");
  CHECK_FALSE(cache.find("k"));
}

TEST_CASE("a value read before a write landed is stale at once") {
  StoreFixture f;
  GenerationCache<std::string> cache(*f.store, 8, std::chrono::minutes(1));
  const std::uint64_t read_at = cache.generation();
  f.addTenant("acme");  // lands while the value is being read
  cache.put("k", read_at, "old");
  CHECK_FALSE(cache.find("k"));
}

TEST_CASE("a cached value expires after its maximum age, and the cache stays bounded") {
  StoreFixture f;
  GenerationCache<int> cache(*f.store, 2, std::chrono::milliseconds(20));
  cache.put("a", cache.generation(), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(40));
  CHECK_FALSE(cache.find("a"));

  GenerationCache<int> small(*f.store, 2, std::chrono::minutes(1));
  small.put("a", small.generation(), 1);
  small.put("b", small.generation(), 2);
  small.put("c", small.generation(), 3);  // full: starts over
  CHECK_FALSE(small.find("a"));
  CHECK(small.find("c") == std::optional<int>(3));
}

}  // namespace
}  // namespace vantus::controller

#include "common/core/generation_cache.h"

#include <doctest/doctest.h>

#include "tests/unit/controller/store/store_fixture.h"

namespace vantus::controller {
namespace {

GenerationCache<int>::Generation generationOf(StoreFixture& f) {
  return [&f] { return f.store->writeGeneration(); };
}

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
  GenerationCache<std::string> cache(generationOf(f), 8, std::chrono::minutes(1));
  cache.put("k", cache.generation(), "v");
  CHECK(cache.find("k") == std::optional<std::string>("v"));
  CHECK_FALSE(cache.find("other"));
  f.addTenant("acme");
  CHECK_FALSE(cache.find("k"));
}

TEST_CASE("a value read before a write landed is stale at once") {
  StoreFixture f;
  GenerationCache<std::string> cache(generationOf(f), 8, std::chrono::minutes(1));
  const std::uint64_t read_at = cache.generation();
  f.addTenant("acme");  // lands while the value is being read
  cache.put("k", read_at, "old");
  CHECK_FALSE(cache.find("k"));
}

TEST_CASE("a cached value expires after its maximum age, and the cache stays bounded") {
  StoreFixture f;
  // Simulated time: the cache reads the clock it was given, so the test does not sleep.
  auto now = std::chrono::steady_clock::time_point{};
  GenerationCache<int> cache(generationOf(f), 2, std::chrono::milliseconds(20),
                             [&] { return now; });
  cache.put("a", cache.generation(), 1);
  now += std::chrono::milliseconds(20);
  CHECK(cache.find("a") == std::optional<int>(1));
  now += std::chrono::milliseconds(1);
  CHECK_FALSE(cache.find("a"));

  GenerationCache<int> small(generationOf(f), 2, std::chrono::minutes(1));
  small.put("a", small.generation(), 1);
  small.put("b", small.generation(), 2);
  small.put("c", small.generation(), 3);  // full: starts over
  CHECK_FALSE(small.find("a"));
  CHECK(small.find("c") == std::optional<int>(3));
}

}  // namespace
}  // namespace vantus::controller

#pragma once
// A fresh store on a real SQLite file in a temp dir, plus helpers that turn a callback
// returning Result<T> into a write()/read() returning Result<T>.
#include <doctest/doctest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "controller/store/store.h"
#include "tests/support/temp_dir.h"

namespace vantus::controller {

std::filesystem::path sourceMigrations();

template <typename T>
T must(Result<T> result) {
  if (!result) {
    FAIL(result.error().describe());
  }
  return std::move(result).value();
}

inline void must(Result<void> result) {
  if (!result) {
    FAIL(result.error().describe());
  }
}

template <typename Work>
using WorkResult = std::invoke_result_t<Work&, Transaction&>;

// store.write(work) returning work's value.
template <typename Work>
WorkResult<Work> writeResult(Store& store, Work work) {
  using T = typename WorkResult<Work>::value_type;
  if constexpr (std::is_void_v<T>) {
    return store.write(work);
  } else {
    std::optional<T> value;
    Result<void> done = store.write([&](Transaction& tx) -> Result<void> {
      VANTUS_TRY(T made, work(tx));
      value = std::move(made);
      return ok();
    });
    if (!done) {
      return fail(std::move(done).error());
    }
    return std::move(*value);
  }
}

// store.read(work) returning work's value.
template <typename Work>
WorkResult<Work> readResult(const Store& store, Work work) {
  using T = typename WorkResult<Work>::value_type;
  if constexpr (std::is_void_v<T>) {
    return store.read(work);
  } else {
    std::optional<T> value;
    Result<void> done = store.read([&](Transaction& tx) -> Result<void> {
      VANTUS_TRY(T found, work(tx));
      value = std::move(found);
      return ok();
    });
    if (!done) {
      return fail(std::move(done).error());
    }
    return std::move(*value);
  }
}

struct StoreFixture {
  StoreFixture();

  template <typename Work>
  auto write(Work work) {
    return must(writeResult(*store, std::move(work)));
  }
  template <typename Work>
  auto read(Work work) {
    return must(readResult(*store, std::move(work)));
  }

  Tenant addTenant(std::string slug);
  EdgeCluster addCluster(std::string name);
  Domain addDomain(Id tenant_id, std::string name);
  UpstreamPool addPool(Id tenant_id, std::string name);

  testing::TempDir dir;
  std::filesystem::path db_path;
  std::unique_ptr<Store> store;
};

// Runs `sql` on the database file with the plain SQLite API, as someone with access to the
// file (or another build) would. Returns "" or SQLite's error message.
std::string execRaw(const std::filesystem::path& db_path, const std::string& sql);
// The first column of the first row of `sql` as text ("" when there is no row).
std::string queryRaw(const std::filesystem::path& db_path, const std::string& sql);

}  // namespace vantus::controller

#pragma once
// Values read from the store, kept while the store's write generation is unchanged and for at
// most `max_age` (writes of other processes, such as the CLI, are not counted by the
// generation, so they show within `max_age`). Bounded: when full it starts over.
// Thread-safe.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "controller/store/store.h"

namespace vantus::controller {

template <typename Value>
class GenerationCache {
 public:
  using Clock = std::chrono::steady_clock;

  GenerationCache(const Store& store, std::size_t max_entries, std::chrono::milliseconds max_age)
      : store_(store), max_entries_(max_entries), max_age_(max_age) {}

  // Take it before reading what will be put(), so a write that lands meanwhile makes it stale.
  std::uint64_t generation() const { return store_.writeGeneration(); }

  std::optional<Value> find(const std::string& key) const {
    const std::uint64_t current = store_.writeGeneration();
    std::lock_guard lock(mutex_);
    auto found = entries_.find(key);
    if (found == entries_.end() || found->second.generation != current ||
        Clock::now() - found->second.stored_at > max_age_) {
      return std::nullopt;
    }
    return found->second.value;
  }

  void put(const std::string& key, std::uint64_t generation, Value value) {
    std::lock_guard lock(mutex_);
    if (entries_.size() >= max_entries_) {
      entries_.clear();
    }
    entries_.insert_or_assign(key, Entry{std::move(value), generation, Clock::now()});
  }

 private:
  struct Entry {
    Value value;
    std::uint64_t generation = 0;
    Clock::time_point stored_at;
  };

  const Store& store_;
  const std::size_t max_entries_;
  const std::chrono::milliseconds max_age_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace vantus::controller

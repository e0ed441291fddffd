#pragma once
// Values read from a store, kept while the store's write generation is unchanged and for at
// most `max_age` (writes of other processes, such as the CLI, are not counted by the
// generation, so they show within `max_age`). Bounded: when full it starts over. The clock is
// passed in so that tests need not sleep. Thread-safe.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace vantus {

template <typename Value>
class GenerationCache {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Generation = std::function<std::uint64_t()>;
  using Clock = std::function<TimePoint()>;

  GenerationCache(
      Generation generation, std::size_t max_entries, std::chrono::milliseconds max_age,
      Clock clock = [] { return std::chrono::steady_clock::now(); })
      : generation_(std::move(generation)),
        max_entries_(max_entries),
        max_age_(max_age),
        clock_(std::move(clock)) {}

  // Take it before reading what will be put(), so a write that lands meanwhile makes it stale.
  std::uint64_t generation() const { return generation_(); }

  std::optional<Value> find(const std::string& key) const {
    const std::uint64_t current = generation_();
    std::lock_guard lock(mutex_);
    auto found = entries_.find(key);
    if (found == entries_.end() || found->second.generation != current ||
        clock_() - found->second.stored_at > max_age_) {
      return std::nullopt;
    }
    return found->second.value;
  }

  void put(const std::string& key, std::uint64_t generation, Value value) {
    std::lock_guard lock(mutex_);
    if (entries_.size() >= max_entries_) {
      entries_.clear();
    }
    entries_.insert_or_assign(key, Entry{std::move(value), generation, clock_()});
  }

 private:
  struct Entry {
    Value value;
    std::uint64_t generation = 0;
    TimePoint stored_at;
  };

  const Generation generation_;
  const std::size_t max_entries_;
  const std::chrono::milliseconds max_age_;
  const Clock clock_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace vantus

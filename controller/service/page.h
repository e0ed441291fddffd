#pragma once
#include <optional>
#include <vector>

#include "controller/model/types.h"

namespace vantus::controller {

// One page of a listing; `next` is the cursor of the next page, nullopt on the last.
template <typename Item>
struct Page {
  std::vector<Item> items;
  std::optional<Id> next;
};

}  // namespace vantus::controller

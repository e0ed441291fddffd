#include "common/core/unique_fd.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <type_traits>
#include <utility>

namespace vantus {
namespace {

bool isOpen(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

int openDevNull() { return ::open("/dev/null", O_RDONLY | O_CLOEXEC); }

static_assert(!std::is_copy_constructible_v<UniqueFd>);
static_assert(!std::is_copy_assignable_v<UniqueFd>);
static_assert(std::is_nothrow_move_constructible_v<UniqueFd>);

TEST_CASE("a UniqueFd closes its descriptor when it goes out of scope") {
  int raw = -1;
  {
    UniqueFd fd(openDevNull());
    raw = fd.get();
    REQUIRE(fd.valid());
    CHECK(isOpen(raw));
  }
  CHECK_FALSE(isOpen(raw));
}

TEST_CASE("an empty or failed-open UniqueFd holds nothing and closes nothing") {
  UniqueFd empty;
  CHECK_FALSE(empty.valid());
  CHECK_FALSE(static_cast<bool>(empty));
  UniqueFd failed(::open("/nonexistent/vantus", O_RDONLY | O_CLOEXEC));
  CHECK_FALSE(failed.valid());
  CHECK(failed.get() == -1);
}

TEST_CASE("moving hands the descriptor over: the source holds nothing and closes nothing") {
  UniqueFd first(openDevNull());
  const int raw = first.get();
  UniqueFd second(std::move(first));
  CHECK_FALSE(first.valid());
  CHECK(second.get() == raw);
  CHECK(isOpen(raw));

  UniqueFd third(openDevNull());
  const int replaced = third.get();
  third = std::move(second);
  CHECK(third.get() == raw);
  CHECK_FALSE(isOpen(replaced));
  CHECK(isOpen(raw));
}

TEST_CASE("reset closes the old descriptor and release gives it up unclosed") {
  UniqueFd fd(openDevNull());
  const int first = fd.get();
  fd.reset(openDevNull());
  CHECK_FALSE(isOpen(first));
  const int second = fd.release();
  CHECK_FALSE(fd.valid());
  CHECK(isOpen(second));
  ::close(second);
}

}  // namespace
}  // namespace vantus

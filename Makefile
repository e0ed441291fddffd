# The commands a newcomer uses. `make demo` and `make test` are all you need.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps demo-deps configure build binaries test demo bench format clean

all: build

# Everything `make test` needs, npm packages for the API linter included.
deps:
	@scripts/install-deps.sh

# The Debian packages only: the demo runs no linter.
demo-deps:
	@scripts/install-deps.sh --no-npm

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS)

configure: $(BUILD_DIR)/CMakeCache.txt

build: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The two programs the demo runs, without the tests and benchmarks.
binaries: demo-deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target vantus-controller vantus-agent

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

demo: binaries
	scripts/demo.sh $(BUILD_DIR)

bench: build
	bench/run.sh $(BUILD_DIR)

format:
	git ls-files '*.cc' '*.h' | xargs clang-format-16 -i

clean:
	rm -rf $(BUILD_DIR)

# Two commands matter: `make demo` and `make test`. Both install what is missing first.
PRESET ?= release
BUILD_DIR := build/$(PRESET)
SWABLINE := $(BUILD_DIR)/swabline
JOBS ?= $(shell nproc)

.PHONY: all deps build demo test format tidy bench clean

all: build

deps:
	@bash scripts/install-deps

$(BUILD_DIR)/build.ninja: CMakeLists.txt CMakePresets.json
	cmake --preset $(PRESET) -DSWABLINE_WERROR=$(if $(CI),ON,OFF) >/dev/null

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	$(SWABLINE) demo --db swabline-demo.db --listen $(or $(LISTEN),127.0.0.1:8080)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) --timeout 600

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.hpp' 'bench/*.cpp')

tidy: $(BUILD_DIR)/build.ninja
	run-clang-tidy -quiet -p $(BUILD_DIR) 'src/' 2>/dev/null | grep -E 'warning|error' || true

clean:
	rm -rf build

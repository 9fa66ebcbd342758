# Two commands matter: `make demo` and `make test`. Both install what is missing first.
PRESET ?= release
BUILD_DIR := build/$(PRESET)
SWABLINE := $(BUILD_DIR)/swabline
JOBS ?= $(shell nproc)

.PHONY: all deps build demo test sanitize fuzz format format-check tidy bench clean

all: build

deps:
	@bash scripts/install-deps

$(BUILD_DIR)/build.ninja: CMakeLists.txt CMakePresets.json
	cmake --preset $(PRESET) -DSWABLINE_WERROR=$(if $(CI),ON,OFF) >/dev/null

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	$(SWABLINE) demo --db swabline-demo.db --listen $(or $(LISTEN),127.0.0.1:8080)

# The suites, the sanitizer builds (the tests under ASan/UBSan and TSan, each fuzz target for a
# short run), then the mechanical rules: an unformatted file or a tidy finding fails the run.
test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) --timeout 600
	@$(MAKE) --no-print-directory sanitize
	@$(MAKE) --no-print-directory format-check
	@$(MAKE) --no-print-directory tidy

# Two small clang builds (build/asan-fuzz, build/tsan-store): scripts/sanitize says what each runs.
sanitize: deps
	@JOBS=$(JOBS) WERROR=$(if $(CI),ON,OFF) bash scripts/sanitize

# Every fuzz target for FUZZ_SECONDS (default 60) each, or only those named in FUZZ_TARGETS.
fuzz: deps
	@JOBS=$(JOBS) bash scripts/sanitize build asan-fuzz
	FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60) bash scripts/fuzz build/asan-fuzz $(FUZZ_TARGETS)

FORMATTED = $$(git ls-files 'src/*.cpp' 'src/*.hpp' 'bench/*.cpp' 'tests/*.cpp' 'tests/*.hpp' 'fuzz/*.cpp')

format:
	clang-format -i $(FORMATTED)

# The same as a dry run: fails on the first file clang-format would change.
format-check:
	clang-format --dry-run --Werror $(FORMATTED)

# clang-tidy with warnings as errors over the shipped sources (scripts/tidy says why not tests).
tidy: $(BUILD_DIR)/build.ninja
	bash scripts/tidy $(BUILD_DIR)

clean:
	rm -rf build

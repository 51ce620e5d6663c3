# mixgemm: the two set-up commands are `make build` and `make test` (see README.md).
PYTHON  ?= python3
PIP     ?= $(PYTHON) -m pip
CODEGEN  = $(PYTHON) -m codegen.cli
ARCH    ?= sm80,sm90
BITS    ?= 3,4
TARGETS ?= sm_80,sm_90

.PHONY: setup build test test-gpu gpu-check bench clean

# Python dependencies. nvidia-cutlass is installed without its dependencies (about 320 MB that
# the headers do not need); torch only if missing (the binding's dependency).
setup:
	$(PIP) install -q "jinja2>=3.1" "click>=8.0" "ninja>=1.11" "pytest>=7"
	$(PIP) install -q --no-deps nvidia-cutlass==4.2.0.0
	$(PYTHON) -c "import torch" 2>/dev/null || $(PIP) install -q torch
	$(PIP) install -q --no-deps -e .

# The main job: emit the default kernel set and build build/libmixgemm.so.
build: setup
	$(CODEGEN) emit --arch $(ARCH) --bits $(BITS) --targets $(TARGETS)
	$(CODEGEN) build

# CPU tests (what CI runs): generator, packing, C ABI on a small nvcc-built library.
test: setup
	$(PYTHON) -m pytest -q tests

# GPU tests against the library built by `make build`.
test-gpu:
	$(PYTHON) -m pytest -q -m gpu tests

# On a GPU machine: build, GPU tests, sanitizer, benchmark, summary table last.
gpu-check:
	bash bench/gpu_check.sh

bench:
	$(PYTHON) -m mixgemm.bench --bits 4,3 --dtype f16,bf16

clean:
	rm -rf build gpu-check-out
	find generated -mindepth 1 ! -name README.md -exec rm -rf {} +

# tests/unit/: host unit tests (Criterion) of machine-independent code,
# built with ASan and UBSan. Each test_*.c is linked with the kernel sources
# it names in UNIT_SRCS_<name> and the shim in tests/unit/shim.
test-unit-build:
	@true
.PHONY: test-unit-build

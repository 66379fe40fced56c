# Host tests of the E820 inspector (tools/e820): one test file per reader, plus end-to-end.
HOST_TESTS += test_inspector_fixture
test_inspector_fixture_SRCS := tests/host/test_inspector_fixture.c tools/e820/parse_fixture.c

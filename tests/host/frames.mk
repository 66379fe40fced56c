# Frame bitmap: hand-drawn maps and error paths, real-firmware maps, and a randomized model.

HOST_TESTS += test_frames
test_frames_SRCS := tests/host/test_frames.c tests/support/fake_storage.c $(CORE_FRAMES_SRCS)

HOST_TESTS += test_frames_model
test_frames_model_SRCS := tests/host/test_frames_model.c tests/support/frames_model.c \
	tests/support/fake_storage.c $(CORE_FRAMES_SRCS) $(CORE_ERROR_SRCS)

# Real-firmware tables from tests/fixtures/e820/, read with the inspector's fixture reader.
HOST_TESTS += test_frames_fixtures
test_frames_fixtures_SRCS := tests/host/test_frames_fixtures.c tools/e820/parse_fixture.c \
	tests/support/fake_storage.c tests/support/testutil.c $(CORE_FRAMES_SRCS)

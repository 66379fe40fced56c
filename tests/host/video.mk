# tests/host/video.mk: the choice of a display mode (core/video_pick.c) and the VBE protocol
# (stage2/bios/vbe.c) against scripted video BIOSes (tests/support/sim_vbe.c).
HOST_TESTS += test_video_pick
test_video_pick_SRCS := tests/host/test_video_pick.c $(CORE_VIDEO_SRCS)
HOST_TESTS += test_vbe
test_vbe_SRCS := tests/host/test_vbe.c tests/support/sim_bios.c tests/support/sim_vbe.c \
	$(STAGE2_BIOS_VBE_SRCS) $(CORE_VIDEO_SRCS)

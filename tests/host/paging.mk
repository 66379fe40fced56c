# Long-mode page-table builder and the stage2 plan, in a fake physical memory.
HOST_TESTS += test_paging
test_paging_SRCS := tests/host/test_paging.c stage2/core/paging.c

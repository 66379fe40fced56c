# tests/host/fat32.mk: FAT32 reader tests, and the images they read. Images are built with
# mkfs.fat + mtools (no root, no loop devices) as sparse files from a source tree of random
# files, so the test can compare every file it reads with its source. mtools only accepts a
# FAT32 volume with at least 65525 clusters, hence sizes from 40 MiB to 4.1 GiB (sparse: a few
# MiB on disk each):
#   fat32-s1.img  fat32-s8.img  fat32-s64.img  fat32-s128.img   512 B .. 64 KiB clusters
#   fat32-S4096.img    4096-byte logical sectors
#   fat32-off.img      the volume at LBA 2048 of the image (as on the boot disk)
# Every image holds the same tree: /boot/kernel.elf, a long-named file, nested dirs, a
# directory with 300 files (spans clusters), an empty file, a cluster-multiple file, and
# /frag/big.bin written after deleting every other fill file (fragmented chain: FSInfo's
# next-free hint, at byte 492 of sector 1, is reset to cluster 2 so mtools fills the holes).
HOST_TESTS += test_fat32
test_fat32_SRCS := tests/host/test_fat32.c tests/support/testutil.c $(CORE_FAT32_SRCS)

FAT_FIX := $(B)/fixtures/fat32
# name:size:mkfs options ('_' for spaces)
FAT_IMAGES := s1:40M:-s1 s8:300M:-s8 s64:2100M:-s64 s128:4200M:-s128 S4096:300M:-S4096_-s1 \
	off:301M:-s1_--offset=2048

$(FAT_FIX)/stamp: tests/host/fat32.mk
	@echo "  FAT32   $(FAT_FIX)/*.img"
	$(Q)rm -rf $(FAT_FIX) && mkdir -p $(FAT_FIX)/src/boot $(FAT_FIX)/src/many \
		$(FAT_FIX)/src/dir1/dir2/dir3 $(FAT_FIX)/src/frag
	$(Q)cd $(FAT_FIX)/src && head -c 300001 /dev/urandom > boot/kernel.elf && \
		printf 'cmdline=quiet\n' > boot/multios.cfg && \
		head -c 5000 /dev/urandom > 'A Very Long File Name, With Spaces.txt' && \
		head -c 70000 /dev/urandom > dir1/dir2/dir3/deep.bin && \
		head -c 65536 /dev/urandom > exact64k.bin && \
		head -c 123 /dev/urandom > MiXeD.TxT && \
		: > empty.txt && \
		for i in $$(seq 0 299); do printf 'file %d\n' $$i > many/file$$i.txt; done && \
		head -c 200000 /dev/urandom > frag/big.bin && \
		for i in 1 2 3 4 5 6 7 8; do head -c 40000 /dev/urandom > frag/fill$$i.bin; done
	$(Q)cd $(FAT_FIX) && for spec in $(FAT_IMAGES); do \
		name=$${spec%%:*}; size=$$(echo $$spec | cut -d: -f2); \
		opts=$$(echo $$spec | cut -d: -f3 | tr _ ' '); img=fat32-$$name.img; at=; off=0; bps=512; \
		case $$opts in *offset*) at=@@1M; off=1048576;; esac; \
		case $$opts in *S4096*) bps=4096;; esac; \
		truncate -s $$size $$img && mkfs.fat -F 32 -n MULTIOS $$opts $$img >/dev/null 2>&1 && \
		export MTOOLS_SKIP_CHECK=1 && i=$$img$$at && \
		mmd -i $$i ::/boot ::/many ::/dir1 ::/dir1/dir2 ::/dir1/dir2/dir3 ::/frag && \
		mcopy -i $$i src/boot/kernel.elf src/boot/multios.cfg ::/boot/ && \
		mcopy -i $$i 'src/A Very Long File Name, With Spaces.txt' src/exact64k.bin \
			src/MiXeD.TxT src/empty.txt ::/ && \
		mcopy -i $$i src/dir1/dir2/dir3/deep.bin ::/dir1/dir2/dir3/ && \
		mcopy -i $$i src/many/* ::/many/ && \
		mcopy -i $$i src/frag/fill*.bin ::/frag/ && \
		mdel -i $$i ::/frag/fill2.bin ::/frag/fill4.bin ::/frag/fill6.bin && \
		printf '\002\000\000\000' | dd of=$$img bs=1 seek=$$((off + bps + 492)) \
			conv=notrunc status=none && \
		mcopy -i $$i src/frag/big.bin ::/frag/ && \
		mdel -i $$i ::/many/file7.txt || exit 1; \
	done
	$(Q)touch $@

# Order-only: the images are data the test reads at run time, not link inputs.
$(B)/tests/test_fat32 $(B)/tests-san/test_fat32: | $(FAT_FIX)/stamp

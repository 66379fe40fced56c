/* int13.c: the INT 13h disk protocol (int13.h). Extended reads (AH=42h) in the largest chunks
 * the BIOS and the 64 KiB bounce buffer allow, CHS reads (AH=02h) when a BIOS has no
 * extensions or its AH=42h fails on this device; every transfer lands in the bounce buffer
 * below 1 MiB and is copied out. */
#include <string.h>

#include "int13.h"

/* Phoenix-derived BIOSes refuse more than 127 sectors per AH=42h call (EDD 3.0 says so). */
#define INT13_EXT_MAX_SECTORS 127u

/* Disk address packet for AH=42h, at the end of the bounce buffer. */
struct int13_dap {
    uint8_t  size;      /* 16 */
    uint8_t  reserved;
    uint16_t count;
    uint16_t offset;
    uint16_t segment;
    uint64_t lba;
} __attribute__((packed));
_Static_assert(sizeof(struct int13_dap) == 16, "EDD disk address packet");

static void int13_call(struct int13_disk *d, struct bios_regs *r)
{
    d->bios.call(d->bios.ctx, 0x13, r, r);
}

static void int13_reset(struct int13_disk *d)
{
    struct bios_regs r;
    bios_regs_init(&r);
    r.eax = 0x0000;
    r.edx = d->drive;
    int13_call(d, &r);
}

/* AH=41h BX=55AAh: CF clear, BX=AA55h and CX bit 0 (DAP access) mean AH=42h works. */
static bool int13_probe_ext(struct int13_disk *d)
{
    struct bios_regs r;
    bios_regs_init(&r);
    r.eax = 0x4100;
    r.ebx = 0x55aa;
    r.edx = d->drive;
    int13_call(d, &r);
    return !bios_cf(&r) && (r.ebx & 0xffffu) == 0xaa55u && (r.ecx & 1u);
}

/* AH=48h: drive parameters, for the sector count and to refuse non-512-byte sectors. The
 * result buffer is the start of the bounce buffer; its size word is the caller's to set. */
static err_t int13_probe_size(struct int13_disk *d)
{
    struct bios_regs r;
    uint8_t *buf = d->bios.bounce;
    uint16_t seg, off;
    uint16_t bps;

    if (!rm_ptr(d->bios.bounce_phys, &seg, &off))
        return ERR_INVALID_ARG;
    memset(buf, 0, 0x1a);
    /* 0x1A bytes is the EDD 1.1 table, the smallest size every EDD version accepts, and it
     * already holds the two fields read here (sector count at 0x10, sector size at 0x18). */
    buf[0] = 0x1a;
    bios_regs_init(&r);
    r.eax = 0x4800;
    r.edx = d->drive;
    r.ds = seg;
    r.esi = off;
    int13_call(d, &r);
    if (bios_cf(&r))
        return ERR_OK; /* size unknown; reads still work */
    memcpy(&d->total_sectors, buf + 0x10, 8);
    memcpy(&bps, buf + 0x18, 2);
    d->sector_size = bps;
    /* Some BIOSes leave the sector size 0 for emulated drives; only a stated size != 512
     * is a problem (a CD-ROM's 2048-byte sectors, a 4Kn disk's 4096: every offset the
     * loader reads by would be wrong). */
    if (bps != 0 && bps != INT13_SECTOR_SIZE)
        return ERR_UNSUPPORTED;
    return ERR_OK;
}

/* AH=08h: CH = cylinder bits 0-7, CL bits 6-7 = cylinder bits 8-9, CL bits 0-5 = sectors
 * per track, DH = last head. */
static err_t int13_probe_chs(struct int13_disk *d)
{
    struct bios_regs r;
    bios_regs_init(&r);
    r.eax = 0x0800;
    r.edx = d->drive;
    r.es = 0;
    r.edi = 0; /* ES:DI = 0:0 guards against BIOS bugs (Ralf Brown's list) */
    int13_call(d, &r);
    if (bios_cf(&r))
        return ERR_BIOS;
    d->sectors_per_track = r.ecx & 0x3fu;
    d->heads = ((r.edx >> 8) & 0xffu) + 1u;
    d->cylinders = (((r.ecx >> 8) & 0xffu) | ((r.ecx & 0xc0u) << 2)) + 1u;
    if (d->sectors_per_track == 0)
        return ERR_BIOS;
    if (d->total_sectors == 0) /* AH=48h's count, when there is one, is the better one */
        d->total_sectors = (uint64_t)d->cylinders * d->heads * d->sectors_per_track;
    return ERR_OK;
}

/* CHS reads go one track at most, and no more than the bounce buffer holds. */
static void int13_chs_chunk(struct int13_disk *d)
{
    d->max_chunk = d->bios.bounce_size / INT13_SECTOR_SIZE;
    if (d->max_chunk > d->sectors_per_track)
        d->max_chunk = d->sectors_per_track;
}

bool int13_drive_valid(uint8_t dl)
{
    return (dl & 0x70u) == 0;
}

err_t int13_init(struct int13_disk *d, const struct bios_iface *bios, uint8_t drive)
{
    err_t e;

    memset(d, 0, sizeof(*d));
    if (!bios || !bios->call || !bios->bounce ||
        bios->bounce_size < INT13_SECTOR_SIZE + sizeof(struct int13_dap))
        return ERR_INVALID_ARG;
    d->bios = *bios;
    d->drive_given = drive;
    d->drive = int13_drive_valid(drive) ? drive : INT13_FIRST_HARD_DISK;
    d->ext = int13_probe_ext(d);
    if (d->ext) {
        /* The last bytes of the bounce buffer hold the packet; the rest is for data. */
        uint32_t fit = (bios->bounce_size - (uint32_t)sizeof(struct int13_dap)) /
                       INT13_SECTOR_SIZE;
        d->max_chunk = fit < INT13_EXT_MAX_SECTORS ? fit : INT13_EXT_MAX_SECTORS;
        return int13_probe_size(d);
    }
    e = int13_probe_chs(d);
    if (e != ERR_OK)
        return e;
    int13_chs_chunk(d);
    return ERR_OK;
}

/* Status of a read call: 0 when it worked, else the BIOS's AH (INT13_STATUS_NONE if CF was
 * set with AH 0), so the caller can name the BIOS's own reason. Only CF says a call failed:
 * some BIOSes leave junk in AH when it worked, and GRUB reads AH only when CF is set. */
static uint8_t int13_status(const struct bios_regs *r)
{
    if (!bios_cf(r))
        return 0;
    return bios_ah(r) ? bios_ah(r) : INT13_STATUS_NONE;
}

/* One AH=42h call: n sectors at lba into the bounce buffer; *got: how many arrived. */
static uint8_t int13_read_ext(struct int13_disk *d, uint64_t lba, uint32_t n, uint32_t *got)
{
    struct bios_regs r;
    uint32_t dap_phys = d->bios.bounce_phys + d->bios.bounce_size - sizeof(struct int13_dap);
    struct int13_dap *dap =
        (struct int13_dap *)((uint8_t *)d->bios.bounce + d->bios.bounce_size - sizeof(*dap));
    uint16_t dseg, doff, pseg, poff;

    if (!rm_ptr(d->bios.bounce_phys, &dseg, &doff) || !rm_ptr(dap_phys, &pseg, &poff))
        return INT13_STATUS_NONE;
    *dap = (struct int13_dap){ .size = sizeof(*dap), .count = (uint16_t)n, .offset = doff,
                               .segment = dseg, .lba = lba };
    bios_regs_init(&r);
    r.eax = 0x4200;
    r.edx = d->drive;
    r.ds = pseg;
    r.esi = poff;
    int13_call(d, &r);
    /* The packet's count is what was transferred (EDD): a BIOS that read fewer sectors
     * than asked says so there, and the caller reads the rest. 0 (or more than asked) with
     * CF clear is a BIOS that does not update it: the call read everything. */
    *got = (dap->count != 0 && dap->count < n) ? dap->count : n;
    return int13_status(&r);
}

/* One AH=02h call: n sectors (all within one track) at lba into the bounce buffer. */
static uint8_t int13_read_chs(struct int13_disk *d, uint64_t lba, uint32_t n, uint32_t *got)
{
    struct bios_regs r;
    uint16_t seg, off;
    uint32_t spt = d->sectors_per_track, track = (uint32_t)(lba / spt);
    uint32_t sector = (uint32_t)(lba % spt) + 1u, head = track % d->heads;
    uint32_t cyl = track / d->heads;

    if (cyl > 1023u || !rm_ptr(d->bios.bounce_phys, &seg, &off))
        return INT13_STATUS_NONE;
    bios_regs_init(&r);
    r.eax = 0x0200u | n;
    r.ecx = ((cyl & 0xffu) << 8) | ((cyl >> 2) & 0xc0u) | sector;
    r.edx = (head << 8) | d->drive;
    r.es = seg;
    r.ebx = off;
    int13_call(d, &r);
    *got = n;
    return int13_status(&r);
}

static void int13_tell(struct int13_disk *d, enum int13_event_kind kind, uint64_t lba,
                       uint32_t count, uint8_t status, uint32_t attempt)
{
    struct int13_event ev = { kind, lba, count, status, attempt };

    if (d->event)
        d->event(d->event_ctx, &ev);
}

/* One chunk: n sectors at lba, tried 1 + INT13_RETRIES times with a disk reset before each
 * retry (floppies and some USB sticks need the head recalibrated; it costs nothing on a good
 * disk). 0 and *got sectors in the bounce buffer, or the last try's status. */
static uint8_t int13_read_tries(struct int13_disk *d, uint64_t lba, uint32_t n, uint32_t *got)
{
    for (uint32_t tries = 1;; tries++) {
        uint8_t st = d->ext ? int13_read_ext(d, lba, n, got) : int13_read_chs(d, lba, n, got);

        if (st == 0 || tries > INT13_RETRIES)
            return st;
        int13_tell(d, INT13_EVENT_RETRY, lba, n, st, tries + 1u);
        d->retries++;
        int13_reset(d);
    }
}

/* The chunk after one of n sectors failed every try: GRUB's 127, 63, 7, 1. */
static uint32_t int13_chunk_below(uint32_t n)
{
    return n > 63u ? 63u : n > 7u ? 7u : 1u;
}

/* AH=42h fails even for one sector although AH=41h offered it (some USB and early EDD
 * BIOSes): go on with CHS reads from AH=08h's geometry, as GRUB's biosdisk.c does. */
static bool int13_fall_back_to_chs(struct int13_disk *d)
{
    if (!d->ext || int13_probe_chs(d) != ERR_OK)
        return false;
    d->ext = false;
    d->chs_fallback = true;
    int13_chs_chunk(d);
    return true;
}

err_t int13_read(struct int13_disk *d, uint64_t lba, uint32_t count, void *dst)
{
    uint8_t *out = dst;

    if (!d || !d->bios.call || (!dst && count))
        return ERR_INVALID_ARG;
    /* No check against total_sectors: USB BIOSes misreport it; the BIOS refuses bad LBAs. */
    if (lba + count < lba)
        return ERR_INVALID_ARG;
    while (count) {
        uint32_t n = count < d->max_chunk ? count : d->max_chunk;
        uint32_t got = 0;
        uint8_t st;

        if (!d->ext) {
            uint32_t left_in_track = d->sectors_per_track - (uint32_t)(lba % d->sectors_per_track);
            if (n > left_in_track) /* many BIOSes cannot cross a track in one AH=02h call */
                n = left_in_track;
        }
        st = int13_read_tries(d, lba, n, &got);
        if (st != 0 && n > 1) {
            /* Some BIOSes fail chunks smaller than they advertise (DMA limits on USB
             * controllers): cut the chunk for the rest of the boot and go on. */
            d->max_chunk = int13_chunk_below(n);
            int13_tell(d, INT13_EVENT_CHUNK_CUT, lba, d->max_chunk, st, 0);
            continue;
        }
        if (st != 0 && int13_fall_back_to_chs(d)) {
            int13_tell(d, INT13_EVENT_CHS, lba, d->max_chunk, st, 0);
            continue;
        }
        if (st != 0) {
            d->fail_lba = lba;
            d->fail_status = st;
            return ERR_DISK_READ;
        }
        memcpy(out, d->bios.bounce, (size_t)got * INT13_SECTOR_SIZE);
        d->calls++;
        d->sectors_read += got;
        out += (size_t)got * INT13_SECTOR_SIZE;
        lba += got;
        count -= got;
    }
    return ERR_OK;
}

/* int13.c: the INT 13h disk protocol (int13.h). Extended reads (AH=42h) in the largest chunks
 * the BIOS and the 64 KiB bounce buffer allow, CHS reads (AH=02h) when a BIOS has no
 * extensions; every transfer lands in the bounce buffer below 1 MiB and is copied out. */
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
    /* Some BIOSes leave the sector size 0 for emulated drives; only a stated size != 512
     * is a problem (a CD-ROM's 2048-byte sectors, which this loader does not boot from). */
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
    d->total_sectors = (uint64_t)d->cylinders * d->heads * d->sectors_per_track;
    return ERR_OK;
}

err_t int13_init(struct int13_disk *d, const struct bios_iface *bios, uint8_t drive)
{
    err_t e;

    memset(d, 0, sizeof(*d));
    if (!bios || !bios->call || !bios->bounce ||
        bios->bounce_size < INT13_SECTOR_SIZE + sizeof(struct int13_dap))
        return ERR_INVALID_ARG;
    d->bios = *bios;
    d->drive = drive;
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
    d->max_chunk = bios->bounce_size / INT13_SECTOR_SIZE;
    if (d->max_chunk > d->sectors_per_track)
        d->max_chunk = d->sectors_per_track;
    return ERR_OK;
}

/* Status of a read call: 0 when it worked, else the BIOS's AH (0xff if AH was 0 but CF or the
 * count said it failed), so the caller can name the BIOS's own reason. */
static uint8_t int13_status(const struct bios_regs *r, bool short_count)
{
    if (!bios_cf(r) && bios_ah(r) == 0 && !short_count)
        return 0;
    return bios_ah(r) ? bios_ah(r) : 0xffu;
}

/* One AH=42h call: n sectors at lba into the bounce buffer. */
static uint8_t int13_read_ext(struct int13_disk *d, uint64_t lba, uint32_t n)
{
    struct bios_regs r;
    uint32_t dap_phys = d->bios.bounce_phys + d->bios.bounce_size - sizeof(struct int13_dap);
    struct int13_dap *dap =
        (struct int13_dap *)((uint8_t *)d->bios.bounce + d->bios.bounce_size - sizeof(*dap));
    uint16_t dseg, doff, pseg, poff;

    if (!rm_ptr(d->bios.bounce_phys, &dseg, &doff) || !rm_ptr(dap_phys, &pseg, &poff))
        return 0xffu;
    *dap = (struct int13_dap){ .size = sizeof(*dap), .count = (uint16_t)n, .offset = doff,
                               .segment = dseg, .lba = lba };
    bios_regs_init(&r);
    r.eax = 0x4200;
    r.edx = d->drive;
    r.ds = pseg;
    r.esi = poff;
    int13_call(d, &r);
    /* A BIOS may read fewer sectors than asked and say so in the packet: a failure too. */
    return int13_status(&r, dap->count != n);
}

/* One AH=02h call: n sectors (all within one track) at lba into the bounce buffer. */
static uint8_t int13_read_chs(struct int13_disk *d, uint64_t lba, uint32_t n)
{
    struct bios_regs r;
    uint16_t seg, off;
    uint32_t spt = d->sectors_per_track, track = (uint32_t)(lba / spt);
    uint32_t sector = (uint32_t)(lba % spt) + 1u, head = track % d->heads;
    uint32_t cyl = track / d->heads;

    if (cyl > 1023u || !rm_ptr(d->bios.bounce_phys, &seg, &off))
        return 0xffu;
    bios_regs_init(&r);
    r.eax = 0x0200u | n;
    r.ecx = ((cyl & 0xffu) << 8) | ((cyl >> 2) & 0xc0u) | sector;
    r.edx = (head << 8) | d->drive;
    r.es = seg;
    r.ebx = off;
    int13_call(d, &r);
    return int13_status(&r, false);
}

static void int13_tell(struct int13_disk *d, enum int13_event_kind kind, uint64_t lba,
                       uint32_t count, uint8_t status, uint32_t attempt)
{
    struct int13_event ev = { kind, lba, count, status, attempt };

    if (d->event)
        d->event(d->event_ctx, &ev);
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
        uint32_t tries = 0;
        uint8_t st;

        if (!d->ext) {
            uint32_t left_in_track = d->sectors_per_track - (uint32_t)(lba % d->sectors_per_track);
            if (n > left_in_track) /* many BIOSes cannot cross a track in one AH=02h call */
                n = left_in_track;
        }
        for (;;) {
            st = d->ext ? int13_read_ext(d, lba, n) : int13_read_chs(d, lba, n);
            if (st == 0 || ++tries > INT13_RETRIES)
                break;
            /* A failed read is retried after a reset (floppies and some USB sticks need
             * the head recalibrated; it costs nothing on a good disk). */
            int13_tell(d, INT13_EVENT_RETRY, lba, n, st, tries + 1u);
            d->retries++;
            int13_reset(d);
        }
        if (st != 0 && n > 1) {
            /* Some BIOSes fail chunks smaller than they advertise (DMA limits on USB
             * controllers): halve the chunk for the rest of the boot and go on. */
            d->max_chunk = n / 2;
            int13_tell(d, INT13_EVENT_CHUNK_CUT, lba, d->max_chunk, st, 0);
            continue;
        }
        if (st != 0) {
            d->fail_lba = lba;
            d->fail_status = st;
            return ERR_DISK_READ;
        }
        memcpy(out, d->bios.bounce, (size_t)n * INT13_SECTOR_SIZE);
        d->calls++;
        d->sectors_read += n;
        out += (size_t)n * INT13_SECTOR_SIZE;
        lba += n;
        count -= n;
    }
    return ERR_OK;
}

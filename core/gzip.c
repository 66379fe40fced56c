/* gzip.c: the gzip container (gzip.h): members' headers and trailers around the deflate
 * data, the CRC-32 and length of what came out, the output limit. */
#include <string.h>

#include "gzip.h"
#include "le.h"

bool gzip_magic(const void *buf, size_t len)
{
    const uint8_t *p = buf;

    return len >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8;
}

bool gzip_isize_possible(uint32_t isize, uint64_t file_size)
{
    if (file_size < GZIP_MIN_FILE)
        return false;
    return isize / GZIP_MAX_RATIO <= file_size - 18u; /* 10-byte header, 8-byte trailer */
}

void gzip_init(struct gzip *g, uint8_t *window, inflate_read_fn read, void *ctx,
               uint64_t limit)
{
    inflate_init(&g->z, window, read, ctx);
    crc32_table_init(&g->crc_tab);
    g->crc = 0;
    g->member_size = 0;
    g->total = 0;
    g->limit = limit;
    g->members = 0;
    g->state = GZIP_HEADER;
    g->err = ERR_OK;
    g->msg = "ok";
    memset(&g->hdr, 0, sizeof(g->hdr));
}

void gzip_set_input(struct gzip *g, const void *buf, size_t len)
{
    inflate_set_input(&g->z, buf, len);
}

static err_t gzip_fail(struct gzip *g, err_t e, const char *msg)
{
    if (g->state != GZIP_FAILED) {
        g->state = GZIP_FAILED;
        g->err = e;
        g->msg = msg;
    }
    return g->err;
}

/* A failure of the inflater's (its reason as ours). */
static err_t gzip_fail_z(struct gzip *g, err_t e)
{
    return gzip_fail(g, e, g->z.mode == INFLATE_FAILED ? g->z.msg : "decoding failed");
}

/* n header bytes into buf (NULL: skipped), each added to the header's CRC. */
static err_t gzip_header_bytes(struct gzip *g, uint8_t *buf, uint32_t n, uint32_t *hcrc)
{
    for (uint32_t i = 0; i < n; i++) {
        uint8_t b;
        err_t e = inflate_byte(&g->z, &b);
        if (e != ERR_OK)
            return e;
        *hcrc = crc32_update_tab(&g->crc_tab, *hcrc, &b, 1);
        if (buf)
            buf[i] = b;
    }
    return ERR_OK;
}

/* A zero-terminated field (FNAME, FCOMMENT): the first `keep` - 1 bytes into keep_buf. */
static err_t gzip_header_string(struct gzip *g, char *keep_buf, uint32_t keep, uint32_t *hcrc)
{
    uint32_t n = 0;
    uint8_t b;

    do {
        err_t e = gzip_header_bytes(g, &b, 1, hcrc);
        if (e != ERR_OK)
            return e;
        if (keep_buf && n + 1 < keep)
            keep_buf[n++] = (char)b;
    } while (b != 0);
    if (keep_buf)
        keep_buf[n < keep ? n : keep - 1] = '\0';
    return ERR_OK;
}

static err_t gzip_header(struct gzip *g)
{
    uint8_t h[10], x[2];
    uint32_t hcrc = 0;
    bool first = g->members == 0;
    err_t e;

    if ((e = gzip_header_bytes(g, h, 10, &hcrc)) != ERR_OK)
        return gzip_fail_z(g, e);
    if (h[0] != 0x1f || h[1] != 0x8b)
        return gzip_fail(g, ERR_GZIP_HEADER,
                         first ? "not in gzip format" : "trailing garbage after the gzip data");
    if (h[2] != 8)
        return gzip_fail(g, ERR_GZIP_HEADER, "unknown compression method");
    if (h[3] & GZIP_FRESERVED)
        return gzip_fail(g, ERR_GZIP_HEADER, "unknown header flags set");
    if (first) {
        g->hdr.flags = h[3];
        g->hdr.mtime = le_read32(h + 4);
        g->hdr.xfl = h[8];
        g->hdr.os = h[9];
    }
    if (h[3] & GZIP_FEXTRA) {
        if ((e = gzip_header_bytes(g, x, 2, &hcrc)) != ERR_OK)
            return gzip_fail_z(g, e);
        if (first)
            g->hdr.extra_len = le_read16(x);
        if ((e = gzip_header_bytes(g, NULL, le_read16(x), &hcrc)) != ERR_OK)
            return gzip_fail_z(g, e);
    }
    if ((h[3] & GZIP_FNAME) &&
        (e = gzip_header_string(g, first ? g->hdr.name : NULL, GZIP_NAME_MAX, &hcrc)) != ERR_OK)
        return gzip_fail_z(g, e);
    if ((h[3] & GZIP_FCOMMENT) && (e = gzip_header_string(g, NULL, 0, &hcrc)) != ERR_OK)
        return gzip_fail_z(g, e);
    if (h[3] & GZIP_FHCRC) {
        uint32_t ignored = 0;
        if ((e = gzip_header_bytes(g, x, 2, &ignored)) != ERR_OK)
            return gzip_fail_z(g, e);
        if (le_read16(x) != (hcrc & 0xffffu))
            return gzip_fail(g, ERR_GZIP_HEADER, "header crc mismatch");
    }
    inflate_reset(&g->z);
    g->crc = 0;
    g->member_size = 0;
    g->state = GZIP_DATA;
    return ERR_OK;
}

/* After a member's last block: its CRC-32 and ISIZE, then the next member or the end. */
static err_t gzip_trailer(struct gzip *g)
{
    uint8_t t[8];
    uint32_t ignored = 0;
    err_t e;

    if ((e = gzip_header_bytes(g, t, 8, &ignored)) != ERR_OK)
        return gzip_fail_z(g, e);
    if (le_read32(t) != g->crc)
        return gzip_fail(g, ERR_GZIP_CRC, "incorrect data check");
    if (le_read32(t + 4) != g->member_size)
        return gzip_fail(g, ERR_GZIP_SIZE, "incorrect length check");
    g->members++;
    if (inflate_input_done(&g->z, &e))
        g->state = GZIP_END;
    else
        g->state = GZIP_HEADER;
    return e != ERR_OK ? gzip_fail_z(g, e) : ERR_OK;
}

/* Some output: into dst, or through the window when dst is NULL. At the limit, one byte is
 * asked for into a scratch byte: getting it means the data is longer than allowed. */
static err_t gzip_data(struct gzip *g, uint8_t *dst, size_t want, size_t *got)
{
    const uint8_t *data = dst;
    uint8_t probe;
    err_t e;

    if (g->total >= g->limit) {
        e = inflate_run(&g->z, &probe, 1, got);
        if (e == ERR_OK && *got) {
            *got = 0;
            return gzip_fail(g, ERR_GZIP_LIMIT, "decompresses to more than the limit");
        }
        data = &probe;
    } else {
        if (want > g->limit - g->total)
            want = (size_t)(g->limit - g->total);
        if (dst)
            e = inflate_run(&g->z, dst, want, got);
        else
            e = inflate_skip(&g->z, want, got, &data);
    }
    g->crc = crc32_update_tab(&g->crc_tab, g->crc, data, *got);
    g->member_size += (uint32_t)*got;
    g->total += *got;
    if (e != ERR_OK)
        return gzip_fail_z(g, e);
    if (g->z.mode == INFLATE_END)
        return gzip_trailer(g);
    return ERR_OK;
}

err_t gzip_read(struct gzip *g, void *dst, size_t len, size_t *got)
{
    uint8_t *d = dst;
    size_t done = 0;
    err_t e = ERR_OK;

    while (e == ERR_OK) {
        size_t n = 0;

        if (g->state == GZIP_HEADER) {
            e = gzip_header(g);
        } else if (g->state == GZIP_DATA && done < len) {
            e = gzip_data(g, d ? d + done : NULL, len - done, &n);
            done += n;
        } else {
            break;
        }
    }
    *got = done;
    return g->state == GZIP_FAILED ? g->err : ERR_OK;
}

err_t gzip_finish(struct gzip *g)
{
    size_t got;

    while (g->state != GZIP_END && g->state != GZIP_FAILED)
        gzip_read(g, NULL, INFLATE_WINDOW, &got);
    return g->state == GZIP_FAILED ? g->err : ERR_OK;
}

bool gzip_history(const struct gzip *g, uint32_t back, void *dst, size_t len)
{
    return inflate_history(&g->z, back, dst, len);
}

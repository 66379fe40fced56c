/* fat32_dir.c: FAT32 directories: iterate entries (assembling long names from their LFN
 * pieces, which count only when their sequence is complete and their checksum matches the
 * 8.3 entry that follows), and look paths up, case-insensitively, by long or 8.3 name. */
#include "fat32.h"

#include <string.h>

#include "le.h"

#define DIRENT_SIZE   32u
#define DIR_MAX_ENTRIES 65536u /* the FAT limit; also bounds a looping directory chain */
#define LFN_CHARS     13u
#define LFN_MAX_SEQ   20u      /* 20 * 13 = 260 >= 255 */

/* Where in an LFN entry its 13 UCS-2 characters sit. */
static const uint8_t lfn_pos[LFN_CHARS] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30 };

struct dir_iter {
    uint32_t first;    /* first cluster of the directory */
    uint32_t cluster;  /* cluster number ... */
    uint32_t cindex;   /* ... and its index in the directory's chain */
    uint32_t pos;      /* next entry index */
    /* LFN assembly */
    uint16_t name[LFN_MAX_SEQ * LFN_CHARS];
    uint32_t lfn_total;    /* pieces announced by the last-piece flag, 0 if none pending */
    uint32_t lfn_expect;   /* sequence number of the piece expected next */
    uint8_t  lfn_sum;
};

static uint8_t upper(uint8_t c)
{
    return (c >= 'a' && c <= 'z') ? (uint8_t)(c - 32) : c;
}

static uint8_t short_sum(const uint8_t *name11)
{
    uint8_t sum = 0;
    for (int i = 0; i < 11; i++)
        sum = (uint8_t)(((sum & 1u) << 7) + (sum >> 1) + name11[i]);
    return sum;
}

static err_t iter_start(struct fat32 *fs, const struct fat32_file *dir, struct dir_iter *it,
                        uint32_t pos)
{
    memset(it, 0, offsetof(struct dir_iter, name));
    it->lfn_total = 0;
    it->first = dir->first_cluster ? dir->first_cluster : fs->root_cluster;
    if (!fat32_cluster_valid(fs, it->first))
        return ERR_BAD_FORMAT;
    /* Walk to the cluster holding entry pos (bounded: pos < DIR_MAX_ENTRIES). */
    uint32_t per_cluster = fs->cluster_bytes / DIRENT_SIZE;
    err_t e = fat32_walk(fs, it->first, pos / per_cluster, &it->cluster);
    if (e)
        return e == ERR_TRUNCATED ? ERR_NOT_FOUND : e; /* past the directory's end */
    it->cindex = pos / per_cluster;
    it->pos = pos;
    return ERR_OK;
}

static void short_name_text(const uint8_t *raw, uint8_t nt_case, char *out)
{
    size_t n = 0;
    for (int i = 0; i < 8 && raw[i] != ' '; i++) {
        uint8_t ch = (i == 0 && raw[0] == 0x05) ? 0xe5 : raw[i];
        if ((nt_case & 0x08u) && ch >= 'A' && ch <= 'Z')
            ch = (uint8_t)(ch + 32);
        out[n++] = (char)ch;
    }
    if (raw[8] != ' ') {
        out[n++] = '.';
        for (int i = 8; i < 11 && raw[i] != ' '; i++) {
            uint8_t ch = raw[i];
            if ((nt_case & 0x10u) && ch >= 'A' && ch <= 'Z')
                ch = (uint8_t)(ch + 32);
            out[n++] = (char)ch;
        }
    }
    out[n] = '\0';
}

/* Feed one LFN piece to the assembler. */
static void lfn_piece(struct dir_iter *it, const uint8_t *d)
{
    uint32_t seq = d[0] & 0x1fu;
    if (seq == 0 || seq > LFN_MAX_SEQ) {
        it->lfn_total = 0;
        return;
    }
    if (d[0] & 0x40u) { /* the last piece comes first */
        it->lfn_total = seq;
        it->lfn_sum = d[13];
        for (uint32_t i = 0; i < LFN_MAX_SEQ * LFN_CHARS; i++)
            it->name[i] = 0xffffu;
    } else if (!it->lfn_total || seq != it->lfn_expect || d[13] != it->lfn_sum) {
        it->lfn_total = 0;
        return;
    }
    it->lfn_expect = seq - 1u;
    for (uint32_t i = 0; i < LFN_CHARS; i++)
        it->name[(seq - 1u) * LFN_CHARS + i] = le_read16(d + lfn_pos[i]);
}

/* Next live entry at or after it->pos: ERR_NOT_FOUND at the end of the directory. */
static err_t iter_next(struct fat32 *fs, struct dir_iter *it, struct fat32_dirent *out)
{
    uint32_t per_cluster = fs->cluster_bytes / DIRENT_SIZE;
    while (it->pos < DIR_MAX_ENTRIES) {
        if (it->pos / per_cluster != it->cindex) {
            /* Entries are read in order, so this is always the next cluster. */
            uint32_t next;
            err_t e = fat32_next(fs, it->cluster, &next);
            if (e)
                return e;
            if (next == FAT32_EOC)
                return ERR_NOT_FOUND;
            it->cluster = next;
            it->cindex++;
        }
        uint32_t byte = (it->pos % per_cluster) * DIRENT_SIZE;
        err_t e;
        const uint8_t *s = fat32_sector(
            fs, fat32_cluster_lba(fs, it->cluster, byte / fs->bytes_per_sector), &e);
        if (!s)
            return e;
        const uint8_t *d = s + byte % fs->bytes_per_sector;
        it->pos++;
        if (d[0] == 0x00)
            return ERR_NOT_FOUND; /* end-of-directory marker */
        if (d[0] == 0xe5) {       /* deleted */
            it->lfn_total = 0;
            continue;
        }
        uint8_t attr = d[11];
        if ((attr & 0x3fu) == FAT32_ATTR_LFN) {
            lfn_piece(it, d);
            continue;
        }
        if (attr & FAT32_ATTR_VOLUME_ID) {
            it->lfn_total = 0;
            continue;
        }
        /* A short entry: the long name before it counts if complete and its checksum fits. */
        memset(out, 0, sizeof(*out));
        if (it->lfn_total && it->lfn_expect == 0 && it->lfn_sum == short_sum(d)) {
            uint32_t n = 0, max = it->lfn_total * LFN_CHARS;
            while (n < max && n < FAT32_NAME_MAX && it->name[n] != 0)
                n++;
            if (n < max && it->name[n] != 0)
                n = 0; /* longer than 255: not a valid long name */
            memcpy(out->long_name, it->name, n * sizeof(uint16_t));
            out->long_name[n] = 0;
            out->long_len = n;
        }
        it->lfn_total = 0;
        short_name_text(d, d[12], out->short_name);
        out->file.first_cluster = ((uint32_t)le_read16(d + 20) << 16) | le_read16(d + 26);
        out->file.first_cluster &= 0x0fffffffu;
        out->file.attr = attr;
        out->file.is_dir = (attr & FAT32_ATTR_DIRECTORY) != 0;
        out->file.size = out->file.is_dir ? 0 : le_read32(d + 28);
        return ERR_OK;
    }
    return ERR_NOT_FOUND;
}

err_t fat32_dir_next(struct fat32 *fs, const struct fat32_file *dir, uint32_t *pos,
                     struct fat32_dirent *out)
{
    if (!fs || !dir || !pos || !out || !dir->is_dir)
        return ERR_INVALID_ARG;
    if (*pos >= DIR_MAX_ENTRIES)
        return ERR_NOT_FOUND;
    struct dir_iter it;
    err_t e = iter_start(fs, dir, &it, *pos);
    if (e)
        return e;
    e = iter_next(fs, &it, out);
    *pos = it.pos;
    return e;
}

/* ---- names ----------------------------------------------------------------------------- */

/* One UCS-2 unit from UTF-8 at *p (before end); 0xfffd for anything malformed or outside the
 * BMP (it then matches nothing but itself in a name, which no LFN writer produces). */
static uint16_t utf8_next(const char **p, const char *end)
{
    const uint8_t *s = (const uint8_t *)*p;
    uint32_t c = s[0], need = 0;
    if (c < 0x80) {
        *p += 1;
        return (uint16_t)c;
    }
    if ((c & 0xe0u) == 0xc0u) {
        need = 1;
        c &= 0x1fu;
    } else if ((c & 0xf0u) == 0xe0u) {
        need = 2;
        c &= 0x0fu;
    } else {
        *p += 1;
        return 0xfffdu;
    }
    if ((size_t)(end - *p) <= need) {
        *p = end;
        return 0xfffdu;
    }
    for (uint32_t i = 1; i <= need; i++) {
        if ((s[i] & 0xc0u) != 0x80u) {
            *p += i;
            return 0xfffdu;
        }
        c = (c << 6) | (s[i] & 0x3fu);
    }
    *p += need + 1;
    if (c < (need == 1 ? 0x80u : 0x800u) || (c >= 0xd800u && c <= 0xdfffu))
        return 0xfffdu;
    return (uint16_t)c;
}

static bool long_name_matches(const struct fat32_dirent *d, const char *name, size_t len)
{
    if (!d->long_len)
        return false;
    const char *p = name, *end = name + len;
    uint32_t i = 0;
    while (p < end) {
        if (i >= d->long_len)
            return false;
        uint16_t a = utf8_next(&p, end), b = d->long_name[i++];
        if (a < 0x80 && b < 0x80) {
            if (upper((uint8_t)a) != upper((uint8_t)b))
                return false;
        } else if (a != b) {
            return false;
        }
    }
    return i == d->long_len;
}

/* Compare with the entry's 8.3 name as text ("KERNEL.ELF"), ignoring ASCII case. */
static bool short_name_matches(const struct fat32_dirent *d, const char *name, size_t len)
{
    size_t n = strlen(d->short_name);
    if (n != len)
        return false;
    for (size_t i = 0; i < len; i++)
        if (upper((uint8_t)d->short_name[i]) != upper((uint8_t)name[i]))
            return false;
    return true;
}

/* ---- lookup ---------------------------------------------------------------------------- */

static err_t find_in_dir(struct fat32 *fs, const struct fat32_file *dir, const char *name,
                         size_t len, struct fat32_dirent *found)
{
    struct dir_iter it;
    err_t e = iter_start(fs, dir, &it, 0);
    if (e)
        return e;
    for (;;) {
        e = iter_next(fs, &it, found);
        if (e)
            return e; /* ERR_NOT_FOUND at the end */
        if (long_name_matches(found, name, len) || short_name_matches(found, name, len))
            return ERR_OK;
    }
}

err_t fat32_open(struct fat32 *fs, const char *path, struct fat32_file *out)
{
    if (!fs || !path || !out || !fs->read)
        return ERR_INVALID_ARG;
    struct fat32_file cur = fat32_root(fs);
    struct fat32_dirent d;
    const char *p = path;
    for (;;) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        const char *start = p;
        while (*p && *p != '/')
            p++;
        size_t len = (size_t)(p - start);
        if (len > FAT32_NAME_MAX)
            return ERR_INVALID_ARG;
        if (!cur.is_dir)
            return ERR_NOT_FOUND; /* "file/more" */
        err_t e = find_in_dir(fs, &cur, start, len, &d);
        if (e)
            return e;
        cur = d.file;
        if (cur.is_dir && cur.first_cluster == 0)
            cur = fat32_root(fs); /* ".." of a first-level directory points at cluster 0 */
    }
    cur.cur_cluster = 0;
    cur.cur_index = 0;
    if (!cur.is_dir) {
        err_t e = fat32_check_chain(fs, &cur);
        if (e)
            return e;
    } else if (!fat32_cluster_valid(fs, cur.first_cluster)) {
        return ERR_BAD_FORMAT;
    }
    *out = cur;
    return ERR_OK;
}

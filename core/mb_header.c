/* mb_header.c: the Multiboot 1 and 2 headers found in a kernel file's first bytes and
 * judged: checksums, flags and tags, and the address fields against the file they describe. */
#include <stdarg.h>
#include <string.h>

#include "format.h"
#include "le.h"
#include "multiboot.h"

static err_t mb_fail(struct mb_header *h, err_t e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static err_t mb_fail(struct mb_header *h, err_t e, const char *fmt, ...)
{
    va_list ap;
    int n = format_snprint(h->reason, sizeof(h->reason), "Multiboot %u header at 0x%x: ",
                           (unsigned)h->version, (unsigned)h->offset);

    if (n < 0 || (size_t)n >= sizeof(h->reason))
        n = 0;
    va_start(ap, fmt);
    format_vsnprint(h->reason + n, sizeof(h->reason) - (size_t)n, fmt, ap);
    va_end(ap);
    return e;
}

/* The first `align`-aligned magic in the window whose `words` 32-bit words sum to 0, or
 * found = MB_BROKEN / MB_NONE. */
static err_t mb_search(const uint8_t *head, uint64_t window, uint32_t magic, uint32_t align,
                       uint32_t words, struct mb_header *h)
{
    bool broken = false;

    for (uint64_t off = 0; off + words * 4u <= window; off += align) {
        uint32_t sum = 0;
        if (le_read32(head + off) != magic)
            continue;
        for (uint32_t i = 0; i < words; i++)
            sum += le_read32(head + off + 4u * i);
        if (!broken)
            h->offset = (uint32_t)off;
        if (sum == 0) {
            h->offset = (uint32_t)off;
            h->found = MB_HEADER;
            return ERR_OK;
        }
        broken = true;
    }
    if (!broken)
        return ERR_NOT_FOUND;
    h->found = MB_BROKEN;
    return mb_fail(h, ERR_NOT_FOUND, "bad checksum (the header's words do not sum to 0)");
}

/* Both parsers' start: *h cleared for the version, then its header searched for in the
 * window (the file's first bytes up to the version's limit), which *window gets. */
static err_t mb_find(const uint8_t *head, uint64_t head_len, uint64_t file_size,
                     uint32_t version, struct mb_header *h, uint64_t *window)
{
    uint64_t search = version == 1 ? MB1_SEARCH : MB2_SEARCH;

    if (!h)
        return ERR_INVALID_ARG;
    memset(h, 0, sizeof(*h));
    h->version = version;
    if (!head && head_len)
        return mb_fail(h, ERR_INVALID_ARG, "no data");
    *window = head_len < file_size ? head_len : file_size;
    if (*window > search)
        *window = search;
    return version == 1 ? mb_search(head, *window, MB1_HEADER_MAGIC, MB1_HEADER_ALIGN, 3, h)
                        : mb_search(head, *window, MB2_HEADER_MAGIC, MB2_HEADER_ALIGN, 4, h);
}

/* The address fields (header_addr .. bss_end_addr) against the file, for either version.
 * load_addr 0xffffffff (Multiboot 2) means "from the file's first byte". */
static err_t mb_check_addr(struct mb_header *h, uint64_t file_size)
{
    uint64_t load = h->load_addr, text_off, size, end;

    if (h->version == 2 && h->load_addr == 0xffffffffu) {
        if (h->header_addr < h->offset)
            return mb_fail(h, ERR_BAD_FORMAT, "header_addr 0x%x is below its own file offset",
                           (unsigned)h->header_addr);
        load = h->header_addr - h->offset;
        text_off = 0;
    } else {
        if (h->load_addr > h->header_addr)
            return mb_fail(h, ERR_BAD_FORMAT, "load_addr 0x%x is above header_addr 0x%x",
                           (unsigned)h->load_addr, (unsigned)h->header_addr);
        if (h->header_addr - h->load_addr > h->offset)
            return mb_fail(h, ERR_BAD_FORMAT, "load_addr 0x%x would start 0x%x bytes before "
                           "the file", (unsigned)h->load_addr,
                           (unsigned)(h->header_addr - h->load_addr - h->offset));
        text_off = h->offset - (h->header_addr - h->load_addr);
    }
    if (h->load_end_addr == 0) {
        size = file_size - text_off;
    } else {
        if (h->load_end_addr < load)
            return mb_fail(h, ERR_BAD_FORMAT, "load_end_addr 0x%x is below load_addr 0x%x",
                           (unsigned)h->load_end_addr, (unsigned)load);
        size = h->load_end_addr - load;
        if (size > file_size - text_off)
            return mb_fail(h, ERR_TRUNCATED, "load_end_addr 0x%x asks for %llu bytes from "
                           "file offset 0x%llx, past the end of the %llu-byte file",
                           (unsigned)h->load_end_addr, (unsigned long long)size,
                           (unsigned long long)text_off, (unsigned long long)file_size);
    }
    if (load + size > 0x100000000ull)
        return mb_fail(h, ERR_OVERFLOW, "the image at 0x%x (%llu bytes) runs past 4 GiB",
                       (unsigned)load, (unsigned long long)size);
    end = load + size;
    if (h->bss_end_addr) {
        if (h->bss_end_addr < end)
            return mb_fail(h, ERR_BAD_FORMAT, "bss_end_addr 0x%x is below the end of the "
                           "loaded image 0x%llx", (unsigned)h->bss_end_addr,
                           (unsigned long long)end);
        end = h->bss_end_addr;
    }
    if (end == load)
        return mb_fail(h, ERR_BAD_FORMAT, "the address fields describe an empty image");
    h->load_addr = (uint32_t)load;
    h->text_offset = (uint32_t)text_off;
    h->load_size = (uint32_t)size;
    h->mem_size = (uint32_t)(end - load);
    if (h->has_entry && (h->entry_addr < load || h->entry_addr >= end))
        return mb_fail(h, ERR_BAD_FORMAT, "entry_addr 0x%x lies outside the image 0x%llx-0x%llx",
                       (unsigned)h->entry_addr, (unsigned long long)load,
                       (unsigned long long)end);
    return ERR_OK;
}

err_t mb1_header_parse(const uint8_t *head, uint64_t head_len, uint64_t file_size,
                       struct mb_header *h)
{
    uint64_t window = 0, need = 12;
    const uint8_t *p;
    err_t e = mb_find(head, head_len, file_size, 1, h, &window);

    if (e != ERR_OK)
        return e;
    p = head + h->offset;
    h->flags = le_read32(p + 4);
    if (h->flags & MB1_FLAGS_REQUIRED & ~MB1_FLAGS_KNOWN) {
        uint32_t bit = 0;
        while (!((h->flags >> bit) & 1u) || ((MB1_FLAGS_KNOWN >> bit) & 1u))
            bit++;
        return mb_fail(h, ERR_UNSUPPORTED, "flag bit %u is required but not supported "
                       "(flags 0x%x; bits 0-2 are)", (unsigned)bit, (unsigned)h->flags);
    }
    if (h->flags & MB1_FLAG_AOUT)
        need = 32;
    if (h->flags & MB1_FLAG_VIDEO)
        need = 48;
    if (h->offset + need > window)
        return mb_fail(h, ERR_TRUNCATED, "its %u bytes run past the first %llu bytes of the file",
                       (unsigned)need, (unsigned long long)window);
    h->page_align_modules = (h->flags & MB1_FLAG_PAGE_ALIGN) != 0;
    if (h->flags & MB1_FLAG_VIDEO) {
        uint32_t mode = le_read32(p + 32);
        h->video = true;
        h->video_text = mode == 1;
        h->width = le_read32(p + 36);
        h->height = le_read32(p + 40);
        h->depth = le_read32(p + 44);
    }
    if (!(h->flags & MB1_FLAG_AOUT))
        return ERR_OK;
    h->has_addr = h->has_entry = true;
    h->header_addr = le_read32(p + 12);
    h->load_addr = le_read32(p + 16);
    h->load_end_addr = le_read32(p + 20);
    h->bss_end_addr = le_read32(p + 24);
    h->entry_addr = le_read32(p + 28);
    if (h->header_addr == 0 && h->load_addr == 0 && h->entry_addr == 0)
        return mb_fail(h, ERR_BAD_FORMAT, "flag 16 is set but the address fields are 0");
    return mb_check_addr(h, file_size);
}

static const char *const mb2_htag_names[] = {
    "end", "information request", "address", "entry address", "console flags",
    "framebuffer", "module alignment", "EFI boot services", "EFI i386 entry address",
    "EFI amd64 entry address", "relocatable",
};

static const char *const mb2_tag_names[MB2_TAG_TYPES] = {
    "end", "command line", "boot loader name", "module", "basic memory information",
    "BIOS boot device", "memory map", "VBE info", "framebuffer info", "ELF symbols",
    "APM table", "EFI 32-bit system table", "EFI 64-bit system table", "SMBIOS tables",
    "ACPI old RSDP", "ACPI new RSDP", "networking information", "EFI memory map",
    "EFI boot services not terminated", "EFI 32-bit image handle", "EFI 64-bit image handle",
    "image load base address",
};

const char *mb2_header_tag_name(uint32_t type)
{
    return type < sizeof(mb2_htag_names) / sizeof(mb2_htag_names[0]) ? mb2_htag_names[type]
                                                                     : "unknown";
}

const char *mb2_info_tag_name(uint32_t type)
{
    return type < MB2_TAG_TYPES ? mb2_tag_names[type] : "unknown";
}

bool mb2_info_tag_supported(uint32_t type)
{
    switch (type) {
    case MB2_TAG_END:
    case MB2_TAG_CMDLINE:
    case MB2_TAG_LOADER_NAME:
    case MB2_TAG_MODULE:
    case MB2_TAG_BASIC_MEMINFO:
    case MB2_TAG_BOOTDEV:
    case MB2_TAG_MMAP:
    case MB2_TAG_FRAMEBUFFER:
    case MB2_TAG_VBE: /* given when a VBE mode was set */
    case MB2_TAG_ACPI_OLD:
    case MB2_TAG_ACPI_NEW:
    case MB2_TAG_LOAD_BASE:
        return true;
    /* Understood, and not there under a BIOS: the spec then omits the tag. */
    case MB2_TAG_EFI32:
    case MB2_TAG_EFI64:
    case MB2_TAG_EFI_MMAP:
    case MB2_TAG_EFI_BS:
    case MB2_TAG_EFI32_IH:
    case MB2_TAG_EFI64_IH:
        return true;
    default:
        return false;
    }
}

/* One header tag (already bounds-checked: size >= 8, inside the header). */
static err_t mb2_tag(struct mb_header *h, const uint8_t *t, uint32_t type, bool optional,
                     uint32_t size)
{
    static const uint8_t min_size[] = {
        [MB2_HTAG_ADDRESS] = 24, [MB2_HTAG_ENTRY] = 12, [MB2_HTAG_CONSOLE] = 12,
        [MB2_HTAG_FRAMEBUFFER] = 20, [MB2_HTAG_RELOCATABLE] = 24,
    };

    if (type < sizeof(min_size) && size < min_size[type])
        return mb_fail(h, ERR_TRUNCATED, "%s tag of %u bytes, needs %u",
                       mb2_header_tag_name(type), (unsigned)size, (unsigned)min_size[type]);
    switch (type) {
    case MB2_HTAG_INFO_REQUEST:
        for (uint32_t i = 8; i + 4 <= size; i += 4) {
            uint32_t want = le_read32(t + i);
            if (!optional && !mb2_info_tag_supported(want))
                return mb_fail(h, ERR_UNSUPPORTED, "required information request for tag %u "
                               "(%s), which this loader does not provide", (unsigned)want,
                               mb2_info_tag_name(want));
            if (want < 32)
                h->requests |= 1u << want;
        }
        return ERR_OK;
    case MB2_HTAG_ADDRESS:
        h->has_addr = true;
        h->header_addr = le_read32(t + 8);
        h->load_addr = le_read32(t + 12);
        h->load_end_addr = le_read32(t + 16);
        h->bss_end_addr = le_read32(t + 20);
        return ERR_OK;
    case MB2_HTAG_ENTRY:
        h->has_entry = true;
        h->entry_addr = le_read32(t + 8);
        return ERR_OK;
    case MB2_HTAG_CONSOLE:
        h->console = true;
        h->console_flags = le_read32(t + 8);
        return ERR_OK;
    case MB2_HTAG_FRAMEBUFFER:
        h->video = true;
        h->width = le_read32(t + 8);
        h->height = le_read32(t + 12);
        h->depth = le_read32(t + 16);
        return ERR_OK;
    case MB2_HTAG_MODULE_ALIGN:
        h->page_align_modules = true;
        return ERR_OK;
    case MB2_HTAG_EFI_BS:
    case MB2_HTAG_ENTRY_EFI32:
    case MB2_HTAG_ENTRY_EFI64:
        h->ignored++; /* EFI only: under a BIOS the ELF or entry address tag is the entry */
        return ERR_OK;
    case MB2_HTAG_RELOCATABLE:
        h->relocatable = true;
        h->min_addr = le_read32(t + 8);
        h->max_addr = le_read32(t + 12);
        h->align = le_read32(t + 16);
        h->preference = le_read32(t + 20);
        if (h->min_addr > h->max_addr || (h->align & (h->align - 1u)))
            return mb_fail(h, ERR_BAD_FORMAT, "relocatable tag: min_addr 0x%x, max_addr 0x%x, "
                           "align 0x%x (min above max, or align not a power of two)",
                           (unsigned)h->min_addr, (unsigned)h->max_addr, (unsigned)h->align);
        return ERR_OK;
    default:
        if (!optional)
            return mb_fail(h, ERR_UNSUPPORTED, "tag type %u (%s) is marked required and this "
                           "loader does not support it", (unsigned)type,
                           mb2_header_tag_name(type));
        h->ignored++;
        return ERR_OK;
    }
}

err_t mb2_header_parse(const uint8_t *head, uint64_t head_len, uint64_t file_size,
                       struct mb_header *h)
{
    uint64_t window = 0, end;
    uint32_t arch, length;
    const uint8_t *p;
    err_t e = mb_find(head, head_len, file_size, 2, h, &window);

    if (e != ERR_OK)
        return e;
    p = head + h->offset;
    arch = le_read32(p + 4);
    length = le_read32(p + 8);
    if (arch != MB2_ARCH_I386)
        return mb_fail(h, ERR_UNSUPPORTED, "architecture %u is not i386 (0)", (unsigned)arch);
    if (length < 16 + 8 || h->offset + (uint64_t)length > window)
        return mb_fail(h, ERR_TRUNCATED, "header_length %u: not room for its tags, or past "
                       "the first %llu bytes of the file", (unsigned)length,
                       (unsigned long long)window);
    end = length;
    for (uint64_t at = 16;; ) {
        uint32_t type, flags, size;
        if (at + 8 > end)
            return mb_fail(h, ERR_TRUNCATED, "no end tag within header_length %u",
                           (unsigned)length);
        type = le_read16(p + at);
        flags = le_read16(p + at + 2);
        size = le_read32(p + at + 4);
        if (size < 8 || size > end - at)
            return mb_fail(h, ERR_TRUNCATED, "tag at +0x%llx (type %u): size %u runs out of "
                           "the header", (unsigned long long)at, (unsigned)type,
                           (unsigned)size);
        if (type == MB2_HTAG_END)
            break;
        e = mb2_tag(h, p + at, type, flags & MB2_HTAG_OPTIONAL, size);
        if (e != ERR_OK)
            return e;
        at += ((uint64_t)size + MB2_TAG_ALIGN - 1u) & ~(uint64_t)(MB2_TAG_ALIGN - 1u);
    }
    if (h->has_addr && !h->has_entry)
        return mb_fail(h, ERR_BAD_FORMAT, "an address tag without an entry address tag");
    return h->has_addr ? mb_check_addr(h, file_size) : ERR_OK;
}

void mb_aout_image(const struct mb_header *h, struct elf_info *out)
{
    memset(out, 0, sizeof(*out));
    out->err = ERR_OK;
    memcpy(out->reason, "ok", 3);
    out->elf_class = ELF_CLASS_32;
    out->machine = ELF_EM_386;
    out->entry = out->entry_phys = h->entry_addr;
    out->headers_end = (uint64_t)h->offset + 12u;
    out->seg_count = 1;
    out->seg[0] = (struct elf_segment){
        .vaddr = h->load_addr,
        .paddr = h->load_addr,
        .filesz = h->load_size,
        .memsz = h->mem_size,
        .offset = h->text_offset,
        .flags = ELF_PF_R | ELF_PF_W | ELF_PF_X,
        .load = h->load_addr,
    };
    out->vaddr_lo = out->paddr_lo = h->load_addr;
    out->vaddr_hi = out->paddr_hi = (uint64_t)h->load_addr + h->mem_size;
}

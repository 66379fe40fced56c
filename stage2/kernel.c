/* kernel.c: the kernel file: opened by its configured path (gzip'd or not), its head read
 * once for every protocol to look at, the whole file checked after loading. */
#include "console.h"
#include "kernel.h"

void kernel_open(struct kernel_file *k, struct volume *vol, const char *path)
{
    err_t e;

    k->vol = vol;
    k->path = path;
    k->head_len = 0;
    e = volume_open(vol, path, &k->file, "looking up the kernel");
    if (e == ERR_NOT_FOUND)
        panic("kernel", "kernel not found: no %s on the boot partition", path);
    if (e == ERR_OK && k->file.is_dir)
        panic("kernel", "kernel not found: %s is a directory", path);
    if (e != ERR_OK)
        panic("kernel", "kernel not found: cannot open %s: %s", path, err_str(e));
    if (k->file.gzip)
        log_info("kernel: %s, gzip: %u -> %u bytes", path, k->file.disk_size, k->file.size);
    else
        log_info("kernel: %s, %u bytes", path, k->file.size);
    kernel_read_head(k, KERNEL_HEAD_FIRST);
}

void kernel_read_head(struct kernel_file *k, uint32_t len)
{
    uint64_t got = 0;
    err_t e;

    if (len > KERNEL_HEAD_MAX)
        len = KERNEL_HEAD_MAX;
    if (len > k->file.size)
        len = k->file.size;
    if (len <= k->head_len)
        return;
    e = volume_read(k->vol, &k->file, k->head_len, k->head + k->head_len, len - k->head_len,
                    &got, "reading the kernel's headers");
    if (e != ERR_OK)
        panic("disk", "cannot read %s: %s", k->path, err_str(e));
    k->head_len += (uint32_t)got;
}

void kernel_check(struct kernel_file *k)
{
    volume_finish(k->vol, &k->file, "checking the whole kernel file");
}

"""mapcheck.py: compare what a demo kernel received with SeaBIOS's own E820 table from the
same run. Both sides go through build/e820 (the host build of the loader's memory-map core):
  SeaBIOS:  build/e820 --format fixture --align 4096 <debug-console log>
  kernel:   its final map with the loader's types (0x1000..0x1005) turned back into usable
            (1), through build/e820 --format fixture (it is already in whole frames; a
            leftover sliver would show up as a difference)
and the raw table the kernel got must equal SeaBIOS's `e820 map has N items:` list, entry for
entry (the last such list in the log, as the inspector reads it), and what the loader says
its sanitizer fixed must equal the inspector's report on that table. Never a stored table."""
import json
import os
import re
import subprocess

LOADER_TYPES = range(0x1000, 0x1006)
HEX = r"0x[0-9a-fA-F]+"
MMAP_RE = re.compile(r"^mmap: (%s) (%s) (\d+)\s*$" % (HEX, HEX))
MMAP_COUNT_RE = re.compile(r"^mmap: (\d+) entries\s*$")
RAW_RE = re.compile(r"^e820raw: (%s) (%s) (\d+) (%s)\s*$" % (HEX, HEX, HEX))
RAW_COUNT_RE = re.compile(r"^e820raw: (\d+) entries\s*$")
SANITIZE_RE = re.compile(r"^sanitize: (.*?)\s*$")
REPORT_FIELDS = ("overlaps", "zero_length", "type_zero", "wraps_clipped", "attr_ignored",
                 "merged", "unsorted")
SEABIOS_HEAD_RE = re.compile(r"^e820 map has (\d+) items:")
SEABIOS_ENTRY_RE = re.compile(r"^\s*(\d+): ([0-9a-fA-F]{16}) - ([0-9a-fA-F]{16}) = (\d+)")


def kernel_tables(serial):
    """(map, raw) as lists of (base, length, type) from the kernel's lines, or a reason."""
    lines = serial.replace("\r", "").splitlines()
    mmap, raw, want_map, want_raw = [], [], None, None
    for l in lines:
        m = MMAP_RE.match(l)
        if m:
            mmap.append((int(m.group(1), 16), int(m.group(2), 16), int(m.group(3))))
            continue
        m = RAW_RE.match(l)
        if m:
            raw.append((int(m.group(1), 16), int(m.group(2), 16), int(m.group(3))))
            continue
        m = MMAP_COUNT_RE.match(l) or None
        if m:
            want_map = int(m.group(1))
        m = RAW_COUNT_RE.match(l)
        if m:
            want_raw = int(m.group(1))
    if want_map is None or len(mmap) != want_map:
        return None, None, "kernel printed %d mmap lines, announced %s" % (len(mmap), want_map)
    if want_raw is None or len(raw) != want_raw:
        return None, None, "kernel printed %d e820raw lines, announced %s" % (len(raw), want_raw)
    return mmap, raw, None


def seabios_raw(debugcon):
    """The last complete `e820 map has N items:` list: [(base, length, type)] or None."""
    lines = debugcon.replace("\r", "").splitlines()
    found = None
    for i, l in enumerate(lines):
        m = SEABIOS_HEAD_RE.match(l)
        if not m:
            continue
        n = int(m.group(1))
        entries = []
        for k in range(n):
            e = SEABIOS_ENTRY_RE.match(lines[i + 1 + k]) if i + 1 + k < len(lines) else None
            if not e or int(e.group(1)) != k:
                break
            start, end = int(e.group(2), 16), int(e.group(3), 16)
            entries.append((start, end - start, int(e.group(4))))
        if len(entries) == n:
            found = entries
    return found


def fixture_text(entries):
    return "".join("0x%x 0x%x %d\n" % e for e in entries)


def inspector(e820, path, align):
    cmd = [e820, "--format", "fixture"] + (["--align", "4096"] if align else []) + [path]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(cmd), p.stderr.strip()))
    return p.stdout


def kernel_report(serial):
    """The kernel's `sanitize:` line as {field: int}, or None."""
    for l in serial.replace("\r", "").splitlines():
        m = SANITIZE_RE.match(l)
        if m:
            words = m.group(1).split()
            try:
                return {k: int(v) for k, v in zip(words[::2], words[1::2])}
            except ValueError:
                return None
    return None


def inspector_report(e820, path):
    p = subprocess.run([e820, "--format", "json", path], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise RuntimeError("%s --format json: %s" % (e820, p.stderr.strip()))
    rep = json.loads(p.stdout)["report"]
    return {k: int(rep[k]) for k in REPORT_FIELDS}


def compare(serial, debugcon_path, workdir, e820):
    """None if both comparisons hold, else the reason (files kept in workdir)."""
    with open(debugcon_path, "rb") as f:
        debugcon = f.read().decode("latin-1")
    mmap, raw, why = kernel_tables(serial)
    if why:
        return why
    bios = seabios_raw(debugcon)
    if bios is None:
        return "no complete 'e820 map has N items' table in the SeaBIOS log"
    if raw != bios:
        diff = [i for i in range(max(len(raw), len(bios)))
                if i >= len(raw) or i >= len(bios) or raw[i] != bios[i]]
        return "raw E820 differs from SeaBIOS's at entry %d (kernel %d entries, SeaBIOS %d)" % (
            diff[0], len(raw), len(bios))
    if not os.access(e820, os.X_OK):
        return "%s not built" % e820
    as_usable = [(b, l, 1 if t in LOADER_TYPES else t) for b, l, t in mmap]
    kpath = os.path.join(workdir, "kernel-map.txt")
    with open(kpath, "w") as f:
        f.write("# the kernel's final map, loader types counted as usable\n")
        f.write(fixture_text(as_usable))
    try:
        got = inspector(e820, kpath, align=False)
        want = inspector(e820, debugcon_path, align=True)
    except RuntimeError as e:
        return str(e)
    with open(os.path.join(workdir, "kernel-map.sanitized"), "w") as f:
        f.write(got)
    with open(os.path.join(workdir, "seabios-map.sanitized"), "w") as f:
        f.write(want)
    if got != want:
        return map_difference(got, want)
    try:
        want_rep = inspector_report(e820, debugcon_path)
    except (RuntimeError, ValueError, KeyError) as e:
        return "inspector report: %s" % e
    got_rep = kernel_report(serial)
    if got_rep is None or any(got_rep.get(k) != want_rep[k] for k in REPORT_FIELDS):
        return "sanitize report %s differs from the inspector's %s" % (got_rep, want_rep)
    return None


def map_difference(got, want):
    """The first line where the two fixture texts differ, as a reason."""
    g, w = got.splitlines(), want.splitlines()
    first = next((i for i in range(max(len(g), len(w)))
                  if i >= len(g) or i >= len(w) or g[i] != w[i]), 0)
    return "map differs from SeaBIOS's at line %d: kernel '%s' vs SeaBIOS '%s'" % (
        first + 1, g[first] if first < len(g) else "(end)",
        w[first] if first < len(w) else "(end)")


# ---- the Multiboot form (tests/kernels/multiboot) -----------------------------------------
# A Multiboot kernel gets the map at byte precision, with E820 types only (the loader's own
# regions reported as available): it must equal SeaBIOS's table sanitized by build/e820
# without frame alignment, and, when the inspector finds nothing to fix in that table, the
# table itself entry for entry. mem_lower/mem_upper must be what that map says.
MB_MAP_RE = re.compile(r"^mbmap: (%s) (%s) (\d+)\s*$" % (HEX, HEX))
MB_COUNT_RE = re.compile(r"^mbmap: (\d+) entries\s*$")
MB_MEM_RE = re.compile(r"^mb: mem_lower (\d+) mem_upper (\d+)\s*$")


def mem_lower_upper(entries):
    """KiB available at 0 (at most 640) and from 1 MiB to the end of its entry."""
    lower = upper = 0
    for base, length, typ in entries:
        if typ != 1:
            continue
        if base == 0:
            lower = min(length >> 10, 640)
        if base <= 0x100000 < base + length:
            upper = (base + length - 0x100000) >> 10
    return lower, upper


def compare_multiboot(serial, debugcon_path, workdir, e820):
    """None if the Multiboot map and mem_lower/upper the kernel printed are SeaBIOS's."""
    lines = serial.replace("\r", "").splitlines()
    got = [(int(m.group(1), 16), int(m.group(2), 16), int(m.group(3)))
           for m in map(MB_MAP_RE.match, lines) if m]
    count = [int(m.group(1)) for m in map(MB_COUNT_RE.match, lines) if m]
    mem = [(int(m.group(1)), int(m.group(2))) for m in map(MB_MEM_RE.match, lines) if m]
    if len(count) != 1 or count[0] != len(got) or len(mem) != 1:
        return "kernel printed %d mbmap lines, announced %s, %d mem lines" % (
            len(got), count, len(mem))
    with open(debugcon_path, "rb") as f:
        bios = seabios_raw(f.read().decode("latin-1"))
    if bios is None:
        return "no complete 'e820 map has N items' table in the SeaBIOS log"
    try:
        want_text = inspector(e820, debugcon_path, align=False)
        report = inspector_report(e820, debugcon_path)
    except (RuntimeError, ValueError, KeyError) as e:
        return str(e)
    with open(os.path.join(workdir, "multiboot-map.txt"), "w") as f:
        f.write(fixture_text(got))
    with open(os.path.join(workdir, "seabios-map.sanitized"), "w") as f:
        f.write(want_text)
    if fixture_text(got) != want_text:
        return "Multiboot " + map_difference(fixture_text(got), want_text)
    if not any(report.values()) and got != bios:
        return "SeaBIOS's table needed no fixing, but the Multiboot map is not it entry for entry"
    want = [tuple(int(x, 0) for x in l.split()) for l in want_text.splitlines()
            if l.strip() and not l.startswith("#")]
    if mem[0] != mem_lower_upper(want):
        return "mem_lower/upper %s, SeaBIOS's map says %s" % (mem[0], mem_lower_upper(want))
    return None

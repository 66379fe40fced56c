"""checks.py: what a boot test's run must show. Each check's verdict is None (pass) or the
reason it failed, one line for the TAP file.
  Boots    the kernel (or the low-level stage2) leaves through isa-debug-exit with 33 and
           prints its PASS line; the map it received must match SeaBIOS's (mapcheck.py)
  Shows    Boots, but the kernel holds still after its PASS line, and the screen QEMU shows
           must be the framebuffer the kernel was told about (framecheck.py)
  Halts    serial (or the screen) shows the expected words, then the machine stays halted:
           no reset, no triple fault, no second boot
  OnScreen (Machine.screen) the screen read through the QEMU monitor shows `until`; then a
           check of what it shows (third-party kernels that report on the screen only)
  Inspect  no QEMU: a check of the images themselves
Boots and Halts also take log requirements: regexes serial must match (log) or must not
(nolog), a regex SeaBIOS's debug console must match (debuglog), one the screen must match
(screen: the machine reads it), and a bound on the lines of the QEMU trace that match a
regex (trace: the machine records the event)."""
import dataclasses
import os
import re
from typing import Callable, Optional, Tuple

import framecheck
import mapcheck

EXIT_PASS, EXIT_FAIL = 33, 35  # isa-debug-exit: (0x10 << 1) | 1, (0x11 << 1) | 1


def last_lines(text, n=3):
    return " | ".join([l for l in text.splitlines() if l.strip()][-n:])


@dataclasses.dataclass(frozen=True, kw_only=True)
class Logs:
    log: Tuple[str, ...] = ()      # regexes serial must match
    nolog: Optional[str] = None    # a regex serial must not match
    debuglog: Optional[str] = None  # a regex SeaBIOS's debug console must match
    screen: Optional[str] = None    # a regex the screen must match (Machine(screen=True))
    trace: Optional[Tuple[str, int]] = None  # (regex, n): at most n trace lines match it

    def logs_verdict(self, run):
        for pattern in self.log:
            if not re.search(pattern, run.out):
                return "serial lacks /%s/" % pattern
        if self.nolog and re.search(self.nolog, run.out):
            return "serial shows /%s/" % self.nolog
        if self.debuglog and not re.search(self.debuglog, run.debugcon):
            return "SeaBIOS debug log lacks /%s/" % self.debuglog
        if self.screen and not re.search(self.screen, run.screen):
            return "the screen lacks /%s/ (screen: %s)" % (self.screen, last_lines(run.screen))
        if self.trace:
            seen = len(re.findall(self.trace[0], run.trace, re.M))
            if not 0 < seen <= self.trace[1]:
                return "%d trace lines match /%s/, want 1..%d" % (seen, self.trace[0],
                                                                  self.trace[1])
        return None


@dataclasses.dataclass(frozen=True, kw_only=True)
class Boots(Logs):
    name: str = "demo64"   # the verdict lines start with "<name>: "; "<name>: PASS" passes
    maps: bool = True      # the kernel prints its map: compare it with SeaBIOS's
    multiboot: bool = False  # ... in the Multiboot form (mapcheck.compare_multiboot)
    timeout: float = 120
    boots = True

    def verdict(self, run, e820):
        lines = run.out.splitlines()
        verdict = [l for l in lines if l.startswith(self.name + ": ")]
        fails = [l for l in verdict if "FAIL" in l or "check failed" in l]
        if run.status != EXIT_PASS:
            why = fails[0] if fails else "last serial: " + last_lines(run.out)
            panics = [l for l in lines if l.startswith("multios: panic")]
            if run.status == "halted" and panics:
                return "loader panicked: " + panics[0].strip()
            what = {EXIT_FAIL: "kernel failed", "timeout": "timed out", "halted": "halted"}.get(
                run.status, "QEMU exited with %s" % run.status)
            return "%s: %s" % (what, why.strip())
        if not any(l.strip() == self.name + ": PASS" for l in verdict):
            return "exit 33 but no '%s: PASS' line" % self.name
        why = self.logs_verdict(run)
        if why or not self.maps:
            return why
        compare = mapcheck.compare_multiboot if self.multiboot else mapcheck.compare
        return compare(run.out, os.path.join(run.workdir, "debugcon.log"), run.workdir, e820)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Shows(Boots):
    """The kernel's command line holds `bootcheck.hold`: after PASS it says it holds still,
    the runner reads the screen (runner.Snapshot), and framecheck judges it: `kind` "rgb"
    (the pattern in the reported mode, `mode` = (width, height, bpp) when the case asked for
    an exact one) or "text" (EGA text, with the kernel's marker)."""
    kind: str = "rgb"
    mode: Optional[Tuple[int, int, int]] = None

    @property
    def hold(self):
        return self.name + ": holding for the screen check"

    def verdict(self, run, e820):
        if run.status != "held":
            if run.status == EXIT_PASS:
                return "the kernel left instead of holding for the screen check"
            return Boots.verdict(self, run, e820) or "status %s" % run.status
        why = Boots.verdict(self, dataclasses.replace(run, status=EXIT_PASS), e820)
        return why or framecheck.check(run.out, self.name, self.kind,
                                       os.path.join(run.workdir, "screen.ppm"),
                                       os.path.join(run.workdir, "text.bin"), self.mode)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Halts(Logs):
    expect: str            # a regex
    timeout: float = 30
    boots = False

    def verdict(self, run, e820):
        del e820
        if run.com1 not in (None, 0):
            return "BDA COM1 base is %#x, want 0 (the case needs a machine without COM1)" % run.com1
        if run.status == "halted" and re.search(self.expect, run.out):
            # a second boot would print stage1's reason, or SeaBIOS's boot line, again
            if run.out.count("MBR: ") > 1 or run.debugcon.count("Booting from Hard Disk") > 1:
                return "machine rebooted"
            return self.logs_verdict(run)
        last = last_lines(run.out)
        if run.status == "timeout":
            return "timed out without /%s/ (last serial: %s)" % (self.expect, last)
        if run.status == "halted":
            return "halted without /%s/ (last serial: %s)" % (self.expect, last)
        return "QEMU exited with %s (triple fault or reset) before /%s/ (last serial: %s)" % (
            run.status, self.expect, last)


@dataclasses.dataclass(frozen=True, kw_only=True)
class OnScreen(Logs):
    """The screen (runner.Run.screens: when `until` first matched, and `then` seconds later)
    must pass check(run, e820) -> None or the reason."""
    until: str
    then: float = 0.5
    check: Optional[Callable] = None
    timeout: float = 60
    boots = True

    def verdict(self, run, e820):
        if run.status != "shown":
            return "the screen never showed /%s/ (%s; last serial: %s)" % (
                self.until, run.status, last_lines(run.out))
        why = self.logs_verdict(run)
        return why or (self.check(run, e820) if self.check else None)


@dataclasses.dataclass(frozen=True)
class Inspect:
    """check(paths) gets the paths of `images` (None for one that could not be made)."""
    check: Callable
    images: Tuple[str, ...] = ()
    boots = False

    def inspect(self, images):
        paths = [images.path(n) for n in self.images]
        if None in paths:
            n = self.images[paths.index(None)]
            return "no image %s (%s)" % (n, images.why(n))
        return self.check(paths)

"""debtools.py: what the boot tests need from Debian packages that may not be installed
(sfdisk, from fdisk; the third-party Multiboot kernels): a program in PATH, else the package
fetched with `apt-get download` and unpacked with `dpkg-deb -x` into a cache under the build
directory (no root). When that fails, Unavailable says why, and the cases that need it are
skipped, not passed."""
import os
import shutil
import subprocess
import threading

_lock = threading.Lock()


class Unavailable(Exception):
    """A program the tests need cannot be had."""


def fetch(build, package):
    """The directory Debian package `package` is unpacked in (build/deb/PACKAGE), fetched
    with `apt-get download` and unpacked with `dpkg-deb -x` on first use."""
    root = os.path.abspath(os.path.join(build, "deb", package))
    with _lock:
        if os.path.exists(os.path.join(root, ".unpacked")):
            return root
        os.makedirs(root, exist_ok=True)
        try:
            subprocess.run(["apt-get", "download", package], cwd=root, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            debs = [f for f in os.listdir(root) if f.endswith(".deb")]
            if not debs:
                raise Unavailable("apt-get download %s left no .deb" % package)
            subprocess.run(["dpkg-deb", "-x", os.path.join(root, debs[0]), root], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        except (OSError, subprocess.CalledProcessError) as e:
            why = getattr(e, "stderr", b"") or b""
            raise Unavailable("the Debian package %s could not be fetched: %s" % (
                package, why.decode(errors="replace").strip() or e))
        open(os.path.join(root, ".unpacked"), "w").close()
        return root


def tool(build, package, path):
    """The path of `path` (e.g. "sbin/sfdisk") from Debian package `package`."""
    name = os.path.basename(path)
    found = shutil.which(name) or shutil.which(name, path="/sbin:/usr/sbin")
    if found:
        return found
    try:
        root = fetch(build, package)
    except Unavailable as e:
        raise Unavailable("%s is not installed and %s" % (name, e))
    for prefix in ("", "usr"):
        candidate = os.path.join(root, prefix, path)
        if os.access(candidate, os.X_OK):
            return candidate
    raise Unavailable("the Debian package %s has no %s" % (package, path))

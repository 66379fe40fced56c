"""layout_inc.py: the loader's constants for the Python tools, read from the NASM include the
build generates from the C headers (build/gen/layout.inc, see stage2/layout.mk), so the tools
cannot disagree with stage1, stage2 and the linker script."""

DEFAULT = "build/gen/layout.inc"


def read(path: str = DEFAULT) -> dict:
    """{NAME: int} for every "%define NAME VALUE" line of path."""
    values = {}
    with open(path) as f:
        for line in f:
            words = line.split(";", 1)[0].split()
            if len(words) == 3 and words[0] == "%define":
                values[words[1]] = int(words[2], 0)
    return values

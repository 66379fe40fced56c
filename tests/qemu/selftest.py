"""selftest.py: what the harness's self-tests (test_mapcheck.py, test_framecheck.py) share:
named cases run through a check without QEMU, one TAP line each, in RESULTS/qemu-NAME.tap."""
import os


def report(results, name, cases):
    """cases: (what, run, want): run() gives the check's verdict (None: it passed), want is
    None for a case that must pass, else words the reason must hold. Returns the exit
    status: 0 when every verdict was as wanted."""
    lines = []
    for what, run, want in cases:
        try:
            got = run()
        except Exception as e:  # a crash in the check is a failure, not a stop
            got = "exception %r" % e
        ok = got is None if want is None else (got is not None and want in got)
        lines.append(("ok - qemu-%s %s" % (name, what)) if ok else
                     ("not ok - qemu-%s %s: got %r" % (name, what, got)))
    os.makedirs(results, exist_ok=True)
    with open(os.path.join(results, "qemu-%s.tap" % name), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0 if all(l.startswith("ok") for l in lines) else 1

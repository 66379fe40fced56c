#!/usr/bin/env python3
"""boottest.py: the QEMU boot tests. Runs the cases of the named suites (default: every suite
of the registry, suites.py), at most --jobs QEMUs at once, each under TCG and its own
timeout, and writes one TAP file per suite into the results directory: RESULTS/qemu-SUITE.tap,
`ok - qemu-SUITE CASE` or `not ok - qemu-SUITE CASE: reason`. Exit status 1 if a case
failed. --only REGEX keeps the cases whose SUITE/CASE matches; --list prints the suites.
usage: boottest.py [--build build] [--jobs 2] [--only REGEX] [--list] [SUITE ...]"""
import argparse
import concurrent.futures
import os
import re
import shutil
import sys
import time

import images
import runner
import suites


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("suites", nargs="*", metavar="SUITE", help="default: all")
    ap.add_argument("--build", default="build", help="what make built: multios.img, kernels/...")
    ap.add_argument("--results", default="build/results")
    ap.add_argument("--work", default="build/qemu", help="images and each run's logs")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", default=None, help="regex: run only cases whose SUITE/CASE matches")
    ap.add_argument("--list", action="store_true", help="print the suites and what they check")
    args = ap.parse_args()

    if args.list:
        for name, build in suites.SUITES.items():
            print("%-9s %s" % (name, build.__doc__.split("\n")[0]))
        return 0
    unknown = [s for s in args.suites if s not in suites.SUITES]
    if unknown:
        ap.error("no suite %s (suites: %s)" % (", ".join(unknown), " ".join(suites.SUITES)))
    names = args.suites or list(suites.SUITES)

    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    made = images.Images(args.build, args.work)
    cases = [c for name in names for c in suites.cases(name, made)]
    if args.only:
        cases = [c for c in cases if re.search(args.only, c.suite + "/" + c.name)]

    start = time.monotonic()
    results = {name: [] for name in names}
    busy = 0.0
    e820 = os.path.join(args.build, "e820")
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for case, why, secs in pool.map(lambda c: runner.run_case(c, made, e820, args.work),
                                        runner.order(cases)):
            busy += secs
            name = "qemu-%s %s" % (case.suite, case.name)
            if isinstance(why, runner.Skip):
                line = "ok - %s # SKIP %s" % (name, why)
            else:
                line = "ok - %s" % name if why is None else "not ok - %s: %s" % (name, why)
            line = line.replace("\n", " ")
            results[case.suite].append(line)
            print("%s (%.1f s)" % (line, secs), flush=True)
    wall = time.monotonic() - start
    # The results directory again: a concurrent `make test` may have cleaned it meanwhile.
    os.makedirs(args.results, exist_ok=True)
    for name, lines in results.items():
        if lines:
            with open(os.path.join(args.results, "qemu-%s.tap" % name), "w") as f:
                f.write("\n".join(lines) + "\n")
    print("boottest: %d runs, %.0f s wall, %.0f s QEMU time, %d jobs" %
          (len(cases), wall, busy, args.jobs))
    return 0 if all(l.startswith("ok") for v in results.values() for l in v) else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Validate the records in concepts/ and generate the bilingual pages in docs/.

    python build_kb.py            check everything, then write the pages that changed
    python build_kb.py --check    check everything, write nothing (for editors and CI)

Problems are printed as `path:line: key.path: message`, all of them, sorted; the
exit status is 1 and nothing is written when there is any.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kb.pipeline import Paths, clean, run
from kb.render.urls import DIRECTORY, FILE

ROOT = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="validate only; write nothing")
    parser.add_argument("--clean", action="store_true",
                        help="remove every page build_kb generated (hand-written pages stay)")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="project folder holding concepts/, docs/ and kb.yml (default: this one)")
    parser.add_argument("--records", type=Path, help="records folder (default: concepts/)")
    parser.add_argument("--docs", type=Path, help="output folder (default: docs/)")
    parser.add_argument("--urls", choices=[DIRECTORY, FILE], default=DIRECTORY,
                        help="links to directories (the published site, default) or to .html files "
                             "(the offline copy, read from disk)")
    parser.add_argument("--hand-written", type=Path, metavar="DOCS",
                        help="copy the hand-written pages of this docs folder into --docs too")
    parser.add_argument("--quiet", action="store_true", help="print only problems")
    args = parser.parse_args(argv)

    paths = Paths.for_root(args.root, args.records, args.docs)
    if args.clean:
        removed = clean(paths)
        print(f"Removed {removed} generated pages from {_shown(paths.docs)}.")
        return 0
    result = run(paths, write=not args.check, style=args.urls,
                 hand_written=args.hand_written.resolve() if args.hand_written else None)
    if not result.ok:
        for problem in result.problems.sorted():
            print(problem, file=sys.stderr)
        print(result.problems.summary(result.record_count), file=sys.stderr)
        return 1
    if not args.quiet:
        if args.check:
            print(f"Checked {result.record_count} records: no problems.")
        else:
            plan = result.plan
            print(f"{result.record_count} records: wrote {len(plan.write)} pages, removed "
                  f"{len(plan.delete)}, {plan.unchanged} unchanged ({_shown(paths.docs)}).")
    return 0


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix() + "/"
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())

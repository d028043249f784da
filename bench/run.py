"""Run every benchmark in this folder and gather their sections into bench/REPORT.md.

Each bench_*.py script writes its own Markdown section to bench/results/<name>.md; this
runner adds the command, the machine and the date on top.
"""

import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def machine() -> str:
    import numpy

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.platform()}; "
        f"Python {platform.python_version()}, numpy {numpy.__version__}"
    )


def main(argv: list[str]) -> int:
    only = set(argv)
    scripts = sorted(p for p in HERE.glob("bench_*.py") if not only or p.stem in only)
    failed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        if subprocess.run([sys.executable, str(script)], cwd=ROOT).returncode != 0:
            failed.append(script.name)
    sections = [p.read_text().strip() for p in sorted((HERE / "results").glob("*.md"))]
    report = "\n\n".join(
        [
            "# Benchmark report",
            f"Command: `make bench` (python bench/run.py)  \nGathered: "
            f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC  \nMachine: {machine()}",
            "These machines are shared and noisy: compare the ratios measured within one run. "
            "Each section names its own command and machine; `python bench/run.py NAME` reruns one.",
            *sections,
        ]
    )
    (HERE / "REPORT.md").write_text(report + "\n")
    print(f"wrote {HERE / 'REPORT.md'}")
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Dependency audit: pip-audit over the installed packages, with a summary that says how many
packages it could actually look up. pip-audit alone prints "No known vulnerabilities found"
even when it could look up none (PyPI's per-release data unreachable), which reads as a pass.

Exit 1 on a known vulnerability; with --strict also when any package could not be looked up."""

import json
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    strict = "--strict" in sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "audit.json"
        run = subprocess.run(  # noqa: S603 (our own interpreter and fixed arguments)
            [
                sys.executable,
                "-m",
                "pip_audit",
                "--local",
                "--skip-editable",
                "--progress-spinner",
                "off",
                "--format",
                "json",
                "--output",
                str(report),
            ],
            capture_output=True,
            text=True,
        )
        if not report.exists():
            print(f"pip-audit failed: {run.stderr.strip().splitlines()[-1:]}")
            return 1
        packages = json.loads(report.read_text())["dependencies"]
    skipped = [p for p in packages if "skip_reason" in p]
    found = [(p["name"], p["version"], v["id"]) for p in packages for v in p.get("vulns", [])]
    print(
        f"pip-audit: {len(packages)} packages, {len(packages) - len(skipped)} looked up, "
        f"{len(skipped)} could not be looked up, {len(found)} known vulnerabilities"
    )
    for name, version, advisory in found:
        print(f"  {name} {version}: {advisory}")
    if skipped and len(skipped) == len(packages):
        print("pip-audit: NOT CHECKED: no vulnerability data was reachable from this machine")
    return 1 if found or (strict and skipped) else 0


if __name__ == "__main__":
    sys.exit(main())

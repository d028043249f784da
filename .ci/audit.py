"""Dependency audit: pip-audit over the installed packages, then PyPI's project data for what it
could not look up, with a summary that says how much was actually checked.

pip-audit reads PyPI's per-release vulnerability data; where only the package index is reachable
(as on the build machines) every package is "skipped" and pip-audit still prints "No known
vulnerabilities found". PyPI's project document (``/pypi/NAME/json``) lists the known
vulnerabilities of the *latest* release, so a package installed at its latest release is checked
from it; any other is reported as not checked, by name.

Exit 1 on a known vulnerability; with --strict also when any package could not be checked."""

import json
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

Fetch = Callable[[str], dict]
Installed = Callable[[str], str]


def pypi_project(name: str) -> dict:
    with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=20) as answer:
        return json.load(answer)


def pip_audit_report() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "audit.json"
        subprocess.run(  # noqa: S603 (our own interpreter and fixed arguments)
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
            check=False,
        )
        if not report.exists():
            raise SystemExit("pip-audit failed to run")
        return json.loads(report.read_text())["dependencies"]


def audit(
    packages: list[dict], fetch: Fetch, installed: Installed | None = None
) -> tuple[list[str], list[str], int]:
    """(vulnerabilities found, packages not checked, packages checked). pip-audit names the
    version of what it looked up; a skipped package's version is read from the environment."""
    found = [f"{p['name']} {p['version']}: {v['id']}" for p in packages for v in p.get("vulns", [])]
    unchecked, checked = [], 0
    packages = [p for p in packages if "editable" not in p.get("skip_reason", "")]  # ourselves
    for package in packages:
        if "skip_reason" not in package:
            checked += 1
            continue
        name = package["name"]
        version = package.get("version") or (installed or metadata.version)(name)
        try:
            project = fetch(name)
        except Exception as error:
            unchecked.append(f"{name} {version} ({error.__class__.__name__})")
            continue
        latest = project["info"]["version"]
        if latest != version:
            unchecked.append(f"{name} {version} (latest is {latest})")
            continue
        checked += 1
        found += [
            f"{name} {version}: {v['id']}"
            for v in project.get("vulnerabilities") or []
            if not v.get("withdrawn")
        ]
    return found, unchecked, checked


def main(argv: list[str], fetch: Fetch = pypi_project) -> int:
    packages = pip_audit_report()
    found, unchecked, checked = audit(packages, fetch)
    print(
        f"dependency audit: {checked + len(unchecked)} packages, {checked} checked, "
        f"{len(unchecked)} not checked, {len(found)} known vulnerabilities"
    )
    for line in found:
        print(f"  VULNERABLE {line}")
    for line in unchecked:
        print(f"  not checked: {line}")
    return 1 if found or ("--strict" in argv and unchecked) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The lock files: everything installed is pinned with hashes, and matches what we ask for."""
import re
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PAIRS = [("requirements.txt", "requirements.lock"), ("requirements-test.txt", "requirements-test.lock")]


def lock_entries(name: str) -> dict:
    """Return {package: (version, marker, hashes)} of a lock file."""
    text = (ROOT / name).read_text().replace("\\\n", " ")
    entries = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        spec, *options = re.split(r"\s+--hash=", line)
        requirement = Requirement(spec.strip())
        (pin,) = requirement.specifier
        entries[canonicalize_name(requirement.name)] = (pin.version, requirement.marker, options)
    return entries


def asked_for(name: str) -> dict:
    """Return {package: version} of a requirements file (following -r)."""
    wanted = {}
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            wanted.update(asked_for(line[3:].strip()))
        elif line:
            requirement = Requirement(line)
            (pin,) = requirement.specifier
            assert pin.operator == "==", f"{line}: pin exactly"
            wanted[canonicalize_name(requirement.name)] = pin.version
    return wanted


@pytest.mark.parametrize("requirements,lock", PAIRS)
def test_lock_pins_every_package_with_hashes(requirements, lock):
    entries = lock_entries(lock)
    for package, (version, _marker, hashes) in entries.items():
        assert hashes and all(h.startswith("sha256:") for h in hashes), package
    for package, version in asked_for(requirements).items():
        assert entries[package][0] == version, f"{package}: run `make lock` after editing {requirements}"


def test_the_test_environment_was_installed_from_the_lock():
    """`make test` installs requirements-test.lock: every applicable package at its locked version."""
    for package, (version, marker, _hashes) in lock_entries("requirements-test.lock").items():
        if marker is not None and not Marker(str(marker)).evaluate():
            continue
        assert metadata.version(package) == version, package

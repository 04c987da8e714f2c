"""Headless Chromium for the browser tests: Debian's package, never a browser download."""

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def install_chromium() -> None:
    """Install Debian's chromium package when it is missing (CI machines start clean)."""
    if CHROMIUM.exists():
        return
    if not shutil.which("apt-get"):
        pytest.fail(f"The browser tests need {CHROMIUM} (Debian's chromium package).")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
    if subprocess.run(install, env=env, check=False).returncode != 0:  # noqa: S603
        subprocess.run(["apt-get", "update"], env=env, check=True)  # noqa: S607
        subprocess.run(install, env=env, check=True)  # noqa: S603


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    install_chromium()
    # Playwright's sync API keeps an event loop in this thread; the test's own database
    # calls are still plain synchronous code, which Django would otherwise refuse.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def screenshots(request) -> Path:
    """Where a browser test writes its step-by-step screenshots (a CI artifact)."""
    folder = Path(settings.BASE_DIR) / "test-artifacts" / "e2e" / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder

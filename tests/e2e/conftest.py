"""Headless Chromium for the browser tests: Debian's package, never a browser download."""

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

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
    if subprocess.run(install, env=env, check=False).returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, check=True)
        subprocess.run(install, env=env, check=True)


@pytest.fixture
def browser(transactional_db, live_server, monkeypatch) -> Iterator:
    """Chromium for one test; it closes before the live server and database are cleaned."""
    from playwright.sync_api import sync_playwright

    install_chromium()
    # Playwright's sync API keeps an event loop in this thread while it runs; the test's
    # own database calls are still plain synchronous code, which Django would refuse.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
        # Database calls made while Playwright ran used a connection of their own.
        connections.close_all()


@pytest.fixture
def screenshots(request) -> Path:
    """Where a browser test writes its step-by-step screenshots (a CI artifact)."""
    folder = Path(settings.BASE_DIR) / "test-artifacts" / "e2e" / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder

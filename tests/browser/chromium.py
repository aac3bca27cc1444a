"""Headless Debian Chromium through Selenium and the system chromedriver.

Nothing is downloaded: the browser and its driver are Debian's `chromium` and
`chromium-driver` packages (Selenium Manager is bypassed by naming the driver).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser")
DRIVER_CANDIDATES = ("chromedriver",)


def find_chromium() -> tuple[str, str] | None:
    """(browser, driver) paths, or None when either is not installed."""
    browser = os.environ.get("CHROMIUM_BIN") or next(
        (p for p in map(shutil.which, CHROMIUM_CANDIDATES) if p), None)
    driver = os.environ.get("CHROMEDRIVER_BIN") or next(
        (p for p in map(shutil.which, DRIVER_CANDIDATES) if p), None)
    if not browser or not driver:
        return None
    return browser, driver


def start_browser(width: int = 1400, height: int = 1000):
    """A headless Chromium session that records the console (read with ``console_errors``)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    found = find_chromium()
    if found is None:
        raise RuntimeError("chromium and chromium-driver are not installed")
    browser, driver = found
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--lang=en-US",
                f"--window-size={width},{height}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=driver), options=opts)


def console_errors(driver) -> list[str]:
    """Console entries at error level since the last call (the log is drained)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def wait_for_text(driver, text: str, timeout: float = 60) -> str:
    """Wait until the page body shows ``text``; returns the body's visible text."""
    deadline = time.time() + timeout
    body = ""
    while time.time() < deadline:
        try:
            body = driver.find_element("tag name", "body").text
        except Exception:  # noqa: BLE001 - the page may be between renders
            body = ""
        if text in body:
            return body
        time.sleep(0.5)
    raise TimeoutError(f"{text!r} never showed; the page showed:\n{body[:2000]}")


def wait_streamlit_idle(driver, timeout: float = 60) -> None:
    """Wait until Streamlit has finished running the page script."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        running = driver.find_elements("css selector", '[data-testid="stStatusWidget"]')
        app = driver.find_elements("css selector", '[data-testid="stAppViewContainer"]')
        if app and not running:
            time.sleep(0.5)
            if not driver.find_elements("css selector", '[data-testid="stStatusWidget"]'):
                return
        time.sleep(0.5)
    raise TimeoutError("the Streamlit page never finished running")


def full_page_screenshot(driver, path: Path, width: int = 1400) -> None:
    """A PNG of the whole page height (Streamlit scrolls inside its own container)."""
    height = driver.execute_script(
        "const el = document.querySelector('[data-testid=\"stMain\"]')"
        " || document.querySelector('section.main') || document.body;"
        "return Math.max(el.scrollHeight, document.body.scrollHeight);"
    )
    driver.set_window_size(width, min(int(height) + 120, 6000))
    time.sleep(1.0)
    driver.save_screenshot(str(path))

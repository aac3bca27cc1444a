"""Reading a dashboard page the way a person does: visible text, tables, metrics."""

from __future__ import annotations

import time

from tests.browser.chromium import wait_for_text, wait_streamlit_idle

_TABLE_JS = """
const t = document.querySelector(arguments[0]);
if (!t) return null;
const heads = [...t.querySelectorAll('thead th')].map(th => th.innerText.trim());
return [...t.querySelectorAll('tbody tr')].map(tr => {
  const row = {};
  [...tr.children].forEach((td, i) => {
    row[heads[i]] = td.innerText.trim();
    const a = td.querySelector('a');
    if (a) row[heads[i] + ' href'] = a.getAttribute('href');
  });
  return row;
});
"""


def open_page(driver, url: str, expect: str, timeout: float = 90) -> str:
    """Load ``url``, wait for ``expect`` and for the script to finish; the visible text."""
    driver.get(url)
    wait_for_text(driver, expect, timeout)
    wait_streamlit_idle(driver, timeout)
    return driver.find_element("tag name", "body").text


def table_rows(driver, selector: str, timeout: float = 30) -> list[dict[str, str]]:
    """Rows of the HTML table matching ``selector`` as {header: visible text}."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        rows = driver.execute_script(_TABLE_JS, selector)
        if rows is not None:
            return rows
        time.sleep(0.5)
    raise TimeoutError(f"no table {selector!r} on the page")


def metrics(driver) -> dict[str, str]:
    """Streamlit metrics as {label: value}, as displayed."""
    out = {}
    for el in driver.find_elements("css selector", '[data-testid="stMetric"]'):
        label = el.find_element("css selector", '[data-testid="stMetricLabel"]').text.strip()
        value = el.find_element("css selector", '[data-testid="stMetricValue"]').text.strip()
        out[label] = value
    return out


def choose(driver, label: str, option: str) -> None:
    """Pick ``option`` in the select box labelled ``label`` and wait for the rerun."""
    from selenium.webdriver.common.keys import Keys

    for box in driver.find_elements("css selector", '[data-testid="stSelectbox"]'):
        if box.find_element("css selector", "label").text.strip() == label:
            field = box.find_element("css selector", "input")
            field.click()
            field.send_keys(option)
            field.send_keys(Keys.ENTER)
            time.sleep(1.0)
            wait_streamlit_idle(driver)
            return
    raise LookupError(f"no select box labelled {label!r}")

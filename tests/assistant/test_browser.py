"""The web page in a real browser (Debian's headless Chromium through Selenium), against the
real server on 127.0.0.1 with the samples ingested: the manager's path (a review, filters, a
recommendation, its evidence, exports) and the trainer's (a question, a cited handout), a bad
upload, and the login. Screenshots go to $REVIEW_ASSISTANT_SCREENSHOTS (docs/ in the README)
or a temporary folder."""

from __future__ import annotations

import csv
import io
import os
import shutil
import time
from pathlib import Path

import pytest

from tests.support import servers
from tests.support.sample_library import copy_library
from tests.support.samples import SAMPLE_AGENCIES

pytestmark = pytest.mark.slow
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
INSTALL = "apt-get install -y chromium chromium-driver (Debian's packages; .ci/run installs them)"
KEY = "browser-test-key"


@pytest.fixture(scope="module")
def server(sample_library, tmp_path_factory):
    if not (CHROMIUM and DRIVER):
        pytest.skip(f"Chromium is not installed: {INSTALL}")
    # a copy: the server's process (its Chroma, its answers and feedback) must not change the
    # library the other tests of the session read
    data = copy_library(sample_library, tmp_path_factory.mktemp("browser") / "data")
    env = {
        "REVIEW_ASSISTANT_DATA_DIR": str(data),
        "REVIEW_ASSISTANT_AGENCIES": str(SAMPLE_AGENCIES),
        "API_KEYS": KEY,
    }
    with servers.api_server(env) as url:
        yield url


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(server, downloads, tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-profile")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1280,900",
                 f"--user-data-dir={profile}"):  # fmt: skip
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    driver.implicitly_wait(5)
    driver.get(server + "/")
    driver.find_element("id", "key").send_keys(KEY)  # the login page comes first
    follow(driver, driver.find_element("css selector", "form[action='/login'] button"))
    assert driver.find_element("tag name", "h1").text == "Recommendation register"
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("REVIEW_ASSISTANT_SCREENSHOTS")
    return Path(folder) if folder else tmp_path_factory.mktemp("screenshots")


def follow(browser, element) -> None:
    """Click something that loads a new page, and wait until the old one is gone (reading
    before that would find elements of the old page, or ones going stale)."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    # A mark on the old page's window, rather than a reference to one of its elements: while
    # the page is being replaced Chrome may answer a question about an old element with an
    # "unknown error" (the node no longer belongs to the document) instead of "stale".
    browser.execute_script("window.__oldPage = true;")
    element.click()

    def loaded(driver) -> bool:
        return driver.execute_script(
            "return window.__oldPage === undefined && document.readyState === 'complete';"
        )

    WebDriverWait(browser, 60, ignored_exceptions=(WebDriverException,)).until(loaded)


def wait_for_file(folder: Path, suffix: str, seconds: float = 30) -> Path:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [p for p in folder.iterdir() if p.name.endswith(suffix)]
        if found:
            time.sleep(0.3)  # let the browser finish writing it
            return found[0]
        time.sleep(0.2)
    pytest.fail(f"no {suffix} file was downloaded")


def test_a_manager_reaches_an_agencys_commitment_and_its_evidence_in_three_clicks(
    browser, server, shots
):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Recommendation register"
    browser.save_screenshot(str(shots / "register.png"))
    # click 1: the review with the most recommendations
    rows = browser.find_elements(By.CSS_SELECTOR, "table tbody tr")
    counts = [int(r.find_elements(By.CSS_SELECTOR, "td.num")[0].text) for r in rows]
    follow(browser, rows[counts.index(max(counts))].find_element(By.CSS_SELECTOR, "th a"))
    review_url = browser.current_url
    browser.save_screenshot(str(shots / "review.png"))
    # click 2: its first recommendation
    follow(browser, browser.find_element(By.CSS_SELECTOR, "table.recs tbody th a"))
    responses = browser.find_elements(By.CSS_SELECTOR, "table.responses tbody tr")
    assert responses, "the recommendation shows each agency's response"
    agency = responses[0].find_element(By.TAG_NAME, "th").text
    status = responses[0].find_element(By.CSS_SELECTOR, ".pill").text
    response_text = responses[0].find_elements(By.TAG_NAME, "td")[0].text
    assert agency and status and response_text
    browser.save_screenshot(str(shots / "recommendation.png"))
    # click 3: the evidence, highlighted in the document
    follow(browser, responses[0].find_element(By.CSS_SELECTOR, "a.src"))
    marked = browser.find_element(By.TAG_NAME, "mark").text
    assert marked and " ".join(marked.split()[:6]) in " ".join(response_text.split())
    browser.save_screenshot(str(shots / "source.png"))
    # on a phone the same page stays readable: no horizontal scrolling of the page itself
    browser.set_window_size(390, 844)
    browser.get(review_url)
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 400
    browser.save_screenshot(str(shots / "review-phone.png"))
    browser.set_window_size(1280, 900)


def test_a_manager_filters_a_review_and_exports_it(browser, server, downloads):
    from openpyxl import load_workbook
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(server + "/")
    rows = browser.find_elements(By.CSS_SELECTOR, "table tbody tr")
    counts = [int(r.find_elements(By.CSS_SELECTOR, "td.num")[0].text) for r in rows]
    follow(browser, rows[counts.index(max(counts))].find_element(By.CSS_SELECTOR, "th a"))
    before = len(browser.find_elements(By.CSS_SELECTOR, "table.recs tbody tr"))
    agency = Select(browser.find_element(By.ID, "agency")).options[1].text
    Select(browser.find_element(By.ID, "agency")).select_by_visible_text(agency)
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.filters button"))
    filtered = browser.find_elements(By.CSS_SELECTOR, "table.recs tbody tr")
    assert 0 < len(filtered) <= before
    assert all(agency in row.find_elements(By.TAG_NAME, "td")[1].text for row in filtered)
    status = filtered[0].find_element(By.CSS_SELECTOR, ".pill").text
    Select(browser.find_element(By.ID, "status")).select_by_visible_text(status)
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.filters button"))
    pills = [p.text for p in browser.find_elements(By.CSS_SELECTOR, "table.recs .pill")]
    assert pills and set(pills) == {status}

    browser.find_element(By.LINK_TEXT, "CSV").click()
    table = list(
        csv.DictReader(io.StringIO(wait_for_file(downloads, ".csv").read_text("utf-8-sig")))
    )
    assert table and {r["agency"] for r in table} == {agency}
    assert all(r["citation"] and r["recommendation"] for r in table)
    browser.find_element(By.LINK_TEXT, "XLSX").click()
    sheet = load_workbook(wait_for_file(downloads, ".xlsx")).active
    assert sheet.max_row == len(table) + 1


def test_a_trainer_asks_follows_a_citation_and_downloads_a_handout(
    browser, server, downloads, shots
):
    from docx import Document
    from selenium.webdriver.common.by import By

    browser.get(server + "/question")
    browser.find_element(By.ID, "q").send_keys("anything on babies not registered with a GP?")
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.ask button"))
    assert browser.find_element(By.CSS_SELECTOR, ".answer h2").text == "Answer"
    browser.save_screenshot(str(shots / "question.png"))
    follow(browser, browser.find_element(By.CSS_SELECTOR, ".citations li a"))
    assert browser.find_element(By.TAG_NAME, "mark").text

    browser.get(server + "/question")
    browser.find_element(By.ID, "q").send_keys("disguised compliance")
    browser.find_element(By.CSS_SELECTOR, "input[value=learning_points]").click()
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.ask button"))
    browser.find_element(By.LINK_TEXT, "DOCX").click()
    handout = Document(str(wait_for_file(downloads, ".docx")))
    text = "\n".join(p.text for p in handout.paragraphs)
    assert text.startswith("Learning points: disguised compliance")
    assert " p. " in text or "pp. " in text  # every point says where it comes from
    follow(browser, browser.find_element(By.CSS_SELECTOR, "button[value=up]"))
    assert "recorded" in browser.find_element(By.TAG_NAME, "main").text


def test_a_bad_upload_is_refused_with_a_clear_error(browser, server, shots, tmp_path):
    from selenium.webdriver.common.by import By

    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7 this is not really a PDF")
    browser.get(server + "/library")
    browser.save_screenshot(str(shots / "library.png"))
    browser.find_element(By.ID, "file").send_keys(str(bad))
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.upload button"))
    alert = browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
    assert "broken.pdf" in alert and "PDF" in alert


def test_a_manager_sees_progress_at_a_glance_and_what_one_agency_owns(browser, server, shots):
    from selenium.webdriver.common.by import By

    browser.set_window_size(1280, 900)
    browser.get(server + "/")
    bars = browser.find_elements(By.CSS_SELECTOR, "td.progress svg.bar")
    rows = browser.find_elements(By.CSS_SELECTOR, "table tbody tr")
    assert len(bars) == len(rows) and bars
    for bar in bars:  # drawn, as wide as its cell, with its counts said in words
        assert bar.size["width"] > 50 and bar.size["height"] > 5
        assert bar.get_attribute("aria-label")
        drawn = bar.find_elements(By.TAG_NAME, "rect")
        assert sum(r.size["width"] for r in drawn) == pytest.approx(bar.size["width"], abs=2)
    browser.save_screenshot(str(shots / "register.png"))
    follow(browser, browser.find_element(By.LINK_TEXT, "By agency"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "What each agency owns"
    agencies = browser.find_elements(By.CSS_SELECTOR, "table.agencies tbody tr")
    assert agencies and all(a.find_elements(By.CSS_SELECTOR, "svg.bar") for a in agencies)
    assert browser.find_elements(By.CSS_SELECTOR, "table.learned tbody tr select")
    browser.save_screenshot(str(shots / "agencies.png"))
    reviews = [int(a.find_elements(By.CSS_SELECTOR, "td.num")[0].text) for a in agencies]
    busiest = agencies[reviews.index(max(reviews))].find_element(By.CSS_SELECTOR, "th a")
    name = busiest.text
    follow(browser, busiest)
    assert browser.find_element(By.TAG_NAME, "h1").text == name
    owned = browser.find_elements(By.CSS_SELECTOR, "table tbody tr")
    assert len({r.find_element(By.CSS_SELECTOR, "td a").text for r in owned}) == max(reviews)
    assert all(r.find_element(By.CSS_SELECTOR, ".pill").text for r in owned)
    browser.save_screenshot(str(shots / "agency.png"))
    browser.set_window_size(390, 844)  # on a phone: readable, no sideways scrolling
    browser.refresh()
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 400
    browser.save_screenshot(str(shots / "agency-phone.png"))
    browser.set_window_size(1280, 900)

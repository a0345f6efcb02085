"""The report site: index content, byte-identical reruns, and the page in headless Chromium."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from click.testing import CliRunner
from suite_helpers import digests, make_project, ok_notebook, write_notebook

from analysis.cli import main

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """A reports folder from three tiny notebooks, one of them failing after a good run."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield _report(tmp_path_factory, monkeypatch)


def _report(tmp_path_factory, monkeypatch):
    root = tmp_path_factory.mktemp("site") / "proj"
    paths = make_project(root)
    monkeypatch.setenv("ANALYSIS_ROOT", str(paths.root))
    monkeypatch.delenv("ANALYSIS_REPORTS_DIR", raising=False)
    plot = (
        "import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n"
        "from analysis import figures\nfig, ax = plt.subplots()\nax.plot([1, 2], [x, 2 * x])\n"
        "figures.save(fig, 'line', notebook='01_plot', output_dir=output_dir, caption='A line')\n"
        "from IPython.display import HTML, display\n"
        "display(HTML('<b id=\"multi\">one</b>\\n<i>two</i>\\n'))\n"
        "from analysis import results\nresults.complete()"
    )
    write_notebook(paths.notebooks / "01_plot.ipynb", plot)
    ok_notebook(paths.notebooks / "02_ok.ipynb")
    ok_notebook(paths.notebooks / "03_breaks.ipynb")
    assert CliRunner().invoke(main, ["run"]).exit_code == 0
    write_notebook(paths.notebooks / "03_breaks.ipynb", "raise ValueError('no data')")
    assert CliRunner().invoke(main, ["run"]).exit_code == 1
    return paths


@pytest.mark.slow
def test_index_lists_every_notebook_and_its_outputs(report):
    index = (report.reports / "index.html").read_text()
    for name in ("01_plot", "02_ok", "03_breaks"):
        assert f'data-name="{name}"' in index
    assert "html/01_plot.html" in index and "notebooks/02_ok.ipynb" in index
    assert "figures/01_plot/line.png" in index and "A line" in index
    assert "tables/02_ok/t.csv" in index
    assert "failed/03_breaks.ipynb" in index and "ValueError: no data" in index
    assert "<script" not in index
    manifest = json.loads((report.reports / "manifest.json").read_text())
    entry = manifest["notebooks"]["01_plot"]["good"]
    assert entry["parameters"] == {"output_dir": "", "x": 1} or entry["parameters"]["x"] == 1
    assert set(entry["inputs"]) == {
        "notebook",
        "parameters",
        "data_raw",
        "sources",
        "requirements_lock",
    }
    assert "figures/01_plot/line.pdf" in entry["outputs"]
    assert manifest["suite"]["packages"]["papermill"]
    html = (report.reports / "html" / "01_plot.html").read_text()
    assert "<script src=" not in html and "cdn" not in html.lower().split("</style>")[-1]
    assert "figures.save" not in html  # code hidden in the reading version
    assert '<b id="multi">one</b>\n<i>two</i>' in html  # multi-line output joined, not a list


@pytest.mark.slow
def test_reruns_are_byte_identical(tmp_path, monkeypatch):
    paths = make_project(tmp_path / "proj")
    monkeypatch.setenv("ANALYSIS_ROOT", str(paths.root))
    monkeypatch.delenv("ANALYSIS_REPORTS_DIR", raising=False)
    plot = (
        "import matplotlib.pyplot as plt\nfrom analysis import figures, tables\nimport pandas as pd\n"
        "figures.use_style()\nfig, ax = plt.subplots()\nax.plot([1, 2], [x, 2 * x], label='a')\n"
        "ax.legend()\nfigures.save(fig, 'line', notebook='01_plot', output_dir=output_dir)\n"
        "tables.save(pd.DataFrame({'a': [x, 0.5]}), 't', notebook='01_plot', output_dir=output_dir)\n"
        "print(fig, {'set', 'order', 'depends', 'on', 'hash', 'seed'})\nfig"
    )
    write_notebook(paths.notebooks / "01_plot.ipynb", plot)
    assert CliRunner().invoke(main, ["run"]).exit_code == 0
    first = digests(paths.reports)
    assert CliRunner().invoke(main, ["run", "--force"]).exit_code == 0
    second = digests(paths.reports)
    published = [k for k in first if k.split("/")[0] in ("figures", "tables", "notebooks", "html")]
    assert len(published) >= 8
    assert {k: first[k] for k in published} == {k: second[k] for k in published}
    nb = json.loads((paths.reports / "notebooks" / "01_plot.ipynb").read_text())
    text = json.dumps(nb)
    assert "papermill" not in nb["metadata"] and "start_time" not in text and "iopub" not in text


def _browser():
    if not Path(CHROMIUM).exists() or not Path(CHROMEDRIVER).exists():
        pytest.skip(
            "headless Chromium not installed: apt-get install chromium chromium-driver "
            "(.ci/run does this)"
        )
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:  # pragma: no cover - selenium is in the test extra
        pytest.skip("selenium is not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))


@pytest.mark.slow
@pytest.mark.browser
def test_index_in_headless_chromium(report):
    from selenium.webdriver.common.by import By

    driver = _browser()
    try:
        driver.get(report.reports.joinpath("index.html").as_uri())
        rows = driver.find_elements(By.CSS_SELECTOR, "tr.notebook")
        assert sorted(r.get_attribute("data-name") for r in rows) == [
            "01_plot",
            "02_ok",
            "03_breaks",
        ]
        links = [a.get_attribute("href") for a in driver.find_elements(By.TAG_NAME, "a")]
        assert len(links) > 10
        for href in links:
            target = Path(unquote(urlparse(href).path))
            assert target.is_file(), f"broken link {href}"
        images = driver.find_elements(By.CSS_SELECTOR, ".gallery img")
        assert images and all(
            driver.execute_script("return arguments[0].naturalWidth", img) > 0 for img in images
        )
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == [], errors
        driver.get(report.reports.joinpath("html", "01_plot.html").as_uri())  # reading version
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == [], errors
    finally:
        driver.quit()

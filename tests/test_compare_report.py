"""Comparing provinces: indicator data, `chitieu compare`, the codebook and report.html in a real browser."""
import csv
import json
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, chitieu, score

DATA = ROOT / "extractors" / "data"
CHROMIUM = Path("/usr/bin/chromium")


def test_data_files_have_only_known_keys():
    """A comma in an unquoted YAML flow value silently splits it: catch that here."""
    for ind in yaml.safe_load((DATA / "indicators.yaml").read_text("utf-8")):
        assert set(ind) <= {"id", "vi", "en", "sector", "unit_kind", "unit_std", "patterns", "per_year"}, ind["id"]
        assert "unit_std" in ind, ind["id"]
    sectors = yaml.safe_load((DATA / "sectors.yaml").read_text("utf-8"))
    for code, s in sectors.items():
        assert set(s) == {"vi", "en", "keywords"}, code
    ids = [i["id"] for i in yaml.safe_load((DATA / "indicators.yaml").read_text("utf-8"))]
    assert len(ids) == len(set(ids))
    for ind in yaml.safe_load((DATA / "indicators.yaml").read_text("utf-8")):
        assert ind["sector"] in sectors, ind["id"]
    for a in yaml.safe_load((DATA / "agencies.yaml").read_text("utf-8")):
        assert set(a) <= {"name", "aliases", "successor_2025", "sectors"}, a["name"]
        assert all(alias[:1].isupper() for alias in a.get("aliases", [])), a["name"]


def test_codebook_is_generated_from_the_data():
    from pipeline.codebook import codebook

    assert (ROOT / "docs" / "codebook.md").read_text("utf-8") == codebook()


def test_shared_indicators_get_one_id_in_both_plans(corpus_run):
    s = score(corpus_run)["summary"]
    agree, total = map(int, s["concepts"].split("/"))
    assert total >= 10 and agree == total, s["concepts"]


def test_compare_prints_and_exports(corpus_run, tmp_path):
    res = chitieu("compare", str(corpus_run), "--sector", "health")
    assert res.returncode == 0
    assert "Lai Châu" in res.stdout and "Quảng Bình" in res.stdout
    res = chitieu("compare", str(corpus_run), "--sector", "health", "--wide")
    assert res.returncode == 0
    lines = " ".join(res.stdout.split())
    row = lines[lines.index("Lai Châu"):]
    assert "98 % (2025)" in row and "> 90 % (2020)" in row
    assert chitieu("compare", str(corpus_run), "--indicator", "health_insurance_coverage",
                   "--json", str(tmp_path / "c.json"), "--csv", str(tmp_path / "c.csv")).returncode == 0
    j = json.loads((tmp_path / "c.json").read_text("utf-8"))
    assert {x["indicator_id"] for x in j} == {"health_insurance_coverage"}
    assert {x["province"] for x in j} == {"Lai Châu", "Quảng Bình"}
    assert {r["province"] for r in csv.DictReader(open(tmp_path / "c.csv", encoding="utf-8"))} == {"Lai Châu", "Quảng Bình"}


@pytest.fixture(scope="module")
def page(corpus_run):
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "chromium is missing: `make setup` installs it"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update"])
        pg = browser.new_page(viewport={"width": 1200, "height": 900})
        requests = []

        def route(r):
            requests.append(r.request.url)
            (r.continue_() if r.request.url.startswith("file://") else r.abort())

        pg.route("**/*", route)
        pg.goto((corpus_run / "report.html").resolve().as_uri())
        yield pg, requests
        browser.close()


def test_report_has_a_chart_per_indicator_with_two_provinces(page, corpus_run):
    pg, requests = page
    assert all(u.startswith("file://") for u in requests)  # self-contained: nothing else was asked for
    rows = list(csv.DictReader(open(corpus_run / "comparison.csv", encoding="utf-8")))
    provinces = {}
    for r in rows:
        provinces.setdefault(r["indicator_id"], set()).add(r["province"])
    multi = {i for i, p in provinces.items() if len(p) >= 2}
    assert multi
    for ind in multi:
        assert pg.locator(f"svg.chart[data-indicator='{ind}']").count() == 1, ind


def test_clicking_a_value_shows_its_source_sentence(page, corpus_run):
    pg, _ = page
    rows = {r["commitment_id"]: r for r in csv.DictReader(open(corpus_run / "commitments.csv", encoding="utf-8"))}
    link = pg.locator("a.value").first
    cid = link.get_attribute("data-cid")
    link.click()
    box = pg.locator("#source")
    assert box.is_visible()
    assert box.locator(".sentence").inner_text() == rows[cid]["sentence"]


def test_matrix_has_a_row_per_province_and_a_column_per_indicator(page, corpus_run):
    pg, _ = page
    rows = list(csv.DictReader(open(corpus_run / "comparison.csv", encoding="utf-8")))
    shown = pg.locator("#matrix tbody tr td:first-child").all_inner_texts()
    assert len(shown) == len({(r["province"], r["doc_id"]) for r in rows})  # a row per province and plan
    assert set(shown) == {r["province"] for r in rows}
    cols = pg.locator("#matrix thead th[data-col]").evaluate_all("els => els.map(e => e.dataset.col)")
    assert sorted(cols) == sorted({r["indicator_id"] for r in rows})


def test_clicking_a_matrix_cell_shows_its_sentence(page, corpus_run):
    pg, _ = page
    rows = {r["commitment_id"]: r for r in csv.DictReader(open(corpus_run / "commitments.csv", encoding="utf-8"))}
    link = pg.locator("#matrix a.item").nth(3)
    cid = link.get_attribute("data-cid")
    link.click()
    box = pg.locator("#source")
    assert box.is_visible() and box.locator(".sentence").inner_text() == rows[cid]["sentence"]
    assert rows[cid]["province"] in box.locator(".where").inner_text()
    box.locator("button").click()


def test_province_filter_leaves_no_empty_heading(page, corpus_run):
    pg, _ = page
    rows = list(csv.DictReader(open(corpus_run / "comparison.csv", encoding="utf-8")))
    only = {p: {r["indicator_id"] for r in rows if r["province"] == p} for p in {r["province"] for r in rows}}
    for province, ids in only.items():
        pg.select_option("#province", province)
        for h in pg.locator("h2, h3").all():
            if not h.is_visible():
                continue
            holder = h.locator("xpath=ancestor::*[self::section or contains(@class,'indicator')][1]")
            assert holder.locator("tbody tr:visible").count() > 0, h.inner_text()
        visible = {i for i in ids if pg.locator(f".indicator#{i}").is_visible()}
        assert visible == ids
        hidden = {r["indicator_id"] for r in rows} - ids
        assert not any(pg.locator(f".indicator#{i}").is_visible() for i in hidden)
        assert set(pg.locator("#matrix tbody tr:visible td:first-child").all_inner_texts()) == {province}
    pg.select_option("#province", "")


def test_every_commitment_is_searchable_even_without_an_indicator(page, corpus_run):
    pg, _ = page
    rows = list(csv.DictReader(open(corpus_run / "commitments.csv", encoding="utf-8")))
    assert pg.locator("#all tbody tr").count() == len(rows)
    loose = [r for r in rows if not r["indicator_id"]]
    assert loose
    r = loose[len(loose) // 2]
    word = max((w for w in r["sentence"].split() if w.isalpha()), key=len)
    pg.fill("#search", word.upper())  # case does not matter
    found = pg.locator("#all tbody tr:visible")
    assert 1 <= found.count() < len(rows)
    assert pg.locator(f"#all tbody tr:visible a[data-cid='{r['commitment_id']}']").count() == 1
    def fold(t):  # as the page's search does: no marks, no case
        import unicodedata
        t = unicodedata.normalize("NFD", t.replace("đ", "d").replace("Đ", "D"))
        return "".join(c for c in t if not unicodedata.combining(c)).lower()
    assert all(fold(word) in fold(t) for t in found.all_inner_texts())
    pg.fill("#search", "")
    assert pg.locator("#all tbody tr:visible").count() == len(rows)


def test_report_uses_vietnamese_numbers_and_the_standard_unit():
    from pipeline.report import build_report

    base = dict(doc_id="d", province="Hà Giang", doc_number="1/KH-UBND", issued_date="2021-01-01", sector="economy",
                indicator="tổng vốn đầu tư", scope="", comparator="eq", value_max=None, value_max_std=None,
                per_year=False, target_year=2025, page=None, char_start=0, sentence="s")
    rows = [dict(base, commitment_id="d#1", indicator_id="total_investment", value=7080, unit="tỷ đồng",
                 value_std=7.08e12, unit_std="đồng"),
            dict(base, commitment_id="d#2", indicator_id="", value=62.8, unit="%", value_std=62.8, unit_std="%",
                 char_start=5)]
    page = build_report(rows, [dict(base, doc_id="d")])
    import re

    text = re.sub(r"<[^>]*>", " ", page.split("<script")[0])  # what a reader sees
    assert "7.080 tỷ đồng" in text and "62,8 %" in text and "7080000000000" not in text


def test_filters_and_screenshot(page, tmp_path):
    pg, _ = page
    pg.select_option("#sector", "health")
    assert pg.locator("section[data-sector='health']").is_visible()
    assert not pg.locator("section[data-sector='employment']").is_visible()
    pg.select_option("#sector", "")
    shot = tmp_path / "report.png"
    pg.screenshot(path=str(shot))
    from PIL import Image

    img = Image.open(shot).convert("L")
    lo, hi = img.getextrema()
    assert hi - lo > 100 and len(img.getcolors(256)) > 10  # not blank: grey levels in use


def test_report_shows_a_provinces_plans_in_date_order(tmp_path):
    from conftest import SAMPLE_003
    from pipeline.report import build_report
    from pipeline.run import Input, process

    text = SAMPLE_003.read_text("utf-8")
    early = tmp_path / "early.txt"
    late = tmp_path / "late.txt"
    early.write_text("UBND TỈNH QUẢNG BÌNH\nSố: 1/KH-UBND\nQuảng Bình, ngày 1 tháng 2 năm 2016\n\n" + text, "utf-8")
    late.write_text("UBND TỈNH QUẢNG BÌNH\nSố: 9/KH-UBND\nQuảng Bình, ngày 1 tháng 2 năm 2018\n\n" +
                    text.replace("trên 90% dân số", "trên 95% dân số"), "utf-8")
    rows = [r for f in (late, early) for r in process(Input(f, f.stem))["commitments"]]
    page = build_report(rows, [{}, {}])
    chart = page[page.index("data-indicator=\"health_insurance_coverage\""):]
    chart = chart[:chart.index("</svg>")]
    first, second = chart.index("2016-02-01"), chart.index("2018-02-01")
    assert first < second
    assert chart.index("&gt; 90 %") < chart.index("&gt; 95 %")

"""The reports as people meet them: the HTML page in a real browser, the PDF on paper,
the CSV action plan in a spreadsheet, the Markdown in a terminal.

The browser tests drive the system's Chromium (Debian's ``chromium``) through
Playwright, which downloads no browser of its own; the PDF tests use poppler-utils.
``.ci/run`` installs both and sets PARTNERSHIP_HEALTH_REQUIRE_TOOLS, so in CI a
missing tool fails these tests instead of skipping them.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markupsafe import escape

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.reporting.render import action_plan

from .conftest import MINI, REPO, missing, tool

RIVERSIDE = REPO / "examples" / "riverside.yaml"
HEALTHY = REPO / "examples" / "healthy.yaml"
MINI_ARGS = ["--rules", str(MINI / "rules"), "--questionnaire", str(MINI / "questionnaire.yaml")]
SCRIPT = "<script>alert(1)</script>"  # the free-text answer in tests/mini/answers.yaml


def cli(*argv: str) -> None:
    assert main(list(argv)) == 0, f"partnership-health {' '.join(argv)} failed"


@pytest.fixture(scope="module")
def riverside(questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> ph.Assessment:
    return ph.assess(ph.load_answers(RIVERSIDE, questionnaire), questionnaire, rulebase)


@pytest.fixture(scope="module")
def demo_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's HTML report, written by the command line as a user would."""
    path = tmp_path_factory.mktemp("demo") / "report.html"
    cli("demo", "--output", str(path))
    return path


class Page:
    """A report opened in Chromium, with every request it made and every dialog it opened."""

    def __init__(self, browser: object, path: Path, width: int = 1280, height: int = 900) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.url = path.resolve().as_uri()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.goto(self.url, wait_until="load")
        self.page.wait_for_load_state("networkidle")

    def visible(self, locator: object) -> bool:
        """On screen for a reader: displayed, not hidden, and with a real size."""
        if not locator.is_visible():  # type: ignore[attr-defined]
            return False
        box = locator.bounding_box()  # type: ignore[attr-defined]
        return bool(box and box["width"] > 4 and box["height"] > 4)


@pytest.fixture
def page(browser: object, demo_html: Path) -> Iterator[Page]:
    opened = Page(browser, demo_html)
    yield opened
    opened.context.close()


def not_blank(png: Path) -> None:
    """A picture of a page with something on it: many colours, a fair share not white."""
    from PIL import Image

    with Image.open(png) as image:
        pixels = image.convert("RGB")
        colours = pixels.getcolors(maxcolors=1 << 20) or []
        inked = sum(count for count, colour in colours if sum(colour) < 720)
        assert len(colours) > 50, f"{png.name} has only {len(colours)} colours"
        assert inked > 0.02 * pixels.width * pixels.height, f"{png.name} is almost all white"


# --- HTML in the browser ------------------------------------------------------------


def test_the_demo_report_shows_the_chart_every_finding_and_the_action_plan_in_chromium(
    page: Page, riverside: ph.Assessment, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    shot = tmp_path / "report.png"
    page.page.screenshot(path=str(shot), full_page=True)
    not_blank(shot)

    chart = page.page.locator("svg.chart")
    assert page.visible(chart)
    box = chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 300, f"the chart is too small to read: {box}"
    assert chart.locator("rect.bar").count() == len(riverside.scores)

    assert riverside.findings
    for finding in riverside.findings:
        heading = page.page.get_by_role("heading", name=re.compile(re.escape(finding.title)))
        assert page.visible(heading.first), f"finding {finding.id!r} is not visible"

    # the five most important actions in the body's plan, the others in the appendix, one row each
    plan = page.page.locator("#plan").get_by_role("table", name=re.compile("Action plan"))
    more = page.page.locator("#appendix").get_by_role("table", name=re.compile("Action plan, continued"))
    actions = action_plan(riverside)
    assert len(actions) > 5, "the demo calls for more actions than the body's plan holds"
    for table, shown in ((plan, actions[:5]), (more, actions[5:])):
        assert page.visible(table)
        expect(table.locator("thead")).to_contain_text("Owner")
        expect(table.locator("thead")).to_contain_text("Due date")
        expect(table.locator("thead")).to_contain_text("Status")
        rows = table.locator("tbody tr")
        assert rows.count() == len(shown)
        for number, action in enumerate(shown):
            assert page.visible(rows.nth(number).get_by_text(action.remedy.title, exact=True))
            assert rows.nth(number).locator("td.fill").all_inner_texts() == ["", "", ""]


def test_the_html_report_makes_no_network_request_while_loading(page: Page) -> None:
    assert page.requests == [page.url], f"requests besides the page itself: {page.requests}"


def test_the_html_report_points_at_nothing_outside_itself(demo_html: Path) -> None:
    html = demo_html.read_text(encoding="utf-8")

    addresses = Addresses()
    addresses.feed(html)
    addresses.close()
    css = re.findall(r"""url\(\s*['"]?([^'")\s]*)""", html) + re.findall(r"""@import\s+['"]([^'"]+)""", html)

    outside = [a for a in addresses.found + css if not (a.startswith("#") or a.startswith("data:"))]
    assert not outside, f"the report refers to {outside}"
    assert "<script" not in html.lower()


class Addresses(HTMLParser):
    """Every address an HTML page could load or link to."""

    ATTRIBUTES = {"src", "href", "xlink:href", "srcset", "poster", "action", "formaction", "data", "background"}

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value.strip() for name, value in attrs if name in self.ATTRIBUTES and value is not None]
        if tag == "meta" and any(name == "http-equiv" and (value or "").lower() == "refresh" for name, value in attrs):
            self.found.append("meta refresh")


def test_the_report_reads_on_a_phone_without_sideways_scrolling(browser: object, demo_html: Path) -> None:
    phone = Page(browser, demo_html, width=390, height=844)
    try:
        overflow = phone.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page is {overflow}px wider than a phone screen"
        assert phone.visible(phone.page.locator("svg.chart"))
        font = phone.page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert font >= 16
    finally:
        phone.context.close()


@pytest.fixture(scope="module")
def eight_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The troubled eight-partner example's HTML report, every figure shown (a smallest group of 1) so that
    its tables are at their widest: at the default settings no role's mean beside a split of a few is shown."""
    path = tmp_path_factory.mktemp("eight") / "report.html"
    cli("assess", str(REPO / "examples" / "eight-partners.yaml"), "--min-group", "1", "--output", str(path))
    return path


WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}

# Every table, and whether it fits: a table wider than its page must sit in a wrapper that
# scrolls sideways, can be reached and scrolled by keyboard (tabindex 0) and is a named region.
TABLES = """() => [...document.querySelectorAll('table')].filter(t => t.offsetParent !== null).map(t => {
  const wrap = t.closest('.table-wrap');
  const box = (wrap || t).getBoundingClientRect();
  return {
    table: t.className || t.querySelector('caption')?.textContent || '?',
    width: Math.round(t.getBoundingClientRect().width),
    page: document.documentElement.clientWidth,
    boxRight: Math.round(box.right),
    scrolls: !!wrap && ['auto', 'scroll'].includes(getComputedStyle(wrap).overflowX),
    keyboard: !!wrap && wrap.tabIndex === 0 && wrap.getAttribute('role') === 'region'
      && !!wrap.getAttribute('aria-label'),
  };
})"""

# Words in tables broken across lines (a break after a hyphen or a dash is allowed; code is left out).
BROKEN_WORDS = """() => {
  const broken = [];
  for (const table of document.querySelectorAll('table')) {
    const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('code')) continue;
      for (const m of node.data.matchAll(/[^\\s\\-–\\/]+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""


@pytest.fixture(params=[(report, width) for report in ("demo", "eight") for width in WIDTHS], ids="-".join)
def sized(request: pytest.FixtureRequest, browser: object, demo_html: Path, eight_html: Path) -> Iterator[Page]:
    """The demo's and the eight-partner example's reports, each on a phone and on a desktop."""
    report, width = request.param
    opened = Page(browser, demo_html if report == "demo" else eight_html, *WIDTHS[width])
    yield opened
    opened.context.close()


def test_no_table_overflows_its_page_and_no_word_in_a_table_is_broken(sized: Page) -> None:
    opened = sized  # the report in one of the sizes
    overflow = opened.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"
    tables = opened.page.evaluate(TABLES)
    assert len(tables) >= 3, tables
    for table in tables:
        assert table["boxRight"] <= table["page"], f"{table['table']} sticks out of the page: {table}"
        if table["width"] > table["page"]:
            assert table["scrolls"] and table["keyboard"], f"{table['table']} is wider than the page: {table}"
    assert opened.page.evaluate(BROKEN_WORDS) == [], "words broken across lines in a table"
    # the perception gaps: each role's mean on one line, its role written beside it on a phone
    means = opened.page.locator("#gaps table.gaps td.num").all()
    lines = "c => { const r = document.createRange(); r.selectNodeContents(c); return new Set([...r.getClientRects()]"
    lines += ".filter(x => x.width > 0).map(x => Math.round(x.top))).size; }"
    # (the demo's one lead and one wider partner: no role's mean at the default settings)
    assert means or "/demo" in opened.page.url
    assert all(cell.evaluate(lines) == 1 for cell in means)
    if opened.page.viewport_size["width"] < 500:  # type: ignore[index]
        assert all(cell.evaluate("c => getComputedStyle(c, '::before').content").strip('"') for cell in means)


def axe_violations(page: object) -> list[dict]:
    """axe-core's violations on an open page; axe.min.js comes from the axe-playwright-python wheel, not the web."""
    try:
        import axe_playwright_python
    except ImportError:
        missing("axe-playwright-python is not installed (pip install -e '.[test]')")
    script = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text(encoding="utf-8")
    page.add_script_tag(content=script)  # type: ignore[attr-defined]
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")  # type: ignore[attr-defined]
    return list(result["violations"])


def test_axe_finds_no_serious_or_critical_accessibility_problem(sized: Page) -> None:
    found = axe_violations(sized.page)
    assert sized.page.evaluate("typeof axe.run") == "function"
    serious = [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert sized.requests == [sized.url], "the scan loaded something from elsewhere"


def test_the_first_screen_is_the_summary_and_its_links_lead_to_the_details(
    page: Page, riverside: ph.Assessment
) -> None:
    summary = page.page.locator("#summary")
    assert page.visible(summary.get_by_role("heading", name="Overall health"))
    assert riverside.quality and riverside.quality.caveats
    assert page.visible(summary.get_by_text("Read with care"))
    top = summary.get_by_role("link", name=riverside.findings[0].title, exact=True).first
    assert page.visible(top)
    box = top.bounding_box()
    assert box and box["y"] < 1400, "the most serious finding is far down the first screen"

    top.click()
    anchor = "finding-" + riverside.findings[0].failure_mode.replace("_", "-")
    page.page.wait_for_function(f"location.hash === '#{anchor}'")
    finding = page.page.locator(f'[id="{anchor}"]')
    action = finding.get_by_role("link", name=re.compile(r"^action 1: "))
    action.click()
    page.page.wait_for_function("location.hash === '#action-1'")
    row = page.page.locator("#action-1")
    assert page.visible(row.get_by_text(riverside.findings[0].remedies[0].title, exact=True))
    steps = row.locator("ol.steps li")
    assert steps.count() == len(riverside.findings[0].remedies[0].steps)
    assert finding.locator("ol li").count() == 0, "a finding repeats its remedy's steps"

    assert page.page.locator("svg.chart").count() == 1
    assert page.page.locator("table.scores").count() == 0


def test_levels_and_severities_are_written_out_and_landmarks_are_named(page: Page) -> None:
    for badge in page.page.locator(".level, .severity").all():
        assert re.search(r"strength|watch|concern|agreed|critical|high|medium|low", badge.inner_text()), (
            badge.inner_text()
        )
    assert page.page.get_by_role("main").count() == 1
    assert page.visible(page.page.get_by_role("navigation", name="Contents"))
    assert page.page.get_by_role("heading", level=1).count() == 1
    headings = page.page.get_by_role("heading", level=2).all_inner_texts()
    for expected in ("Summary", "Section scores", "Findings", "Action plan", "Appendix"):
        assert any(h.startswith(expected) for h in headings), f"no '{expected}' section in {headings}"


def test_free_text_with_html_in_it_shows_as_text_in_the_browser(browser: object, tmp_path: Path) -> None:
    path = tmp_path / "mini.html"
    # One person wrote the comment: shown only as the lead chose to show every answer.
    cli("assess", str(MINI / "answers.yaml"), "--format", "html", "--output", str(path), "--min-group", "1", *MINI_ARGS)

    mini = Page(browser, path)
    try:
        assert mini.visible(mini.page.get_by_text(SCRIPT, exact=True))
        assert mini.dialogs == [], "a script from an answer ran"
    finally:
        mini.context.close()


# --- PDF ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    cli("assess", str(RIVERSIDE), "--format", "pdf", "--output", str(path))
    return path


def test_the_pdf_has_pages_and_page_one_is_not_blank(demo_pdf: Path, tmp_path: Path) -> None:
    info = subprocess.run([tool("pdfinfo"), str(demo_pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])  # type: ignore[index]
    assert pages >= 2
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info, re.M), info

    subprocess.run(
        [
            tool("pdftoppm"),
            "-r",
            "50",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(demo_pdf),
            str(tmp_path / "page1"),
        ],
        check=True,
    )
    not_blank(tmp_path / "page1.png")


def pdfpage(path: Path, number: int) -> str:
    return subprocess.run(
        [tool("pdftotext"), "-f", str(number), "-l", str(number), "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_the_demo_pdf_with_its_appendix_has_at_most_eight_pages(demo_pdf: Path) -> None:
    info = subprocess.run([tool("pdfinfo"), str(demo_pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])  # type: ignore[index]

    assert pages <= 8, f"the demo's PDF has {pages} pages"
    assert "The answers" in pdftext(demo_pdf), "the appendix of answers is part of the PDF"
    last = list(ph.load_questionnaire().questions.values())[-1]
    assert " ".join(last.text.split()[:6]) in " ".join(pdfpage(demo_pdf, pages).split())


def test_page_one_of_the_pdf_is_the_summary(demo_pdf: Path, riverside: ph.Assessment) -> None:
    first = " ".join(pdfpage(demo_pdf, 1).split())

    assert "Summary" in first
    assert "OVERALL HEALTH" in first.upper() and riverside.overall is not None
    assert f"{riverside.overall.score} out of 100" in first and riverside.overall.level in first
    assert " ".join(riverside.findings[0].title.split()) in first
    for heading in ("What matters most", "Where partners disagree most", "What is going well"):
        assert heading in first
    assert riverside.quality and riverside.quality.caveats
    assert "Read with care" in first and riverside.quality.caveats[0][:40] in first


def test_the_demo_pdf_keeps_a_vector_chart_every_finding_and_the_plan(demo_pdf: Path, riverside: ph.Assessment) -> None:
    images = subprocess.run(
        [tool("pdfimages"), "-list", str(demo_pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert len(images.strip().splitlines()) == 2, f"the PDF holds pictures, the chart should be vector:\n{images}"
    everything = pdftext(demo_pdf)
    assert "concern" in everything and "strength" in everything  # the chart's bands, drawn as text
    for finding in riverside.findings:
        assert " ".join(finding.title.split()) in everything
    assert "Action plan" in everything and "Appendix" in everything


def test_free_text_with_html_in_it_shows_as_text_in_the_pdf(tmp_path: Path) -> None:
    path = tmp_path / "mini.pdf"
    # One person wrote the comment: shown only as the lead chose to show every answer.
    cli("assess", str(MINI / "answers.yaml"), "--format", "pdf", "--output", str(path), "--min-group", "1", *MINI_ARGS)

    assert SCRIPT in pdftext(path).replace(" ", "")  # a narrow column may wrap it


def pdftext(path: Path) -> str:
    text = subprocess.run([tool("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


# --- CSV, Markdown, JSON, templates -------------------------------------------------


def test_the_csv_action_plan_has_one_row_per_prescribed_remedy_to_fill_in(
    riverside: ph.Assessment, tmp_path: Path
) -> None:
    path = tmp_path / "plan.csv"
    cli("assess", str(RIVERSIDE), "--format", "csv", "--output", str(path))

    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    prescribed = {remedy.id: remedy for finding in riverside.findings for remedy in finding.remedies}
    # numbered as in the report: most important first, the most serious finding's first remedy at the top
    assert [row["Remedy id"] for row in rows] == [action.remedy.id for action in action_plan(riverside)]
    assert rows[0]["Remedy id"] == _by_severity(riverside)[0].remedies[0].id
    assert set(prescribed) == {row["Remedy id"] for row in rows}
    for row in rows:
        remedy = prescribed[row["Remedy id"]]
        assert row["Remedy"] == remedy.title
        assert row["Steps"].startswith("1. ") and all(step.text.strip() in row["Steps"] for step in remedy.steps)
        for finding in riverside.findings:
            assert (finding.title in row["For findings"]) == (remedy in finding.remedies)
        assert row["Sources"]
        assert (row["Owner"], row["Due date"], row["Status"]) == ("", "", "")


def _by_severity(assessment: ph.Assessment) -> list[ph.Finding]:
    order = {"critical": 0, "high": 1, "medium": 2, "low": 3}
    return sorted(assessment.findings, key=lambda finding: order[finding.severity])


def test_a_remedy_prescribed_by_several_findings_is_one_action_naming_them_all(
    riverside: ph.Assessment, questionnaire: ph.Questionnaire
) -> None:
    shared = riverside.findings[0].remedies[0]
    twice = riverside.model_copy(
        update={"findings": (riverside.findings[0], riverside.findings[1].model_copy(update={"remedies": (shared,)}))}
    )

    plan = action_plan(twice)
    html = ph.render(twice, questionnaire, "html")
    markdown = ph.render(twice, questionnaire, "md")

    assert [action.remedy.id for action in plan].count(shared.id) == 1
    assert [f.id for f in plan[0].findings] == [riverside.findings[0].id, riverside.findings[1].id]
    assert html.count(f"<strong>{escape(shared.title)}</strong>") == 1
    table = markdown.split("## Action plan", 1)[1].split("\n## ", 1)[0]
    row = next(line for line in table.splitlines() if line.startswith("|") and shared.title in line)
    assert markdown.count(f"### 1. {shared.title}") == 1 and markdown.count(shared.steps[0].text) == 1
    assert riverside.findings[0].title in row and riverside.findings[1].title in row


def test_the_markdown_report_has_the_new_sections_in_plain_text(
    riverside: ph.Assessment, questionnaire: ph.Questionnaire
) -> None:
    markdown = ph.render(riverside, questionnaire, "md")

    for heading in (
        "## Summary",
        "## Section scores",
        "## Findings",
        "## Where partners see things differently",
        "## Action plan",
        "## Appendix",
    ):
        assert f"\n{heading}" in markdown
    assert "<" not in markdown.replace("<script>", "")  # no HTML in a terminal
    plan = markdown.split("## Action plan", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in plan.splitlines() if re.match(r"\| \d+ \|", line)]
    assert len(rows) == 5 < len(action_plan(riverside)), "the body's plan holds the five most important actions"
    assert all(line.endswith("|  |  |  |") for line in rows)
    appendix = markdown.split("## Appendix", 1)[1]
    for number, action in enumerate(action_plan(riverside)[5:], 6):
        assert f"\n### {number}. {action.remedy.title}\n" in appendix


def test_each_free_text_answer_is_its_own_quote_in_the_rendered_markdown(
    riverside: ph.Assessment, questionnaire: ph.Questionnaire
) -> None:
    tokens = MarkdownIt("commonmark").parse(ph.render(riverside, questionnaire, "md"))
    quotes, depth = [], 0
    for token in tokens:
        depth += {"blockquote_open": 1, "blockquote_close": -1}.get(token.type, 0)
        if depth and token.type == "inline":
            quotes.append(token.content)
    answers = [t for q in questionnaire.questions.values() if q.type == "text" for t in riverside.answers[q.id].texts]

    assert len(answers) > 3
    assert quotes == [" ".join(t.split()) for t in answers]  # not two answers run together in one quote


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_appendix_names_each_choice_by_its_label_not_its_id(
    fmt: str, riverside: ph.Assessment, questionnaire: ph.Questionnaire
) -> None:
    report = str(ph.render(riverside, questionnaire, fmt))
    appendix = report.split("## Appendix" if fmt == "md" else 'id="appendix"', 1)[1]
    begun = next(q for q in questionnaire.questions.values() if q.text.startswith("How did the partnership begin?"))
    label = next(c.label for c in begun.choices if c.id == "existing_links")

    assert riverside.answers[begun.id].distribution == {"existing_links": 4}
    assert (f"{label}: 4" if fmt == "md" else f"{escape(label)} (4)") in appendix
    assert "existing_links" not in appendix


def test_a_single_respondent_gets_the_note_instead_of_gaps(
    questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    one = ph.assess(ph.load_answers(HEALTHY, questionnaire), questionnaire, rulebase)
    assert one.respondents == 1 and not one.gaps and one.gaps_note

    for fmt in ("html", "md"):
        report = ph.render(one, questionnaire, fmt)
        assert one.gaps_note in report
        assert "Spread" not in report


def test_names_are_shown_only_from_the_respondent_list(
    riverside: ph.Assessment, questionnaire: ph.Questionnaire
) -> None:
    answers = ph.load_answers(RIVERSIDE, questionnaire)
    names = [r.name for r in answers.respondents if r.name]
    assert names

    for fmt in ("html", "md", "json", "csv"):
        report = ph.render(riverside, questionnaire, fmt)
        assert not [name for name in names if name in report], fmt

    listed = riverside.model_copy(
        update={
            "respondent_list": tuple(
                ph.models.RespondentInfo(id=r.id, name=r.name, organisation=r.organisation, role=r.role)
                for r in answers.respondents
            )
        }
    )
    html = ph.render(listed, questionnaire, "html")
    assert all(name in html for name in names)


def test_the_json_report_adds_gaps_strengths_and_the_partnership_type(
    riverside: ph.Assessment, questionnaire: ph.Questionnaire
) -> None:
    import json

    report = json.loads(ph.render(riverside, questionnaire, "json"))

    assert {"gaps", "strengths", "partnership_type"} <= set(report)
    assert len(report["gaps"]) == len(riverside.gaps)
    for gap in report["gaps"]:
        assert set(gap) == {"question", "spread", "rwg", "by_role", "prompts"}
        assert gap["question"] in questionnaire.questions
    assert [s["id"] for s in report["strengths"]] == [s.id for s in riverside.strengths]
    if riverside.partnership_type:
        assert report["partnership_type"]["chosen"] == riverside.partnership_type.chosen


def test_a_template_dir_overrides_one_template_and_the_rest_fall_back(
    riverside: ph.Assessment, questionnaire: ph.Questionnaire, tmp_path: Path
) -> None:
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "logo.html.j2").write_text(
        '<p class="brand">Riverside Council &amp; friends</p>\n', encoding="utf-8"
    )
    output = tmp_path / "report.html"

    cli("assess", str(RIVERSIDE), "--template-dir", str(tmp_path), "--format", "html", "--output", str(output))

    html = output.read_text(encoding="utf-8")
    assert "Riverside Council &amp; friends" in html
    assert '<p class="brand">Partnership Health</p>' not in html
    assert '<svg class="chart"' in html and 'id="plan"' in html  # the bundled templates still render the rest
    assert all(escape(finding.title) in html for finding in riverside.findings)
    bundled = ph.render(riverside, questionnaire, "html")
    assert '<p class="brand">Partnership Health</p>' in bundled, "an override must not leak into other renders"


def test_the_appendix_names_the_plan_steps_that_are_the_tools_own_practice(
    riverside: ph.Assessment, questionnaire: ph.Questionnaire
) -> None:
    plan = action_plan(riverside)
    own = [
        (number, n, step)
        for number, action in enumerate(plan, 1)
        for n, step in enumerate(action.remedy.steps, 1)
        if step.judgement
    ]
    html = ph.render(riverside, questionnaire, "html")
    markdown = ph.render(riverside, questionnaire, "md")
    appendix = html.split('id="appendix"', 1)[1]

    assert own, "the riverside plan has no step of the tool's own practice to show"
    marked = appendix.split('id="own-steps"', 1)[1].split("</p>", 1)[0]
    assert "the tool's own practice" in marked
    for number, n, step in own:
        assert f'<a href="#action-{number}" title="{escape(step.reason or "")}">action {number}, step {n}</a>' in marked
        assert f"- Action {number}, step {n}: {step.reason}" in markdown
    assert marked.count("<a ") == len(own), "a step citing a guide is marked as the tool's own practice"


def test_the_json_report_keeps_step_texts_and_traces_each_step(riverside: ph.Assessment, questionnaire) -> None:
    import json

    report = json.loads(ph.render(riverside, questionnaire, "json"))
    remedies = [remedy for finding in report["findings"] for remedy in finding["remedies"]]

    for remedy in remedies:
        assert all(isinstance(step, str) for step in remedy["steps"])
        assert [step["text"] for step in remedy["traced_steps"]] == remedy["steps"]
        for step in remedy["traced_steps"]:
            assert (step["source"] is None) == step["judgement"] == (step["reason"] is not None)
        cited = [step["source"] for step in remedy["traced_steps"] if step["source"]]
        assert remedy["sources"] == [s for n, s in enumerate(cited) if s not in cited[:n]]
    assert any(step["judgement"] for remedy in remedies for step in remedy["traced_steps"])

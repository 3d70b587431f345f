"""The learner's JupyterLab (`make lab`) in Chromium: notebooks render, 00 runs, self-checks answer, no instructor tools."""

import json
import re

import nbformat
import pytest

from browser_lab import ROOT, screenshot, visible_nbgrader_tools

NOTEBOOKS = sorted(p.relative_to(ROOT / "notebooks").as_posix() for p in ROOT.glob("notebooks/*/*.ipynb"))  # `make lab` serves notebooks/
SETUP = "00-setup/00-setup.ipynb"
MATH = "mjx-container, .MathJax, .MathJax_Display, .jp-RenderedLatex"
STDOUT = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stdout']"
OFFLINE_BADGE = "colab-badge.svg"  # the Open-in-Colab badge needs the internet

# What the notebook's Markdown became: TeX typeset by MathJax, and images that did not load.
RENDER_REPORT = """async ([root, math, badge]) => {
    const images = [...root.querySelectorAll('img')].filter(img => !img.src.includes(badge));
    await Promise.all(images.map(img => img.complete ? null :
        new Promise(done => { img.addEventListener('load', done); img.addEventListener('error', done); setTimeout(done, 10000); })));
    return {
        math: [...root.querySelectorAll(math)].map(e => e.closest('.jp-Cell').querySelector('.jp-RenderedMarkdown').textContent.slice(0, 200)),
        broken: images.filter(img => img.complete && img.naturalWidth === 0).map(img => img.src.slice(0, 100)),
        badges: root.querySelectorAll(`img[src*="${badge}"]`).length,
    };
}"""

# Each output of a cell: its MIME type, text, and images (alt text, loaded or not).
OUTPUTS = """outputs => outputs.map(o => ({mime: o.dataset.mimeType, text: o.textContent,
    images: [...o.querySelectorAll('img')].map(img => ({alt: img.alt, loaded: img.complete && img.naturalWidth > 0}))}))"""

CORRECT = '''def build_neuron(learning_rate=0.05):
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate), loss="mse")
    return model'''
WRONG = CORRECT.replace("SGD(learning_rate=learning_rate)", "SGD(learning_rate=0.1)")
WRONG_MESSAGE = "✗ Exercise 1: The default learning rate should be about 0.05 (± 1e-06), but it is 0.1. Stuck? Run hint(1)."


def open_notebook(page, lab, path, workspace):
    """Open ``path`` alone in a fresh workspace; return the notebook's node once every Markdown cell is rendered."""
    page.goto(lab.url(f"lab/workspaces/{workspace}/tree/{path}?reset"))
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
    markdown = sum(c.cell_type == "markdown" for c in nbformat.read(lab.root / path, 4).cells)
    page.wait_for_function("([n]) => document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) "
                           ".jp-MarkdownCell .jp-RenderedMarkdown').length >= n", arg=[markdown], timeout=60_000)
    return notebook


def render_report(page, notebook, settle_ms=1500):
    page.wait_for_timeout(settle_ms)  # MathJax typesets after the Markdown is rendered
    return page.evaluate(RENDER_REPORT, [notebook.element_handle(), MATH, OFFLINE_BADGE])


def test_render_check_sees_typeset_math(page, student_lab, course):
    """The check below can fail: a Markdown cell with $TeX$ is typeset by MathJax and detected."""
    probe = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Energy: $E = mc^2$, and escaped \\$5.")])
    nbformat.write(probe, course / "notebooks" / "math-probe.ipynb")
    notebook = open_notebook(page, student_lab, "math-probe.ipynb", "probe")
    page.wait_for_selector(f".jp-NotebookPanel:not(.lm-mod-hidden) :is({MATH})", timeout=30_000)
    assert len(render_report(page, notebook, 0)["math"]) == 1


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_student_notebook_renders_without_tex_or_broken_images(page, student_lab, path):
    notebook = open_notebook(page, student_lab, path, re.sub(r"\W", "-", path))
    if path.startswith("02-"):
        table = page.locator(".jp-MarkdownCell", has=page.locator("table", has_text="CRIM")).first
        assert table.locator("tr").count() >= 14, "02's feature table should list the 13 features"
        table.scroll_into_view_if_needed()
        page.wait_for_timeout(500)  # an off-screen cell gets its real size (content-visibility) once it is scrolled in
        screenshot(table, "02-feature-table")
    report = render_report(page, notebook)
    assert not report["math"], (f"{path}: Markdown typeset as TeX: {report['math']}. Write formulas in Unicode; JupyterLab "
                                "typesets the text between two $ of one paragraph even when they are escaped as \\$.")
    assert not report["broken"], f"{path}: images that did not load: {report['broken']}"
    assert report["badges"] == 1, f"{path}: {report['badges']} Open-in-Colab badges"
    for session in json.loads(student_lab.get("api/sessions")):
        page.request.delete(student_lab.url(f"api/sessions/{session['id']}"))


def cell(page, text):
    """The first code cell whose source contains ``text``."""
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell", has=page.locator(".jp-InputArea", has_text=text)).first


def run_answer(page, answer_cell, code):
    """Replace the answer cell's code, run it and the self-check cell after it (Shift+Enter twice)."""
    answer_cell.locator(".cm-content").click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(code)
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")


def test_setup_notebook_run_all_then_exercise_1(page, student_lab):
    open_notebook(page, student_lab, SETUP, "setup")
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=60_000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()

    # Run All stops at the first exercise's self-check (the answer cell only defines the stub), with its one-line message.
    answer = cell(page, "def build_neuron(learning_rate=0.05):")
    check = cell(page, "# Self-check: run this cell after your answer.")
    unanswered = check.locator(".jp-OutputArea-output")
    unanswered.filter(has_text="is not answered yet").wait_for(timeout=150_000)
    assert unanswered.text_content().strip() == (
        "✗ Exercise 1 is not answered yet: write your code where it says YOUR CODE HERE, in place of the line "
        "raise NotImplementedError(). Stuck? Run hint(1).")
    assert cell(page, "def image_batch_shape(").locator(".jp-InputPrompt").text_content().strip() == "[ ]:", "Run All went on after the error"

    report = cell(page, "session.start(seed=42)").locator(STDOUT)
    assert "Keras course: platform report" in report.text_content() and "mode     : quick" in report.text_content()

    # Both plot cells show every figure they draw, each with its printed one-line summary as alt text.
    figures = []
    for source in ("plots.plot_history(history", "plots.plot_lines("):
        outputs = cell(page, source).locator(".jp-OutputArea-output").evaluate_all(OUTPUTS)
        summaries = [line for o in outputs if o["mime"] == "application/vnd.jupyter.stdout" for line in o["text"].strip().splitlines()]
        images = [img for o in outputs for img in o["images"]]
        assert all(img["loaded"] for img in images), f"a broken figure under the cell with {source!r}"
        assert [img["alt"] for img in images] == summaries, f"the cell with {source!r}: alt texts {images} != printed summaries {summaries}"
        figures += summaries
    assert len(figures) == 3, figures
    every_img = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output img")
    assert every_img.evaluate_all("imgs => imgs.map(i => i.alt)") == figures, "a figure in 00's outputs without alt text"

    run_answer(page, answer, CORRECT)
    passed = check.locator(".jp-OutputArea-output", has_text="✓ Exercise 1")
    passed.wait_for(timeout=60_000)
    assert passed.text_content().strip() == "✓ Exercise 1: every check in this cell passed."
    screenshot(check, "00-exercise-1-passed")

    run_answer(page, answer, WRONG)
    failed = check.locator(".jp-OutputArea-output", has_text="✗ Exercise 1")
    failed.wait_for(timeout=60_000)
    assert failed.text_content().strip() == WRONG_MESSAGE
    assert check.locator(".jp-OutputArea-output").count() == 1


def test_student_lab_has_no_instructor_tools(page, student_lab):
    open_notebook(page, student_lab, SETUP, "menu")
    menus = page.locator("#jp-menu-panel").get_by_role("menuitem").all_inner_texts()
    assert menus[:3] == ["File", "Edit", "View"], menus
    assert visible_nbgrader_tools(page) == [], "the student's Lab shows nbgrader's instructor tools"
    screenshot(page.locator("#jp-top-panel"), "student-menu-bar")
    log = student_lab.log.read_text()
    assert "nbgrader" not in log.lower(), f"the student's server loaded nbgrader:\n{log}"
    response = page.request.get(student_lab.url("formgrader"))
    assert response.status == 404, f"/formgrader answers {response.status} in the student's Lab"

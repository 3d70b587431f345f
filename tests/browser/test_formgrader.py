"""The instructor's JupyterLab (`make formgrader`, started in grading/): Nbgrader menu → Formgrader lists the seven assignments."""

from browser_lab import ROOT, screenshot, visible_nbgrader_tools

ASSIGNMENTS = sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir() and not p.name.startswith("."))


def test_formgrader_lists_the_seven_assignments(page, instructor_lab):
    assert len(ASSIGNMENTS) == 7 and ASSIGNMENTS[0] == "00-setup" and ASSIGNMENTS[-1] == "06-tuning", ASSIGNMENTS
    page.goto(instructor_lab.url("lab?reset"))
    page.get_by_role("menuitem", name="Nbgrader", exact=True).wait_for()
    assert {"Nbgrader", "Create Assignment"} <= set(visible_nbgrader_tools(page))  # what the student's Lab must not show
    page.get_by_role("menuitem", name="Nbgrader", exact=True).click()
    page.get_by_role("menuitem", name="Formgrader", exact=True).click()
    formgrader = page.frame_locator("iframe[src*='formgrader']")
    rows = formgrader.locator("#main_table tbody tr, table tbody tr").filter(has_text="-")
    rows.filter(has_text=ASSIGNMENTS[-1]).first.wait_for(timeout=60_000)
    listed = sorted({name for name in ASSIGNMENTS if rows.filter(has_text=name).count()})
    assert listed == ASSIGNMENTS, f"Formgrader lists {listed}"
    assert "nbgrader_config.py" not in formgrader.locator("body").inner_text(), "Formgrader did not find grading/nbgrader_config.py"
    screenshot(page, "formgrader-assignments")
    log = instructor_lab.log.read_text()
    assert "not a subdirectory of the notebook server root" not in log, log

"""Regenerate the student notebooks (notebooks/) from the solutions with nbgrader.

    python grading/release.py [ASSIGNMENT ...]      # what `make release` runs

First refuses a solution whose test cell the grader could not judge (one that
does not start by collecting its answers, see judge.py), then stamps the student edition's URL from pyproject.toml ([project.urls]
"Student edition") into every solution's Open-in-Colab badge and Colab install cell,
then runs `nbgrader generate_assignment --force` for each assignment.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat

import judge

ROOT = Path(__file__).resolve().parents[1]
GRADING = ROOT / "grading"
# nbgrader runs `alembic` from PATH when it creates a gradebook, here or in a subprocess: put this interpreter's scripts first.
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"

_BADGE = re.compile(r"https://colab\.research\.google\.com/github/[^/\s)]+/[^/\s)]+/blob/[^/\s)]+/notebooks/([^/\s)]+)/([^/\s)]+\.ipynb)")
_INSTALL = re.compile(r"git\+https://github\.com/[^/\s\"']+/[^/\s\"'@]+")


def student_url():
    """The student edition's repository URL (what learners open on Colab), named once in pyproject.toml."""
    match = re.search(r'^"Student edition"\s*=\s*"([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    if not match:
        sys.exit('pyproject.toml has no [project.urls] "Student edition" = "https://github.com/OWNER/NAME" line.')
    return match.group(1).rstrip("/")


def assignments(root=None):
    """Every assignment: the folders of solutions/ (of the repository, or of a course copy at ``root``)."""
    return sorted(p.name for p in (Path(root or ROOT) / "solutions").iterdir() if p.is_dir() and not p.name.startswith("."))


def db_url(root=None):
    """The gradebook: the workspace's, or a course copy's own (``root``)."""
    return f"sqlite:///{root}/gradebook.db" if root else f"sqlite:///{GRADING / 'workspace' / 'gradebook.db'}"


def stamp(path, url):
    """Point the notebook's Colab badge and install cell at ``url``; return True if it changed."""
    github = url.replace("https://github.com/", "")
    nb = nbformat.read(path, as_version=4)
    changed = False
    for cell in nb.cells:
        new = _BADGE.sub(lambda m: f"https://colab.research.google.com/github/{github}/blob/main/notebooks/{m[1]}/{m[2]}", cell.source)
        new = _INSTALL.sub(f"git+{url}", new)
        if new != cell.source:
            cell.source, changed = new, True
    if changed:
        nbformat.write(nb, path)
    return changed


def course_options(root=None):
    """nbgrader options pointing it at a course copy at ``root``, with its own gradebook; none for the repository."""
    return (f"--CourseDirectory.root={root}", f"--CourseDirectory.db_url={db_url(root)}") if root else ()


def nbgrader(*args, root=None):
    """Run an nbgrader command from grading/ (so it reads nbgrader_config.py).

    ``root`` replaces the course root (a copy of the course, with its own
    gradebook), as the tests do; by default the repository itself.
    """
    args += course_options(root)
    (GRADING / "workspace").mkdir(exist_ok=True)
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=GRADING, capture_output=True, text=True)


def generate(names, root=None):
    """Run `nbgrader generate_assignment --force` for each name; raise on failure."""
    for name in names:
        done = nbgrader("generate_assignment", name, "--force", "--log-level=WARN", root=root)
        if done.returncode != 0:
            raise RuntimeError(f"nbgrader generate_assignment {name} failed:\n{done.stdout}{done.stderr}")


def main(argv=None):
    names = (argv if argv is not None else sys.argv[1:]) or assignments()
    url = student_url()
    for name in names:
        for nb in sorted((ROOT / "solutions" / name).glob("*.ipynb")):
            unjudged = judge.not_judged(nbformat.read(nb, as_version=4))
            if unjudged:
                sys.exit(f"{nb.relative_to(ROOT)}: the test cells {', '.join(unjudged)} do not start with "
                         "answer = checks.collect(...), so the grader could not judge them (README: Writing test cells).")
            if stamp(nb, url):
                print(f"stamped {url} into {nb.relative_to(ROOT)}")
    generate(names)
    print(f"released {len(names)} assignment(s) into notebooks/: {', '.join(names)}")


if __name__ == "__main__":
    main()

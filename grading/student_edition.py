"""Write the student edition: the repository students clone or open from Colab.

    python grading/student_edition.py DEST      # what `make student-edition DEST=DIR` runs

It holds the released notebooks, the helper package, data/README.md, the
environment files without the instructors' tools, course.mk as its Makefile and
a README made of this README's student sections. It never holds solutions/,
grading/ or tests/. DEST must be new, empty, or an edition written before (it
has the marker file); then only the files the edition owns are replaced, so its
.git and anything else you keep there stay.
"""

import re
import shutil
import sys
from pathlib import Path

import release

ROOT = Path(__file__).resolve().parents[1]
MARKER = ".student-edition"
COPIED = ["notebooks", "src", "data", "jupyter"]  # folders copied as they are (jupyter/: the Lab settings `make lab` uses)
WRITTEN = ["README.md", "pyproject.toml", "environment.yml", "Makefile", "LICENSE", MARKER]
README_SECTIONS = ["For students", "On Google Colab", "Licence"]
_JUNK = shutil.ignore_patterns("__pycache__", "*.egg-info", ".ipynb_checkpoints", "*.pyc")


_DEV = re.compile(r"\n# Instructor and contributor tools\.\ndev = \[(.*?)\n\]\n", re.S)


def dev_packages():
    """Names of the packages in pyproject's `dev` extra (instructor and contributor tools)."""
    block = _DEV.search((ROOT / "pyproject.toml").read_text())
    return {name.lower() for name in re.findall(r'^\s*"([A-Za-z0-9_.-]+)', block.group(1), re.M)}


def pyproject():
    """pyproject.toml without the `dev` extra or the test settings; its Repository is the student edition."""
    text = _DEV.sub("\n", (ROOT / "pyproject.toml").read_text())
    text = re.sub(r"\n\[tool\.pytest\.ini_options\]\n.*?(?=\n\[|\Z)", "", text, flags=re.S)
    urls = f'[project.urls]\nRepository = "{release.student_url()}"\n'
    return re.sub(r"^\[project\.urls\]\n.*?(?=\n\[)", urls, text, flags=re.M | re.S)


def environment():
    """environment.yml without the dev extra's packages."""
    dev = dev_packages()
    lines = (ROOT / "environment.yml").read_text().splitlines(keepends=True)
    keep = [line for line in lines
            if not (m := re.match(r"\s*-\s*([A-Za-z0-9_.-]+)==", line)) or m[1].lower() not in dev]
    return re.sub(r" \(a test checks that they agree\)", "", "".join(keep))


def section(text, title):
    """The README section headed `## title`, up to the next `## ` heading."""
    match = re.search(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", text, flags=re.M | re.S)
    if not match:
        sys.exit(f"README.md has no '## {title}' section for the student edition.")
    return match.group(0)


def readme():
    """Title, introduction and notebook table of README.md, `make lab`, then its student sections."""
    text = (ROOT / "README.md").read_text()
    head = text.split("\n```", 1)[0]
    table = re.search(r"^\| notebook .*?\n(?=\n)", text, flags=re.M | re.S).group(0)
    start = ("```bash\nmake lab    # the first time it creates .venv and installs the pinned packages, then opens JupyterLab\n```\n\n"
             "It works on a fresh Linux or macOS machine with Python 3.10–3.12 and `make`.\n\n")
    return head + "\n" + start + table + "\n" + "".join(section(text, t) for t in README_SECTIONS)


def prepare(dest):
    """Check that ``dest`` may be written, and remove what a previous edition wrote there."""
    if dest.exists() and any(dest.iterdir()) and not (dest / MARKER).exists():
        sys.exit(f"{dest} is not empty and holds no {MARKER} file from an earlier edition: "
                 "choose a new or empty folder (nothing was written).")
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        shutil.rmtree(dest / name, ignore_errors=True)


def build(dest):
    """Write the student edition into ``dest``; return the path."""
    dest = Path(dest).resolve()
    if dest == ROOT or ROOT in dest.parents:
        sys.exit(f"{dest} is inside the course repository: choose a folder outside it.")
    prepare(dest)
    for name in COPIED:
        shutil.copytree(ROOT / name, dest / name, ignore=_JUNK)
    (dest / "README.md").write_text(readme())
    (dest / "pyproject.toml").write_text(pyproject())
    (dest / "environment.yml").write_text(environment())
    shutil.copyfile(ROOT / "course.mk", dest / "Makefile")
    shutil.copyfile(ROOT / "LICENSE", dest / "LICENSE")
    (dest / MARKER).write_text("Written by `make student-edition` from the course repository; "
                               "the next build replaces " + ", ".join(COPIED + WRITTEN) + ".\n")
    return dest


def main(argv=None):
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1 or not args[0]:
        sys.exit("Usage: make student-edition DEST=DIR   (DIR: a new or empty folder, or an earlier edition)")
    dest = build(args[0])
    print(f"wrote the student edition to {dest}; its Colab badges and install cells point at {release.student_url()}")


if __name__ == "__main__":
    main()

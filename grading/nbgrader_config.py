"""nbgrader configuration for the course. Run nbgrader from this folder.

One notebook is one assignment: solutions/<name>/<name>.ipynb (instructor
source) -> notebooks/<name>/<name>.ipynb (student version). The grading
workspace (gradebook, submissions, autograded copies, feedback) lives in
grading/workspace/, which git ignores. grade.py wraps the grading steps.
"""

import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)  # sandbox.py and preprocessors.py

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.converters import Autograde  # noqa: E402
from nbgrader.preprocessors import Execute, GetGrades, OverwriteCells  # noqa: E402

import release  # noqa: E402
from preprocessors import HideHiddenTests, SafeExecute, SafeOverwriteCells, SanitizeNotebook  # noqa: E402

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

c.CourseDirectory.course_id = "keras-course"
c.CourseDirectory.root = os.path.dirname(here)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.submitted_directory = "grading/workspace/submitted"
c.CourseDirectory.autograded_directory = "grading/workspace/autograded"
c.CourseDirectory.feedback_directory = "grading/workspace/feedback"
c.CourseDirectory.db_url = release.db_url()

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.CsvExportPlugin.to = os.path.join(here, "workspace", "grades.csv")  # `nbgrader export`

# Autograde puts deleted graded cells back (SafeOverwriteCells) and runs every submission with SafeExecute
# (preprocessors.py) in the sandbox (sandbox.py; limits: c.SandboxKernelManager.memory, .processes...).
_defaults = Autograde.class_traits()
c.Autograde.sanitize_preprocessors = [
    SafeOverwriteCells if p is OverwriteCells else p for p in _defaults["sanitize_preprocessors"].default()
]
c.Autograde.autograde_preprocessors = [
    q for p in _defaults["autograde_preprocessors"].default() for q in ([SafeExecute, SanitizeNotebook] if p is Execute else [p])
]
c.OverwriteCells.add_missing_cells = True
# A training cell in full mode takes minutes on a CPU: nbgrader's default of 30 s would cut it off.
# A submission that runs out of time keeps the points it earned before (later graded cells score 0).
c.Execute.timeout = 900  # seconds per cell
c.SafeExecute.notebook_timeout = 3600  # seconds per notebook

# Feedback shows which check failed and its message, never the hidden tests; feedback and Formgrader pages
# show no script a student wrote (HTML in Markdown cells and outputs goes through nh3).
c.GenerateFeedback.preprocessors = [GetGrades, SanitizeNotebook, HideHiddenTests, CSSHTMLHeaderPreprocessor]
c.HTMLExporter.sanitize_html = True
c.HTMLExporter.filters = {"clean_html": "preprocessors.clean_html", "markdown2html": "preprocessors.SafeMarkdown"}

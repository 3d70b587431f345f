"""nbgrader configuration for the course. Run nbgrader from this folder.

One notebook is one assignment: solutions/<name>/<name>.ipynb (instructor
source) -> notebooks/<name>/<name>.ipynb (student version). The grading
workspace (gradebook, submissions, autograded copies, feedback) lives in
grading/workspace/, which git ignores.
"""

import os

here = os.path.dirname(os.path.abspath(__file__))
c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

c.CourseDirectory.course_id = "keras-course"
c.CourseDirectory.root = os.path.dirname(here)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.submitted_directory = "grading/workspace/submitted"
c.CourseDirectory.autograded_directory = "grading/workspace/autograded"
c.CourseDirectory.feedback_directory = "grading/workspace/feedback"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(here, "workspace", "gradebook.db")

# A training cell in full mode takes minutes on a CPU: nbgrader's default of 30 s would cut it off.
c.Execute.timeout = 900
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.CsvExportPlugin.to = os.path.join(here, "workspace", "grades.csv")  # `nbgrader export`

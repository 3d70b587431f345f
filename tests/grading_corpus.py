"""A tiny fixture assignment and a corpus of hostile submissions against it, each with its expected score.

``fixture_source()`` is the instructor notebook (three autograded exercises worth
2 + 1 + 1 points, and a written answer); ``write_corpus()`` fills in the released
student version in every way the grading workflow must survive.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ASSIGNMENT = "fixture"
MAX_SCORE = 4


def _meta(grade_id, *, solution=False, grade=False, points=0):
    meta = {"grade": grade, "grade_id": grade_id, "locked": not solution, "schema_version": 3,
            "solution": solution, "task": False}
    return {"nbgrader": {**meta, "points": points} if grade else meta}


EXERCISES = [  # grade id, points, solution, self-check, test cell (its hidden parts between the markers)
    ("fixture_mean", 2,
     'def mean_of(values):\n    """Return the mean of a list of numbers, as a float."""\n'
     "    ### BEGIN SOLUTION\n    return float(np.mean(values))\n    ### END SOLUTION",
     'checks.expect_close(mean_of([1, 2, 3]), 2.0, 1e-9, "mean_of([1, 2, 3])")',
     "answer = checks.collect(small=mean_of([1, 2, 3]))\n### BEGIN HIDDEN TESTS\n"
     "answer.add(mixed=mean_of([10, -4, 0.5, 7.5]), long=mean_of(np.arange(101)))\n### END HIDDEN TESTS\n"
     'checks.expect_close(answer.small, 2.0, 1e-9, "mean_of([1, 2, 3])")\n### BEGIN HIDDEN TESTS\n'
     'checks.expect_close(answer.mixed, 3.5, 1e-9, "mean_of of the first hidden list")\n'
     'checks.expect_close(answer.long, 50.0, 1e-9, "mean_of of the second hidden list")\n### END HIDDEN TESTS'),
    ("fixture_shape", 1,
     'def batch_shape(n_images, height, width):\n    """Return the channels-last shape of a batch of RGB images."""\n'
     "    ### BEGIN SOLUTION\n    return (n_images, height, width, 3)\n    ### END SOLUTION",
     'checks.expect_ints(batch_shape(100, 32, 32), (100, 32, 32, 3), "batch_shape(100, 32, 32)")',
     "answer = checks.collect(shown=batch_shape(100, 32, 32))\n### BEGIN HIDDEN TESTS\n"
     "answer.add(hidden=batch_shape(7, 28, 14))\n### END HIDDEN TESTS\n"
     'checks.expect_ints(answer.shown, (100, 32, 32, 3), "batch_shape(100, 32, 32)")\n### BEGIN HIDDEN TESTS\n'
     'checks.expect_ints(answer.hidden, (7, 28, 14, 3), "batch_shape of the hidden size")\n### END HIDDEN TESTS'),
    ("fixture_ones", 1,
     'def ones(n):\n    """Return a NumPy array of n ones."""\n'
     "    ### BEGIN SOLUTION\n    return np.ones(n)\n    ### END SOLUTION",
     'checks.expect_instance(ones(3), np.ndarray, "ones(3)")',
     "answer = checks.collect(three=ones(3))\n### BEGIN HIDDEN TESTS\nanswer.add(five=ones(5))\n### END HIDDEN TESTS\n"
     'checks.expect_instance(answer.three, np.ndarray, "ones(3)")\n### BEGIN HIDDEN TESTS\n'
     'checks.expect_ints(answer.five.shape, (5,), "the shape of the hidden ones array")\n'
     'checks.expect_close(answer.five.sum(), 5.0, 1e-9, "the sum of the hidden ones array")\n### END HIDDEN TESTS'),
]
GOOD = {  # a correct answer for every solution cell
    "fixture_mean": "def mean_of(values):\n    return float(np.mean(values))",
    "fixture_shape": "def batch_shape(n_images, height, width):\n    return (n_images, height, width, 3)",
    "fixture_ones": "def ones(n):\n    return np.ones(n)",
}
WRONG = {  # plausible wrong answers
    "fixture_mean": "def mean_of(values):\n    return 0.0",
    "fixture_shape": "def batch_shape(n_images, height, width):\n    return (3, height, width, n_images)",
    "fixture_ones": "def ones(n):\n    return [0] * n",
}


def fixture_source():
    """The fixture assignment's instructor notebook (solutions and hidden tests), TensorFlow-free so it grades fast."""
    cells = [new_markdown_cell("# Fixture assignment\n\nA tiny assignment that the grading tests submit hostile notebooks against."),
             new_code_cell("import numpy as np\n\nfrom keras_course import checks")]
    for number, (grade_id, points, solution, visible, test) in enumerate(EXERCISES, start=1):
        test = f'"""Checks exercise {number}."""\n{test}\nchecks.passed("Exercise {number}")'
        cells += [new_markdown_cell(f"### Exercise {number} ({points} point{'s' if points > 1 else ''})"),
                  new_code_cell(solution, metadata=_meta(grade_id, solution=True)),
                  new_code_cell(f'# Self-check\n{visible}\nchecks.passed("Exercise {number}")', metadata=_meta(f"{grade_id}_check")),
                  new_code_cell(test, metadata=_meta(f"test_{grade_id}", grade=True, points=points))]
    cells += [new_markdown_cell("### Exercise 4 (written answer, 1 point)\n\nWhat does a mean measure?"),
              new_markdown_cell("The centre of the values.", metadata=_meta("fixture_explain", solution=True, grade=True, points=1))]
    return new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


def hidden_lines(notebook):
    """The source lines between BEGIN and END HIDDEN TESTS in a notebook."""
    lines, inside = [], False
    for cell in notebook.cells:
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line or "END HIDDEN TESTS" in line:
                inside = "BEGIN" in line
            elif inside:
                lines.append(line.strip())
    return [line for line in lines if line]


@dataclass
class Entry:
    """One submission: its file in the submissions folder and the automatic points it must get."""

    assignment: str
    student: str
    expected: float
    sandboxed: bool = False  # the expected score holds only inside the sandbox (an attack it blocks)
    feedback: str = ""  # a text its feedback must show


def _cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _answer(nb, answers):
    for grade_id, source in answers.items():
        _cell(nb, grade_id).source = source
    return nb


def _after(nb, grade_id, source):
    """Insert a student code cell after the cell ``grade_id`` (after the imports for None)."""
    index = 1 if grade_id is None else nb.cells.index(_cell(nb, grade_id))
    nb.cells.insert(index + 1, new_code_cell(source))
    return nb


def _steal(expr):
    """Student code: read the solution cells' code from wherever ``expr`` finds it, and run it."""
    return ("import json, os, re\nprint('uid', os.getuid())\nstolen = ''\ntry:\n" + "\n".join("    " + line for line in expr.splitlines()) +
            "\nexcept Exception as exc:\n    print('blocked:', type(exc).__name__, exc)\n"
            "for code in re.findall(r'(def \\w+\\(.*?)(?=\\n\\s*### END SOLUTION)', stolen, re.S):\n"
            "    exec(code.replace('### BEGIN SOLUTION', ''), globals())\n"
            "print('stole', len(stolen), 'characters')")



def _steal_notebooks(*paths):
    """Student code: read the cells of these notebooks (a relative and an absolute way in), and run their solutions."""
    return _steal(f"for path in {list(paths)!r}:\n"
                  "    stolen += '\\n'.join(''.join(c['source']) for c in json.load(open(path))['cells'])")

def _variants(root, port):
    """(student, expected, sandboxed, feedback, how to build the notebook from the released one)."""
    solutions = root / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    gradebook = root / "gradebook.db"
    other = root / "grading" / "workspace" / "submitted" / "correct" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    ws = root / "grading" / "workspace"
    always_equal = ("class Anything:\n    __eq__ = lambda self, other: True\n    __ne__ = lambda self, other: False\n"
                    "    __bool__ = lambda self: True\n    __class__ = property(lambda self: np.ndarray)\n"
                    "    shape = (5,)\n    def sum(self):\n        return 5.0\n"
                    "def mean_of(values):\n    return Anything()\ndef batch_shape(*args):\n    return Anything()\n"
                    "def ones(n):\n    return Anything()")
    run_cell = ("from IPython.core.interactiveshell import ExecutionInfo, ExecutionResult\nshell = get_ipython()\n"
                "def fake(raw_cell, *args, **kwargs):\n    return ExecutionResult(ExecutionInfo(raw_cell, False, False, False, None))\n"
                "async def fake_async(raw_cell, *args, **kwargs):\n    return fake(raw_cell)\n"
                "shell.run_cell, shell.run_cell_async = fake, fake_async")
    return [
        ("correct", 4, False, "every check in this cell passed", lambda nb: _answer(nb, GOOD)),
        ("partial", 2, False, "", lambda nb: _answer(nb, {"fixture_mean": GOOD["fixture_mean"]})),
        ("blank", 0, False, "NotImplementedError", lambda nb: nb),
        ("syntax_error", 2, False, "SyntaxError",
         lambda nb: _answer(nb, {**GOOD, "fixture_mean": "def mean_of(values) return 1"})),
        ("exception", 2, False, "ValueError",
         lambda nb: _answer(nb, {**GOOD, "fixture_mean": "raise ValueError('not done yet')\n" + GOOD["fixture_mean"]})),
        ("infinite_loop", 2, False, "timed out in cell",
         lambda nb: _answer(nb, {**GOOD, "fixture_shape": "while True:\n    pass"})),
        ("memory_hog", 4, False, "", lambda nb: _after(_answer(nb, GOOD), None, "hog = bytearray(6 * 2**30)")),
        ("process_storm", 4, False, "", lambda nb: _after(_answer(nb, GOOD), None,
         "import os, threading, time\nchildren = threads = 0\ntry:\n    for _ in range(600):\n        if os.fork() == 0:\n"
         "            time.sleep(5)\n            os._exit(0)\n        children += 1\n    for _ in range(300):\n"
         "        threading.Thread(target=time.sleep, args=(5,), daemon=True).start()\n        threads += 1\n"
         "except (OSError, RuntimeError) as exc:\n    print('stopped:', exc)\nprint(children, 'children,', threads, 'threads')")),
        ("output_flood", 4, False, "", lambda nb: _after(_answer(nb, GOOD), "test_fixture_ones",
         "line = 'x' * 2**20\nfor _ in range(2048):\n    print(line)")),
        ("deleted_self_checks", 4, False, "every check in this cell passed", lambda nb: (_answer(nb, GOOD), [
            nb.cells.remove(c) for c in list(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_check")])[0]),
        ("deleted_test_cell", 4, False, "missing from the submission",
         lambda nb: (_answer(nb, GOOD), nb.cells.remove(_cell(nb, "test_fixture_mean")))[0]),
        ("duplicated_ids", 4, False, "", lambda nb: (_answer(nb, GOOD), nb.cells.insert(
            nb.cells.index(_cell(nb, "test_fixture_mean")) + 1, _cell(nb, "test_fixture_mean").copy()),
            nb.cells.insert(3, _cell(nb, "fixture_mean").copy()))[0]),
        ("edited_hidden_test", 2, False, "", lambda nb: (_answer(nb, {**GOOD, **{"fixture_mean": WRONG["fixture_mean"]}}),
         setattr(_cell(nb, "test_fixture_mean"), "source", 'checks.passed("Exercise 1")'))[0]),
        ("edited_metadata", 2, False, "", lambda nb: (_answer(nb, {**GOOD, "fixture_mean": WRONG["fixture_mean"]}),
         _cell(nb, "test_fixture_mean").metadata.nbgrader.update(points=100, checksum="0" * 32, locked=False),
         _cell(nb, "fixture_shape").metadata.nbgrader.update(points=50, checksum="1" * 32))[0]),
        ("corrupt_json", 0, False, "", None),
        ("not_a_notebook", 0, False, "", None),
        ("wrong_kernelspec", 4, False, "", lambda nb: (_answer(nb, GOOD), nb.metadata.update(
            kernelspec={"name": "bash", "display_name": "Bash", "language": "bash"}))[0]),
        ("showtraceback", 0, False, "", lambda nb: _after(_answer(nb, WRONG), None,
         "get_ipython().showtraceback = lambda *args, **kwargs: None\nget_ipython().showsyntaxerror = lambda *args, **kwargs: None")),
        ("always_equal", 0, False, "", lambda nb: _answer(nb, {"fixture_mean": always_equal})),
        ("patched_checks", 0, False, "", lambda nb: _after(_answer(nb, {**WRONG, "fixture_mean":
         "def mean_of(values):\n    import keras_course.checks as c\n    c.expect = c.expect_close = lambda *a, **k: None\n    return 0.0"}),
         None, "checks.expect = checks.expect_close = checks.expect_ints = checks.expect_instance = lambda *a, **k: None\n"
         "checks.CheckError = type('Nothing', (Exception,), {})")),
        ("patched_numpy", 0, False, "", lambda nb: _after(_answer(nb, WRONG), None,
         "import builtins\nnp.isclose = lambda *a, **k: True\nnp.isfinite = lambda *a, **k: True\n"
         "np.asarray = lambda *a, **k: np.array(2.0)\nbuiltins.issubclass = lambda *a: True\nbuiltins.abs = lambda x: 0")),
        ("sys_exit", 2, False, "SystemExit",
         lambda nb: _answer(nb, {**GOOD, "fixture_mean": "import sys\ndef mean_of(values):\n    sys.exit(0)"})),
        ("os_exit", 2, False, "the kernel died",
         lambda nb: _answer(nb, {**GOOD, "fixture_shape": "import os\ndef batch_shape(*args):\n    os._exit(0)"})),
        ("read_solutions", 0, True, "", lambda nb: _after(nb, None, _steal_notebooks(
            f"../../../../../solutions/{ASSIGNMENT}/{ASSIGNMENT}.ipynb", str(solutions)))),
        ("read_gradebook", 0, True, "", lambda nb: _after(nb, None, _steal(
            f"import sqlite3\nstolen = '\\n'.join(s for (s,) in sqlite3.connect('file:{gradebook}?mode=ro', uri=True)"
            ".execute('select source from source_cells'))\nprint(stolen)"))),
        ("write_gradebook", 0, True, "", lambda nb: _after(_answer(nb, WRONG), None,
         "import glob, os, sqlite3\ntry:\n"
         f"    db = sqlite3.connect({str(gradebook)!r})\n    db.execute('update grade set manual_score = 99')\n    db.commit()\n"
         "except Exception as exc:\n    print('blocked:', exc)\n"
         f"for pattern in ['../../../*/*/*/*', {str(ws / '*' / '*' / '*' / '*')!r}]:\n"
         "    for path in glob.glob(pattern):\n        try:\n            open(path, 'w').write('defaced')\n"
         "        except Exception as exc:\n            print(path, exc)")),
        ("network", 0, True, "", lambda nb: _after(nb, None, _steal(
            f"import socket\nwith socket.create_connection(('127.0.0.1', {port}), timeout=5) as s:\n"
            "    stolen = s.makefile().read()"))),
        ("read_other_student", 0, True, "", lambda nb: _after(nb, None, _steal_notebooks(
            f"../../../submitted/correct/{ASSIGNMENT}/{ASSIGNMENT}.ipynb", str(other)))),
        ("leak_hidden_tests", 4, False, "", lambda nb: _after(_answer(nb, {**GOOD, "fixture_mean":
         "def mean_of(values):\n    print(get_ipython().user_ns['_ih'][-1])\n    return float(np.mean(values))"}),
         "test_fixture_ones", "print('\\n'.join(_ih))\nraise RuntimeError(repr(_ih[-2]))")),
        ("fake_success", 0, False, "", lambda nb: _after(_answer(nb, WRONG), None, run_cell)),
        ("slow", 4, False, "", lambda nb: _after(_answer(nb, GOOD), None, "import time\ntime.sleep(3)")),
        # Tricks against the student's own kernel: the checks run in the grader's clean kernel, so they earn nothing.
        ("displayhook_at_every_cell", 0, False, "", lambda nb: _after(nb, None,
         "ip = get_ipython()\nip.events.register('pre_run_cell', lambda info: ip.displayhook('ok'))")),
        ("displayhook_in_answers", 0, False, "", lambda nb: _answer(nb, {"fixture_mean":
         "import sys\ndef mean_of(values):\n    get_ipython().displayhook(2)\n    return 0.0\n"
         "def batch_shape(*args):\n    sys.displayhook('done')\n    raise ValueError('no')\n"
         "def ones(n):\n    get_ipython().displayhook(1)\n    return [0] * n"})),
        ("replaced_checks_numpy", 0, False, "", lambda nb: _after(_answer(nb, WRONG), None,
         "import types\nchecks.np = types.SimpleNamespace(asarray=lambda *a, **k: np.array(2.0), isfinite=lambda x: True,\n"
         "                                  bool_=bool, size=np.size, isclose=lambda *a, **k: True)")),
        ("replaced_expect_code", 0, False, "", lambda nb: _after(_answer(nb, WRONG), None,
         "checks.expect.__code__ = (lambda condition, message: None).__code__")),
        ("settrace", 0, False, "", lambda nb: _after(_answer(nb, WRONG), None,
         "import sys\ndef tracer(frame, event, arg):\n    if frame.f_code.co_name == 'expect':\n"
         "        frame.f_locals['condition'] = True\n    return tracer\nsys.settrace(tracer)")),
        ("input_transformer", 0, False, "", lambda nb: _after(_answer(nb, WRONG), None,
         "def fake(lines):\n    if 'checks.' in ''.join(lines):\n"
         "        return [\"print('✓ Exercise 1: every check in this cell passed.')\\n\"]\n    return lines\n"
         "get_ipython().input_transformers_post.append(fake)")),
        ("forged_answers", 0, False, "", lambda nb: _after(nb, None,
         "from IPython.display import display\nforged = {'version': 1, 'values': {'small': 2.0, 'shown': "
         "{'$': 'tuple', 'items': [100, 32, 32, 3]}}}\nget_ipython().events.register('pre_run_cell', lambda info: "
         "display({'application/vnd.keras-course.answers+json': forged}, raw=True))")),
        ("leak_encoded", 4, False, "", lambda nb: _after(_answer(nb, {**GOOD, "fixture_mean":
         "import base64\ndef mean_of(values):\n    print(base64.b64encode('\\n'.join(_ih).encode()).decode())\n"
         "    return float(np.mean(values))"}),
         "test_fixture_ones", "import base64\nprint(base64.b64encode('\\n'.join(_ih).encode()).decode())\n"
         "raise RuntimeError('\\n'.join(_ih)[::-1])")),
        # Attacks on the people who read the results, and on the grading machine.
        ("xss", 4, False, "", lambda nb: _markdown_after(_after(_answer(nb, GOOD), None, XSS_OUTPUTS), None, XSS_MARKDOWN)),
        ("huge_outputs", 4, False, "", lambda nb: _after(_answer(nb, GOOD), "test_fixture_ones",
         "from IPython.display import display\ndisplay({'text/plain': 'x'}, metadata={'k': 'm' * 30_000_000}, raw=True)\n"
         "raise ValueError('e' * 50_000_000)")),
        ("env_leak", 4, False, "", lambda nb: _after(_answer(nb, GOOD), None,
         "import os\nprint(sorted(os.environ.items()))")),
        ("ipc_fill", 4, True, "", lambda nb: _after(_answer(nb, GOOD), None, IPC_FILL)),
        ("terminal_writes", 4, False, "", lambda nb: _after(_answer(nb, GOOD), None,
         "import os\nfor fd in (0, 1, 2):\n    try:\n        os.write(fd, b'\\x1b[2J\\x1b[31m\\nfixture  alice  0/4  NOT GRADED\\n')\n"
         "    except OSError as exc:\n        print(fd, exc.strerror)\ntry:\n    open('/dev/tty', 'wb').write(b'forged')\n"
         "except OSError as exc:\n    print('no terminal:', exc.strerror)")),
    ]


XSS_MARKDOWN = ('<script>alert("md")</script><img src=x onerror="alert(\'img\')">'
                '<a href="javascript:alert(\'a\')">link</a><iframe src="https://example.org"></iframe>')
XSS_OUTPUTS = ("from IPython.display import HTML, Javascript, display\n"
               "display(HTML('<script>alert(\"html\")</script><img src=x onerror=alert(\"out\")><b>bold</b>'))\n"
               "display(Javascript('alert(\"js\")'))\n"
               "display({'image/svg+xml': '<svg onload=alert(\"svg\")></svg>', 'text/plain': 'svg'}, raw=True)")
IPC_FILL = ("import os\nfrom ipykernel import get_connection_file\nipc, home = os.path.dirname(get_connection_file()), os.getcwd()\n"
            "written = 0\ntry:\n    with open(os.path.join(ipc, 'fill'), 'wb') as f:\n        for _ in range(3 * 1024):\n"
            "            f.write(b'x' * 2**20)\n            f.flush()\n            written += 1\n"
            "except OSError as exc:\n    print('fill stopped after', written, 'MB:', exc.strerror)\n"
            "os.chdir(ipc)\ndepth = 0\ntry:\n    for depth in range(3000):\n        os.mkdir('d')\n        os.chdir('d')\n"
            "except OSError as exc:\n    print('tree stopped at', depth, exc.strerror)\nos.chdir(home)\nprint('tree depth', depth)")


def _markdown_after(nb, grade_id, source):
    """Insert a student Markdown cell after the cell ``grade_id`` (after the imports for None)."""
    index = 1 if grade_id is None else nb.cells.index(_cell(nb, grade_id))
    nb.cells.insert(index + 1, new_markdown_cell(source))
    return nb


def correct(nb):
    """The fixture notebook ``nb`` with every answer right."""
    return _answer(nb, GOOD)


def holding_processes(nb, seconds):
    """A correct fixture notebook whose extra cell starts every process its user may have and holds them ``seconds``."""
    return _after(correct(nb), None,
                  "import os, time\nchildren = 0\ntry:\n    while children < 2000:\n        if os.fork() == 0:\n"
                  f"            time.sleep({seconds + 30})\n            os._exit(0)\n        children += 1\n"
                  "except OSError as exc:\n    print('stopped:', exc)\n"
                  f"print(children, 'children')\ntime.sleep({seconds})")


def write_corpus(folder, released, root, port, attacks=True):
    """Write the corpus submissions into ``folder`` (as an LMS download would hold them); return the entries.

    ``released`` is the student version of the fixture, ``root`` the course copy
    being graded (attacks aim at its files), ``port`` a local server handing out
    the solutions to anyone who can connect. Without ``attacks`` the entries
    that only a sandbox stops (and that would deface the workspace) are left out.
    """
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for student, expected, sandboxed, text, build in _variants(root, port):
        if sandboxed and not attacks:
            continue
        name = f"{student}_{ASSIGNMENT}.ipynb"
        if build is None:
            data = '{"cells": [{"cell_type": "code", "source": "' if student == "corrupt_json" else json.dumps({"hello": "world"})
            (folder / name).write_text(data)
        else:
            (folder / name).write_text(json.dumps(build(nbformat.read(released, as_version=4)), indent=1))
        entries.append(Entry(ASSIGNMENT, student, expected, sandboxed, text))
    return entries


SETUP = "00-setup"  # the real course notebook graded next to the corpus: 3 + 1 + 2 automatic points


def write_setup_submissions(folder, root, attacks=True):
    """Notebook 00 as students hand it in (its blank version is test_grading's), one folder each; return the entries."""
    solution = nbformat.read(root / "solutions" / SETUP / f"{SETUP}.ipynb", as_version=4)
    released = root / "notebooks" / SETUP / f"{SETUP}.ipynb"
    answers = {c.metadata.nbgrader["grade_id"]: c.source for c in solution.cells
               if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"}
    partial = {k: v for k, v in answers.items() if k != "neuron_model"}
    hostile = (f"get_ipython().showtraceback = lambda *args, **kwargs: None\n"
               + _steal(f"stolen = '\\n'.join(''.join(c['source']) for c in json.load(open({str(root / 'solutions' / SETUP / f'{SETUP}.ipynb')!r}))['cells'])"))

    def build_hostile(nb):
        nb.cells.remove(_cell(nb, "test_neuron_model"))
        return _after(nb, None, hostile)

    neuron = answers["neuron_model"]
    lambda_model = neuron.replace("keras.layers.Dense(1)", "keras.layers.Dense(1), keras.layers.Lambda(lambda x: x)")
    wrong_loss = ('keras.losses.get = lambda identifier: keras.losses.MeanSquaredError()\n'
                  + neuron.replace('loss="mse"', 'loss="mae"'))
    assert lambda_model != neuron and "mae" in wrong_loss
    entries = []
    for student, expected, sandboxed, build in [("correct", 6, False, None), ("partial", 3, False, lambda nb: _answer(nb, partial)),
                                                ("hostile", 0, True, build_hostile),
                                                ("lambda_layer", 3, False, lambda nb: _answer(nb, {**answers, "neuron_model": lambda_model})),
                                                ("patched_loss_lookup", 3, False, lambda nb: _answer(nb, {**answers, "neuron_model": wrong_loss}))]:
        if sandboxed and not attacks:
            continue
        nb = solution if build is None else build(nbformat.read(released, as_version=4))
        (folder / student).mkdir(parents=True, exist_ok=True)
        (folder / student / f"{SETUP}.ipynb").write_text(json.dumps(nb, indent=1))
        entries.append(Entry(SETUP, student, expected, sandboxed))
    return entries


NAMES = [(ASSIGNMENT, variant[0]) for variant in _variants(Path(), 0)] + [
    (SETUP, s) for s in ("correct", "partial", "hostile", "lambda_layer", "patched_loss_lookup")]

"""Helpers for the Keras hands-on course.

Modules, named for what a notebook asks of them:

- ``session``: the platform report and quick/full mode every Setup cell starts with;
- ``quiet``: imported before Keras, it keeps TensorFlow's C++ start-up noise out of the outputs;
- ``datasets``: the course's datasets, offline-capable (mirror, Keras cache, synthetic);
- ``plots``: training curves and image grids with one-line text summaries;
- ``checks``: the helpers that exercises' visible and hidden tests call;
- ``results``: ``record()`` the metrics a notebook reports to ``keras-course run``.
"""

__version__ = "0.1.0"

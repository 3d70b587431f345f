"""Test-wide settings: notebooks run in quick mode, quietly."""

import os

os.environ.setdefault("KERAS_COURSE_QUICK", "1")  # small subsets, few epochs
os.environ.setdefault("KERAS_COURSE_REAL_DATA", "1")  # a notebook must not pass on the synthetic stand-in
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow's C++ start-up chatter

"""A stand-in for Colab's ``google.colab`` package, for `make test-colab`.

The notebooks and TensorBoard only test that it is imported (``"google.colab"
in sys.modules``, ``import google.colab``), so it is empty. There is no
``google/__init__.py``: ``google`` stays a namespace package, shared with protobuf.
"""

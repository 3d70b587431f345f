# Colab's kernel imports google.colab when it starts; so does the fake one's.
import google.colab  # noqa: F401

# Test harness only, not part of the fake Colab: the Keras cache (KERAS_HOME) links to
# the offline dataset mirror, whose re-packed files fail Keras's checksums (see the
# mirror's README). Accept those links, so Keras reads them as a learner's downloads.
import os

from keras.src.utils import file_utils

_MIRROR = os.path.realpath(os.environ["KERAS_COURSE_TEST_MIRROR"])
_validate_file = file_utils.validate_file


def _accept_mirror_links(fpath, *args, **kwargs):
    if os.path.realpath(fpath).startswith(_MIRROR + os.sep):
        return True
    return _validate_file(fpath, *args, **kwargs)


file_utils.validate_file = _accept_mirror_links

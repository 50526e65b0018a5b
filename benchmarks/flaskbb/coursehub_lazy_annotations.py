"""Import hook that lets FlaskBB 2.2 run on Python 3.12 and 3.13 (benchmark venv only).

FlaskBB 2.2 is written for Python 3.14's lazy annotations: some annotations name classes
that are imported only under TYPE_CHECKING, so on older versions the module dies at import
with NameError. This hook compiles the modules of FlaskBB and its bundled plugins with
``from __future__ import annotations`` semantics, which keeps annotations unevaluated,
without touching FlaskBB's files. setup.sh copies it into the venv's site-packages next
to a .pth file that imports it.
"""

import __future__

import sys
from importlib.abc import MetaPathFinder
from importlib.machinery import PathFinder, SourceFileLoader

PACKAGES = frozenset({"flaskbb", "conversations", "portal"})


class LazyAnnotationsLoader(SourceFileLoader):
    """Compile from source every time: the .pyc files pip wrote were compiled without the
    flag, and a cache keyed on the source's mtime would hand them back."""

    def get_code(self, fullname):
        source = self.get_data(self.path)
        return compile(
            source,
            self.path,
            "exec",
            flags=__future__.annotations.compiler_flag,
            dont_inherit=True,
        )


class LazyAnnotationsFinder(MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname.partition(".")[0] not in PACKAGES:
            return None
        spec = PathFinder.find_spec(fullname, path, target)
        if spec is None or type(spec.loader) is not SourceFileLoader:
            return None
        spec.loader = LazyAnnotationsLoader(fullname, spec.origin)
        return spec


if sys.version_info < (3, 14):
    sys.meta_path.insert(0, LazyAnnotationsFinder())

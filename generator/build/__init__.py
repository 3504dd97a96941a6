"""The build: the pipeline from the repository to the site, its staging and swap, its
second process and its caches."""

from generator.build.pipeline import build_id_from_environment, build_site, now_from_environment
from generator.build.report import BuildError, BuildResult
from generator.build.serve import serve_site

__all__ = [
    "BuildError",
    "BuildResult",
    "build_id_from_environment",
    "build_site",
    "now_from_environment",
    "serve_site",
]

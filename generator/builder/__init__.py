"""The build: the pipeline from the repository to the site, its staging and swap, its
second process and its caches."""

from generator.builder.environment import build_id_from_environment, now_from_environment
from generator.builder.pipeline import build_site
from generator.builder.report import BuildError, BuildResult
from generator.builder.serve import serve_site

__all__ = [
    "BuildError",
    "BuildResult",
    "build_id_from_environment",
    "build_site",
    "now_from_environment",
    "serve_site",
]

"""statusgen: a git-native generator of static status pages."""

__version__ = "0.1.0"

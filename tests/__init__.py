"""The pytest suite, a package so that its helper modules are imported by
name (``from tests.support.harness import Project``) with no path set-up."""

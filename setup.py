# scrapyd-deploy builds the Scrapyd egg by running `setup.py bdist_egg`, and writes a setup.py
# of its own when there is none, one that ignores pyproject.toml (package data, entry point).
# This file makes it build from pyproject.toml, where everything is declared.
from setuptools import setup

setup()

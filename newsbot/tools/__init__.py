"""Command-line tools: the `newsbot` command and `profile check`."""

"""Scaling out: workers on one Redis, JavaScript pages through Splash."""

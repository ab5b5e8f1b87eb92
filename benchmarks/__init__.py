"""Benchmarks: scripts that print figures (median and spread); they never fail a build."""

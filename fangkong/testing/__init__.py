"""Test-run plumbing: the settings every test run uses, and the browser fixtures."""

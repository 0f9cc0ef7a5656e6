"""Hostile servers and hostile input, one loopback server per case.

Each case asserts the exact error class it expects, memory under the configured
bound (``tracemalloc``) where memory is the point, and waits within their cap. The
fixtures of ``tests/conftest.py`` apply here too.
"""

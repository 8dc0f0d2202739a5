"""The sandbox's slow suite: ``python3 scripts/test --slow`` (CI runs it on every change).

The benchmark smoke run, the project from the docs on the meta-package's wheel alone and
the browser test: minutes of installs and a real browser, kept out of the default run
(``python3 scripts/test``) so that it stays quick.
"""

"""The pgschemas benchmark suite (entry point: ``scripts/bench``).

Modules run in two places: the orchestrator (``cli``, ``envs``, ``workload``, ``runner``,
``stats``, ``report``) runs with the plain ``python3`` that started ``scripts/bench`` and
uses only the standard library; ``driver`` (with ``projects/``) runs inside one peer's
virtualenv per measurement and answers with one JSON document on stdout.
"""

"""Model lifecycle: build training data, fit, evaluate, benchmark. Never imported at runtime.

Needs the ``train`` extra (html-text, inscriptis, html2text for rendering pages to dumps).
"""

"""cleaner: strip boilerplate and clutter from scraped articles, text dumps and HTML alike.

>>> import cleaner
>>> article = cleaner.clean(open("seeds/004_382a58e98ad6cf3d.txt").read())  # doctest: +SKIP
>>> article.text, article.title, [d.label for d in article.lines]            # doctest: +SKIP
"""
from .errors import CleanerError, InputError, ModelError, TimeLimitError, WorkerError
from .options import Options
from .pipeline import Cleaner, clean, iter_clean
from .types import Article, Label, LineDecision, Link, RawDoc

__version__ = "0.1.0"
__all__ = ["clean", "iter_clean", "Cleaner", "Options", "Article", "LineDecision", "Label", "Link",
           "RawDoc", "CleanerError", "InputError", "ModelError",
           "TimeLimitError", "WorkerError", "__version__"]

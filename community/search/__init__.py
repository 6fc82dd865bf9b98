"""Confer's search index: a Wagtail (modelsearch) search backend built on Whoosh.

Point ``WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]`` at ``community.search.backend``. The
modules here are split by concern: ``analysis`` (how text becomes terms), ``mapping`` (how model
fields become Whoosh fields and documents), ``storage`` (index directories, atomic swaps and
locked writes) and ``backend`` (the modelsearch classes that tie them together).
"""

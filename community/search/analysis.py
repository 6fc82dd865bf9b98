"""How text becomes index terms, for documents and for what people type.

Every analyzer here is built only from Whoosh's own classes, because Whoosh pickles the analyzers
into each index's table of contents: an index must stay readable even if this module changes.
"""

from whoosh.analysis import (
    CharsetFilter,
    LowercaseFilter,
    NgramFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.analysis.filters import STOP_WORDS
from whoosh.support.charset import accent_map

# Chinese, Japanese and Korean are written without spaces, so a "word" there is one character:
# indexing each ideograph on its own makes any run of them findable (phrase queries keep order).
CJK = "\u2e80-\u2fff\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
WORD_PATTERN = rf"[{CJK}]|[^\W{CJK}]+"

# Longer "words" are URLs, hashes or pasted junk; dropping them keeps the term dictionary small.
MAX_TERM_LENGTH = 64
# Autocomplete indexes word prefixes up to this length (as Elasticsearch's edge n-grams do).
MAX_PREFIX_LENGTH = 15

# A query is cut to this many characters and distinct terms before it reaches Whoosh, so a
# pasted page of text costs no more than a long sentence.
MAX_QUERY_CHARS = 1000
MAX_QUERY_TERMS = 32


def _words():
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)


def text_analyzer(stem_cache=50000):
    """Full-text fields: words, lowercased, accents folded (so "dwr" finds "dŵr"), English stop
    words dropped and stemmed (so "meetings" finds "meeting")."""
    return (
        _words()
        | StopFilter(stoplist=STOP_WORDS, minsize=1, maxsize=MAX_TERM_LENGTH)
        | StemFilter(cachesize=stem_cache)
    )


def plain_analyzer():
    """Words as people spell them (lowercased, accents folded, not stemmed): the spelling
    vocabulary, and what autocomplete prefixes are compared with."""
    return _words() | StopFilter(stoplist=(), minsize=1, maxsize=MAX_TERM_LENGTH)


def spelling_analyzer():
    """The "did you mean" vocabulary: unstemmed words of three letters or more, not stop words
    (suggestions are only made for such words)."""
    return _words() | StopFilter(stoplist=STOP_WORDS, minsize=3, maxsize=32)


def edge_ngram_analyzer():
    """Autocomplete fields: every prefix of every word, so "conf" finds "conference"."""
    return _words() | NgramFilter(minsize=1, maxsize=MAX_PREFIX_LENGTH, at="start")


# Words that say nothing about what a question or idea is about. "More like this" ignores them so
# that "How do I book a room?" is not similar to every other question beginning "How do I".
SIMILARITY_STOP_WORDS = STOP_WORDS | frozenset(
    "about after again all also am any anyone anything been before being both but could did do does doing don "
    "done each even every get gets getting got had has having he her here him his how i i'm ideas im into its "
    "just me more most much my need needs no nor now our out please should so some someone something still "
    "such than then there these they thing things those too up use using very want was way ways were what "
    "whats where which while who why would".split()
)


def similarity_analyzer(stem_cache=50000):
    return (
        _words()
        | StopFilter(stoplist=SIMILARITY_STOP_WORDS, minsize=2, maxsize=MAX_TERM_LENGTH)
        | StemFilter(cachesize=stem_cache)
    )


# Query-time analyzers are shared between threads, so the stemmer runs without Whoosh's
# least-frequently-used cache, whose eviction is not thread-safe. Queries are a few words long.
_QUERY_TEXT = text_analyzer(stem_cache=None)
_QUERY_PLAIN = plain_analyzer()
_QUERY_SIMILAR = similarity_analyzer(stem_cache=None)


def clip(text):
    """What is left of a query after the length limit, as a string (``None`` becomes "")."""
    return str(text or "")[:MAX_QUERY_CHARS]


def _unique(tokens, limit):
    seen = []
    for token in tokens:
        if token.text and token.text not in seen:
            seen.append(token.text)
            if len(seen) == limit:
                break
    return seen


def query_terms(text):
    """The distinct stemmed terms of a query, in the order typed."""
    return _unique(_QUERY_TEXT(clip(text)), MAX_QUERY_TERMS)


def phrase_terms(text):
    """The stemmed terms of a phrase, in order, repeats kept (a phrase may say a word twice)."""
    return [token.text for token in _QUERY_TEXT(clip(text)) if token.text][:MAX_QUERY_TERMS]


def similarity_terms(text):
    """The distinct stemmed terms of a text that say what it is about (for "more like this")."""
    return _unique(_QUERY_SIMILAR(clip(text)), MAX_QUERY_TERMS)


def plain_terms(text):
    """The distinct unstemmed words of a query, for autocomplete and spelling suggestions."""
    return _unique(_QUERY_PLAIN(clip(text)), MAX_QUERY_TERMS)


def is_stop_word(word):
    return word in STOP_WORDS

"""Evidence: how human translators of open software render each English term, per dialect.

``sources`` pins and fetches the allowed Debian packages into a cache outside
the repository; ``catalogues`` reads every catalogue in them as English ->
translation ``Pair`` records; ``readers`` holds one small reader per
catalogue format.
"""

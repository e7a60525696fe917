"""Evidence: how human translators of open software render each English term, per dialect.

``sources`` pins and fetches the allowed Debian packages into a cache outside
the repository; ``catalogues`` reads every catalogue in them as English ->
translation ``Pair`` records; ``readers`` holds one small reader per
catalogue format. ``attest`` aligns the pairs with the bank's concepts into
term-level ``facts`` (``evidence/attestations.tsv``), ``linking`` joins them to
the bank's terms at build time, ``answers`` puts them in lookups,
``communities`` says which projects count once, ``candidates`` finds forms the
bank lacks.
"""

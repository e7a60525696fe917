"""Evidence: how human translators of open software render the bank's terms, per dialect."""

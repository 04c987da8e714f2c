"""Date and number formats of languages Django ships none for (``FORMAT_MODULE_PATH``)."""

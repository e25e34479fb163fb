"""Turn a document into logical lines (text dumps) ready for feature extraction."""

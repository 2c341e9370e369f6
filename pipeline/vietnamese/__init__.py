"""Vietnamese text knowledge for the normalise stage: syllables, models, restoration, legacy encodings."""

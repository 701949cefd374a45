"""Documents (supporting papers) and confidential social notes of the household file."""

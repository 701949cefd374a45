"""Letters and documents produced from the household file: French templates rendered as PDF."""

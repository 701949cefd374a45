"""Guichet: the social project platform of a French commune."""

"""The forms and FilterSets of the partner register, by topic."""

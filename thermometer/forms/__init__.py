"""The forms of the thermometer, by topic."""

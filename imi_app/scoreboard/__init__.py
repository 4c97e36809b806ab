"""The scoreboard: the five indicators of the Single Market Scoreboard for coordinators and authorities."""
